import datetime as dt

import pytest
from django.utils import timezone

from jichitai.audit.models import AuditEntry
from jichitai.demo.builder import SEED_ROWS, seed_workbook
from jichitai.exchange.imports import run_import
from jichitai.orgs.scoping import COMMAND_LINE
from jichitai.processes.models import Process, ProgressChange
from jichitai.processes.queries import progress_matrix
from tests.helpers import db_state, progress_sheet, workbook_bytes

# A valid individual number for the guard tests: check digit computed per 施行令 第8条.
FAKE_MY_NUMBER = "123456789018"


def matrix_cells(municipality, as_of=None):
    matrix = progress_matrix(COMMAND_LINE, municipality, as_of or timezone.localdate())
    return {row.process.name: row.cells for row in matrix.rows}


def test_seed_sheet_imports_with_old_wording_matched_and_warned(municipality, beppyo):
    report = run_import(seed_workbook(dt.date(2025, 4, 1)), actor=None, municipality=municipality)
    assert report.ok, report.errors
    assert report.sheets[0].rows == 12 and report.sheets[0].created == 12
    items = sorted(Process.objects.filter(municipality=municipality).values_list("beppyo_item__item_arabic", flat=True),
                   key=lambda a: [int(x) for x in a.split("-")])
    assert items == ["8", "9", "10", "20", "56", "63", "64", "65", "66", "70", "81", "127"]
    # Rows whose text is not the current 別表 wording are reported with the item chosen.
    warned = {w.cell for w in report.warnings if "と判定しました" in w.message}
    assert "A8" in warned and "A11" in warned
    cells = matrix_cells(municipality)
    first = cells[SEED_ROWS[0][0]]
    assert [first[k] for k in ("flow", "spi", "risk", "linkage", "ordinance", "pia")] == [
        "done", "started", "not_started", "not_needed", "not_needed", "not_started"]


def test_import_twice_changes_nothing_the_second_time(municipality, beppyo):
    data = seed_workbook(dt.date(2025, 4, 1))
    run_import(data, actor=None, municipality=municipality)
    before = db_state()
    report = run_import(data, actor=None, municipality=municipality)
    assert report.ok
    assert report.sheets[0].created == 0 and report.sheets[0].updated == 0
    assert db_state() == before


def test_import_matches_register_by_name_and_label(municipality, process, beppyo):
    data = progress_sheet([
        ["児童手当事務", "〇", "○", "◯", "-", "", "△"],
        ["別表9項", "x", "X", "✕", "－", "ー", "▲"],
    ])
    report = run_import(data, actor=None, municipality=municipality)
    assert report.ok, report.errors
    assert report.sheets[0].updated == 1 and report.sheets[0].created == 1
    assert ProgressChange.objects.filter(process=process, effective_on=dt.date(2026, 4, 1)).count() == 5
    cells = matrix_cells(municipality)
    assert cells["児童手当事務"] == {"flow": "done", "spi": "done", "risk": "done", "linkage": "not_needed",
                                  "ordinance": "not_started", "pia": "started"}
    new = Process.objects.get(municipality=municipality, beppyo_item__item_arabic="9")
    assert cells[new.name]["pia"] == "started"
    # Look-alikes are accepted and reported by cell.
    assert {w.cell for w in report.warnings} == {"C6", "D6", "B7", "C7", "D7", "E7", "F7", "G7"}


def test_import_is_audited_as_import(municipality, process, beppyo, admin_user):
    run_import(progress_sheet([["児童手当事務", "〇", "〇", "〇", "〇", "〇", "〇"]]), actor=admin_user,
               municipality=municipality)
    entries = list(AuditEntry.objects.filter(action="progress.set"))
    assert {(e.actor, e.via, e.municipality) for e in entries} == {(admin_user, "import", municipality)}
    assert {e.before["column"]: e.before["status"] for e in entries} == {name: "not_started" for name in
                            ("業務フロー", "特定個人情報", "リスク評価", "関連情報連携洗出", "条例案上程", "PIA提出")}
    pia = next(e for e in entries if e.after["column"] == "PIA提出")
    assert pia.after["status"] == "done" and pia.after["sheet"] == "進捗状況"


def test_past_as_of_is_kept_and_matrix_shows_history(municipality, process, beppyo):
    run_import(progress_sheet([["児童手当事務", "△", "", "", "", "", ""]], "令和7年4月1日現在"), actor=None,
               municipality=municipality)
    run_import(progress_sheet([["児童手当事務", "〇", "", "", "", "", ""]], "令和8年4月1日現在"), actor=None,
               municipality=municipality)
    # The older sheet moves the registration back to its date; before that the process did not exist.
    assert "児童手当事務" not in matrix_cells(municipality, dt.date(2025, 3, 31))
    assert matrix_cells(municipality, dt.date(2025, 4, 1))["児童手当事務"]["flow"] == "started"
    assert matrix_cells(municipality, dt.date(2026, 3, 31))["児童手当事務"]["flow"] == "started"
    assert matrix_cells(municipality, dt.date(2026, 4, 1))["児童手当事務"]["flow"] == "done"


def test_dry_run_reports_counts_and_writes_nothing(municipality, beppyo):
    before = db_state()
    report = run_import(seed_workbook(dt.date(2025, 4, 1)), actor=None, municipality=municipality, dry_run=True)
    assert report.ok and report.sheets[0].created == 12
    assert db_state() == before


def test_header_found_anywhere_and_western_date(municipality, process, beppyo):
    data = workbook_bytes({"Sheet1": [
        [], [None, None, "2026年3月31日現在"], [],
        [None, None, "事務名", "業務フロー", "特定個人情報", "リスク評価", "関連情報連携洗出", "条例案上程", "PIA提出"],
        [None, None, "児童手当事務", "〇", "〇", "×", "-", "-", "×"],
    ]})
    report = run_import(data, actor=None, municipality=municipality)
    assert report.ok, report.errors
    assert ProgressChange.objects.filter(process=process, effective_on=dt.date(2026, 3, 31)).count() == 4


def test_placeholder_date_imports_as_today_with_warning(municipality, process, beppyo):
    report = run_import(progress_sheet([["児童手当事務", "〇", "", "", "", "", ""]], "〇月〇日現在"), actor=None,
                        municipality=municipality)
    assert report.ok
    assert any(w.cell == "A3" and "〇月〇日現在" in w.message for w in report.warnings)
    assert ProgressChange.objects.get(process=process).effective_on == timezone.localdate()


# ---- Bad input: a clear Japanese message with the cell, and the database exactly as it was ----

def _rejected(municipality, data, **kwargs):
    before = db_state()
    report = run_import(data, actor=None, municipality=municipality, **kwargs)
    assert not report.ok
    assert db_state() == before
    return report.errors


@pytest.mark.parametrize("payload", [b"not a workbook at all", b"PK\x03\x04broken zip"])
def test_corrupt_file(municipality, beppyo, payload):
    errors = _rejected(municipality, payload)
    assert "読み込めません" in errors[0].message


def test_no_recognisable_header(municipality, beppyo):
    errors = _rejected(municipality, workbook_bytes({"Sheet1": [["氏名", "住所"], ["山田", "どこか"]]}))
    assert errors[0].cell == "A1" and "見つかりません" in errors[0].message


def test_unknown_status_symbol_names_its_cell(municipality, process, beppyo):
    errors = _rejected(municipality, progress_sheet([
        ["児童手当事務", "〇", "〇", "済", "-", "-", "×"],
        ["別表9項", "〇", "〇", "〇", "-", "-", "?"],
    ]))
    assert [(e.sheet, e.cell) for e in errors] == [("進捗状況", "D6"), ("進捗状況", "G7")]
    assert "「済」は進捗の記号として読めません" in errors[0].message


def test_duplicate_process_rows(municipality, process, beppyo):
    errors = _rejected(municipality, progress_sheet([
        ["児童手当事務", "〇", "〇", "〇", "-", "-", "×"],
        ["別表81項", "〇", "〇", "〇", "-", "-", "×"],
    ]))
    assert errors[0].cell == "A7" and "重複" in errors[0].message and "A6" in errors[0].message


def test_process_not_in_catalogue(municipality, beppyo):
    errors = _rejected(municipality, progress_sheet([
        ["ごみ収集カレンダーの配布に関する事務", "〇", "〇", "〇", "-", "-", "×"],
        ["別表999項", "〇", "〇", "〇", "-", "-", "×"],
    ]))
    assert errors[0].cell == "A6" and "一致する事務がありません" in errors[0].message
    assert errors[1].cell == "A7" and "別表999項 は番号法別表にありません" in errors[1].message


def test_ambiguous_match_lists_candidates(municipality, beppyo):
    errors = _rejected(municipality, progress_sheet([["児童福祉法による事務", "〇", "〇", "〇", "-", "-", "×"]]))
    assert errors[0].cell == "A6" and "近い候補" in errors[0].message and "別表" in errors[0].message


def test_future_as_of_date(municipality, process, beppyo):
    future = timezone.localdate() + dt.timedelta(days=1)
    errors = _rejected(municipality, progress_sheet([["児童手当事務", "〇", "", "", "", "", ""]],
                                                    f"{future.year}年{future.month}月{future.day}日現在"))
    assert errors[0].cell == "A3" and "未来" in errors[0].message


def test_my_number_in_a_cell_is_refused_without_echo(municipality, process, beppyo):
    data = progress_sheet([["児童手当事務", "〇", "", "", "", "", "", f"備考 {FAKE_MY_NUMBER}"]])
    errors = _rejected(municipality, data)
    assert errors[0].cell == "H6" and "個人番号" in errors[0].message
    assert FAKE_MY_NUMBER not in errors[0].message


def test_every_error_is_reported_not_only_the_first(municipality, process, beppyo):
    errors = _rejected(municipality, progress_sheet([
        ["児童手当事務", "済", "", "", "", "", ""],
        ["別表999項", "", "", "", "", "", ""],
        ["", "〇", "", "", "", "", ""],
    ]))
    assert {e.cell for e in errors} == {"B6", "A7", "A8"}


def test_my_number_does_not_hide_the_other_errors(municipality, process, beppyo):
    errors = _rejected(municipality, progress_sheet([
        ["児童手当事務", "済", "", "", "", "", ""],
        ["別表81項", "〇", "", "", "", "", "", f"備考 {FAKE_MY_NUMBER}"],
    ]))
    assert {e.cell for e in errors} == {"B6", "A7", "H7"}


def test_missing_column_is_named(municipality, beppyo):
    data = workbook_bytes({"S": [["事務", "業務フロー", "特定個人情報", "リスク評価", "関連情報連携洗出", "条例案上程"],
                                 ["児童手当事務", "〇", "〇", "〇", "-", "-"]]})
    errors = _rejected(municipality, data)
    assert [(e.cell, e.message) for e in errors] == [("A1", "見出し行に列「PIA提出」がありません。")]
