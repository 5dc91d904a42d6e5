"""core.sheets.writing's streamed tables write what new_table + data_row + finish write, and core.http's CSV
download is streamed, with a BOM and formula-like text neutralised."""

import csv
import datetime as dt
import io
import os

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook
from openpyxl.styles import PatternFill

from jichitai.core.http import csv_response
from jichitai.core.sheets.writing import (
    DATE_PEEK_ROWS,
    FilledRow,
    data_row,
    finish,
    new_table,
    streamed_table,
)
from jichitai.core.wareki import use_date_style

COLUMNS = [("名前", 12), ("日付", 10), ("数", 6), ("メモ", 20)]
RED = PatternFill("solid", fgColor="F8CBAD")


def rows() -> list:
    return [["佐藤", dt.date(2026, 12, 3), 3, "=HYPERLINK(1)"], ["鈴木", None, 0, ""],
            ["田中", dt.datetime(2026, 12, 3, 14, 5), -1, "+1"]]  # noqa: DTZ001 - a sheet's wall-clock time


def cells(data: bytes) -> dict:
    sheet = load_workbook(io.BytesIO(data)).active
    return {c.coordinate: (c.value, c.data_type, c.number_format, c.quotePrefix, repr(c.font), repr(c.fill),
                           repr(c.border), repr(c.alignment))
            for row in sheet.iter_rows() for c in row}


def test_streamed_table_writes_what_the_cell_by_cell_table_writes():
    workbook, sheet = new_table("一覧", "一覧（テスト市）", "令和8年12月3日現在", COLUMNS, 3)
    for r, values in enumerate(rows(), start=4):
        data_row(sheet, r, values)
    before = finish(workbook, sheet, 3, 1)
    after = streamed_table("一覧", "一覧（テスト市）", "令和8年12月3日現在", COLUMNS, 3, iter(rows()), frozen_columns=1)
    assert cells(after) == cells(before)
    old, new = load_workbook(io.BytesIO(before)).active, load_workbook(io.BytesIO(after)).active
    assert {k: d.width for k, d in new.column_dimensions.items()} == {k: d.width for k, d in old.column_dimensions.items()}
    assert new.column_dimensions["B"].width == 20  # widened for the date-time, as put widens it
    assert (new.freeze_panes, new.print_title_rows) == (old.freeze_panes, old.print_title_rows) == ("B4", "$3:$3")
    assert new["D4"].value == "=HYPERLINK(1)" and new["D4"].data_type == "s" and new["D4"].quotePrefix
    assert new["B4"].number_format.startswith("[$-411]ggge")


def test_a_date_column_named_up_front_is_widened_even_when_its_first_date_comes_late():
    late = [["x", None, 1, ""]] * DATE_PEEK_ROWS + [["y", dt.date(2026, 1, 1), 2, ""]]
    unnamed = load_workbook(io.BytesIO(streamed_table("一覧", "見出し", "副題", COLUMNS, 3, late))).active
    named = load_workbook(io.BytesIO(streamed_table("一覧", "見出し", "副題", COLUMNS, 3, late,
                                                    date_columns={2: False}))).active
    assert unnamed.column_dimensions["B"].width == 10 and named.column_dimensions["B"].width == 15
    assert named.cell(row=4 + DATE_PEEK_ROWS, column=2).value == dt.datetime(2026, 1, 1)  # noqa: DTZ001
    assert named.max_row == 3 + DATE_PEEK_ROWS + 1


def test_filled_rows_merged_title_and_western_dates():
    with use_date_style("western"):
        data = streamed_table("一覧", "見出し", "副題", COLUMNS, 4,
                              [FilledRow(["a", dt.date(2026, 1, 2), 1, "b"], {2: RED, 4: RED}), ["c", None, 2, "d"]],
                              merge_title=True, alignment=None)
    sheet = load_workbook(io.BytesIO(data)).active
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:D1"]
    assert sheet["B5"].fill.fgColor.rgb.endswith("F8CBAD") and sheet["D5"].fill.fgColor.rgb.endswith("F8CBAD")
    assert sheet["A5"].fill.fill_type is None and sheet["B6"].fill.fill_type is None
    assert sheet["B5"].number_format == 'yyyy"年"m"月"d"日"' and sheet["B5"].border.left.style == "thin"
    assert sheet["A5"].alignment.wrap_text is None


def test_a_row_of_another_width_is_refused():
    with pytest.raises(ValueError):
        streamed_table("一覧", "見出し", "副題", COLUMNS, 3, [["a", None, 1]])


def test_csv_response_streams_utf8_with_bom_and_neutralises_formulas():
    produced = []

    def lines():
        for i in range(3):
            produced.append(i)
            yield [f"=行{i}", i, None, "-x", "普通の文, 引用\"符"]

    response = csv_response(["見出し", "数", "空", "記号", "文"], lines(), "一覧.csv")
    assert isinstance(response, StreamingHttpResponse) and produced == []  # nothing read before the body is
    assert "filename*=UTF-8''%E4%B8%80%E8%A6%A7.csv" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf") and body.endswith(b"\r\n")
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == ["見出し", "数", "空", "記号", "文"]
    assert table[1:] == [[f"'=行{i}", str(i), "", "'-x", "普通の文, 引用\"符"] for i in range(3)]


def test_a_failed_export_leaves_no_temporary_file(monkeypatch):
    import openpyxl.worksheet._writer as sheet_writer

    made = []
    real = sheet_writer.create_temporary_file

    def tracked(suffix=""):
        made.append(real(suffix))
        return made[-1]

    monkeypatch.setattr(sheet_writer, "create_temporary_file", tracked)
    with pytest.raises(ValueError):
        streamed_table("一覧", "見出し", "副題", COLUMNS, 3, [["a", None, 1, ""], ["b", None, 2]])
    assert len(made) == 1 and not os.path.exists(made[0])
    streamed_table("一覧", "見出し", "副題", COLUMNS, 3, [["a", None, 1, ""]])
    assert len(made) == 2 and not os.path.exists(made[1])  # saving removes it too
