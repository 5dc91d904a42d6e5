import datetime as dt
from decimal import Decimal

from jichitai.audit.models import AuditEntry
from jichitai.exchange.imports import run_import
from jichitai.handling.models import HandlingRow, ProcessAnalysis
from jichitai.processes.models import Process
from jichitai.risk.models import Countermeasure, RiskRow
from tests import seed_sheets as seed
from tests.helpers import db_state, workbook_bytes


def test_seed_sheets_import_with_exactly_the_warnings_their_arithmetic_deserves(municipality, beppyo):
    Process.objects.create(municipality=municipality, name=seed.PROCESS)
    report = run_import(seed.seed_workbook(), actor=None, municipality=municipality)
    assert report.ok, report.errors
    assert [(w.sheet, w.cell) for w in report.warnings] == [
        ("軽自動車税 リスク分析表", "I6"), ("軽自動車税 リスク分析表", "I7")]
    assert "16 と記載されていますが、計算すると 12 です" in report.warnings[0].message
    assert [(s.kind, s.rows, s.created) for s in report.sheets] == [("handling", 5, 5), ("risk", 5, 5)]
    rows = {r.row_id: r for r in HandlingRow.objects.all()}
    assert {k: r.asset_value for k, r in rows.items()} == {"1-2": 4, "1-3": 4, "1-4": 4, "1-5": 3, "1-6": 3}
    assert rows["1-5"].stage == "store" and rows["1-6"].stage == "dispose" and rows["1-2"].kind == "paper"
    risks = {r.handling_row.row_id: r for r in RiskRow.objects.select_related("handling_row")}
    assert {k: (r.total, r.residual) for k, r in risks.items()} == {
        "1-2": (16, 8), "1-3": (16, 8), "1-4": (16, 8), "1-5": (12, 6), "1-6": (12, 6)}
    measures = list(Countermeasure.objects.filter(risk_row=risks["1-6"]).values_list("text", "reduction"))
    assert measures == [("書類をすぐに裁断する。", Decimal("0")), ("ブルーシートを敷くなど、見落しがないようにする。", Decimal("1"))]
    assert ProcessAnalysis.objects.get().sheet_date == dt.date(2018, 1, 10)


def test_process_not_in_register_is_created_without_legal_basis(municipality, beppyo):
    report = run_import(seed.seed_workbook(), actor=None, municipality=municipality)
    assert report.ok
    process = Process.objects.get(name=seed.PROCESS)
    assert process.beppyo_item is None and process.ordinance is None
    new = [w for w in report.warnings if "登録簿にない" in w.message]
    assert len(new) == 1 and new[0].cell == "A1"
    assert AuditEntry.objects.filter(action="process.create", object_id=str(process.pk)).exists()


def test_reimport_changes_nothing(municipality, beppyo):
    run_import(seed.seed_workbook(), actor=None, municipality=municipality)
    before = db_state()
    report = run_import(seed.seed_workbook(), actor=None, municipality=municipality)
    assert report.ok and [(s.created, s.updated) for s in report.sheets] == [(0, 0), (0, 0)]
    assert db_state() == before


def test_risk_sheet_alone_links_to_stored_rows(municipality, beppyo):
    run_import(seed.seed_workbook(risk=False), actor=None, municipality=municipality)
    report = run_import(seed.seed_workbook(handling=False), actor=None, municipality=municipality)
    assert report.ok, report.errors
    assert RiskRow.objects.count() == 5


def test_full_width_and_look_alike_values(municipality, beppyo):
    rows = [["１－２", "減免申請書", "紙", "保管", "", "", "", "", "", "", "", "", "３", "２", "２", "４"]]
    risk = [["1-2", "減免申請書", 4, "x", "２", "y", "", 2, 16, "・対策する。△０．５\n・もう一つ。▲0.5", "", 8]]
    report = run_import(workbook_bytes({"h": seed.handling_sheet(rows), "r": seed.risk_sheet(risk)}), actor=None,
                        municipality=municipality)
    assert report.ok, report.errors
    assert RiskRow.objects.get().residual == 8


# ---- Bad input: errors with cells, nothing written ----

def _rejected(municipality, sheets):
    before = db_state()
    report = run_import(workbook_bytes(sheets), actor=None, municipality=municipality)
    assert not report.ok
    assert db_state() == before
    return [(e.cell, e.message) for e in report.errors]


def test_bad_ratings_and_missing_name(municipality, beppyo):
    rows = [r[:] for r in seed.HANDLING_ROWS[:3]]
    rows[0][12] = 4
    rows[1][13] = "高"
    rows[2][1] = ""
    errors = _rejected(municipality, {"h": seed.handling_sheet(rows)})
    assert [cell for cell, _ in errors] == ["M3", "N4", "B5"]
    assert "機密性「4」は1〜3の整数" in errors[0][1] and "情報資産名称が空欄" in errors[2][1]


def test_unknown_handling_id_in_risk_sheet(municipality, beppyo):
    risk = [r[:] for r in seed.RISK_ROWS]
    risk[2][0] = "9-9"
    errors = _rejected(municipality, {"h": seed.handling_sheet(), "r": seed.risk_sheet(risk)})
    assert errors[0][0] == "A5" and "ID 9-9 の行が情報資産取扱手順表にありません" in errors[0][1]


def test_unknown_stage_kind_duplicate_id_and_bad_reduction(municipality, beppyo):
    rows = [r[:] for r in seed.HANDLING_ROWS[:3]]
    rows[0][3] = "閲覧"
    rows[1][2] = "口頭"
    rows[2][0] = "1-2"
    risk = [seed.RISK_ROWS[0][:]]
    risk[0][9] = "・対策△すぐ"
    errors = _rejected(municipality, {"h": seed.handling_sheet(rows), "r": seed.risk_sheet(risk)})
    assert [cell for cell, _ in errors] == ["D3", "C4", "A5", "J3"]


def test_my_number_in_a_cell(municipality, beppyo):
    rows = [r[:] for r in seed.HANDLING_ROWS[:1]]
    rows[0][11] = "123456789018"
    errors = _rejected(municipality, {"h": seed.handling_sheet(rows)})
    assert errors == [("L3", errors[0][1])] and "123456789018" not in errors[0][1]


def test_sheet_without_title_is_an_error(municipality, beppyo):
    errors = _rejected(municipality, {"h": [seed.HANDLING_HEADER, *seed.HANDLING_ROWS]})
    assert errors[0][0] == "A1" and "表題" in errors[0][1]
