"""Form fields that refuse hostile input with a message instead of a server error.

- Dates and date-times outside core.wareki's DATE_MIN–DATE_MAX (1868–2100): year 1 would overflow when made
  timezone-aware, year 9999 when a window of days is added.
- Ids of a multiple choice that do not fit a 64-bit integer: Django checks each id with an exact lookup (which
  tolerates overflow) and then reads them with `__in`, which the database driver refuses with an error.
- Fiscal years outside FISCAL_YEAR_MIN–FISCAL_YEAR_MAX (core.validators).
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .validators import validate_fiscal_year
from .wareki import DATE_MAX, DATE_MIN, date_in_range

DATE_RANGE_MESSAGE = _("Enter a date from %(min)s to %(max)s.")
BIGINT_MAX = 2**63 - 1


def validate_date_range(value) -> None:
    """A date (or date-time) from DATE_MIN to DATE_MAX."""
    if value is not None and not date_in_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range",
                              params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()})


class RangeDateField(forms.DateField):
    default_validators = [validate_date_range]


class RangeDateTimeField(forms.DateTimeField):
    default_validators = [validate_date_range]

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(DATE_RANGE_MESSAGE, code="date_range",
                                  params={"min": DATE_MIN.isoformat(), "max": DATE_MAX.isoformat()}) from None


class IdsMultipleChoiceField(forms.ModelMultipleChoiceField):
    """ModelMultipleChoiceField whose ids are checked to be integers the database can compare first."""

    def _check_values(self, value):
        key = self.to_field_name or "pk"
        if key == "pk":
            for pk in value:
                try:
                    number = int(str(pk).strip())
                except (TypeError, ValueError):
                    number = None
                if number is None or not -BIGINT_MAX <= number <= BIGINT_MAX:
                    raise ValidationError(self.error_messages["invalid_pk_value"], code="invalid_pk_value",
                                          params={"pk": str(pk)[:20]})
        return super()._check_values(value)


class FiscalYearNumberField(forms.IntegerField):
    """An integer fiscal year (2026), FISCAL_YEAR_MIN–FISCAL_YEAR_MAX."""

    default_validators = [validate_fiscal_year]


def harden(form: forms.BaseForm) -> forms.BaseForm:
    """Give a form's date, date-time and multiple-choice fields the checks above (call it from __init__)."""
    for field in form.fields.values():
        if type(field) is forms.DateTimeField:
            field.__class__ = RangeDateTimeField
            field.validators.append(validate_date_range)
        elif isinstance(field, forms.DateField | forms.DateTimeField):
            if validate_date_range not in field.validators:
                field.validators.append(validate_date_range)
        elif type(field) is forms.ModelMultipleChoiceField:
            field.__class__ = IdsMultipleChoiceField
    return form
