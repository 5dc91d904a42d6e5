"""Japanese eras (和暦) and fiscal years (年度, 地方自治法 第208条: 1 April – 31 March).

One parser for every date people type, sheets hold or the API receives (parse_date, parse_datetime,
parse_fiscal_year), and one formatter for every date shown (format_date, format_date_short, format_datetime,
format_fiscal_year). The display style (和暦 or western) is the viewing association's setting
(Association.date_style): the web request sets it with use_date_style(); commands and the API default to 和暦.
"""

import contextlib
import contextvars
import datetime as dt
import re
import unicodedata

WAREKI, WESTERN = "wareki", "western"

# (name, abbreviation, first day). 平成/令和 planning labels past their end stay valid for fiscal years
# (平成32年度 = FY2020); a day must lie inside its era (H31.5.1 is 令和元年5月1日, R1.4.30 is 平成31年4月30日).
ERAS = (
    ("令和", "R", dt.date(2019, 5, 1)),
    ("平成", "H", dt.date(1989, 1, 8)),
    ("昭和", "S", dt.date(1926, 12, 25)),
)
_ERA_END = {"令和": None, "平成": dt.date(2019, 4, 30), "昭和": dt.date(1989, 1, 7)}
_ERA_NAME = {key: name for name, abbr, _start in ERAS for key in (name, abbr, name[0])}
_ERA_START = {name: start for name, _abbr, start in ERAS}

_ERA = r"(令和|平成|昭和|[RHS令平昭])"
_WAREKI = re.compile(
    _ERA + r"\s*(元|\d{1,2})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})(?!\d)\s*日?", re.IGNORECASE
)
_WESTERN = re.compile(r"(\d{4})\s*[年.\-/]\s*(\d{1,2})\s*[月.\-/]\s*(\d{1,2})(?!\d)\s*日?")
_FISCAL = re.compile(r"^(?:" + _ERA + r"\s*(元|\d{1,2})|(\d{4}))\s*(?:年度|年)?$", re.IGNORECASE)
_TIME = re.compile(r"^(?:T|\s)*(\d{1,2})\s*[:時]\s*(\d{1,2})\s*分?(?:\s*:\s*(\d{1,2})(?:\.\d+)?\s*秒?)?$")


# The dates the system takes from people, sheets and query strings: from 明治 (1868) to 2100. Outside this range a
# date is a typing mistake or an attack, and later arithmetic (fiscal years, windows of months, aware datetimes)
# would overflow at year 1 or 9999.
DATE_MIN, DATE_MAX = dt.date(1868, 1, 1), dt.date(2100, 12, 31)

_STYLE: contextvars.ContextVar[str] = contextvars.ContextVar("jichitai_date_style", default=WAREKI)


class DateParseError(ValueError):
    pass


# ---- the display style ----------------------------------------------------------------------------------------


def current_style() -> str:
    return _STYLE.get()


def set_date_style(style: str | None) -> contextvars.Token:
    """Make `style` the current one (anything but "western" is 和暦); keep the token to reset it."""
    return _STYLE.set(WESTERN if style == WESTERN else WAREKI)


def reset_date_style(token: contextvars.Token) -> None:
    _STYLE.reset(token)


@contextlib.contextmanager
def use_date_style(style: str | None):
    token = set_date_style(style)
    try:
        yield
    finally:
        _STYLE.reset(token)


def _style(style: str | None) -> str:
    return style if style in (WAREKI, WESTERN) else _STYLE.get()


# ---- parsing --------------------------------------------------------------------------------------------------


def check_date_range(day: dt.date) -> dt.date:
    """The day itself, or DateParseError (in Japanese) when it lies outside DATE_MIN–DATE_MAX."""
    if not DATE_MIN <= day <= DATE_MAX:
        raise DateParseError(f"{DATE_MIN.year}年から{DATE_MAX.year}年までの日付を入力してください。")
    return day


def date_in_range(day: object) -> bool:
    if isinstance(day, dt.datetime):
        day = day.date()
    return isinstance(day, dt.date) and DATE_MIN <= day <= DATE_MAX


def _era_name(era: str) -> str:
    return _ERA_NAME[era.upper() if era.isascii() else era]


def _era_year(era: str, year: str) -> int:
    if year != "元" and int(year) == 0:
        raise DateParseError("和暦の年は元年（1年）からです。")
    return _ERA_START[_era_name(era)].year + (1 if year == "元" else int(year)) - 1


def _check_in_era(era: str, day: dt.date) -> dt.date:
    name = _era_name(era)
    start, end = _ERA_START[name], _ERA_END[name]
    if day < start or (end is not None and day > end):
        span = f"{format_wareki(start)}から{format_wareki(end)}まで" if end else f"{format_wareki(start)}から"
        raise DateParseError(f"{name}は{span}です（{format_wareki(day)}のことでしょうか）。")
    return day


def _normalise(text: object) -> str:
    value = unicodedata.normalize("NFKC", str(text or "")).strip()
    return value.removesuffix("現在").strip()


def _match_date(value: str) -> tuple[dt.date, int]:
    """The date at the start of `value` and where it ends."""
    try:
        if match := _WAREKI.match(value):
            era, year, month, day = match.groups()
            result = dt.date(_era_year(era, year), int(month), int(day))
            return check_date_range(_check_in_era(era, result)), match.end()
        if match := _WESTERN.match(value):
            return check_date_range(dt.date(*(int(g) for g in match.groups()))), match.end()
    except DateParseError:
        raise
    except ValueError as exc:
        raise DateParseError(f"存在しない日付です: {value[:40]}") from exc
    raise DateParseError(f"日付として読めません: {value[:40]}（例: R8.12.3、令和8年12月3日、2026-12-03）")


def parse_date(text: object) -> dt.date:
    """Accept 令和8年4月1日, R8.4.1, r8/4/1, 令8.4.1, 令和元年5月1日, H30.1.10, 2026年4月1日, 2026-04-01, 2026/4/1 (full-width
    too), with a trailing 現在, weekday or time; a day outside its era (H31.5.1) is refused."""
    if isinstance(text, dt.datetime):
        return text.date()
    if isinstance(text, dt.date):
        return text
    return _match_date(_normalise(text))[0]


def parse_datetime(text: object) -> dt.datetime:
    """A date as parse_date reads it, then an optional time (14:05, 14時5分, T14:05:00); naive, minutes kept."""
    if isinstance(text, dt.datetime):
        return text
    if isinstance(text, dt.date):
        return dt.datetime.combine(text, dt.time())
    value = _normalise(text)
    day, end = _match_date(value)
    rest = value[end:].strip()
    if not rest:
        return dt.datetime.combine(day, dt.time())
    match = _TIME.match(rest)
    if not match:
        raise DateParseError(f"時刻として読めません: {rest[:20]}（例: R8.12.3 14:05）")
    hour, minute, second = (int(g or 0) for g in match.groups())
    try:
        return dt.datetime.combine(day, dt.time(hour, minute, second))
    except ValueError as exc:
        raise DateParseError(f"存在しない時刻です: {rest[:20]}") from exc


def parse_fiscal_year(text: object) -> int:
    """2026, R8, 令和8年度, 令8, H32 (= 2020) → the fiscal year's starting western year."""
    value = unicodedata.normalize("NFKC", str(text or "")).strip()
    match = _FISCAL.match(value)
    if not match:
        raise DateParseError(f"年度として読めません: {value[:40]}（例: 令和8年度、R8、2026）")
    era, year, western = match.groups()
    return int(western) if western else _era_year(era, year)


def fiscal_year(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


# ---- formatting -----------------------------------------------------------------------------------------------


def era_of(day: dt.date) -> tuple[str, int]:
    for name, _abbr, start in ERAS:
        if day >= start:
            return name, day.year - start.year + 1
    raise ValueError("昭和より前の日付には対応していません")


def _year_label(era: str, year: int) -> str:
    return f"{era}{'元' if year == 1 else year}年"


def format_wareki(day: dt.date) -> str:
    """令和8年4月1日 whatever the style; a day before 昭和 (a stored mistake, year 1 included) in western form."""
    try:
        era, year = era_of(day)
    except ValueError:
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{_year_label(era, year)}{day.month}月{day.day}日"


def format_date(day: dt.date | None, style: str | None = None) -> str:
    """令和8年12月3日 (和暦, 元年 for year 1) or 2026年12月3日 (western); the current style unless given. None → ""."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    if _style(style) == WESTERN:
        return f"{day.year}年{day.month}月{day.day}日"
    return format_wareki(day)


def format_datetime(moment: dt.datetime | None, style: str | None = None) -> str:
    """令和8年12月3日 14:05 (the caller makes the moment local first)."""
    if moment is None:
        return ""
    return f"{format_date(moment.date(), style)} {moment:%H:%M}"


def format_wareki_short(day: dt.date) -> str:
    """The sheets' short form: 2018-01-10 → H30.1.10, 2019-05-01 → R1.5.1 (parse_date reads it back).

    A day before 昭和 is written 1900-01-01, which parse_date also reads (and refuses if out of range)."""
    for _name, abbr, start in ERAS:
        if day >= start:
            return f"{abbr}{day.year - start.year + 1}.{day.month}.{day.day}"
    return day.isoformat()


def format_date_short(day: dt.date | None, style: str | None = None) -> str:
    """Where a table or an input needs it short: R8.12.3 (和暦) or 2026-12-03 (western)."""
    if day is None:
        return ""
    if isinstance(day, dt.datetime):
        day = day.date()
    return day.isoformat() if _style(style) == WESTERN else format_wareki_short(day)


def format_fiscal_year(year: int | None, style: str | None = None, *, both: bool = False) -> str:
    """令和8年度 (both: 令和8年度（2026年度）) or 2026年度 (western); the era of the fiscal year's first day.
    A year no era covers (0, 1, 99999) is shown as it is: 1年度."""
    if year is None:
        return ""
    if _style(style) == WESTERN:
        return f"{year}年度"
    try:
        era, era_year = era_of(dt.date(year, 4, 1))
    except (ValueError, TypeError, OverflowError):
        return f"{year}年度"
    label = f"{_year_label(era, era_year)}度"
    return f"{label}（{year}年度）" if both else label


def fiscal_year_label(year: int, style: str | None = None) -> str:
    """令和8年度（2026年度）: both years, as the seed's plans write them (2026年度 in the western style)."""
    return format_fiscal_year(year, style, both=True)
