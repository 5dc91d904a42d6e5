"""全国地方公共団体コード: five digits plus a check digit (総務省 「全国地方公共団体コード」仕様)."""

_WEIGHTS = (6, 5, 4, 3, 2)


def municipality_check_digit(first_five: str) -> int:
    """check = (11 - (Σ d_i·w_i mod 11)) mod 10, weights 6,5,4,3,2 (DOMAIN.md §1)."""
    total = sum(int(d) * w for d, w in zip(first_five, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def is_valid_municipality_code(code: str) -> bool:
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    return municipality_check_digit(code[:5]) == int(code[5])


def with_check_digit(first_five: str) -> str:
    return first_five + str(municipality_check_digit(first_five))
