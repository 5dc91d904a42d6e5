"""Japanese eras (和暦) and fiscal years (年度, 地方自治法 第208条: 1 April – 31 March)."""

import datetime as dt
import re
import unicodedata

# (name, abbreviation, first day). 平成/令和 planning labels past their end stay valid (平成32年度 = FY2020).
ERAS = (
    ("令和", "R", dt.date(2019, 5, 1)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("昭和", "S", dt.date(1926, 12, 25)),
)
_ERA_BY_KEY = {key: start.year for name, abbr, start in ERAS for key in (name, abbr)}

_WAREKI = re.compile(
    r"^(令和|平成|昭和|[RHS])\s*(元|\d{1,2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})(?!\d)\s*日?"
)
_WESTERN = re.compile(r"^(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})(?!\d)\s*日?")
_FISCAL = re.compile(r"^(?:(令和|平成|昭和|[RHS])\s*(元|\d{1,2})|(\d{4}))\s*(?:年度|年)?$")


# The dates the system takes from people, sheets and query strings: from 明治 (1868) to 2100. Outside this range a
# date is a typing mistake or an attack, and later arithmetic (fiscal years, windows of months, aware datetimes)
# would overflow at year 1 or 9999.
DATE_MIN, DATE_MAX = dt.date(1868, 1, 1), dt.date(2100, 12, 31)


class DateParseError(ValueError):
    pass


def check_date_range(day: dt.date) -> dt.date:
    """The day itself, or DateParseError (in Japanese) when it lies outside DATE_MIN–DATE_MAX."""
    if not DATE_MIN <= day <= DATE_MAX:
        raise DateParseError(f"{DATE_MIN.year}年から{DATE_MAX.year}年までの日付を入力してください。")
    return day


def date_in_range(day: object) -> bool:
    if isinstance(day, dt.datetime):
        day = day.date()
    return isinstance(day, dt.date) and DATE_MIN <= day <= DATE_MAX


def _era_year(era: str, year: str) -> int:
    if year != "元" and int(year) == 0:
        raise DateParseError("和暦の年は元年（1年）からです。")
    return _ERA_BY_KEY[era.upper() if len(era) == 1 else era] + (1 if year == "元" else int(year)) - 1


def parse_date(text: object) -> dt.date:
    """Accept 令和8年4月1日, R8.4.1, H30.1.10, 2026年4月1日, 2026-04-01, 2026/4/1, with a trailing 現在."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    value = unicodedata.normalize("NFKC", str(text or "")).strip()
    value = value.removesuffix("現在").strip()
    try:
        if match := _WAREKI.match(value):
            era, year, month, day = match.groups()
            return check_date_range(dt.date(_era_year(era, year), int(month), int(day)))
        if match := _WESTERN.match(value):
            return check_date_range(dt.date(*(int(g) for g in match.groups())))
    except DateParseError:
        raise
    except ValueError as exc:
        raise DateParseError(f"存在しない日付です: {value[:40]}") from exc
    raise DateParseError(f"日付として読めません: {value[:40]}")


def parse_fiscal_year(text: object) -> int:
    """2026, R8, 令和8年度, H32 (= 2020) → the fiscal year's starting western year."""
    value = unicodedata.normalize("NFKC", str(text or "")).strip()
    match = _FISCAL.match(value)
    if not match:
        raise DateParseError(f"年度として読めません: {value[:40]}")
    era, year, western = match.groups()
    return int(western) if western else _era_year(era, year)


def fiscal_year(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def era_of(day: dt.date) -> tuple[str, int]:
    for name, _abbr, start in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError("昭和より前の日付には対応していません")


def _year_label(era: str, year: int) -> str:
    return f"{era}{'元' if year == 1 else year}年"


def format_wareki(day: dt.date) -> str:
    """令和8年4月1日; a day before 昭和 (a stored mistake, year 1 included) in western form, never an error."""
    try:
        era, year = era_of(day)
    except ValueError:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{_year_label(era, year)}{day.month}月{day.day}日"


def fiscal_year_label(year: int) -> str:
    """令和8年度 (2026年度): the era of the fiscal year's first day. Any other year (0, 1, 99999): 1年度."""
    try:
        era, era_year = era_of(dt.date(year, 4, 1))
    except (ValueError, TypeError, OverflowError):
        return f"{year}年度"
    return f"{_year_label(era, era_year)}度（{year}年度）"


def format_wareki_short(day: dt.date) -> str:
    """The sheets' short form: 2018-01-10 → H30.1.10, 2019-05-01 → R1.5.1 (parse_date reads it back).

    A day before 昭和 is written 1900-01-01, which parse_date also reads (and refuses if out of range)."""
    for _name, abbr, start in ERAS:
        if day >= start:
            return f"{abbr}{day.year - start.year + 1}.{day.month}.{day.day}"
    return day.isoformat()
