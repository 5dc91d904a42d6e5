"""Reading uploaded workbooks with python-calamine into plain rows, origin A1."""

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


def read_workbook(data: bytes) -> dict[str, Rows]:
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return {
            name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            for name in workbook.sheet_names
        }
    except Exception as exc:  # calamine raises several error types for unreadable files
        raise WorkbookError(
            "ファイルを Excel ブック（.xlsx/.xls/.ods）として読み込めません。ファイルが壊れているか、形式が違います。"
        ) from exc


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
