"""The layout most exported lists share: a title, a date line, a styled header, bordered rows, A4 landscape."""

import datetime as dt
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .print_setup import a4_landscape

HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="000000")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def new_table(sheet_title: str, title: str, subtitle: str, columns, header_row: int) -> tuple[Workbook, Worksheet]:
    """A workbook whose one sheet has the title, the date line and the header; `columns` are (label, width)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title
    sheet["A1"] = title
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A2"] = subtitle
    for c, (label, width) in enumerate(columns, start=1):
        cell = sheet.cell(row=header_row, column=c, value=label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.border = BOX
        sheet.column_dimensions[get_column_letter(c)].width = width
    return workbook, sheet


def write_row(sheet: Worksheet, row: int, values: Iterable, fill: PatternFill | None = None) -> None:
    """Bordered, wrapped, dates as yyyy-mm-dd; blank strings left empty."""
    for c, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=c, value=value if value != "" else None)
        cell.border = BOX
        cell.alignment = Alignment(vertical="top", wrap_text=True)
        if isinstance(value, dt.date):
            cell.number_format = "yyyy-mm-dd"
        if fill is not None:
            cell.fill = fill


def finish(workbook: Workbook, sheet: Worksheet, header_row: int) -> bytes:
    a4_landscape(sheet, header_row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
