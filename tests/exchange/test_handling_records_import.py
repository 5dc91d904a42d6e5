"""Import of 取扱記録: the export's own columns, so an exported file imports back; all or nothing."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from jichitai.audit.models import AuditEntry
from jichitai.exchange.imports import run_import
from jichitai.handling import services
from jichitai.handling.export import records_bytes
from jichitai.handling.models import HandlingRecord
from jichitai.handling.sheets import RECORD_COLUMNS
from jichitai.orgs.models import Staff
from tests.helpers import db_state, workbook_bytes

TOKYO = ZoneInfo("Asia/Tokyo")
HEADER = [label for _key, label, _width in RECORD_COLUMNS]


@pytest.fixture
def world(municipality, process):
    rows = {row_id: services.save_handling_row(actor=None, via="command", process=process, row_id=row_id,
                                               asset_name="減免申請書", kind="paper", stage=stage, confidentiality=3,
                                               integrity=2, availability=1, records_kept=True)
            for row_id, stage in (("1-2", "acquire"), ("1-6", "dispose"))}
    people = {number: Staff.objects.create(municipality=municipality, staff_number=number, name=name, role="handler")
              for number, name in (("S1", "担当 花子"), ("S2", "課長 一郎"))}
    return {"process": process, "rows": rows, "people": people}


def sheet(*rows, title=True):
    head = [["取扱記録（テスト市）"], ["令和8年12月4日現在"]] if title else []
    return workbook_bytes({"取扱記録": [*head, HEADER, *rows]})


def line(**values):
    base = {"事務": "児童手当事務", "ID": "1-2", "情報資産名称": "減免申請書", "日時": "R8.4.1 10:05", "取扱区分": "取得",
            "職員番号": "S1", "取扱者": "担当 花子", "媒体": "紙", "件数": 1, "目的": "受付"}
    base |= values
    return [base.get(label, "") for label in HEADER]


def test_export_then_import_round_trips(municipality, world, admin_user):
    rows, people = world["rows"], world["people"]
    services.create_record(actor=None, via="command", handling_row=rows["1-2"], person=people["S1"], action="acquire",
                           occurred_at=dt.datetime(2026, 4, 1, 10, 5, tzinfo=TOKYO), medium="紙", count=2,
                           purpose="受付", approver=people["S2"])
    services.create_record(actor=None, via="command", handling_row=rows["1-6"], person=people["S2"], action="dispose",
                           occurred_at=dt.datetime(2026, 5, 7, 16, 40, tzinfo=TOKYO), medium="紙",
                           disposal_method="シュレッダーで裁断", witness="担当 花子", purpose="保存期間満了")
    voided = services.create_record(actor=None, via="command", handling_row=rows["1-2"], person=people["S1"],
                                    action="use", occurred_at=dt.datetime(2026, 4, 2, 9, 0, tzinfo=TOKYO))
    services.void_record(actor=None, via="command", record_id=voided.pk, reason="誤り")
    fields = ("handling_row_id", "occurred_at", "person_id", "person_name", "action", "medium", "count", "purpose",
              "approver_id", "approver_name", "disposal_method", "witness")
    kept = sorted(HandlingRecord.objects.filter(voided_at__isnull=True).values_list(*fields))
    data = records_bytes(municipality, HandlingRecord.objects.select_related(
        "process", "handling_row", "person", "approver"), timezone.localdate())
    # Imported again over the same records: nothing new (identical records are skipped), the voided row left out.
    before = db_state()
    again = run_import(data, actor=admin_user, municipality=municipality)
    assert again.ok, again.errors
    assert (again.sheets[0].kind, again.sheets[0].rows, again.sheets[0].created) == ("handling_records", 3, 0)
    assert any("取消" in w.message for w in again.warnings)
    assert db_state() == before
    # Into a table without them: the same records come back.
    HandlingRecord.objects.all().delete()
    report = run_import(data, actor=admin_user, municipality=municipality)
    assert report.ok, report.errors
    assert report.sheets[0].created == 2
    assert sorted(HandlingRecord.objects.values_list(*fields)) == kept
    assert AuditEntry.objects.filter(action="handling_record.create", via="import").count() == 2


def test_csv_in_cp932_and_utf8(municipality, world):
    text = "\n".join(",".join(str(v) for v in row) for row in (HEADER, line(), line(日時="令和8年4月2日 9時30分")))
    for encoding in ("cp932", "utf-8-sig"):
        HandlingRecord.objects.all().delete()
        report = run_import(text.encode(encoding), actor=None, municipality=municipality)
        assert report.ok, (encoding, report.errors)
        assert report.sheets[0].created == 2
    times = sorted(timezone.localtime(t) for t in HandlingRecord.objects.values_list("occurred_at", flat=True))
    assert times[1] == dt.datetime(2026, 4, 2, 9, 30, tzinfo=TOKYO)


def test_errors_name_sheet_and_cell_in_japanese_and_nothing_is_written(municipality, world):
    before = db_state()
    report = run_import(sheet(
        line(事務="ない事務"),                                   # A4
        line(ID="9-9"),                                          # B5
        line(日時="R8.13.1 10:00"),                              # D6
        line(取扱区分="閲覧"),                                   # E7
        line(職員番号="Z9"),                                     # F8
        line(件数=0),                                            # I9
        line(取扱区分="廃棄", ID="1-6"),                         # M10 and N10: method and witness
        line(承認者職員番号="Q1"),                               # K11
        line(日時="2100-01-01 10:00"),                           # D12: future
        line(), line(),                                          # D14 duplicates D13
    ), actor=None, municipality=municipality)
    assert not report.ok
    cells = {p.cell for p in report.errors}
    assert cells == {"A4", "B5", "D6", "E7", "F8", "I9", "M10", "N10", "K11", "D12", "D14"}, report.errors
    assert all(p.sheet == "取扱記録" for p in report.errors)
    messages = " ".join(p.message for p in report.errors)
    assert "登録簿にありません" in messages and "立会者" in messages and "使える値" in messages
    assert db_state() == before


def test_dry_run_counts_and_writes_nothing(municipality, world):
    before = db_state()
    report = run_import(sheet(line(), line(日時="R8.4.3 11:00", 職員番号="S2", 取扱者="別人")), actor=None,
                        municipality=municipality, dry_run=True)
    assert report.ok, report.errors
    assert report.sheets[0].created == 2
    assert [w.cell for w in report.warnings] == ["G5"]  # the name does not match the roster's
    assert db_state() == before


def test_a_date_without_time_is_read_as_midnight_with_a_warning(municipality, world):
    report = run_import(sheet(line(日時="2026/4/5")), actor=None, municipality=municipality)
    assert report.ok and [w.cell for w in report.warnings] == ["D4"]
    assert timezone.localtime(HandlingRecord.objects.get().occurred_at).hour == 0
