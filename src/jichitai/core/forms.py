"""Form behaviour shared by every form of the project (tests/test_architecture.py checks each one uses it)."""

from django import forms

from .validators import reject_my_number


class NoEchoMyNumberMixin:
    """Every text field refuses an individual number, and a refused field is re-rendered empty: the number is
    never sent back (a filter's search box included)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and reject_my_number not in field.validators:
                field.validators.append(reject_my_number)

    def full_clean(self):
        super().full_clean()
        refused = [name for name, errors in self.errors.as_data().items()
                   if any(error.code == "my_number" for error in errors)]
        if refused:
            self.data = self.data.copy()
            for name in refused:
                self.data[self.add_prefix(name)] = ""

