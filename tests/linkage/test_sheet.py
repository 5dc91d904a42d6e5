import datetime as dt
import io

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jichitai.audit.models import AuditEntry
from jichitai.core.sheets.report import ImportReport
from jichitai.demo.seed_sheets import workbook_bytes
from jichitai.exchange.imports import Sheet, run_import
from jichitai.exchange.kinds import linkage as sheet
from jichitai.linkage import sheet as layout
from jichitai.linkage.models import LinkageItem
from jichitai.processes.models import Ordinance, Process
from tests.exchange.test_progress_import import FAKE_MY_NUMBER
from tests.helpers import run_kind
from tests.linkage.conftest import ORDINANCE_NAME, make_item

HEADER = ["連携項目", "照会/提供", "相手先", "相手先区分", "経路", "根拠（主務省令等）", "根拠条例", "備考"]


def state() -> dict:
    return {"items": list(LinkageItem.objects.order_by("pk").values_list()),
            "audit": AuditEntry.objects.count()}


def linkage_book(rows, title="情報連携確認シート(児童手当事務)", header=HEADER, name="児童手当") -> bytes:
    return workbook_bytes({name: [[title], ["テスト市 子育て支援課"], [], header, *rows]})


def run(data, municipality, process=None, dry_run=False) -> ImportReport:
    """The linkage page's upload: the pipeline limited to linkage sheets, for one process when given."""
    return run_import(data, actor=None, municipality=municipality, dry_run=dry_run, kinds=("linkage",),
                      options={"process": process} if process else {})


ROWS = [
    ["住民票関係情報", "照会", "他市町村長", "他機関", "情報提供ネットワークシステム", "主務省令 第3条", "", ""],
    ["生活保護関係情報", "照会", "市長（福祉課）", "同一団体の他の機関", "庁内連携", "", f"{ORDINANCE_NAME} 第5条", "月次"],
    ["所得証明書", "照会", "本人", "本人", "", "児童手当法施行規則", "", "経路は区分から"],
]


def test_import_reads_the_sheet_with_title_and_header_anywhere(process, municipality, ordinance):
    report = run(linkage_book(ROWS), municipality)
    assert report.ok, report.errors
    assert [(s.sheet, s.kind, s.rows, s.created) for s in report.sheets] == [("児童手当", "linkage", 3, 3)]
    items = list(LinkageItem.objects.filter(process=process))
    assert [(i.position, i.data_item, i.direction, i.counterpart_kind, i.channel, i.ordinance_id) for i in items] == [
        (0, "住民票関係情報", "inquiry", "other_body", "network", None),
        (1, "生活保護関係情報", "inquiry", "same_body_organ", "intra_office", ordinance.pk),
        (2, "所得証明書", "inquiry", "person", "submission", None)]
    assert report.warnings == []  # nothing stored yet, nothing replaced
    assert AuditEntry.objects.get(action="linkage.replace").after["created"] == 3


def test_title_may_name_the_process_by_its_beppyo_label_and_ordinance_by_name(process, municipality, ordinance):
    rows = [["生活保護関係情報", "提供", "教育委員会", "庁内", "", "", ORDINANCE_NAME, ""]]
    report = run(linkage_book(rows, title="情報連携確認シート（別表81項）"), municipality)
    assert report.ok, report.errors
    item = LinkageItem.objects.get()
    assert (item.process, item.direction, item.channel, item.ordinance) == (process, "provision", "intra_office",
                                                                             ordinance)


def test_import_replaces_existing_items_and_says_so(process, municipality, ordinance):
    make_item(process, "古い連携項目")
    make_item(process, "住民票関係情報", counterpart="他市町村長", legal_basis="主務省令 第3条", position=1)
    report = run(linkage_book(ROWS[:1]), municipality)
    assert report.ok
    assert [(w.cell, w.message) for w in report.warnings] == [
        ("A1", "事務「児童手当事務」の連携項目 2 件をこのシートの 1 行で置き換えます。シートにない 1 件は削除されます。")]
    assert list(LinkageItem.objects.values_list("data_item", "position")) == [("住民票関係情報", 0)]


def test_export_then_import_changes_nothing(process, municipality, ordinance):
    make_item(process, "地方税関係情報", legal_basis="主務省令 第2条\n（課税情報）", notes="複数行の\n備考")
    make_item(process, "生活保護関係情報", position=1, channel="intra_office", counterpart_kind="same_body_organ",
              legal_basis="", ordinance=ordinance, counterpart="市長（福祉課）")
    make_item(process, "就学援助関係情報", position=2, direction="provision", counterpart="", counterpart_kind="person",
              channel="other", legal_basis="ＡＢＣ規則")
    before = state()
    data = layout.export_bytes(process)
    report = run(data, municipality)
    assert report.ok, report.errors
    assert [(s.created, s.updated) for s in report.sheets] == [(0, 0)]
    assert state() == before


def test_export_layout_and_print_settings(process, ordinance):
    make_item(process, "生活保護関係情報", channel="intra_office", counterpart_kind="same_body_organ", ordinance=ordinance)
    workbook = load_workbook(io.BytesIO(layout.export_bytes(process)))
    ws = workbook["情報連携確認シート"]
    assert ws["A1"].value == "情報連携確認シート(児童手当事務)"
    assert [c.value for c in ws[2]] == ["連携項目", "照会/提供", "相手先", "相手先区分", "経路", "根拠（主務省令等）", "根拠条例", "備考"]
    assert [c.value for c in ws[3]] == ["生活保護関係情報", "照会", "他市町村長", "同一団体の他の機関", "庁内連携",
                                        "主務省令 第2条", f"{ORDINANCE_NAME} 第5条", None]
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    assert ws.print_title_rows == "$2:$2"
    assert sorted(str(v.sqref) for v in ws.data_validations.dataValidation) == ["B3:B502", "D3:D502", "E3:E502"]


def _rejected(data, municipality, process=None):
    before = state()
    report = run(data, municipality, process)
    assert not report.ok
    assert state() == before
    return [(e.sheet, e.cell, e.message) for e in report.errors]


def test_unknown_process_is_an_error_on_the_title_cell(process, municipality):
    book = workbook_bytes({"s": [[], ["", "情報連携確認シート(登録のない事務)"], HEADER, ROWS[0]]})
    assert _rejected(book, municipality) == [
        ("s", "B2", "事務「登録のない事務」は登録簿にありません。先に事務を登録するか、表題の事務名を登録簿と同じにしてください。")]


def test_cell_errors_are_all_collected_and_nothing_is_written(process, municipality, ordinance):
    Ordinance.objects.create(municipality=municipality, name=ORDINANCE_NAME, article="第6条",
                             effective_on=dt.date(2020, 1, 1))
    make_item(process, "残る項目")
    rows = [
        ["", "照会", "", "他機関", "", "", "", ""],
        ["A", "照会・提供", "", "他機関", "FAX", "", "", ""],
        ["B", "", "", "", "", "", "ない条例 第1条", ""],
        ["C", "提供", "", "教育委員会", "", "", ORDINANCE_NAME, ""],
        ["x" * 201, "提供", "", "本人", "", "", "", ""],
    ]
    errors = _rejected(linkage_book(rows), municipality)
    expected = [
        ("A5", "連携項目が空欄です。"),
        ("B6", "照会/提供「照会・提供」は使えません。"), ("E6", "経路「FAX」は使えません。"),
        ("B7", "照会/提供が空欄です。"), ("D7", "相手先区分と経路が空欄です"),
        ("G7", "条例「ない条例 第1条」は登録されていません。"),
        ("D8", "相手先区分「教育委員会」は使えません。"), ("G8", f"条例「{ORDINANCE_NAME}」には複数の条"),
        ("A9", "連携項目は200文字以内にしてください。"),
    ]
    assert [cell for _s, cell, _m in errors] == [cell for cell, _p in expected]
    for (_s, _c, message), (_cell, prefix) in zip(errors, expected, strict=True):
        assert message.startswith(prefix), message
    assert "第5条・第6条" in errors[7][2]


def test_my_number_in_a_cell_is_refused_without_echo(process, municipality):
    rows = [["住民票関係情報", "照会", "", "他機関", "", f"番号 {FAKE_MY_NUMBER}", "", ""]]
    errors = _rejected(linkage_book(rows), municipality)
    assert [(cell, "個人番号" in message) for _s, cell, message in errors] == [("F5", True)]
    assert all(FAKE_MY_NUMBER not in message for *_x, message in errors)


def test_upload_for_another_process_is_refused(process, municipality):
    other = Process.objects.create(municipality=municipality, name="介護保険事務")
    errors = _rejected(linkage_book(ROWS[:1]), municipality, process=other)
    assert errors == [("児童手当", "A1", "このシートは事務「児童手当事務」のものです。「介護保険事務」の画面から取り込むシートではありません。")]


def test_two_sheets_for_one_process_and_no_sheet_at_all(process, municipality):
    book = workbook_bytes({"a": [["情報連携確認シート(児童手当事務)"], HEADER, ROWS[0]],
                           "b": [["情報連携確認シート(児童手当事務)"], HEADER, ROWS[0]]})
    assert [(s, c) for s, c, _m in _rejected(book, municipality)] == [("b", "A1")]
    assert _rejected(workbook_bytes({"メモ": [["関係ない表"]]}), municipality) == [
        ("メモ", "A1", "情報連携確認シートが見つかりません。表題「情報連携確認シート(事務名)」と見出し行が必要です。")]
    assert _rejected(b"not a workbook", municipality)[0][2].startswith("ファイルを Excel ブック")


def test_dry_run_writes_nothing(process, municipality):
    before = state()
    report = run(linkage_book(ROWS[:1]), municipality, dry_run=True)
    assert report.ok and report.dry_run and state() == before


def test_the_kind_used_step_by_step(process, municipality):
    """detect, parse and apply, as exchange.imports.run_import calls them."""
    rows = [["情報連携確認シート(児童手当事務)"], HEADER, ROWS[0]]
    assert sheet.find_title(rows) == ("児童手当事務", "A1")
    assert sheet.find_title([["リスク分析表(児童手当事務)"]]) is None
    assert sheet.detect(Sheet("s", rows)) > sheet.detect(Sheet("s", rows[1:])) > 0
    report, parsed = run_kind(sheet, {"s": rows}, today=timezone.localdate(), municipality=municipality)
    assert report.ok and parsed[0].process == process and len(parsed[0].rows) == 1
    result = parsed[0].result
    assert (result.rows, result.created, result.updated) == (1, 1, 0)
    assert LinkageItem.objects.get().data_item == "住民票関係情報"


@pytest.mark.parametrize("header", [
    ["連携項目", "照会・提供", "連携先", "相手先の区分", "連携経路", "根拠", "条例", "備考"],
    ["連携項目", "照会／提供"],
])
def test_header_variants(process, municipality, header):
    rows = [["地方税関係情報", "照会", "他市町村長", "他機関", "情報提供NWS", "主務省令", "", ""][:len(header)]]
    if len(header) == 2:  # without 相手先区分 and 経路 every row needs one of them: an error on the 連携項目 cell
        assert [c for _s, c, _m in _rejected(linkage_book(rows, header=header), municipality)] == ["A5"]
        return
    assert run(linkage_book(rows, header=header), municipality).ok
    assert LinkageItem.objects.get().channel == "network"
