"""Form fields that refuse hostile input with a message instead of a server error.

- Dates and date-times as people type them (WarekiDateField, WarekiDateTimeField): R8.12.3, 令和8年12月3日, R8/12/3,
  令8.12.3, full-width digits, 2026-12-03, read by core.wareki's one parser and shown back in the viewer's style's
  short form (R8.12.3 or 2026-12-03). Every date input of the product is one of them (tests/test_architecture.py).

- Dates and date-times outside core.wareki's DATE_MIN–DATE_MAX (1868–2100): year 1 would overflow when made
  timezone-aware, year 9999 when a window of days is added.
- Ids of a multiple choice that do not fit a 64-bit integer: Django checks each id with an exact lookup (which
  tolerates overflow) and then reads them with `__in`, which the database driver refuses with an error.
- Fiscal years outside FISCAL_YEAR_MIN–FISCAL_YEAR_MAX (core.validators).
"""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import from_current_timezone
from django.utils.translation import gettext_lazy as _

from .validators import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN, validate_fiscal_year
from .wareki import (
    DATE_MAX,
    DATE_MIN,
    DateParseError,
    date_in_range,
    format_date,
    format_date_short,
    format_fiscal_year,
    parse_date,
    parse_datetime,
    parse_fiscal_year,
)

DATE_RANGE_MESSAGE = _("Enter a date from %(min)s to %(max)s.")
BIGINT_MAX = 2**63 - 1


def validate_date_range(value) -> None:
    """A date (or date-time) from DATE_MIN to DATE_MAX."""
    if value is not None and not date_in_range(value):
        raise ValidationError(DATE_RANGE_MESSAGE, code="date_range", params=_range_params())


def _range_params() -> dict:
    return {"min": format_date(DATE_MIN), "max": format_date(DATE_MAX)}


class RangeDateField(forms.DateField):
    default_validators = [validate_date_range]


class RangeDateTimeField(forms.DateTimeField):
    default_validators = [validate_date_range]

    def to_python(self, value):
        try:
            return super().to_python(value)
        except OverflowError:
            raise ValidationError(DATE_RANGE_MESSAGE, code="date_range", params=_range_params()) from None


DATE_PLACEHOLDER = "例: R8.12.3 / 令和8年12月3日"
DATETIME_PLACEHOLDER = "例: R8.12.3 14:05"


class WarekiDateInput(forms.TextInput):
    """A text box (a browser's date picker would refuse 和暦) showing a date in the current style's short form."""

    def __init__(self, attrs=None):
        super().__init__({"placeholder": DATE_PLACEHOLDER, "class": "date", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.date):
            return format_date_short(value)
        return super().format_value(value)


class WarekiDateTimeInput(forms.TextInput):
    def __init__(self, attrs=None):
        super().__init__({"placeholder": DATETIME_PLACEHOLDER, "class": "datetime", "autocomplete": "off",
                          **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, dt.datetime):  # already in the current time zone (DateTimeField.prepare_value)
            return f"{format_date_short(value.date())} {value:%H:%M}"
        return super().format_value(value)


class WarekiDateField(forms.DateField):
    """A date typed as 和暦 or western (core.wareki.parse_date), 1868–2100; errors in Japanese."""

    widget = WarekiDateInput
    default_validators = [validate_date_range]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return parse_date(value)
        except DateParseError as exc:
            raise ValidationError(str(exc), code="invalid") from None


class WarekiDateTimeField(forms.DateTimeField):
    """A date and time (R8.12.3 14:05, 令和8年12月3日 14時5分, 2026-12-03T14:05) in the current time zone."""

    widget = WarekiDateTimeInput
    default_validators = [validate_date_range]

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return from_current_timezone(value) if value.tzinfo is None else value
        try:
            return from_current_timezone(parse_datetime(value))
        except DateParseError as exc:
            raise ValidationError(str(exc), code="invalid") from None
        except OverflowError:
            raise ValidationError(DATE_RANGE_MESSAGE, code="date_range", params=_range_params()) from None


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


class FiscalYearField(forms.CharField):
    """A fiscal year as people type it: 2026, R8, 令和8年度, 平成32年度, H32 → 2026 / 2020 (core.wareki);
    FISCAL_YEAR_MIN–FISCAL_YEAR_MAX. Shown back in the viewer's style (令和8年度 or 2026年度)."""

    default_validators = [validate_fiscal_year]

    def to_python(self, value):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_fiscal_year(value)
        except DateParseError as exc:
            raise ValidationError(str(exc)) from exc

    def prepare_value(self, value):
        if isinstance(value, int) and not isinstance(value, bool) and FISCAL_YEAR_MIN <= value <= FISCAL_YEAR_MAX:
            return format_fiscal_year(value)
        return value


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
