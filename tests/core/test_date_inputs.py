"""Every date input of the product takes 和暦 (issue 13): one field class, the one parser, Japanese errors."""

import datetime as dt
import importlib
import pkgutil

import pytest
from django import forms
from django.utils import timezone

import jichitai
from jichitai.core.fields import WarekiDateField, WarekiDateTimeField
from jichitai.core.wareki import WESTERN, use_date_style
from jichitai.incidents.models import Incident
from jichitai.incidents.rules import TOKYO
from jichitai.training import services as training_services
from jichitai.training.forms import AsOfForm
from jichitai.training.models import Course, Session

SKIPPED = (".migrations", ".management", ".wsgi", ".asgi")


def _every_form_class() -> list[type]:
    for module in pkgutil.walk_packages(jichitai.__path__, "jichitai."):
        if not any(part in module.name for part in SKIPPED):
            importlib.import_module(module.name)
    found, todo = [], [forms.BaseForm]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("jichitai."):
            found.append(cls)
    return found


def test_every_date_input_of_every_form_is_a_wareki_field():
    classes = _every_form_class()
    assert len(classes) > 40  # the walk found the project's forms
    wrong = []
    for cls in classes:
        for name, field in getattr(cls, "base_fields", {}).items():
            if isinstance(field, forms.DateField) and not isinstance(field, WarekiDateField):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: {type(field).__name__}")
            if isinstance(field, forms.DateTimeField) and not isinstance(field, WarekiDateTimeField):
                wrong.append(f"{cls.__module__}.{cls.__name__}.{name}: {type(field).__name__}")
    assert not wrong, ("use core.fields.WarekiDateField / WarekiDateTimeField (Meta.field_classes for a model form):\n"
                       + "\n".join(wrong))


@pytest.mark.parametrize("text", ["R8.11.1", "令和8年11月1日", "令8.11.1", "r8/11/1", "Ｒ８．１１．１", "2026-11-01",
                                  "2026/11/1", "2026年11月1日"])
def test_a_date_field_reads_every_form(text):
    form = AsOfForm({"as_of": text})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["as_of"] == dt.date(2026, 11, 1)


@pytest.mark.parametrize(("text", "message"), [
    ("H31.5.1", "平成は平成元年1月8日から平成31年4月30日までです"),
    ("R8.13.1", "存在しない日付です"),
    ("あした", "日付として読めません"),
    ("1700-01-01", "1868年から2100年まで"),
])
def test_a_date_field_refuses_in_japanese(text, message):
    form = WarekiDateField()
    with pytest.raises(forms.ValidationError, match=message):
        form.clean(text)


def test_the_input_shows_the_short_form_of_the_current_style():
    form = AsOfForm(initial={"as_of": dt.date(2026, 12, 3)})
    html = str(form["as_of"])
    assert 'value="R8.12.3"' in html and 'placeholder="例: R8.12.3 / 令和8年12月3日"' in html
    assert 'type="text"' in html
    with use_date_style(WESTERN):
        assert 'value="2026-12-03"' in str(AsOfForm(initial={"as_of": dt.date(2026, 12, 3)})["as_of"])
    field = WarekiDateTimeField()
    moment = dt.datetime(2026, 12, 3, 14, 5, tzinfo=TOKYO)
    assert field.widget.format_value(field.prepare_value(moment)) == "R8.12.3 14:05"
    assert field.clean("令和8年12月3日 14時5分") == moment


def test_posting_wareki_to_the_incident_form(client_for, admin_user, municipality):
    response = client_for(admin_user).post(f"/m/{municipality.code}/incidents/new/", {
        "title": "申請書の誤送付", "discovered_at": "R8.11.1 9:00", "known_at": "令和8年11月1日 10時00分",
        "persons_affected": "3", "kinds": ["leak"], "preliminary_sent_on": "令和8年11月1日",
        "final_sent_on": "R8.11.1", "persons_notified_on": "令8.11.1"})
    assert response.status_code == 302, response.content.decode()[:2000]
    incident = Incident.objects.get(municipality=municipality)
    assert timezone.localtime(incident.known_at) == dt.datetime(2026, 11, 1, 10, 0, tzinfo=TOKYO)
    assert incident.preliminary_sent_on == incident.final_sent_on == incident.persons_notified_on == dt.date(2026, 11, 1)
    page = client_for(admin_user).get(f"/m/{municipality.code}/incidents/{incident.pk}/edit/").content.decode()
    assert 'value="R8.11.1 10:00"' in page and 'value="R8.11.1"' in page


def test_posting_wareki_to_the_training_session_form(client_for, admin_user, municipality):
    training_services.load_curriculum()
    course = Course.objects.get(code="①-②", association__isnull=True, municipality__isnull=True)
    client = client_for(admin_user)
    for text in ("R8.11.1", "令和8年11月1日"):
        response = client.post(f"/m/{municipality.code}/training/sessions/new/",
                               {"course": course.pk, "held_on": text, "place": f"会議室 {text}"})
        assert response.status_code == 302, response.content.decode()[:2000]
    assert set(Session.objects.values_list("held_on", flat=True)) == {dt.date(2026, 11, 1)}
    response = client.post(f"/m/{municipality.code}/training/sessions/new/",
                           {"course": course.pk, "held_on": "H31.5.1", "place": "会議室"})
    assert response.status_code == 200
    assert "平成は平成元年1月8日から平成31年4月30日までです" in response.content.decode()
