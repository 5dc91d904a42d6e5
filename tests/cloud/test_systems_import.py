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
    run([HEADER, ["住民記録システム", "住基", "住民基本台帳", "Aベンダ", "H27", "H32", 1, "可", "ガバメントクラウド",
                  "準拠", "ガバメントクラウド移行済"]], municipality=municipality)
    data = export.inventory_bytes(BusinessSystem.objects.select_related("municipality", "standard_area"))
    rows = read_workbook(data)["システム一覧"]
    assert rows[0] == HEADER
    assert rows[1][5] == "令和2年度" and rows[1][7] == "可" and rows[1][8] == "ガバメントクラウド"
    report, result = run(rows, municipality=municipality)
    assert report.ok and (result.created, result.updated) == (0, 0)


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
