"""cloud.procurement_rules at its boundaries: procurement year, bands, overdue, and the seed's year forms."""

import pytest

from jichitai.cloud import procurement_rules as rules
from jichitai.core.wareki import WESTERN, use_date_style

# ---- procurement year = contract end − lead time ----


@pytest.mark.parametrize(("end", "lead", "year"), [(2026, 2, 2024), (2026, 0, 2026), (2026, 10, 2016), (2020, 2, 2018)])
def test_procurement_year_is_the_contract_end_less_the_lead_time(end, lead, year):
    assert rules.procurement_year(end, lead) == year
    assert rules.contract_end_from_procurement(year, lead) == end


def test_default_lead_time_is_the_associations_and_the_alignments():
    from jichitai.cloud.rules import DEFAULT_LEAD_TIME
    from jichitai.orgs.models import Association

    assert rules.DEFAULT_LEAD_YEARS == 2 == DEFAULT_LEAD_TIME
    assert Association._meta.get_field("procurement_lead_years").default == rules.DEFAULT_LEAD_YEARS
    assert rules.procurement_year(2026) == 2024


def test_overdue_is_strictly_before_the_as_of_year():
    assert rules.is_overdue(2017, 2018)
    assert not rules.is_overdue(2018, 2018)
    assert not rules.is_overdue(2019, 2018)


# ---- bands ----


def spans(as_of, years):
    return [(b.first, b.last) for b in rules.bands(as_of, years)]


def test_at_least_three_bands_like_the_seed_the_last_open_ended():
    assert spans(2018, []) == [(2018, 2020), (2021, 2023), (2024, None)]
    assert spans(2018, [2018]) == [(2018, 2020), (2021, 2023), (2024, None)]
    assert spans(2018, [2010]) == [(2018, 2020), (2021, 2023), (2024, None)]  # overdue only


def test_a_fourth_band_only_when_a_year_lies_beyond_the_third():
    assert rules.band_count(2018, [2026]) == 3  # the third band's first years: 2024–2026
    assert rules.band_count(2018, [2027]) == 4
    assert spans(2018, [2027]) == [(2018, 2020), (2021, 2023), (2024, 2026), (2027, None)]


def test_bands_are_capped_at_four():
    assert rules.band_count(2018, [2100]) == rules.MAX_BANDS == 4
    assert spans(2018, [2100])[-1] == (2027, None)


@pytest.mark.parametrize(("year", "band"), [
    (2010, 0), (2017, 0), (2018, 0), (2020, 0), (2021, 1), (2023, 1), (2024, 2), (2026, 2), (2027, 2), (2090, 2)])
def test_band_index_with_three_bands(year, band):
    assert rules.band_index(year, 2018, 3) == band


def test_band_index_with_four_bands_puts_late_years_in_the_open_ended_one():
    assert rules.band_index(2026, 2018, 4) == 2
    assert rules.band_index(2027, 2018, 4) == 3
    assert rules.band_index(2099, 2018, 4) == 3


def test_place_overdue_in_the_first_band():
    assert rules.place(2019, as_of_fy=2018, lead_years=2, count=3) == rules.Placement(2017, 0, True)
    assert rules.place(2020, as_of_fy=2018, lead_years=2, count=3) == rules.Placement(2018, 0, False)
    assert rules.place(2025, as_of_fy=2018, lead_years=2, count=3) == rules.Placement(2023, 1, False)
    assert rules.place(2026, as_of_fy=2018, lead_years=2, count=3) == rules.Placement(2024, 2, False)


def test_band_labels_like_the_seed():
    labels = [rules.band_label(b, "wareki") for b in rules.bands(2018, [])]
    # the seed: 平成30〜32 · 平成33〜35 · 平成36年以降 — the same years, named in their era
    assert labels == ["平成30年度〜令和2年度", "令和3〜5年度", "令和6年度以降"]
    assert rules.band_label(rules.Band(2015, 2017), "wareki") == "平成27〜29年度"
    assert rules.band_label(rules.Band(2018, 2020), WESTERN) == "2018〜2020年度"
    assert rules.band_label(rules.Band(2024, None), WESTERN) == "2024年度以降"
    with use_date_style(WESTERN):
        assert rules.band_label(rules.Band(2021, 2023)) == "2021〜2023年度"


# ---- the seed's year forms ----


@pytest.mark.parametrize(("text", "year"), [
    ("H30年度", 2018), ("平成30年度", 2018), ("(H30年度)", 2018), ("（H30年度）", 2018), ("H31", 2019),
    ("2026", 2026), ("令和8年度", 2026), ("R8", 2026), ("ｒ８", 2026), (" H 3 0 年度 ", 2018), ("令和元年度", 2019),
])
def test_plain_fiscal_years_are_read_without_a_warning(text, year):
    assert rules.parse_procurement_year(text, 2026) == (year, None)


def test_bare_year_takes_the_era_nearer_the_reference():
    year, warning = rules.parse_procurement_year("30年度", 2026)
    assert year == 2018  # 平成30, not 令和30 = 2048
    assert "平成30年度（2018年度）として読みました" in warning and "令和30年度 = 2048年度ではありません" in warning
    assert rules.parse_procurement_year("33年度", 2026)[0] == 2021  # the seed's AD II 更新 33年度
    assert rules.parse_procurement_year("8年度", 2026)[0] == 2026  # 令和8
    assert rules.parse_procurement_year("30", 2026)[0] == 2018


@pytest.mark.parametrize(("number", "reference", "era"), [
    (22, 2026, "令和"),  # 平成22 = 2010 (16 back), 令和22 = 2040 (14 ahead)
    (23, 2026, "令和"),  # 2011 and 2041: 15 either way, a tie goes to 令和
    (24, 2026, "平成"),  # 2012 (14 back) and 2042 (16 ahead)
    (15, 2019, "令和"), (16, 2019, "令和"), (17, 2019, "平成"),  # in 2019: 2003/2033, 2004/2034 tie, 2005/2035
    (30, 2018, "平成"), (1, 2018, "平成"),  # before 令和 began, only 平成
])
def test_bare_year_era_boundary(number, reference, era):
    assert rules.bare_year_era(number, reference) == era


def test_bare_year_with_nen_says_it_was_taken_as_a_fiscal_year():
    year, warning = rules.parse_procurement_year("30年", 2026)
    assert year == 2018 and "「年」は年度と見なしました" in warning and "元号がない" in warning


def test_open_ended_forms_take_their_first_year_and_say_so():
    year, warning = rules.parse_procurement_year("H32年以降", 2026)
    assert year == 2020
    assert warning.startswith("「H32年以降」を令和2年度（2020年度）として読みました。")
    assert "以降（終わりの定めなし）" in warning
    # 年, not 年度: calendar January–March 2020 belong to the year before
    assert "「年」は年度と見なしました" in warning and "暦年2020年の1〜3月" in warning and "平成31年度（2019年度）" in warning
    year, warning = rules.parse_procurement_year("H34以降", 2026)
    assert year == 2022 and "以降" in warning and "「年」" not in warning
    assert rules.parse_procurement_year("H33年度以降", 2026)[0] == 2021
    assert rules.parse_procurement_year("R8~", 2026)[0] == 2026


def test_year_and_month_is_the_fiscal_year_the_month_falls_in():
    year, warning = rules.parse_procurement_year("H35.1", 2026)
    assert year == 2022  # 平成35年1月 = 2023年1月, in 令和4年度
    assert "年月（平成35年1月 = 2023年1月）" in warning and "令和4年度（2022年度）として読みました" in warning
    assert rules.parse_procurement_year("H35.3", 2026)[0] == 2022  # March: still the year before
    assert rules.parse_procurement_year("H35.4", 2026)[0] == 2023  # April: the new fiscal year
    assert rules.parse_procurement_year("2023年12月", 2026)[0] == 2023
    year, warning = rules.parse_procurement_year("H35.1~", 2026)
    assert year == 2022 and "年月" in warning and "以降" in warning


def test_nen_of_a_western_year_is_taken_as_a_fiscal_year_with_a_warning():
    year, warning = rules.parse_procurement_year("2026年", 2026)
    assert year == 2026 and "「年」は年度と見なしました" in warning


@pytest.mark.parametrize("text", ["", "  ", "以降", "H30.1~H35.1", "H35.13", "H35.0", "0年度", "abc", "123",
                                  "元年度", "H30.1.10", "平成30〜32", None])
def test_unreadable_forms_raise_a_clear_error(text):
    with pytest.raises(rules.ProcurementYearError) as error:
        rules.parse_procurement_year(text, 2026)
    message = str(error.value)
    assert "空欄" in message or "読めません" in message or "1〜12" in message


def test_the_error_is_a_date_parse_error_and_names_the_forms():
    from jichitai.core.wareki import DateParseError

    with pytest.raises(DateParseError, match="H32年以降"):
        rules.parse_procurement_year("来年", 2026)
