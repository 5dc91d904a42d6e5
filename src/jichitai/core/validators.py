"""Django validators wrapping the pure helpers; attached to model fields so forms, API and imports share them."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .codes import is_valid_municipality_code
from .mynumber import contains_my_number

MY_NUMBER_MESSAGE = _(
    "This looks like an individual number (My Number). Individual numbers must not be entered here."
)


def reject_my_number(value: object) -> None:
    # The value is deliberately not included in the message: it must never be echoed back.
    if contains_my_number(value):
        raise ValidationError(MY_NUMBER_MESSAGE, code="my_number")


def validate_municipality_code(value: str) -> None:
    if not is_valid_municipality_code(value):
        raise ValidationError(
            _("%(code)s is not a valid local government code (6 digits with a check digit)."),
            code="municipality_code",
            params={"code": value},
        )
