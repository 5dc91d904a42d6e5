"""Procurement timing (調達時期): the year a system's procurement must start, and the board's 3-year bands.

Seed: 7.「情報連携対応を契機に自治体クラウドを推進する事例」—「各団体の主なシステム調達時期の整理」. The table
lists, per member, the year each system must be procured, as the members wrote it (H30年度, 平成32年度, (H31年度),
H31, 30年度, H32年以降, H34以降, H35.1, 33年度 …), in 3-year bands counted from the year the table was drawn
(平成30〜32 · 平成33〜35 · 平成36年以降, drawn in 平成30年度).

- procurement start year = contract end (last fiscal year) − lead time; the lead time is the association's
  procurement_lead_years (default 2, the alignment's DEFAULT_LEAD_TIME): specification and procurement take
  the years before the contract ends (seed: クラウド計画モデル 仕様作成 → 調達).
- bands: 3 years each from the "as of" fiscal year, as many as the latest procurement year needs, at least
  MIN_BANDS (the seed draws three) and at most MAX_BANDS; the last is open-ended (「…年度以降」, the seed's
  「平成36年以降」).
- a procurement year before the as-of year is overdue (更新期限超過): shown in the first band, marked.

Pure: plain values in and out; eras through core.wareki.
"""

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from jichitai.core.wareki import (
    WESTERN,
    DateParseError,
    current_style,
    era_of,
    fiscal_year_label,
    format_fiscal_year,
    parse_fiscal_year,
)

from .rules import DEFAULT_LEAD_TIME

DEFAULT_LEAD_YEARS = DEFAULT_LEAD_TIME  # Association.procurement_lead_years' default, the alignment's lead time
BAND_YEARS = 3  # the seed: 平成30〜32, 平成33〜35
MIN_BANDS = 3  # the seed draws three bands even when the last is empty
MAX_BANDS = 4  # beyond 12 years a board of bands says nothing more: the last band is open-ended
OVERDUE = "更新期限超過"


# ---- procurement year -----------------------------------------------------------------------------------------


def procurement_year(contract_end_fy: int, lead_years: int = DEFAULT_LEAD_YEARS) -> int:
    """The fiscal year procurement must start: the contract's last fiscal year − the lead time (2026 − 2 = 2024)."""
    return contract_end_fy - lead_years


def contract_end_from_procurement(procurement_fy: int, lead_years: int = DEFAULT_LEAD_YEARS) -> int:
    """The inverse, for a sheet that states only the procurement year (the seed's table): 2024 + 2 = 2026."""
    return procurement_fy + lead_years


def is_overdue(year: int, as_of_fy: int) -> bool:
    """Procurement should already have started: its year lies before the as-of year."""
    return year < as_of_fy


# ---- bands ----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Band:
    first: int
    last: int | None  # None: open-ended (「…年度以降」)


def band_count(as_of_fy: int, years: Iterable[int]) -> int:
    """Bands needed to reach the latest year from the as-of year, from MIN_BANDS to MAX_BANDS."""
    latest = max(years, default=as_of_fy)
    needed = max(latest - as_of_fy, 0) // BAND_YEARS + 1
    return min(max(needed, MIN_BANDS), MAX_BANDS)


def bands(as_of_fy: int, years: Iterable[int]) -> list[Band]:
    """3-year bands from the as-of year covering `years` (procurement years); the last is open-ended."""
    count = band_count(as_of_fy, years)
    return [Band(as_of_fy + n * BAND_YEARS, None if n == count - 1 else as_of_fy + (n + 1) * BAND_YEARS - 1)
            for n in range(count)]


def band_index(year: int, as_of_fy: int, count: int) -> int:
    """The band of a procurement year: an overdue one is in the first band (the most urgent), a late one in the
    open-ended last band."""
    return min(max(year - as_of_fy, 0) // BAND_YEARS, count - 1)


def _era_year(year: int) -> tuple[str, int] | None:
    try:
        return era_of(dt.date(year, 4, 1))  # a fiscal year is named by the era of its first day
    except (ValueError, OverflowError):
        return None


def band_label(band: Band, style: str | None = None) -> str:
    """平成30年度〜令和2年度 (eras differ), 令和3〜5年度 (one era), 令和6年度以降 (open-ended); 2018〜2020年度 western."""
    if band.last is None:
        return f"{format_fiscal_year(band.first, style)}以降"
    first, last = _era_year(band.first), _era_year(band.last)
    if (style or current_style()) == WESTERN or first is None or last is None:
        return f"{band.first}〜{band.last}年度"
    if first[0] == last[0]:
        return f"{first[0]}{first[1]}〜{last[1]}年度"
    return f"{format_fiscal_year(band.first, style)}〜{format_fiscal_year(band.last, style)}"


@dataclass(frozen=True)
class Placement:
    year: int  # procurement start (fiscal year)
    band: int
    overdue: bool


def place(contract_end_fy: int, *, as_of_fy: int, lead_years: int, count: int) -> Placement:
    year = procurement_year(contract_end_fy, lead_years)
    return Placement(year, band_index(year, as_of_fy, count), is_overdue(year, as_of_fy))


# ---- the seed's year forms ------------------------------------------------------------------------------------

_ERA_LETTER = {"H": "平成", "R": "令和", "S": "昭和", "平": "平成", "令": "令和", "昭": "昭和"}
_ERA = r"(令和|平成|昭和|[RHS令平昭])"
_OPEN = re.compile(r"^(.*?)(?:以降|以後|から|~|〜)$")
_YEAR_MONTH = re.compile(r"^(?:" + _ERA + r"(元|\d{1,2})|(\d{4}))[.年/\-](\d{1,2})月?$", re.IGNORECASE)
_BARE = re.compile(r"^(\d{1,2})(年度|年)?$")
_BRACKETS = "()[]「」『』\"'"
REIWA_FIRST_FY = 2019  # 令和元年5月1日 falls in FY2019 (平成31年度)
EXAMPLES = "例: H30年度、平成30年度、H31、R8、令和8年度、2026、H32年以降、H35.1"


class ProcurementYearError(DateParseError):
    """A year the seed's forms do not cover; the message (Japanese) says what is accepted."""


def _clean(text: object) -> str:
    value = unicodedata.normalize("NFKC", str(text if text is not None else ""))
    value = re.sub(r"\s+", "", value)
    while len(value) >= 2 and value[0] in _BRACKETS and value[-1] in _BRACKETS:  # (H30年度), 「H30年度」
        value = value[1:-1]
    return value


def _era_name(letter: str) -> str:
    return _ERA_LETTER.get(letter.upper(), letter)


def bare_year_era(number: int, reference_fy: int) -> str:
    """The era of a year written without one (30年度, 33年度): of 平成N and 令和N, the one nearer to the reference
    fiscal year (today's); a tie goes to 令和. Read in 令和8年度 (2026): 30年度 → 平成30 (2018, not 令和30 = 2048),
    33年度 → 平成33 (2021), 8年度 → 令和8 (2026), 23年度 → 令和23 (2041: 平成23 is as far back). Before 令和 began
    (a reference before FY2019) a bare year can only be 平成."""
    if reference_fy < REIWA_FIRST_FY:
        return "平成"
    heisei, reiwa = 1988 + number, 2018 + number
    return "平成" if abs(heisei - reference_fy) < abs(reiwa - reference_fy) else "令和"


def parse_procurement_year(text: object, reference_fy: int) -> tuple[int, str | None]:
    """A fiscal year as the seed's table writes it → (fiscal year, warning or None).

    Read without a warning: H30年度, 平成30年度, (H30年度), H31, 令和8年度, R8, 2026 (core.wareki.parse_fiscal_year).
    Read with a warning that says which 年度 was taken:
    - 30年度, 33年度 (no era): the era nearer to `reference_fy` (bare_year_era);
    - H32年 (年, not 年度): taken as the fiscal year 平成32年度 (calendar January–March belong to the year before);
    - H32年以降, H34以降, H35.1~ (open-ended): its first year;
    - H35.1 (a year and a month: 平成35年1月 = 2023年1月): the fiscal year that month falls in (2022年度).
    Anything else raises ProcurementYearError.
    """
    original = str(text if text is not None else "").strip()[:40]
    value = _clean(text)
    if not value:
        raise ProcurementYearError("年度が空欄です。")
    notes = []
    if match := _OPEN.match(value):
        value = match.group(1)
        if not value:
            raise ProcurementYearError(f"「{original}」は年度として読めません（{EXAMPLES}）。")
        notes.append("以降（終わりの定めなし）のため、始まりの年度としました")
    if match := _YEAR_MONTH.match(value):
        era, era_year, western, month = match.groups()
        month = int(month)
        if not 1 <= month <= 12:
            raise ProcurementYearError(f"「{original}」の月（{month}）は1〜12ではありません。")
        if western:
            calendar, written = int(western), f"{western}年{month}月"
        else:
            try:
                calendar = parse_fiscal_year(f"{era}{era_year}")
            except DateParseError as exc:
                raise ProcurementYearError(f"「{original}」は読めません: {exc}") from None
            written = f"{_era_name(era)}{era_year}年{month}月 = {calendar}年{month}月"
        year = calendar if month >= 4 else calendar - 1
        notes.insert(0, f"年月（{written}）と読み、その月が属する年度（4月〜翌年3月）としました")
        return year, _warning(original, year, notes)
    if match := _BARE.match(value):
        number, suffix = int(match.group(1)), match.group(2) or ""
        if number == 0:
            raise ProcurementYearError(f"「{original}」は年度として読めません（{EXAMPLES}）。")
        era = bare_year_era(number, reference_fy)
        other = "令和" if era == "平成" else "平成"
        year = parse_fiscal_year(f"{era}{number}")
        other_year = parse_fiscal_year(f"{other}{number}")
        notes.insert(0, f"元号がないため、{format_fiscal_year(reference_fy, 'wareki')}に近い{era}{number}年度と"
                        f"見なしました（{other}{number}年度 = {other_year}年度ではありません）")
        if suffix == "年":
            notes.insert(1, _YEAR_NOT_FISCAL.format(year=year, before=fiscal_year_label(year - 1)))
        return year, _warning(original, year, notes)
    try:
        year = parse_fiscal_year(value)
    except DateParseError:
        raise ProcurementYearError(f"「{original}」は年度として読めません（{EXAMPLES}）。") from None
    if value.endswith("年") and not value.endswith("年度"):
        notes.insert(0, _YEAR_NOT_FISCAL.format(year=year, before=fiscal_year_label(year - 1)))
    return year, _warning(original, year, notes) if notes else None


_YEAR_NOT_FISCAL = "「年」は年度と見なしました（暦年{year}年の1〜3月のことなら、その前の{before}です）"


def _warning(original: str, year: int, notes: list[str]) -> str:
    """「H32年以降」を令和2年度（2020年度）として読みました。…。: the 年度 taken, then why."""
    return f"「{original}」を{fiscal_year_label(year)}として読みました。{'。'.join(notes)}。"
