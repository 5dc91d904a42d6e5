"""The one cell writer every exported .xlsx goes through: styles, print setup, and text that stays text.

A user's text that begins with =, +, -, @, a tab or a carriage return would be taken by Excel as a
formula (「=HYPERLINK(…)」 in an incident title would become a live link). `put` and `append_row` store
such a string as text, and `workbook_bytes` checks every cell once more before saving.

A date stays a real date cell (sortable, filterable) shown in the viewer's style (core.wareki): 和暦 through Excel's
Japanese-locale era format ([$-411]ggge: 令和8年12月3日; LibreOffice reads it too), or 2026年12月3日.
"""

import datetime as dt
import io
from collections.abc import Iterable

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from jichitai.core.wareki import WESTERN, current_style

FONT = "游ゴシック"
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_THIN = Side(style="thin", color="000000")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
WRAP_TOP = Alignment(vertical="top", wrap_text=True)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
WAREKI_DATE_FORMAT = '[$-411]ggge"年"m"月"d"日"'
WESTERN_DATE_FORMAT = 'yyyy"年"m"月"d"日"'
TIME_SUFFIX = " hh:mm"
# 令和8年12月3日 is about 14 characters wide in a Japanese font, 20 with a time; narrower columns show ####.
DATE_WIDTH, DATETIME_WIDTH = 15, 20


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def date_format(value: dt.date) -> str:
    """The number format of a date (or date-time) cell in the current display style."""
    base = WESTERN_DATE_FORMAT if current_style() == WESTERN else WAREKI_DATE_FORMAT
    return base + TIME_SUFFIX if isinstance(value, dt.datetime) else base


def _cell_value(value: object) -> object:
    # openpyxl cannot store an aware datetime: the moment is written as the wall-clock time of Japan (settings).
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def _date_cell(sheet: Worksheet, cell: Cell, value: dt.date, number_format: str | None = None) -> None:
    cell.number_format = number_format or date_format(value)
    needed = DATETIME_WIDTH if isinstance(value, dt.datetime) else DATE_WIDTH
    dimension = sheet.column_dimensions[cell.column_letter]
    if (dimension.width or 0) < needed:
        dimension.width = needed


def _as_text(cell: Cell) -> None:
    # Stored as a string with Excel's quote prefix: shown as typed, never evaluated, still text if edited.
    cell.data_type = "s"
    cell.quotePrefix = True


def put(sheet: Worksheet, row: int, column: int, value: object, *, bold: bool = False, size: int | None = None,
        fill: PatternFill | None = None, border: Border | None = None, alignment: Alignment | None = None,
        number_format: str | None = None) -> Cell:
    """Write one cell (1-based); blank strings are left empty; formula-like text stays text."""
    value = _cell_value(value)
    cell = sheet.cell(row=row, column=column, value=None if value == "" else value)
    if is_formula_like(value):
        _as_text(cell)
    if bold or size:
        cell.font = Font(name=FONT, bold=bold, size=size)
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment
    if isinstance(value, dt.date):
        _date_cell(sheet, cell, value, number_format)
    elif number_format is not None:
        cell.number_format = number_format
    return cell


def append_row(sheet: Worksheet, values: Iterable) -> int:
    """Like Worksheet.append (an empty list still takes a row), with formula-like text kept as text.
    Returns the row number written."""
    values = [_cell_value(value) for value in values]
    sheet.append([None if value == "" else value for value in values])
    row = sheet._current_row  # where append wrote: openpyxl keeps it, and max_row ignores empty rows
    for c, value in enumerate(values, start=1):
        if is_formula_like(value):
            _as_text(sheet.cell(row=row, column=c))
        elif isinstance(value, dt.date):
            _date_cell(sheet, sheet.cell(row=row, column=c), value)
    return row


def header(sheet: Worksheet, row: int, columns: Iterable[tuple[str, float | None]], *, start: int = 1) -> None:
    """A styled header row; `columns` are (label, width), a width of None leaves the column as it is."""
    for c, (label, width) in enumerate(columns, start=start):
        put(sheet, row, c, label, bold=True, fill=HEADER_FILL, border=BOX, alignment=CENTRE)
        if width is not None:
            sheet.column_dimensions[get_column_letter(c)].width = width


def data_row(sheet: Worksheet, row: int, values: Iterable, *, fill: PatternFill | None = None,
             alignment: Alignment = WRAP_TOP) -> None:
    """Bordered, wrapped, dates formatted; blank strings left empty."""
    for c, value in enumerate(values, start=1):
        put(sheet, row, c, value, fill=fill, border=BOX, alignment=alignment)


def title(sheet: Worksheet, text: str, *, last_column: int | None = None, cell: str = "A1") -> None:
    target = sheet[cell]
    put(sheet, target.row, target.column, text, bold=True, size=14)
    if last_column:
        sheet.merge_cells(start_row=target.row, start_column=target.column, end_row=target.row,
                          end_column=last_column)


def new_table(sheet_title: str, heading: str, subtitle: str, columns, header_row: int) -> tuple[Workbook, Worksheet]:
    """A workbook whose one sheet has the title, the date line and the header; `columns` are (label, width)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]
    title(sheet, heading)
    put(sheet, 2, 1, subtitle)
    header(sheet, header_row, columns)
    return workbook, sheet


def a4_landscape(sheet: Worksheet, header_row: int, frozen_columns: int = 0, *, a3: bool = False) -> None:
    """A4 (or A3) landscape, fit to width, the header row repeated on each page, page numbers in the footer."""
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=frozen_columns + 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A3 if a3 else sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.oddFooter.center.text = "&P / &N"


def finish(workbook: Workbook, sheet: Worksheet, header_row: int, frozen_columns: int = 0) -> bytes:
    a4_landscape(sheet, header_row, frozen_columns)
    return workbook_bytes(workbook)


def workbook_bytes(workbook: Workbook) -> bytes:
    """The .xlsx file. No export writes a formula, so any formula cell here is user text: it is made text."""
    for sheet in workbook.worksheets:
        # _cells holds only the cells written, which is much cheaper than iter_rows over the whole range.
        for cell in sheet._cells.values():
            if cell.data_type == "f":
                _as_text(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
