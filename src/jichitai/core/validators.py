"""Django validators wrapping the pure helpers; attached to model fields so forms, API and imports share them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .codes import is_valid_municipality_code
from .mynumber import contains_my_number, mask_my_numbers

MY_NUMBER_MESSAGE = _(
    "This looks like an individual number (My Number). Individual numbers must not be entered here."
)

# No count of people (residents, persons in a file, persons affected, handlers) can exceed the population of
# Japan: 総務省統計局「人口推計」, 総人口 約1億2,400万人 (2024年10月1日現在 1億2,380万人). The bound is rounded up
# to 130,000,000 so that it never refuses a real count, while refusing every 12-digit number.
MAX_PERSONS = 130_000_000
PERSONS_MESSAGE = _("Enter %(limit)s or fewer: no count of people can exceed the population of Japan.")

# Fiscal years (年度) the system plans for: from 平成元年度 (1989) to 2100.
FISCAL_YEAR_MIN, FISCAL_YEAR_MAX = 1989, 2100
FISCAL_YEAR_MESSAGE = _("Enter a fiscal year from %(min)s to %(max)s (e.g. 2026).")


def reject_my_number(value: object) -> None:
    # The value is deliberately not included in the message: it must never be echoed back.
    if contains_my_number(value):
        raise ValidationError(MY_NUMBER_MESSAGE, code="my_number")


def _json_values(value: object):
    """Every string and number of a JSON value, dictionary keys included."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _json_values(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _json_values(item)
    elif isinstance(value, str | int | float) and not isinstance(value, bool):
        yield value


def reject_my_number_in_json(value: object) -> None:
    """reject_my_number for a JSON field: every text and number inside it, at any depth."""
    if any(contains_my_number(item) for item in _json_values(value)):
        raise ValidationError(MY_NUMBER_MESSAGE, code="my_number")


NULL_CHARACTER_MESSAGE = _("Null characters are not allowed.")


def reject_null_characters_in_json(value: object) -> None:
    """What Django's forms refuse in text (ProhibitNullCharactersValidator), for a JSON value at any depth:
    PostgreSQL cannot store a NUL in text."""
    if any(isinstance(item, str) and "\x00" in item for item in _json_values(value)):
        raise ValidationError(NULL_CHARACTER_MESSAGE, code="null_characters_not_allowed")


def validate_person_count(value: int | None) -> None:
    """A count of people: at most MAX_PERSONS (see above)."""
    if value is not None and value > MAX_PERSONS:
        raise ValidationError(PERSONS_MESSAGE, code="max_persons", params={"limit": f"{MAX_PERSONS:,}"})


def validate_fiscal_year(value: int | None) -> None:
    """A fiscal year: FISCAL_YEAR_MIN to FISCAL_YEAR_MAX."""
    if value is not None and not FISCAL_YEAR_MIN <= value <= FISCAL_YEAR_MAX:
        raise ValidationError(FISCAL_YEAR_MESSAGE, code="fiscal_year",
                              params={"min": FISCAL_YEAR_MIN, "max": FISCAL_YEAR_MAX})


def validate_municipality_code(value: str) -> None:
    if not is_valid_municipality_code(value):
        raise ValidationError(
            _("%(code)s is not a valid local government code (6 digits with a check digit)."),
            code="municipality_code",
            params={"code": mask_my_numbers(str(value))},  # the value is quoted: never an individual number
        )
