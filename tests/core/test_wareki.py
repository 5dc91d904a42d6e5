"""和暦 and fiscal years (DOMAIN.md §12): 平成 from 1989-01-08, 令和 from 2019-05-01, 年度 from 1 April."""

import datetime as dt

import pytest

from jichitai.core.wareki import (
    DateParseError,
    era_of,
    fiscal_year,
    fiscal_year_label,
    format_wareki,
    parse_date,
    parse_fiscal_year,
)

D = dt.date

# ---- parse_date ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和8年4月1日", D(2026, 4, 1)),
        ("R8.4.1", D(2026, 4, 1)),
        ("R8/4/1", D(2026, 4, 1)),
        ("R8-4-1", D(2026, 4, 1)),
        ("R08.04.01", D(2026, 4, 1)),
        ("H30.1.10", D(2018, 1, 10)),  # the seed's handling table date
        ("平成30年1月10日", D(2018, 1, 10)),
        ("平成31年4月30日", D(2019, 4, 30)),  # last day of 平成
        ("H31.4.30", D(2019, 4, 30)),
        ("令和元年5月1日", D(2019, 5, 1)),  # first day of 令和
        ("R元.5.1", D(2019, 5, 1)),
        ("令和1年5月1日", D(2019, 5, 1)),
        ("令和2年1月1日", D(2020, 1, 1)),
        ("平成元年1月8日", D(1989, 1, 8)),
        ("昭和64年1月7日", D(1989, 1, 7)),
        ("S64.1.7", D(1989, 1, 7)),
        ("令和 8 年 4 月 1 日", D(2026, 4, 1)),
        ("令和8年4月1日現在", D(2026, 4, 1)),  # the progress sheet's 〇月〇日現在
        ("令和8年4月1日 現在", D(2026, 4, 1)),
        ("2026年4月1日現在", D(2026, 4, 1)),
        ("2026年4月1日", D(2026, 4, 1)),
        ("2026-04-01", D(2026, 4, 1)),
        ("2026/4/1", D(2026, 4, 1)),
        ("2026.4.1", D(2026, 4, 1)),
        ("2026/12/31", D(2026, 12, 31)),
        ("  2026-04-01  ", D(2026, 4, 1)),
        ("2024-02-29", D(2024, 2, 29)),  # leap day
        ("令和6年2月29日", D(2024, 2, 29)),
        ("2026-04-01 09:30", D(2026, 4, 1)),  # an Excel date-time as text keeps its date
        ("令和8年4月1日（水）", D(2026, 4, 1)),  # weekday after the date
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("令和８年４月１日", D(2026, 4, 1)),
        ("Ｒ８．４．１", D(2026, 4, 1)),
        ("Ｈ３０．１．１０", D(2018, 1, 10)),
        ("２０２６年４月１日現在", D(2026, 4, 1)),
        ("２０２６－０４－０１", D(2026, 4, 1)),
        ("２０２６／４／１", D(2026, 4, 1)),
        ("令和８年\u3000４月１日", D(2026, 4, 1)),
    ],
)
def test_parse_date_full_width(text, expected):
    assert parse_date(text) == expected


def test_parse_date_passes_dates_through():
    assert parse_date(D(2026, 4, 1)) == D(2026, 4, 1)
    when = dt.datetime(2026, 4, 1, 23, 59, tzinfo=dt.UTC)
    result = parse_date(when)
    assert result == D(2026, 4, 1)
    assert type(result) is dt.date


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-30",
        "2026-02-29",  # not a leap year
        "2026-13-01",
        "2026-00-10",
        "2026-04-00",
        "2026-04-31",
        "令和8年2月30日",
        "R8.13.1",
        "H30.2.29",
        "2025年4月31日",
    ],
)
def test_parse_date_impossible_dates(text):
    with pytest.raises(DateParseError, match="存在しない日付です"):
        parse_date(text)


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "   ",
        "現在",
        "〇月〇日現在",  # the seed's placeholder
        "garbage",
        "令和",
        "令和8年",
        "令和8年4月",
        "R8.4",
        "2026",
        "2026-04",
        "26-04-01",  # two-digit western year
        "20260401",
        "X8.4.1",  # unknown era letter
        "大正14年4月1日",  # era not supported
        "2026-04-011",  # a third day digit is not ignored
        "R8.4.123",
        "4/1/2026",
        "April 1, 2026",
    ],
)
def test_parse_date_garbage(text):
    with pytest.raises(DateParseError):
        parse_date(text)


def test_date_parse_error_is_a_value_error():
    assert issubclass(DateParseError, ValueError)
    with pytest.raises(ValueError, match="日付として読めません"):
        parse_date("garbage")


# ---- parse_fiscal_year -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026", 2026),
        (2026, 2026),
        ("2026年度", 2026),
        ("2026年", 2026),
        ("R8", 2026),
        ("R8年度", 2026),
        ("令和8年度", 2026),
        ("令和8年", 2026),
        ("令和8", 2026),
        ("令和 8 年度", 2026),
        ("令和元年度", 2019),
        ("R元", 2019),
        ("令和1年度", 2019),
        ("平成31年度", 2019),  # = 令和元年度
        ("H31", 2019),
        ("H30", 2018),
        ("平成28年度", 2016),  # the seed's joint curriculum year
        ("H32", 2020),  # planning label past the end of 平成
        ("平成32年度", 2020),
        ("H39", 2027),
        ("平成39年度", 2027),
        ("平成元年度", 1989),
        ("S63", 1988),
        ("昭和64年度", 1989),
        ("２０２６年度", 2026),
        ("令和８年度", 2026),
        ("Ｒ８", 2026),
        (" R8 ", 2026),
    ],
)
def test_parse_fiscal_year(text, expected):
    assert parse_fiscal_year(text) == expected


def test_heisei_31_and_reiwa_1_are_the_same_fiscal_year():
    assert parse_fiscal_year("平成31年度") == parse_fiscal_year("令和元年度") == 2019


@pytest.mark.parametrize(
    "text",
    [None, "", "R", "令和", "令和年度", "26", "202", "20260", "FY2026", "2026年度末", "R8.4", "R100", "X8", "年度"],
)
def test_parse_fiscal_year_garbage(text):
    with pytest.raises(DateParseError, match="年度として読めません"):
        parse_fiscal_year(text)


# ---- fiscal_year -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2026, 3, 31), 2025),
        (D(2026, 4, 1), 2026),
        (D(2026, 1, 1), 2025),
        (D(2025, 12, 31), 2025),
        (D(2027, 3, 31), 2026),
        (D(2019, 4, 30), 2019),
        (D(2019, 5, 1), 2019),
        (D(2020, 2, 29), 2019),
    ],
)
def test_fiscal_year_boundary(day, expected):
    assert fiscal_year(day) == expected


def test_fiscal_year_changes_exactly_on_1_april():
    assert fiscal_year(D(2026, 4, 1)) - fiscal_year(D(2026, 4, 1) - dt.timedelta(days=1)) == 1


# ---- era_of / format_wareki ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2019, 5, 1), ("令和", 1)),
        (D(2019, 4, 30), ("平成", 31)),
        (D(1989, 1, 8), ("平成", 1)),
        (D(1989, 1, 7), ("昭和", 64)),
        (D(1926, 12, 25), ("昭和", 1)),
        (D(2026, 4, 1), ("令和", 8)),
    ],
)
def test_era_of(day, expected):
    assert era_of(day) == expected


def test_era_of_before_showa():
    with pytest.raises(ValueError, match="昭和より前"):
        era_of(D(1926, 12, 24))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (D(2019, 5, 1), "令和元年5月1日"),
        (D(2019, 12, 31), "令和元年12月31日"),
        (D(2020, 1, 1), "令和2年1月1日"),
        (D(2019, 4, 30), "平成31年4月30日"),
        (D(2018, 1, 10), "平成30年1月10日"),
        (D(1989, 1, 8), "平成元年1月8日"),
        (D(1989, 1, 7), "昭和64年1月7日"),
        (D(2026, 4, 1), "令和8年4月1日"),
    ],
)
def test_format_wareki(day, expected):
    assert format_wareki(day) == expected


@pytest.mark.parametrize("day", [D(2019, 5, 1), D(2019, 4, 30), D(1989, 1, 8), D(2026, 4, 1), D(2018, 1, 10)])
def test_format_wareki_round_trips(day):
    assert parse_date(format_wareki(day)) == day


# ---- fiscal_year_label -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2026, "令和8年度（2026年度）"),
        (2020, "令和2年度（2020年度）"),
        (2019, "平成31年度（2019年度）"),  # the era of 2019-04-01, the fiscal year's first day
        (2018, "平成30年度（2018年度）"),
        (1989, "平成元年度（1989年度）"),
        (1988, "昭和63年度（1988年度）"),
    ],
)
def test_fiscal_year_label(year, expected):
    assert fiscal_year_label(year) == expected


def test_fiscal_year_label_round_trips():
    for year in (1989, 2018, 2019, 2020, 2026):
        label = fiscal_year_label(year)
        assert parse_fiscal_year(label.split("（")[0]) == year


@pytest.mark.parametrize("text", ["H0.1.1", "令和0年4月1日", "平成0年度"])
def test_era_year_zero_is_refused(text):
    with pytest.raises(DateParseError):
        parse_fiscal_year(text) if text.endswith("年度") else parse_date(text)
