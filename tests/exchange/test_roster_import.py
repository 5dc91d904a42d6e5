import pytest

from jichitai.audit.models import AuditEntry
from jichitai.exchange.imports import run_import
from jichitai.orgs.models import Department, Staff
from jichitai.processes.models import Process, ProcessAssignment
from tests.exchange.test_progress_import import FAKE_MY_NUMBER
from tests.helpers import db_state, workbook_bytes

HEADER = ["職員番号", "氏名", "所属", "役割", "担当事務"]


@pytest.fixture
def register(municipality, beppyo, process):
    return {"jido": process, "fuyo": Process.objects.create(municipality=municipality, name="児童扶養手当事務",
                                                           beppyo_item=beppyo["56"])}


def roster(*rows):
    return workbook_bytes({"職員名簿": [["職員名簿"], HEADER, *rows]})


def test_roster_creates_staff_departments_and_assignments(municipality, register, department):
    report = run_import(roster(
        ["T001", "佐藤 花子", "子育て支援課", "事務取扱担当者", "児童手当事務、別表56項"],
        ["T002", "鈴木 一郎", "税務課", "保護責任者", "児童扶養手当法による児童扶養手当の支給に関する事務"],
        ["T003", "高橋 誠", "情報政策課", "情報システム担当", ""],
    ), actor=None, municipality=municipality)
    assert report.ok, report.errors
    assert report.sheets[0].kind == "roster" and report.sheets[0].created == 3
    assert {w.cell for w in report.warnings} == {"C4", "C5"}  # 税務課 and 情報政策課 are new
    sato = Staff.objects.get(staff_number="T001")
    assert sato.role == "handler" and sato.department == department
    assert set(sato.assignments.values_list("process__name", flat=True)) == {"児童手当事務", "児童扶養手当事務"}
    assert Staff.objects.get(staff_number="T002").assignments.get().process == register["fuyo"]
    assert Department.objects.filter(municipality=municipality).count() == 3


def test_roster_is_authoritative_for_listed_people(municipality, register):
    run_import(roster(["T001", "佐藤 花子", "", "事務取扱担当者", "児童手当事務、別表56項"]), actor=None,
               municipality=municipality)
    report = run_import(roster(["T001", "佐藤 花子", "", "保護責任者", "別表56項"]), actor=None,
                        municipality=municipality)
    assert report.sheets[0].updated == 1
    person = Staff.objects.get(staff_number="T001")
    assert person.role == "protection_officer"
    assert list(ProcessAssignment.objects.filter(staff=person).values_list("process__name", flat=True)) == [
        "児童扶養手当事務"]
    entry = AuditEntry.objects.filter(action="staff.update").order_by("id").last()
    assert entry.before["role"] == "handler" and entry.after["role"] == "protection_officer"
    before = db_state()
    again = run_import(roster(["T001", "佐藤 花子", "", "保護責任者", "別表56項"]), actor=None,
                       municipality=municipality)
    assert again.sheets[0].updated == 0 and db_state() == before


def test_roster_errors_name_cells_and_write_nothing(municipality, register):
    before = db_state()
    report = run_import(roster(
        ["T001", "佐藤 花子", "", "課長", "児童手当事務"],
        ["T002", "", "", "事務取扱担当者", "ごみ収集事務"],
        ["T002", "重複 太郎", "", "事務取扱担当者", ""],
        ["T003", "山田 太郎", "", "事務取扱担当者", "別表9項"],
        ["T004", "田中 次郎", "", "事務取扱担当者", f"備考 {FAKE_MY_NUMBER}"],
    ), actor=None, municipality=municipality)
    assert not report.ok
    cells = [e.cell for e in report.errors]
    assert cells[:1] == ["E7"] and {"D3", "B4", "E4", "A5", "E6"} <= set(cells)
    assert any("登録簿にありません" in e.message for e in report.errors if e.cell == "E6")
    assert all(FAKE_MY_NUMBER not in e.message for e in report.errors)
    assert db_state() == before


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_roster_from_csv(municipality, register, encoding):
    text = "職員番号,氏名,所属,役割,担当事務\nT010,伊藤 陽子,子育て支援課,事務取扱担当者,児童手当事務\n"
    report = run_import(text.encode(encoding), actor=None, municipality=municipality)
    assert report.ok, report.errors
    assert report.sheets[0].sheet == "CSV" and Staff.objects.get(staff_number="T010").name == "伊藤 陽子"


def test_binary_garbage_is_still_refused(municipality):
    report = run_import(b"\x00\x01\x02garbage", actor=None, municipality=municipality)
    assert not report.ok and "CSV" in report.errors[0].message
