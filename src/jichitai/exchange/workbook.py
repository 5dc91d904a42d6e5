"""Reading uploaded workbooks with python-calamine into plain rows, origin A1."""

import csv
import datetime as dt
import io

from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from jichitai.core.mynumber import contains_my_number

from .report import ImportReport

MY_NUMBER_CELL_MESSAGE = "個人番号（マイナンバー）と思われる12桁の数字があります。個人番号は登録できません（値は表示しません）。"

Rows = list[list[object]]


class WorkbookError(ValueError):
    """The file cannot be read as a workbook at all."""


def cell_ref(row: int, column: int) -> str:
    """Zero-based indexes → Excel reference (0, 1) → B1."""
    return f"{get_column_letter(column + 1)}{row + 1}"


CSV_SHEET = "CSV"


def read_workbook(data: bytes) -> dict[str, Rows]:
    """Every sheet of an .xlsx/.xls/.ods, or the one table of a CSV file (UTF-8 or Shift_JIS/CP932)."""
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in workbook.sheet_names
        }
    except Exception as exc:  # calamine raises several error types for unreadable files
        rows = _read_csv(data)
        if rows is not None:
            return {CSV_SHEET: rows}
        raise WorkbookError(
            "ファイルを Excel ブック（.xlsx/.xls/.ods）または CSV として読み込めません。ファイルが壊れているか、形式が違います。"
        ) from exc


def _read_csv(data: bytes) -> Rows | None:
    if b"\x00" in data[:4096] or data[:2] == b"PK":
        return None  # binary, or a damaged zip (xlsx): not a CSV
    # Excel in Japan writes CSV as CP932 unless told otherwise; try UTF-8 (with or without BOM) first.
    for encoding in ("utf-8-sig", "cp932"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        rows = [list(row) for row in csv.reader(io.StringIO(text))]
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


def guard_cells(sheet: str, rows: Rows, report: ImportReport) -> None:
    """Refuse any cell holding what looks like an individual number, naming only the cell."""
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value not in ("", None) and contains_my_number(cell_text(value)):
                report.error(sheet, cell_ref(r, c), MY_NUMBER_CELL_MESSAGE)
