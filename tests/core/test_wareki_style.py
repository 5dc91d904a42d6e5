"""The one parser (every form people type a date in) and the formatter in both display styles (issue 13)."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jichitai.core.wareki import (
    DATE_MAX,
    DATE_MIN,
    WAREKI,
    WESTERN,
    DateParseError,
    current_style,
    fiscal_year_label,
    format_date,
    format_date_short,
    format_datetime,
    format_fiscal_year,
    format_wareki,
    parse_date,
    parse_datetime,
    parse_fiscal_year,
    use_date_style,
)

D = dt.date


def naive(*parts) -> dt.datetime:
    """A wall-clock time, as the parser returns it (the caller makes it aware)."""
    return dt.datetime(*parts)  # noqa: DTZ001
SHOWA_START = D(1926, 12, 25)


@pytest.mark.parametrize(
    "text",
    ["R8.12.3", "令和8年12月3日", "R8/12/3", "令8.12.3", "令8年12月3日", "r8.12.3", "r8/12/3", "Ｒ８．１２．３",
     "令和８年１２月３日", "ｒ８／１２／３", "令和 8 年 12 月 3 日", " R8 . 12 . 3 ", "2026-12-03", "2026/12/3",
     "2026年12月3日", "２０２６年１２月３日", "2026.12.3"],
)
def test_every_way_people_type_a_day(text):
    assert parse_date(text) == D(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("H31.4.30", D(2019, 4, 30)), ("平成31年4月30日", D(2019, 4, 30)), ("平31.4.30", D(2019, 4, 30)),
        ("R1.5.1", D(2019, 5, 1)), ("令和元年5月1日", D(2019, 5, 1)), ("令元.5.1", D(2019, 5, 1)),
        ("R元.5.1", D(2019, 5, 1)), ("令和元年１２月３１日", D(2019, 12, 31)),
        ("S64.1.7", D(1989, 1, 7)), ("昭64.1.7", D(1989, 1, 7)), ("s64/1/7", D(1989, 1, 7)),
        ("H1.1.8", D(1989, 1, 8)), ("平成元年1月8日", D(1989, 1, 8)), ("h1.1.8", D(1989, 1, 8)),
        ("S1.12.25", D(1926, 12, 25)),
        ("R6.2.29", D(2024, 2, 29)), ("H28.2.29", D(2016, 2, 29)), ("2000-02-29", D(2000, 2, 29)),
    ],
)
def test_era_boundaries(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("H31.5.1", "平成は平成元年1月8日から平成31年4月30日までです（令和元年5月1日のことでしょうか）"),
        ("平成31年5月1日", "平成は"),
        ("R1.4.30", "令和は令和元年5月1日からです（平成31年4月30日のことでしょうか）"),
        ("令和元年4月30日", "令和は"),
        ("S64.1.8", "昭和は"),
        ("H1.1.7", "平成は"),
        ("S1.12.24", "昭和は"),
        ("R8.13.1", "存在しない日付です"),
        ("2026-13-01", "存在しない日付です"),
        ("R7.2.29", "存在しない日付です"),  # 2025: not a leap year
        ("1900-02-29", "存在しない日付です"),
        ("R8.0.1", "存在しない日付です"),
        ("R0.4.1", "元年"),
        ("X8.4.1", "日付として読めません"),
    ],
)
def test_days_outside_their_era_or_the_calendar_are_refused_in_japanese(text, message):
    with pytest.raises(DateParseError, match=message.replace("（", r"（").replace("(", r"\(")):
        parse_date(text)


@given(st.dates(min_value=SHOWA_START, max_value=DATE_MAX))
def test_wareki_round_trips_over_every_era(day):
    assert parse_date(format_date(day, WAREKI)) == day
    assert parse_date(format_date_short(day, WAREKI)) == day
    assert parse_date(format_wareki(day)) == day


@given(st.dates(min_value=DATE_MIN, max_value=DATE_MAX))
def test_western_round_trips_over_the_whole_range(day):
    assert parse_date(format_date(day, WESTERN)) == day
    assert parse_date(format_date_short(day, WESTERN)) == day
    assert parse_date(day.isoformat()) == day


@given(st.datetimes(min_value=naive(1926, 12, 25), max_value=naive(2100, 12, 31, 23, 59)),
       st.sampled_from([WAREKI, WESTERN]))
def test_datetimes_round_trip_to_the_minute(moment, style):
    assert parse_datetime(format_datetime(moment, style)) == moment.replace(second=0, microsecond=0)


@given(st.integers(min_value=1927, max_value=2100), st.sampled_from([WAREKI, WESTERN]))
def test_fiscal_years_round_trip(year, style):
    assert parse_fiscal_year(format_fiscal_year(year, style)) == year


@pytest.mark.parametrize(
    ("text", "expected"),
    [("R8.12.3 14:05", naive(2026, 12, 3, 14, 5)), ("令和8年12月3日 14時5分", naive(2026, 12, 3, 14, 5)),
     ("2026-12-03T14:05", naive(2026, 12, 3, 14, 5)), ("2026-12-03 14:05:09", naive(2026, 12, 3, 14, 5, 9)),
     ("R8.12.3", naive(2026, 12, 3)), ("Ｒ８．１２．３　１４：０５", naive(2026, 12, 3, 14, 5))],
)
def test_parse_datetime(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text", ["R8.12.3 25:00", "R8.12.3 14:60", "R8.12.3 午後", "H31.5.1 10:00"])
def test_parse_datetime_refuses(text):
    with pytest.raises(DateParseError):
        parse_datetime(text)


@pytest.mark.parametrize(("text", "expected"), [("令和8年度", 2026), ("R8", 2026), ("r8", 2026), ("令8", 2026),
                                                ("2026", 2026), ("令和元年度", 2019), ("２０２６年度", 2026)])
def test_fiscal_years_in_every_form(text, expected):
    assert parse_fiscal_year(text) == expected


def test_formats_in_both_styles():
    day = D(2026, 12, 3)
    assert format_date(day, WAREKI) == "令和8年12月3日"
    assert format_date(D(2019, 5, 1), WAREKI) == "令和元年5月1日"
    assert format_date(day, WESTERN) == "2026年12月3日"
    assert format_date_short(day, WAREKI) == "R8.12.3"
    assert format_date_short(day, WESTERN) == "2026-12-03"
    assert format_datetime(naive(2026, 12, 3, 14, 5), WAREKI) == "令和8年12月3日 14:05"
    assert format_datetime(naive(2026, 12, 3, 14, 5), WESTERN) == "2026年12月3日 14:05"
    assert format_fiscal_year(2026, WAREKI) == "令和8年度"
    assert format_fiscal_year(2019, WAREKI) == "平成31年度"
    assert format_fiscal_year(2026, WAREKI, both=True) == "令和8年度（2026年度）"
    assert format_fiscal_year(2026, WESTERN) == format_fiscal_year(2026, WESTERN, both=True) == "2026年度"
    assert format_date(None) == format_fiscal_year(None) == ""


def test_the_current_style_defaults_to_wareki_and_is_scoped():
    day = D(2026, 12, 3)
    assert current_style() == WAREKI
    assert format_date(day) == "令和8年12月3日"
    with use_date_style(WESTERN):
        assert format_date(day) == "2026年12月3日"
        assert fiscal_year_label(2026) == "2026年度"
        assert format_wareki(day) == "令和8年12月3日"  # named 和暦: always
    assert format_date(day) == "令和8年12月3日"
    with use_date_style("anything else"):
        assert current_style() == WAREKI
