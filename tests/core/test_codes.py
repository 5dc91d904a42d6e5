"""全国地方公共団体コード check digit (DOMAIN.md §1): weights 6,5,4,3,2; check = (11 - Σ mod 11) mod 10."""

import pytest

from jichitai.core.codes import is_valid_municipality_code, municipality_check_digit, with_check_digit


def expected_check_digit(first_five: str) -> int:
    """The formula of DOMAIN.md §1, written independently of the module."""
    weighted = 6 * int(first_five[0]) + 5 * int(first_five[1]) + 4 * int(first_five[2])
    weighted += 3 * int(first_five[3]) + 2 * int(first_five[4])
    return (11 - weighted % 11) % 10


KNOWN_CODES = [
    ("13101", "131016"),  # 千代田区 (DOMAIN.md §1)
    ("01100", "011002"),  # 札幌市 (DOMAIN.md §1)
    ("13000", "130001"),  # 東京都
    ("14100", "141003"),  # 横浜市
    ("27100", "271004"),  # 大阪市
]


@pytest.mark.parametrize(("first_five", "code"), KNOWN_CODES)
def test_known_codes(first_five, code):
    assert municipality_check_digit(first_five) == int(code[5])
    assert with_check_digit(first_five) == code
    assert is_valid_municipality_code(code) is True


def test_chiyoda_and_sapporo_by_hand():
    # 1·6 + 3·5 + 1·4 + 0·3 + 1·2 = 27; 27 mod 11 = 5; 11 - 5 = 6
    assert municipality_check_digit("13101") == 6
    # 0·6 + 1·5 + 1·4 + 0·3 + 0·2 = 9; 11 - 9 = 2
    assert municipality_check_digit("01100") == 2


def test_remainder_zero_gives_one():
    # Σ = 0 → (11 - 0) mod 10 = 1
    assert municipality_check_digit("00000") == 1
    assert with_check_digit("00000") == "000001"
    # Σ = 6·1 + 5·1 = 11 → remainder 0 as well
    assert municipality_check_digit("11000") == 1


def test_remainder_one_gives_zero():
    # Σ = 6·2 = 12 → remainder 1 → (11 - 1) mod 10 = 0
    assert municipality_check_digit("00006") == 0
    assert with_check_digit("00006") == "000060"
    assert is_valid_municipality_code("000060") is True
    assert is_valid_municipality_code("000061") is False


def test_remainder_ten_gives_one():
    # Σ = 2·5 = 10 → remainder 10 → 11 - 10 = 1
    assert municipality_check_digit("00005") == 1


@pytest.mark.parametrize("first_five", [f"{n:05d}" for n in range(0, 100000, 997)])
def test_check_digit_matches_formula(first_five):
    expected = expected_check_digit(first_five)
    assert municipality_check_digit(first_five) == expected
    assert with_check_digit(first_five) == first_five + str(expected)
    assert is_valid_municipality_code(first_five + str(expected)) is True


@pytest.mark.parametrize("code", ["131016", "011002"])
def test_every_other_check_digit_is_wrong(code):
    for digit in "0123456789":
        candidate = code[:5] + digit
        assert is_valid_municipality_code(candidate) is (digit == code[5])


@pytest.mark.parametrize(
    "code",
    [
        "131015",  # wrong check digit
        "011003",  # wrong check digit
        "13101",  # five digits: no check digit
        "1310160",  # seven digits
        "01100",
        "",
        "13101a",
        "a31016",
        "13-016",
        "13101 ",
        " 131016",
        "13101.",
        "+31016",
    ],
)
def test_invalid_codes(code):
    assert is_valid_municipality_code(code) is False


@pytest.mark.parametrize(
    "code",
    [
        "１３１０１６",  # full-width 千代田区
        "０１１００２",  # full-width 札幌市
        "13101６",  # full-width check digit only
        "１31016",  # full-width first digit only
        "١٣١٠١٦",  # Arabic-Indic digits (str.isdigit() is True for them)
    ],
)
def test_non_ascii_digits_rejected(code):
    assert code.isdigit()  # the guard must not rely on isdigit alone
    assert is_valid_municipality_code(code) is False
