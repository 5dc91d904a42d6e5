"""Reading uploaded workbooks with python-calamine into plain rows (origin A1), and finding things in them.

Every import kind reads through here: one reader, one way to name a cell, one header finder.
"""

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping

from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from jichitai.core.mynumber import contains_my_number
from jichitai.core.text import normalise

from .limits import Limits, WorkbookError, check_workbook, is_workbook  # WorkbookError: imported from here
from .report import ImportReport

MY_NUMBER_CELL_MESSAGE = "個人番号（マイナンバー）と思われる12桁の数字があります。個人番号は登録できません（値は表示しません）。"
MY_NUMBER_SHEET_MESSAGE = "シート名（ファイル名）に個人番号（マイナンバー）と思われる12桁の数字があります。名前を変えてから取り込んでください（値は表示しません）。"
UNREADABLE = ("ファイルを Excel ブック（.xlsx/.xls/.ods）または CSV として読み込めません。"
              "ファイルが壊れているか、形式が違います。")
CSV_SHEET = "CSV"
JSON_SHEET = "JSON"
# Headers sit under a title or two; a kind looks for its header in this many rows, never in a whole
# 20,000-row sheet (every kind's detector runs on every sheet).
HEADER_SCAN_ROWS = 50

Rows = list[list[object]]


def cell_ref(row: int, column: int) -> str:
    """Zero-based indexes → Excel reference (0, 1) → B1."""
    return f"{get_column_letter(column + 1)}{row + 1}"


def read_workbook(data: bytes) -> dict[str, Rows]:
    """Every sheet of an .xlsx/.xls/.ods, or the one table of a CSV file (UTF-8 or Shift_JIS/CP932).

    Refused (WorkbookError) before it is unpacked when it goes over a limit of `settings.IMPORT_LIMITS`
    (limits.py); each sheet's size is checked again before it becomes Python objects.
    """
    limits = Limits.current()
    limits.check_upload(data)
    if not is_workbook(data):  # calamine reads only zips and OLE files: anything else may be a CSV
        rows = _read_csv(data, limits)
        if rows is None:
            raise WorkbookError(UNREADABLE)
        return {CSV_SHEET: rows}
    if not check_workbook(data, limits):
        raise WorkbookError(UNREADABLE)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets, cells = {}, 0
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            end = sheet.end  # (row, column) of the last cell, zero-based; None for an empty sheet
            cells = limits.check_sheet(name, end[0] + 1 if end else 0, end[1] + 1 if end else 0, cells)
            sheets[name] = sheet.to_python(skip_empty_area=False)
        return sheets
    except WorkbookError:
        raise
    except Exception as exc:  # calamine raises several error types for unreadable files
        raise WorkbookError(UNREADABLE) from exc


def read_json(data: bytes) -> object | None:
    """A JSON document (UTF-8, with or without BOM), or None when the data is not JSON."""
    limits = Limits.current()
    limits.check_upload(data)
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head.startswith((b"{", b"[")):
        return None
    limits.check_json(data)
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        return None


def _read_csv(data: bytes, limits: Limits) -> Rows | None:
    if b"\x00" in data[:4096] or data[:2] == b"PK":
        return None  # binary, or a damaged zip (xlsx): not a CSV
    limits.check_csv(data)
    # Excel in Japan writes CSV as CP932 unless told otherwise; try UTF-8 (with or without BOM) first.
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        try:
            rows = limits.csv_rows(csv.reader(io.StringIO(text)))
        except csv.Error:  # a field over csv's size limit, a NUL: not a table
            return None
        if rows and any(len(row) > 1 for row in rows):
            return rows
    return None


def cell_text(value: object) -> str:
    """A cell as text: whole floats without .0, dates ISO."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


def compact(value: object) -> str:
    """A cell or label compared as sheets write it: NFKC, no spaces (「責任者 任務」 = 「責任者任務」)."""
    return normalise(cell_text(value)).replace(" ", "")


def find_header(rows: Rows, labels: Mapping[str, str], required: Iterable[str], *,
                scan_rows: int = HEADER_SCAN_ROWS) -> tuple[int, dict[str, int]] | None:
    """The first row (within `scan_rows`) naming every required key: (row index, {key: column index}).

    `labels` maps each accepted label, compacted, to its key; the first column with a key wins.
    """
    required = tuple(required)
    for r, row in enumerate(rows[:scan_rows]):
        found: dict[str, int] = {}
        for c, value in enumerate(row):
            key = labels.get(compact(value))
            if key and key not in found:
                found[key] = c
        if all(key in found for key in required):
            return r, found
    return None


def label_map(aliases: Mapping[str, Iterable[str] | str]) -> dict[str, str]:
    """{key: label or labels} → {compacted label: key}, for find_header."""
    result = {}
    for key, labels in aliases.items():
        for label in (labels,) if isinstance(labels, str) else labels:
            result[compact(label)] = key
    return result


def guard_cells(sheet: str, rows: Rows, report: ImportReport) -> None:
    """Refuse any cell holding what looks like an individual number, naming only the cell; and the sheet itself
    when its name (a JSON file's name) holds one (the report masks the name)."""
    if contains_my_number(sheet):
        report.error(sheet, "", MY_NUMBER_SHEET_MESSAGE)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value not in ("", None) and contains_my_number(cell_text(value)):
                report.error(sheet, cell_ref(r, c), MY_NUMBER_CELL_MESSAGE)
