"""My Number guard: detect 12-digit runs that pass the 個人番号 check digit (番号法施行令 第8条).

The system never stores an individual number. Any such run in user input is refused; callers must not
echo or log the matched value.
"""

import re
import unicodedata

# 12 digits, optionally written in groups of four separated by a space or hyphen, not inside a longer run.
# A lookahead, so that candidates may overlap: in "0000 1234 5678 9018" both 12-digit windows are checked.
_CANDIDATE = re.compile(r"(?<!\d)(?=(\d{4})[ \-]?(\d{4})[ \-]?(\d{4})(?!\d))")


def my_number_check_digit(first_eleven: str) -> int:
    """P_n numbered n=1..11 from the right; Q_n = n+1 (n<=6), n-5 (n>=7); r = ΣP·Q mod 11."""
    total = 0
    for n, digit in enumerate(reversed(first_eleven), start=1):
        weight = n + 1 if n <= 6 else n - 5
        total += int(digit) * weight
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_my_number(digits: str) -> bool:
    if len(digits) != 12 or not digits.isascii() or not digits.isdigit():
        return False
    return my_number_check_digit(digits[:11]) == int(digits[11])


def contains_my_number(text: object) -> bool:
    """True when the text holds a 12-digit run (full-width digits included) that passes the check."""
    if text is None:
        return False
    normalised = unicodedata.normalize("NFKC", str(text))
    return any(is_my_number("".join(m.groups())) for m in _CANDIDATE.finditer(normalised))


MASK = "［個人番号と思われる数字］"


def mask_my_numbers(text: str) -> str:
    """Replace every run that passes the check with a mask, so that messages never echo a number back."""
    normalised = unicodedata.normalize("NFKC", text)
    if not contains_my_number(normalised):
        return text
    spans = [(m.start(), _end(normalised, m)) for m in _CANDIDATE.finditer(normalised)
             if is_my_number("".join(m.groups()))]
    result, last = [], 0
    for start, end in spans:
        if start < last:
            continue
        result.append(normalised[last:start])
        result.append(MASK)
        last = end
    result.append(normalised[last:])
    return "".join(result)


def _end(text: str, match: re.Match) -> int:
    """Where the 12 digits (with their separators) matched at match.start() end."""
    tail = re.match(r"\d{4}[ \-]?\d{4}[ \-]?\d{4}", text[match.start():])
    return match.start() + tail.end()
