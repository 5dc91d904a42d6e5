"""The system inventory import (issue 6, scope 3): 和暦 and western years, all-or-nothing, cell references."""

import pytest
from django.utils import timezone

from jichitai.audit.models import AuditEntry
from jichitai.cloud import export, services
from jichitai.cloud.models import BusinessSystem
from jichitai.core.codes import with_check_digit
from jichitai.core.sheets.reading import read_workbook
from jichitai.exchange.imports import Sheet
from jichitai.exchange.kinds import systems as systems_import
from jichitai.orgs.models import Municipality
from tests.exchange.test_progress_import import FAKE_MY_NUMBER
from tests.helpers import run_kind

HEADER = ["システム名", "分類", "標準化対象業務", "ベンダー", "契約開始年度", "契約終了年度", "再リース可能年数",
          "早期解約", "稼働環境", "標準準拠", "移行状況"]
COSTS = ["年間経費（千円）", "初期経費（千円）", "再リース年間経費（千円）"]


@pytest.fixture
def areas(db):
    services.load_standard_areas()


def run(rows, report=None, municipality=None, association_name=None):
    report, parsed = run_kind(systems_import, {"システム一覧": rows}, today=timezone.localdate(),
                              municipality=municipality, association_name=association_name)
    return report, parsed[0].result if report.ok else None


def test_detects_the_sheet():
    assert systems_import.detect(Sheet("x", [["メモ"], HEADER]))
    assert not systems_import.detect(Sheet("x", [["職員番号", "氏名", "役割"]]))


def test_imports_western_and_wareki_years(municipality, areas):
    report, result = run([HEADER,
                          ["住民記録システム", "住基", "住民基本台帳", "Aベンダ", "H27", "平成32年度", 2, "可",
                           "オンプレミス", "未", "未着手"],
                          ["税務システム", "税", "個人住民税", "", 2021.0, "R8", "", "不可", "自治体クラウド", "準拠",
                           "標準準拠システム移行済"]], municipality=municipality)
    assert report.ok and (result.rows, result.created, result.updated) == (2, 2, 0)
    juki = BusinessSystem.objects.get(name="住民記録システム")
    assert (juki.contract_start_fy, juki.contract_end_fy, juki.re_lease_years, juki.early_termination) == (
        2015, 2020, 2, True)
    assert juki.standard_area.name == "住民基本台帳" and juki.hosting == "on_premises"
    tax = BusinessSystem.objects.get(name="税務システム")
    assert (tax.contract_start_fy, tax.contract_end_fy, tax.hosting, tax.standard_conformance,
            tax.migration_status) == (2021, 2026, "municipal_cloud", True, "standard_conforming")
    assert AuditEntry.objects.filter(action="business_system.create", via="import").count() == 2


def test_reimport_updates_only_what_changed(municipality, areas):
    row = ["住民記録システム", "住基", "", "", "", "2027", "", "", "", "", ""]
    run([HEADER, row], municipality=municipality)
    report, result = run([HEADER, row], municipality=municipality)
    assert (result.created, result.updated) == (0, 0)
    report, result = run([HEADER, row[:5] + ["2029"] + row[6:]], municipality=municipality)
    assert (result.created, result.updated) == (0, 1)
    assert BusinessSystem.objects.get().contract_end_fy == 2029


def test_errors_name_cells_and_write_nothing(municipality, areas):
    report, result = run([HEADER,
                          ["住民記録システム", "住基", "住民票", "", "", "令和九年", "12", "たぶん", "雲", "", "完了"],
                          ["", "税", "", "", "2030", "2028", "", "", "", "", ""],
                          ["メモ " + FAKE_MY_NUMBER, "税", "", "", "", "2028", "", "", "", "", ""]],
                         municipality=municipality)
    assert result is None and BusinessSystem.objects.count() == 0
    assert sorted(p.cell for p in report.errors) == ["A3", "A4", "C2", "F2", "F3", "G2", "H2", "I2", "K2"]
    assert all(FAKE_MY_NUMBER not in p.message for p in report.errors)


def test_association_sheet_needs_member_codes(municipality, other_municipality, areas):
    second = Municipality.objects.create(code=with_check_digit("99202"), name="隣の町",
                                         association=municipality.association)
    rows = [["団体コード", *HEADER],
            [municipality.code, "住民記録システム", "住基", "", "", "", "2027", "", "", "", "", ""],
            [int(second.code), "住民記録システム", "住基", "", "", "", "2029", "", "", "", "", ""]]
    report, result = run(rows, association_name=municipality.association.name)
    assert report.ok and result.created == 2
    assert dict(BusinessSystem.objects.values_list("municipality__code", "contract_end_fy")) == {
        municipality.code: 2027, second.code: 2029}
    report, result = run(rows[:1] + [[other_municipality.code, "X", "住基", "", "", "", "2027", "", "", "", "", ""]],
                         association_name=municipality.association.name)
    assert [p.cell for p in report.errors] == ["A2"]


def test_association_sheet_without_code_column_is_refused(municipality, areas):
    report, result = run([HEADER], association_name=municipality.association.name)
    assert result is None and report.errors[0].cell == "A1"


def test_export_reads_back(municipality, areas):
    run([HEADER + COSTS, ["住民記録システム", "住基", "住民基本台帳", "Aベンダ", "H27", "H32", 1, "可", "ガバメントクラウド",
                          "準拠", "ガバメントクラウド移行済", 12000, "3,500", ""]], municipality=municipality)
    data = export.inventory_bytes(BusinessSystem.objects.select_related("municipality", "standard_area"))
    rows = read_workbook(data)["システム一覧"]
    assert rows[0] == HEADER + COSTS
    assert rows[1][5] == "令和2年度" and rows[1][7] == "可" and rows[1][8] == "ガバメントクラウド"
    assert rows[1][11:] == [12000, 3500, ""]
    report, result = run(rows, municipality=municipality)
    assert report.ok and (result.created, result.updated) == (0, 0)
    system = BusinessSystem.objects.get()
    assert (system.annual_cost, system.initial_cost, system.re_lease_annual_cost) == (12000, 3500, None)


def test_inventory_through_the_import_command_with_association(tmp_path, municipality, association, areas, capsys):
    import json

    from django.core.management import call_command

    from jichitai.demo.seed_sheets import workbook_bytes

    path = tmp_path / "systems.xlsx"
    path.write_bytes(workbook_bytes({"システム一覧": [["団体コード", *HEADER], [
        municipality.code, "住民記録システム", "住基", "住民基本台帳", "Aベンダ", "H27", "R8", 2, "可", "オンプレミス",
        "未", "未着手"]]}))
    call_command("import", str(path), "--association", association.name, "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["sheets"][0]["kind"] == "systems" and data["sheets"][0]["created"] == 1
    assert BusinessSystem.objects.get().contract_end_fy == 2026


# ---- the seed's year forms, 調達時期 and costs (issue 14, procurement timing) ----

PROCUREMENT_HEADER = ["システム名", "分類", "契約終了年度", "調達時期"]


def warnings_by_cell(report) -> dict[str, str]:
    return {p.cell: p.message for p in report.warnings}


def test_seed_year_forms_in_the_contract_end_column_are_read_with_warnings(municipality, areas):
    report, result = run([PROCUREMENT_HEADER,
                          ["住基ネット", "住基ネット", "H30年度", ""],
                          ["人事給与システム", "人事給与", "H34以降", ""],
                          ["住民・税・福祉", "住基", "H35.1", ""],
                          ["AD II 更新", "内部系", "33年度", ""],
                          ["グループウェア", "グループウェア", "(平成30年度)", ""]], municipality=municipality)
    assert report.ok and result.created == 5
    ends = dict(BusinessSystem.objects.values_list("name", "contract_end_fy"))
    assert ends == {"住基ネット": 2018, "人事給与システム": 2022, "住民・税・福祉": 2022, "AD II 更新": 2021,
                    "グループウェア": 2018}
    warnings = warnings_by_cell(report)
    assert sorted(warnings) == ["C3", "C4", "C5"]  # plain 年度 forms need no warning
    assert warnings["C3"].startswith("契約終了年度: 「H34以降」を令和4年度（2022年度）として読みました。")
    assert "年月（平成35年1月 = 2023年1月）" in warnings["C4"] and "令和4年度（2022年度）" in warnings["C4"]
    assert "元号がない" in warnings["C5"] and "令和3年度（2021年度）" in warnings["C5"]


def test_procurement_year_alone_gives_the_contract_end_by_the_associations_lead_time(municipality, areas):
    municipality.association.procurement_lead_years = 3
    municipality.association.save()
    report, result = run([PROCUREMENT_HEADER, ["住基ネット", "住基ネット", "", "H30年度"],
                          ["第4次LGWAN", "LGWAN", "", "H32年以降"]], municipality=municipality)
    assert report.ok and result.created == 2
    assert dict(BusinessSystem.objects.values_list("name", "contract_end_fy")) == {"住基ネット": 2021,
                                                                                  "第4次LGWAN": 2023}
    warnings = [str(p) for p in report.warnings]
    assert "システム一覧!D2: 契約終了年度が空欄のため、調達時期 平成30年度（2018年度） に調達の準備期間 3年を足した" \
           "令和3年度（2021年度）を契約終了年度としました。" in warnings
    assert any(w.startswith("システム一覧!D3: 調達時期: 「H32年以降」を令和2年度（2020年度）") for w in warnings)


def test_a_sheet_with_only_the_procurement_column_is_recognised(municipality, areas):
    rows = [["システム名", "分類", "調達時期"], ["LGWAN", "LGWAN", "H31"]]
    assert systems_import.detect(Sheet("x", rows))
    report, result = run(rows, municipality=municipality)
    assert report.ok and BusinessSystem.objects.get().contract_end_fy == 2021  # 2019 + the default 2 years


def test_contract_end_wins_over_a_disagreeing_procurement_year(municipality, areas):
    report, result = run([PROCUREMENT_HEADER, ["住基ネット", "住基ネット", "R8", "R5"],
                          ["LGWAN", "LGWAN", "R8", "R6"]], municipality=municipality)
    assert report.ok and set(BusinessSystem.objects.values_list("contract_end_fy", flat=True)) == {2026}
    assert [p.cell for p in report.warnings] == ["D2"]  # R6 + 2 = R8 agrees
    assert "契約終了年度を使いました" in report.warnings[0].message


def test_year_errors_name_their_cells_and_nothing_is_written(municipality, areas):
    from tests.helpers import db_state

    run([PROCUREMENT_HEADER, ["既存", "住基", "R8", ""]], municipality=municipality)
    before = db_state()
    report, result = run([PROCUREMENT_HEADER,
                          ["住基ネット", "住基ネット", "H30年度", ""],  # fine: written only if every row is
                          ["LGWAN", "LGWAN", "", ""],  # neither year
                          ["人事給与", "人事給与", "", "H30.1~H35.1"],  # a range
                          ["税", "税", "H35.13", ""],  # no month 13
                          ["福祉", "福祉", "2101", ""],  # beyond 2100
                          ["既存", "住基", "", "2099"]],  # 2099 + 2 = 2101
                         municipality=municipality)
    assert result is None and db_state() == before
    assert sorted(p.cell for p in report.errors) == ["C3", "C5", "C6", "D4", "D7"]
    messages = {p.cell: p.message for p in report.errors}
    assert messages["C3"] == "契約終了年度と調達時期がどちらも空欄です。どちらかを入力してください。"
    assert messages["D4"].startswith("調達時期: 「H30.1~H35.1」は年度として読めません")


def test_cost_columns_are_read_and_checked(municipality, areas):
    from tests.helpers import db_state

    header = ["システム名", "分類", "契約終了年度", *COSTS]
    report, result = run([header, ["住基", "住基", "R8", "1,200", 999_999_999, "0"]], municipality=municipality)
    assert report.ok
    system = BusinessSystem.objects.get()
    assert (system.annual_cost, system.initial_cost, system.re_lease_annual_cost) == (1200, 999_999_999, 0)
    before = db_state()
    report, result = run([header, ["住基", "住基", "R8", "-1", 1_000_000_000, "12.5"],
                          ["税", "税", "R8", "千円", "", "1e3"]], municipality=municipality)
    assert result is None and db_state() == before
    assert sorted(str(p).split(":")[0] for p in report.errors) == [
        "システム一覧!D2", "システム一覧!D3", "システム一覧!E2", "システム一覧!F2", "システム一覧!F3"]
    assert "0〜999,999,999の整数（千円）" in report.errors[0].message


def test_a_sheet_without_cost_columns_keeps_the_stored_costs(municipality, areas):
    run([["システム名", "分類", "契約終了年度", COSTS[0]], ["住基", "住基", "R8", 500]], municipality=municipality)
    report, result = run([["システム名", "分類", "契約終了年度"], ["住基", "住基", "R9"]], municipality=municipality)
    assert report.ok and result.updated == 1
    assert BusinessSystem.objects.values_list("contract_end_fy", "annual_cost").get() == (2027, 500)
