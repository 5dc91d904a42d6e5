"""Form behaviour shared by every form of the project (tests/test_architecture.py checks each one uses it)."""

from django import forms
from django.core.exceptions import ValidationError

from .mynumber import contains_my_number
from .validators import MY_NUMBER_MESSAGE, reject_my_number


class NoEchoMyNumberMixin:
    """Every field refuses an individual number, and a refused field is re-rendered empty: the number is never
    sent back (a filter's search box included).

    Text fields carry the validator; on top of that, whatever was submitted for any field (a number, a date, a
    choice, a checkbox) is looked at as sent: if it holds an individual number the field's errors are replaced
    by the one My Number error (other messages may quote the value) and its data is cleared."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and reject_my_number not in field.validators:
                field.validators.append(reject_my_number)

    def _submitted_my_number(self, name: str, field) -> bool:
        raw = field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))
        values = raw if isinstance(raw, list | tuple) else [raw]
        return any(isinstance(value, str) and contains_my_number(value) for value in values)

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        refused = [name for name, field in self.fields.items()
                   if self._submitted_my_number(name, field)
                   or any(error.code == "my_number" for error in self._errors.as_data().get(name, ()))]
        if not refused:
            return
        self.data = self.data.copy()
        for name in refused:
            self._errors.pop(name, None)
            self.add_error(name, ValidationError(MY_NUMBER_MESSAGE, code="my_number"))
            prefixed = self.add_prefix(name)
            for key in list(self.data):
                if key == prefixed or key.startswith(f"{prefixed}_"):  # a multi-widget's parts too
                    self.data[key] = ""
