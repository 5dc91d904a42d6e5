"""My Number guard: find 12-digit numbers that pass the 個人番号 check digit (番号法施行令 第8条).

The system never stores an individual number. Any such number in user input is refused; callers must not
echo or log the matched value. There is one detector (`_matches`); `contains_my_number` and
`mask_my_numbers` both use it.

What counts as written digits: ASCII and full-width digits, and every other decimal digit Unicode knows
(Arabic-Indic, mathematical bold…), plus the superscript, subscript and circled digits that NFKC reads as
one digit. Digits form *groups*; two groups belong to the same *run* when exactly one separator character
or one run of whitespace stands between them. Separators (and their full-width and half-width forms):

- every dash, hyphen and minus (Unicode's Pd, − ⁃ ﹣ －, the soft hyphen), and the tilde / wave dash forms
  (~ ～ 〜 〰) that Japanese text uses as dashes;
- the long vowel marks ー ｰ;
- dots . ． ・ ･ 。 ｡ · ‧ ∙;
- slashes / ／ ⁄ ∕;
- commas , ， 、 ､ ﹐ ﹑;
- whitespace of any kind (spaces of every width, the ideographic space, tab, newline, CR…) and the invisible
  characters that render as nothing (zero-width space and joiners, word joiner, BOM, direction marks): any
  run of these counts as one separator.

A candidate is any sequence of consecutive groups of one run whose digits total exactly 12: it starts and
ends at group boundaries, so it is never preceded or followed by another digit of its own group (a 13-digit
unbroken run holds no candidate, while in "0000 1234 5678 9018" both 12-digit group sequences are
candidates). A candidate that passes the check digit is an individual number.
"""

import re
import unicodedata

# Characters that are not decimal digits (Nd) but that NFKC reads as one digit: ²³¹⁰⁴-⁹ ₀-₉ ①-⑨ ⓪.
_COMPAT_DIGITS = {
    "\u00b2": "2", "\u00b3": "3", "\u00b9": "1", "\u2070": "0",
    **{chr(0x2074 + n): str(n + 4) for n in range(6)},
    **{chr(0x2080 + n): str(n) for n in range(10)},
    **{chr(0x2460 + n): str(n + 1) for n in range(9)},
    "\u24ea": "0",
}

_DASHES = (
    "-\u058a\u05be\u1400\u1806\u2010\u2011\u2012\u2013\u2014\u2015\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d"
    "\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d"  # Unicode's Pd (dash punctuation), ASCII hyphen-minus included
    "\u2212\u2043\u207b\u208b\u00ad"  # − minus sign, ⁃ hyphen bullet, superscript/subscript minus, soft hyphen
    "~\uff5e\u301c\u3030"  # ~ ～ 〜 〰: the wave dash and its CP932 twin, used as dashes in Japanese text
)
_LONG_VOWEL_MARKS = "\u30fc\uff70"  # ー ｰ
_DOTS = ".\uff0e\u30fb\uff65\u3002\uff61\u00b7\u2027\u2219"  # . ． ・ ･ 。 ｡ · ‧ ∙
_SLASHES = "/\uff0f\u2044\u2215"  # / ／ ⁄ ∕
_COMMAS = ",\uff0c\u3001\uff64\ufe50\ufe51"  # , ， 、 ､ ﹐ ﹑
SEPARATORS = _DASHES + _LONG_VOWEL_MARKS + _DOTS + _SLASHES + _COMMAS

# Whitespace of every kind (exactly the characters str.isspace() accepts) and invisible format characters.
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
INVISIBLE = "\u180e\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064" \
            "\u2066\u2067\u2068\u2069\ufeff"

_DIGIT = r"\d" + "".join(_COMPAT_DIGITS)  # \d on str patterns: every Unicode decimal digit (Nd)
_GAP = f"(?:[{re.escape(SEPARATORS)}]|[{re.escape(WHITESPACE + INVISIBLE)}]+)"
# A run of groups: digits, then any number of (one separator or one run of whitespace, digits).
_RUN = re.compile(f"[{_DIGIT}]+(?:{_GAP}[{_DIGIT}]+)*")
_GROUP = re.compile(f"[{_DIGIT}]+")

MASK = "［個人番号と思われる数字］"
LENGTH = 12


def my_number_check_digit(first_eleven: str) -> int:
    """P_n numbered n=1..11 from the right; Q_n = n+1 (n<=6), n-5 (n>=7); r = ΣP·Q mod 11."""
    total = 0
    for n, digit in enumerate(reversed(first_eleven), start=1):
        weight = n + 1 if n <= 6 else n - 5
        total += int(digit) * weight
    remainder = total % 11
    return 0 if remainder <= 1 else 11 - remainder


def is_my_number(digits: str) -> bool:
    """Twelve ASCII digits whose last is the check digit of the first eleven."""
    if len(digits) != LENGTH or not digits.isascii() or not digits.isdigit():
        return False
    return my_number_check_digit(digits[:11]) == int(digits[11])


def _ascii_digits(group: str) -> str:
    return "".join(_COMPAT_DIGITS.get(ch) or str(unicodedata.decimal(ch)) for ch in group)


def _candidates(text: str):
    """(start, end, twelve ASCII digits) for every candidate of the text, in order of start."""
    if len(text) < LENGTH:
        return
    for run in _RUN.finditer(text):
        if run.end() - run.start() < LENGTH:
            continue  # too short to hold twelve digits
        groups = [(g.start() + run.start(), g.end() + run.start(), g.group()) for g in _GROUP.finditer(run.group())]
        if sum(len(g) for _s, _e, g in groups) < LENGTH:
            continue
        for first in range(len(groups)):
            total = 0
            for last in range(first, len(groups)):
                total += len(groups[last][2])
                if total >= LENGTH:
                    if total == LENGTH:
                        digits = "".join(_ascii_digits(g) for _s, _e, g in groups[first:last + 1])
                        yield groups[first][0], groups[last][1], digits
                    break


def _matches(text: str) -> list[tuple[int, int]]:
    """The one detector: the spans (separators included) of the candidates that pass the check digit."""
    return [(start, end) for start, end, digits in _candidates(text) if is_my_number(digits)]


def contains_my_number(text: object) -> bool:
    """True when the text (any value, read as text) holds an individual number in any of its written forms."""
    if text is None:
        return False
    return bool(_matches(text if isinstance(text, str) else str(text)))


def mask_my_numbers(text: str) -> str:
    """Replace every individual number (with the separators inside it) by MASK; the rest of the text is kept.

    Overlapping matches are masked as one. The result never contains an individual number: any candidate
    left in it was a candidate of the original text that did not pass the check.
    """
    if not isinstance(text, str):
        text = "" if text is None else str(text)
    spans = _matches(text)
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    parts, last = [], 0
    for start, end in merged:
        parts += [text[last:start], MASK]
        last = end
    parts.append(text[last:])
    return "".join(parts)
