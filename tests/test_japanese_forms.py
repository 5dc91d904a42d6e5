"""Every form label and choice in Japanese (issue 13): each form class of the apps, read in Japanese, names its
fields and choices in Japanese (or with a code of ALLOWED, or a number) — the label a model field's English
default would give (「Department」) or a label left out of the catalogue fails here before any page shows it."""

import importlib
import inspect
import pkgutil
import re

from django import forms
from django.utils import translation

import jichitai
from tests.test_japanese_pages import ALLOWED

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def _readable(text: str) -> bool:
    return bool(JAPANESE.search(text)) or text in ALLOWED or not re.search(r"[A-Za-z]", text)


def form_classes():
    for info in pkgutil.walk_packages(jichitai.__path__, "jichitai."):
        if info.name.rsplit(".", 1)[-1] == "forms":
            module = importlib.import_module(info.name)
            yield from (cls for _name, cls in inspect.getmembers(module, inspect.isclass)
                        if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__)


def test_every_form_label_and_choice_is_japanese():
    english = []
    with translation.override("ja"):
        for form in form_classes():
            for name, field in form.base_fields.items():
                where = f"{form.__module__}.{form.__name__}.{name}"
                if field.widget.is_hidden:
                    continue
                if not _readable(str(field.label if field.label is not None else name)):
                    english.append(f"{where}: {field.label}")
                if isinstance(field, forms.ModelChoiceField):
                    continue  # rows of the database: their own names
                for _value, label in getattr(field, "choices", None) or []:
                    if not isinstance(label, list | tuple) and not _readable(str(label)):
                        english.append(f"{where} choice: {label}")
    assert len(list(form_classes())) > 30
    assert not english, english
