"""My Number guard (番号法施行令 第8条, DOMAIN.md §1).

The check digit is re-derived here independently: weights written left to right, and the last digit found by
trying all ten digits rather than by the module's closed formula.
"""

import pytest

from jichitai.core import mynumber
from jichitai.core.mynumber import MASK, contains_my_number, is_my_number, mask_my_numbers, my_number_check_digit

# Q_n for n = 11 … 1 (the first eleven digits read left to right): n ≥ 7 → n − 5, n ≤ 6 → n + 1.
WEIGHTS_LEFT_TO_RIGHT = (6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def remainder(first_eleven: str) -> int:
    return sum(int(d) * w for d, w in zip(first_eleven, WEIGHTS_LEFT_TO_RIGHT, strict=True)) % 11


def brute_force_check_digit(first_eleven: str) -> int:
    """The digit c with r + c ≡ 0 (mod 11): 11 − r for r ≥ 2, 0 for r = 0; none exists for r = 1, where it is 0."""
    r = remainder(first_eleven)
    fitting = [c for c in range(10) if (r + c) % 11 == 0]
    assert len(fitting) <= 1
    return fitting[0] if fitting else 0


def valid_number(first_eleven: str) -> str:
    return first_eleven + str(brute_force_check_digit(first_eleven))


def wrong_number(first_eleven: str) -> str:
    return first_eleven + str((brute_force_check_digit(first_eleven) + 1) % 10)


# Prefixes whose remainders hit every boundary of the rule: r = 0, 1 (both → 0), 2 (→ 9), 10 (→ 1), 3 (→ 8).
BOUNDARY_CASES = [
    ("12345678905", 0, 0),
    ("12345678900", 1, 0),
    ("11111111110", 1, 0),
    ("12345678906", 2, 9),
    ("20260401008", 10, 1),
    ("12345678901", 3, 8),
    ("00000000000", 0, 0),
]

SAMPLE = "123456789018"  # the widely used example: r = 212 mod 11 = 3 → 11 − 3 = 8
PREFIXES = [f"{n:011d}" for n in range(0, 10**11, 9_876_543_211)] + [p for p, _, _ in BOUNDARY_CASES]


def to_full_width(text: str) -> str:
    return text.translate(str.maketrans("0123456789", "０１２３４５６７８９"))


def grouped(number: str, sep: str) -> str:
    return sep.join((number[:4], number[4:8], number[8:]))


# ---- the helper itself -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "r", "check"), BOUNDARY_CASES)
def test_independent_helper_on_boundaries(prefix, r, check):
    assert remainder(prefix) == r
    assert brute_force_check_digit(prefix) == check


def test_sample_number_by_hand():
    # 1·6+2·5+3·4+4·3+5·2+6·7+7·6+8·5+9·4+0·3+1·2 = 212; 212 mod 11 = 3
    assert remainder(SAMPLE[:11]) == 3
    assert valid_number(SAMPLE[:11]) == SAMPLE


# ---- my_number_check_digit / is_my_number ----------------------------------------------------------------


@pytest.mark.parametrize(("prefix", "r", "check"), BOUNDARY_CASES)
def test_check_digit_boundaries(prefix, r, check):
    assert my_number_check_digit(prefix) == check
    assert is_my_number(prefix + str(check)) is True


@pytest.mark.parametrize("prefix", PREFIXES)
def test_check_digit_matches_independent_formula(prefix):
    expected = brute_force_check_digit(prefix)
    assert my_number_check_digit(prefix) == expected
    for digit in range(10):
        assert is_my_number(prefix + str(digit)) is (digit == expected)


def test_weights_depend_on_position_from_the_right():
    # A single 1 at each position picks out its weight: r = Q_n, so check = 11 − Q_n (Q_n ≥ 2).
    for index, weight in enumerate(WEIGHTS_LEFT_TO_RIGHT):
        prefix = "0" * index + "1" + "0" * (10 - index)
        assert my_number_check_digit(prefix) == 11 - weight


@pytest.mark.parametrize(
    "value",
    [
        "",
        "12345678901",  # 11 digits
        "1234567890180",  # 13 digits
        "12345678901a",
        "1234 5678 9018",  # is_my_number takes bare digits only
        "１２３４５６７８９０１８",  # full-width: contains_my_number normalises, is_my_number does not
        "١٢٣٤٥٦٧٨٩٠١٨",  # Arabic-Indic digits
    ],
)
def test_is_my_number_rejects_malformed(value):
    assert is_my_number(value) is False


def test_is_my_number_accepts_sample_and_rejects_wrong_check_digit():
    assert is_my_number(SAMPLE) is True
    assert is_my_number("123456789017") is False
    assert is_my_number("123456789019") is False


# ---- contains_my_number ----------------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", PREFIXES)
def test_finds_valid_numbers_in_text(prefix):
    number = valid_number(prefix)
    assert contains_my_number(number) is True
    assert contains_my_number(f"申請者の番号は{number}です") is True
    assert contains_my_number(f"ID:{number}, tel 03-1234-5678") is True
    assert contains_my_number(f"first line\n{number}\nlast line") is True


@pytest.mark.parametrize("prefix", PREFIXES)
def test_does_not_flag_wrong_check_digit(prefix):
    number = wrong_number(prefix)
    assert contains_my_number(number) is False
    assert contains_my_number(f"番号{number}") is False
    assert contains_my_number(grouped(number, "-")) is False


@pytest.mark.parametrize("sep", [" ", "-", "\u3000", "－", ""])
def test_finds_groups_of_four(sep):
    text = f"個人番号 {grouped(SAMPLE, sep)} を記載"
    assert contains_my_number(text) is True


# Every separator character of every class joins two groups: the list, one class at a time.
SEPARATOR_CLASSES = {
    "dash": "-‐‑‒–—―－﹣⁃",
    "minus": "−⁻₋",
    "long vowel": "ーｰ",
    "wave dash": "~～〜",
    "dot": ".．・･。｡·",
    "slash": "/／⁄∕",
    "comma": ",，、､",
    "whitespace": " \u3000\t\n\r\x0b\x0c\xa0\u2002\u2009\u202f",
    "invisible": "\u200b\u200c\u200d\u2060\ufeff",
}


@pytest.mark.parametrize("name", SEPARATOR_CLASSES)
def test_every_single_separator_of_every_class_joins_groups(name):
    for sep in SEPARATOR_CLASSES[name]:
        assert sep in mynumber.SEPARATORS + mynumber.WHITESPACE + mynumber.INVISIBLE, repr(sep)
        assert contains_my_number(grouped(SAMPLE, sep)) is True, repr(sep)
        assert contains_my_number(f"番号{grouped(SAMPLE, sep)}です") is True, repr(sep)
        assert contains_my_number(grouped(to_full_width(SAMPLE), sep)) is True, repr(sep)
        # …and the same grouping of a number with a wrong check digit is not flagged.
        assert contains_my_number(grouped(SAMPLE[:11] + "7", sep)) is False, repr(sep)


@pytest.mark.parametrize("run", ["  ", "\u3000\u3000", "\r\n", " \t ", "\n\n", " \u3000\n\t", "\u200b ", " " * 40])
def test_a_run_of_whitespace_joins_groups(run):
    assert contains_my_number(grouped(SAMPLE, run)) is True
    assert contains_my_number(grouped(SAMPLE[:11] + "9", run)) is False


@pytest.mark.parametrize("sep", ["--", "..", "//", "ーー", " - ", "- ", " -", "-\n", "_", "a", "番", ":", "+", "(", "*"])
def test_two_separators_or_other_characters_do_not_join_groups(sep):
    assert contains_my_number(grouped(SAMPLE, sep)) is False
    assert contains_my_number(grouped(to_full_width(SAMPLE), sep)) is False


@pytest.mark.parametrize("sizes", [(12,), (4, 4, 4), (3, 4, 5), (1, 11), (11, 1), (6, 6), (2, 2, 2, 2, 2, 2),
                                   (1,) * 12, (5, 7)])
def test_any_grouping_of_the_twelve_digits_is_found(sizes):
    parts, start = [], 0
    for size in sizes:
        parts.append(SAMPLE[start:start + size])
        start += size
    assert "".join(parts) == SAMPLE
    for sep in ("-", " ", "・", "\n"):
        assert contains_my_number(sep.join(parts)) is True
        wrong = SAMPLE[:11] + "0"
        wrong_parts, start = [], 0
        for size in sizes:
            wrong_parts.append(wrong[start:start + size])
            start += size
        assert contains_my_number(sep.join(wrong_parts)) is False


@pytest.mark.parametrize("sep", ["-", " ", "  ", "／", "\n"])
def test_eleven_and_thirteen_digits_in_groups_are_not_flagged(sep):
    # Eleven digits: no candidate at all.
    assert contains_my_number(sep.join((SAMPLE[:4], SAMPLE[4:8], SAMPLE[8:11]))) is False
    # Thirteen digits whose groups cannot be cut into twelve at a boundary.
    assert contains_my_number(sep.join(("9" + SAMPLE[:4], SAMPLE[4:8], SAMPLE[8:]))) is False
    assert contains_my_number(sep.join((SAMPLE[:4], SAMPLE[4:8], SAMPLE[8:] + "9"))) is False
    # …but a thirteenth digit in a group of its own leaves a twelve-digit candidate at a group boundary.
    assert contains_my_number(sep.join(("9", SAMPLE[:4], SAMPLE[4:8], SAMPLE[8:]))) is True
    assert contains_my_number(sep.join((SAMPLE[:4], SAMPLE[4:8], SAMPLE[8:], "9"))) is True


def test_other_decimal_digits_count():
    arabic_indic = SAMPLE.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert contains_my_number(arabic_indic) is True
    assert contains_my_number("１２３４" + "5678" + "９０１８") is True  # mixed widths form one group
    assert contains_my_number(grouped("１２３４5678９０１８", "ー")) is True


def test_groups_of_other_sizes_are_flagged_too():
    # The separators may split the digits anywhere: 3-4-5 is the same number.
    assert contains_my_number("123-4567-89018") is True
    assert contains_my_number("123-4567-89017") is False


def test_full_width_digits():
    assert contains_my_number(to_full_width(SAMPLE)) is True
    assert contains_my_number("番号：" + to_full_width(grouped(SAMPLE, " "))) is True
    assert contains_my_number(to_full_width(grouped(SAMPLE, "-"))) is True
    assert contains_my_number(grouped(to_full_width(SAMPLE), "－")) is True
    assert contains_my_number(to_full_width(SAMPLE[:11] + "7")) is False


def test_eleven_digit_runs_not_flagged():
    for prefix in PREFIXES:
        assert contains_my_number(valid_number(prefix)[:11]) is False
        assert contains_my_number(valid_number(prefix)[1:]) is False
    assert contains_my_number("1234 5678 901") is False


@pytest.mark.parametrize("prefix", PREFIXES)
def test_thirteen_digit_runs_not_flagged(prefix):
    number = valid_number(prefix)
    for digit in "0123456789":
        assert contains_my_number(number + digit) is False
        assert contains_my_number(digit + number) is False


def test_digits_inside_a_longer_run_not_flagged():
    assert contains_my_number("99" + SAMPLE + "99") is False
    assert contains_my_number("口座" + "0" * 5 + SAMPLE + "0" * 5 + "番") is False
    assert contains_my_number(to_full_width("7" + SAMPLE)) is False
    # A group glued to a longer run is still part of that run.
    assert contains_my_number("9" + grouped(SAMPLE, " ")) is False
    assert contains_my_number(grouped(SAMPLE, "-") + "9") is False


def test_two_numbers_separated_by_text_both_seen():
    other = valid_number("98765432100")
    assert contains_my_number(f"{wrong_number('12345678901')} と {other}") is True
    assert contains_my_number(f"{wrong_number('12345678901')} と {wrong_number('98765432100')}") is False


def test_valid_number_after_another_group_of_four():
    # Candidates overlap: a valid number is found whichever group stands before or after it.
    assert contains_my_number("0000 " + grouped(SAMPLE, " ")) is True
    assert contains_my_number(grouped(SAMPLE, " ") + " 0000") is True
    assert contains_my_number("0000-" + grouped(SAMPLE, "-")) is True
    # 000012345678 and 123456789017 both fail the check, so nothing is found here:
    assert contains_my_number("0000 1234 5678 9017") is False
    # …while 111112345678 passes, so the first window alone is enough:
    assert contains_my_number("1111 1234 5678 9017") is True


@pytest.mark.parametrize("value", [None, "", " ", "\u3000", "番号なし", 0, 12345678901])
def test_nothing_to_find(value):
    assert contains_my_number(value) is False


def test_non_string_values_are_read_as_text():
    assert contains_my_number(int(SAMPLE)) is True
    assert contains_my_number(int("1" + SAMPLE)) is False


def test_mask_my_numbers_hides_every_valid_run_and_keeps_the_rest():
    valid = valid_number("12345678901")
    text = f"備考 {valid} と 1234-5678-9012 と {valid[:4]} {valid[4:8]} {valid[8:]} と 12345"
    masked = mask_my_numbers(text)
    assert valid not in masked and masked.count(MASK) == 2
    assert not is_my_number("123456789012") and "1234-5678-9012" in masked  # not a valid number: kept
    assert "12345" in masked.split(MASK)[-1]
    assert mask_my_numbers("番号なし 123") == "番号なし 123"


@pytest.mark.parametrize("sep", ["-", "  ", "ー", "．", "／", "、", "\n", "\u3000", "\u200b"])
def test_mask_covers_the_separators_and_leaves_no_number(sep):
    text = f"番号 {grouped(to_full_width(SAMPLE), sep)} と 電話 03-1234-5678"
    masked = mask_my_numbers(text)
    assert masked == f"番号 {MASK} と 電話 03-1234-5678"
    assert contains_my_number(masked) is False


def test_mask_overlapping_candidates_as_one():
    # 111112345678 and 123456789018 both pass: the two overlapping spans become one mask.
    masked = mask_my_numbers("1111 1234 5678 9018")
    assert masked == MASK
    assert mask_my_numbers(None) == "" and mask_my_numbers(int(SAMPLE)) == MASK
