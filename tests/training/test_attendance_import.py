import datetime as dt

import pytest

from jichitai.audit.models import AuditEntry
from jichitai.core.sheets.reading import read_workbook
from jichitai.core.sheets.report import ImportReport
from jichitai.demo.seed_sheets import workbook_bytes
from jichitai.exchange.imports import Sheet
from jichitai.exchange.kinds import attendance as imp
from jichitai.orgs.models import Staff
from jichitai.training import services
from jichitai.training.models import Attendance, Session
from tests.helpers import run_kind
from tests.training.conftest import full_db_state, make_people

TODAY = dt.date(2026, 7, 1)
HEADER = ["職員番号", "氏名", "研修コード", "受講日", "テスト点数", "アンケート"]


def sheet_rows(rows, title="研修受講記録", preamble=(["令和8年度 研修受講記録"], [])):
    """Rows as the integrator's import sees them: written with openpyxl, read back with calamine."""
    sheets = read_workbook(workbook_bytes({title: [*preamble, HEADER, *rows]}))
    return title, sheets[title]


def run(municipality, rows, **kwargs):
    sheet, cells = sheet_rows(rows, **kwargs)
    report, parsed = run_kind(imp, {sheet: cells}, today=TODAY, municipality=municipality)
    return report, parsed[0].result if parsed else imp.SheetResult(sheet, imp.KIND)


@pytest.fixture
def people(municipality, process, curriculum):
    people = make_people(municipality, process, 3)
    Staff.objects.filter(pk=people[0].pk).update(name="佐藤 花子")
    return people


def test_recognises_the_sheet_wherever_the_header_is():
    title, rows = sheet_rows([], preamble=(["表題"], ["", "", "作成: 総務課"], []))
    assert imp.detect(Sheet(title, rows))
    assert imp.find_header(rows, imp.LABELS, imp.REQUIRED)[0] == 3
    assert not imp.detect(Sheet("進捗状況", [["事務", "業務フロー"], ["職員番号", "氏名"]]))


def test_import_creates_sessions_and_attendance(municipality, association, people, curriculum):
    joint = services.save_session(actor=None, via="command", organiser_association=association,
                                  participants=[municipality], course=curriculum["①-②"],
                                  held_on=dt.date(2026, 5, 20), has_test=True, has_survey=True)
    report, result = run(municipality, [
        ["P0000", "佐藤　花子", "①-②", "令和8年5月20日", 85, "済"],
        ["P0001", "", "1-2", "R8.5.20", "", "未"],  # 1-2 is ①-② typed in plain digits
        ["P0002", "", "⑥", dt.date(2026, 6, 3), 100, "〇"],
        [],  # blank rows are skipped
        ["P0000", "", "6", "2026/6/3", 0, "×"],
    ])
    assert report.ok, report.errors
    assert report.warnings == []  # 佐藤　花子 with an ideographic space is the same name
    assert (result.rows, result.created, result.updated) == (4, 4, 0)
    assert Attendance.objects.filter(session=joint).count() == 2
    created = Session.objects.get(held_on=dt.date(2026, 6, 3))
    assert (created.organiser_municipality, created.course.code, created.has_test, created.has_survey) == (
        municipality, "⑥", True, True)
    assert list(created.participants.all()) == [municipality]
    scores = dict(Attendance.objects.values_list("staff__staff_number", "test_score").filter(session=created))
    assert scores == {"P0000": 0, "P0002": 100}
    survey = Attendance.objects.get(session=joint, staff__staff_number="P0001")
    assert (survey.test_score, survey.survey_submitted) == (None, False)
    assert AuditEntry.objects.filter(action="attendance.mark", via="import").count() == 2
    assert AuditEntry.objects.filter(action="session.create", via="import").count() == 1


def test_importing_twice_changes_nothing(municipality, people):
    rows = [["P0000", "", "①-②", "2026-05-20", 85, "済"], ["P0001", "", "⑥", "2026-05-21", "", ""]]
    run(municipality, rows)
    before = full_db_state()
    report, result = run(municipality, rows)
    assert report.ok and (result.created, result.updated) == (0, 0)
    assert full_db_state() == before


def test_a_changed_score_updates_and_a_blank_keeps_the_old_value(municipality, people):
    run(municipality, [["P0000", "", "①-②", "2026-05-20", 85, "済"]])
    report, result = run(municipality, [["P0000", "", "①-②", "2026-05-20", 90, ""]])
    assert (result.created, result.updated) == (0, 1)
    row = Attendance.objects.get()
    assert (row.test_score, row.survey_submitted) == (90, True)
    run(municipality, [["P0000", "", "①-②", "2026-05-20", "", ""]])
    assert Attendance.objects.get().test_score == 90


def test_every_error_is_reported_with_its_cell_and_nothing_is_written(municipality, people, other_municipality):
    before = full_db_state()
    report, _result = run(municipality, [
        ["P9999", "", "①-②", "2026-05-20", 80, "済"],  # A4: unknown person
        ["P0000", "", "⑩", "2026-05-20", 80, "済"],  # C5: unknown course
        ["P0001", "", "①-②", "2026-07-02", 80, "済"],  # D6: future
        ["P0001", "", "①-②", "令和8年2月30日", 80, "済"],  # D7: no such day
        ["P0002", "", "①-②", "2026-05-20", 101, "済"],  # E8: out of range
        ["P0002", "", "⑥", "2026-05-20", "8.5", "たぶん"],  # E9, F9
        ["", "", "①-②", "2026-05-20", "", ""],  # A10: blank number
        ["P0000", "", "①-②", "2026-05-21", "", ""],
        ["P0000", "", "1-2", "2026/5/21", "", ""],  # A12: duplicate of row 11
        ["P0001", "", "", "", "", ""],  # C13, D13
    ])
    cells = sorted(p.cell for p in report.errors)
    assert cells == sorted(["A4", "C5", "D6", "D7", "E8", "E9", "F9", "A10", "A12", "C13", "D13"])
    duplicate = next(p for p in report.errors if p.cell == "A12")
    assert "A11" in duplicate.message and str(duplicate).startswith("研修受講記録!A12: ")
    assert full_db_state() == before


def test_a_name_that_does_not_match_is_a_warning(municipality, people):
    report, result = run(municipality, [["P0000", "鈴木 一郎", "①-②", "2026-05-20", "", ""]])
    assert report.ok and result.created == 1
    assert [(w.cell, "佐藤 花子" in w.message) for w in report.warnings] == [("B4", True)]


def test_staff_of_another_municipality_is_unknown(municipality, other_municipality, people):
    Staff.objects.create(municipality=other_municipality, staff_number="OUT1", name="よその人", role="handler")
    report, _result = run(municipality, [["OUT1", "", "①-②", "2026-05-20", "", ""]])
    assert [e.cell for e in report.errors] == ["A4"] and "職員名簿にありません" in report.errors[0].message


def test_sheet_without_rows_or_header(municipality, people):
    report, _ = run(municipality, [])
    assert [(e.cell, e.message) for e in report.errors] == [("A3", "受講記録の行がありません。")]
    report = ImportReport()
    assert imp._parse_sheet("x", [["氏名"]], municipality, report, TODAY) is None
    assert report.errors[0].cell == "A1"
