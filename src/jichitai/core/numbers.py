"""Numbers as the sheets write them: 8 rather than 8.00, 7.5 rather than 7.50."""

from decimal import Decimal


def normalise_number(number: Decimal) -> Decimal:
    """8.00 → 8, 7.50 → 7.5: how a score is shown and exported."""
    number = Decimal(number)
    return number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()


def plain_number(number: Decimal | int) -> int | float:
    """A score for JSON and spreadsheet cells: 8 rather than 8.00, 7.5 as a float."""
    value = normalise_number(Decimal(number))
    return int(value) if value == value.to_integral() else float(value)
