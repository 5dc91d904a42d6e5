"""The one cell writer every exported .xlsx goes through: styles, print setup, and text that stays text.

A user's text that begins with =, +, -, @, a tab or a carriage return would be taken by Excel as a
formula (「=HYPERLINK(…)」 in an incident title would become a live link). `put` and `append_row` store
such a string as text, and `workbook_bytes` checks every cell once more before saving.

Exports whose size grows with the data are written through `StreamedSheet` (openpyxl's write-only mode): rows go
to a temporary file as they are written, so memory stays flat whatever the number of rows. Its cells are styled
like `put`'s, from styles resolved once per sheet (setting a style per cell costs more than writing the cell).

A date stays a real date cell (sortable, filterable) shown in the viewer's style (core.wareki): 和暦 through Excel's
Japanese-locale era format ([$-411]ggge: 令和8年12月3日; LibreOffice reads it too), or 2026年12月3日.
"""

import contextlib
import datetime as dt
import io
import os
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import NamedTuple

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
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


def _style(cell: Cell, *, bold: bool, size: int | None, fill: PatternFill | None, border: Border | None,
           alignment: Alignment | None) -> None:
    """The font, fill, border and alignment `put` and `StreamedSheet.style` give a cell."""
    if bold or size:
        cell.font = Font(name=FONT, bold=bold, size=size)
    if fill is not None:
        cell.fill = fill
    if border is not None:
        cell.border = border
    if alignment is not None:
        cell.alignment = alignment


def put(sheet: Worksheet, row: int, column: int, value: object, *, bold: bool = False, size: int | None = None,
        fill: PatternFill | None = None, border: Border | None = None, alignment: Alignment | None = None,
        number_format: str | None = None) -> Cell:
    """Write one cell (1-based); blank strings are left empty; formula-like text stays text."""
    value = _cell_value(value)
    cell = sheet.cell(row=row, column=column, value=None if value == "" else value)
    if is_formula_like(value):
        _as_text(cell)
    _style(cell, bold=bold, size=size, fill=fill, border=border, alignment=alignment)
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
    if isinstance(sheet, WriteOnlyWorksheet):  # no cells to look up: the coordinate (before the first row)
        sheet.freeze_panes = f"{get_column_letter(frozen_columns + 1)}{header_row + 1}"
    else:
        sheet.freeze_panes = sheet.cell(row=header_row + 1, column=frozen_columns + 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A3 if a3 else Worksheet.PAPERSIZE_A4
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


# ---- streamed (write-only) workbooks: for exports whose size grows with the data ----

# Rows looked at before the header is written, to widen the columns that hold dates (as `put` does).
DATE_PEEK_ROWS = 200


def streamed_workbook() -> Workbook:
    """A write-only workbook (no default sheet): add sheets with StreamedSheet, then `workbook_bytes`, both
    inside `discarded_on_error`."""
    return Workbook(write_only=True)


@contextlib.contextmanager
def discarded_on_error(workbook: Workbook):
    """Should writing fail half-way, the sheets' temporary files are closed and removed (saving removes them)."""
    try:
        yield workbook
    except BaseException:
        for sheet in workbook.worksheets:
            writer = getattr(sheet, "_writer", None)
            if writer is None:
                continue
            for stream in (getattr(sheet, "_rows", None), writer.xf):
                with contextlib.suppress(Exception):
                    if stream is not None:
                        stream.close()
            with contextlib.suppress(OSError):
                os.remove(writer.out)
        raise


class _StreamedWorksheet(WriteOnlyWorksheet):
    """Takes rows of ready cells as they are. (openpyxl's own first tries each item as a plain value, an exception
    per styled cell, and makes a new cell after each styled one: a third of the time of a large export.)"""

    def _values_to_row(self, values, row_idx):
        for col_idx, value in enumerate(values, 1):
            if value is None:
                continue
            cell = value if isinstance(value, Cell) else Cell(self, value=value)
            cell.row, cell.column = row_idx, col_idx
            yield cell


class _RowCell(Cell):
    """A StreamedRow's reused cell: its style never changes, so its style id is looked up once, not per value."""

    __slots__ = ("_style_id",)

    def __init__(self, worksheet, style: StyleArray | None):
        super().__init__(worksheet, row=1, column=1, style_array=style)
        self._style_id = Cell.style_id.fget(self)

    @property
    def style_id(self) -> int:
        return self._style_id


class StreamedSheet:
    """One sheet of a write-only workbook, written top to bottom a row at a time; nothing written stays in memory.

    Column widths, frozen panes and the print setup must be set before the first row (`widths`, `a4_landscape`);
    merged ranges any time before saving. Cells are made by `cell` with a style from `style` (resolved once), or
    a whole row of one shape by a `StreamedRow`."""

    def __init__(self, workbook: Workbook, title: str):
        self.sheet = _StreamedWorksheet(parent=workbook, title=title[:31])
        workbook._add_sheet(self.sheet)
        self.row = 0  # the last row written

    def style(self, *, bold: bool = False, size: int | None = None, fill: PatternFill | None = None,
              border: Border | None = None, alignment: Alignment | None = None,
              number_format: str | None = None) -> StyleArray:
        """The style `put` would give a cell with these arguments, as openpyxl stores it (workbook-wide indices)."""
        probe = Cell(self.sheet)
        _style(probe, bold=bold, size=size, fill=fill, border=border, alignment=alignment)
        if number_format is not None:
            probe.number_format = number_format
        return probe._style

    def with_format(self, style: StyleArray | None, number_format: str) -> StyleArray:
        probe = Cell(self.sheet, style_array=style)
        probe.number_format = number_format
        return probe._style

    def cell(self, value: object, style: StyleArray | None = None, *, date_style: StyleArray | None = None) -> Cell:
        """A cell like `put` writes: blank strings empty, formula-like text kept as text, dates as date cells.
        `date_style` is the style for a date value (`style` with the date's number format), else made here."""
        value = _cell_value(value)
        if isinstance(value, dt.date):
            style = date_style if date_style is not None else self.with_format(style, date_format(value))
        cell = Cell(self.sheet, value=None if value == "" else value, style_array=style)
        if is_formula_like(value):
            _as_text(cell)
        return cell

    def widths(self, widths: Iterable[float | None], *, start: int = 1) -> None:
        for c, width in enumerate(widths, start=start):
            if width is not None:
                self.sheet.column_dimensions[get_column_letter(c)].width = width

    def append(self, cells: Sequence) -> int:
        """Write the next row (cells, plain values or None for nothing); returns its number. The row is written
        out before this returns: its cells may be reused."""
        self.sheet.append(cells)
        self.row += 1
        return self.row

    def skip_to(self, row: int) -> None:
        """Leave rows empty until the next one written is `row`."""
        while self.row < row - 1:
            self.append(())

    def merge(self, row: int, first_column: int, last_column: int) -> None:
        self.sheet.merged_cells.add(f"{get_column_letter(first_column)}{row}:{get_column_letter(last_column)}{row}")

    def title(self, text: str, *, last_column: int | None = None) -> list:
        """Row 1's title cell (bold, 14pt), merged to `last_column`: a list to append the row's other cells to."""
        if last_column:
            self.merge(1, 1, last_column)
        return [self.cell(text, self.style(bold=True, size=14))]

    def header_cells(self, labels: Iterable[str]) -> list[Cell]:
        """The cells of `header`'s row (widths are set with `widths`, before the first row)."""
        style = self.style(bold=True, fill=HEADER_FILL, border=BOX, alignment=CENTRE)
        return [self.cell(label, style) for label in labels]


class FilledRow(NamedTuple):
    """A row of values some of whose cells are filled: `fills` maps a 1-based column to its fill."""

    values: Sequence
    fills: dict[int, PatternFill]


class StreamedRow:
    """Rows of one shape (a style per column) written to a StreamedSheet as `put` writes cells. The same cells
    carry every row's values (a row is written out as it is appended), so no cell is made per value except a date,
    formula-like text or a filled cell, which take a cell of their own. `number_formats`: 1-based column → a
    date's format."""

    def __init__(self, sheet: StreamedSheet, styles: Sequence[StyleArray | None],
                 number_formats: dict[int, str] | None = None):
        self.sheet, self.styles = sheet, list(styles)
        self.cells = [_RowCell(sheet.sheet, style) for style in self.styles]
        self.formats = number_formats or {}
        self._styles: dict[tuple, StyleArray] = {}

    def append(self, values: Iterable, fills: dict[int, PatternFill] | None = None) -> int:
        row = []
        for c, (cell, value) in enumerate(zip(self.cells, values, strict=True)):
            value = _cell_value(value)
            fill = fills.get(c + 1) if fills else None
            if isinstance(value, dt.date):
                row.append(self.sheet.cell(value, date_style=self._style(c, fill, value)))
            elif fill is not None or is_formula_like(value):
                row.append(self.sheet.cell(value, self._style(c, fill)))
            else:
                cell.value = None if value == "" else value
                row.append(cell)
        return self.sheet.append(row)

    def _style(self, c: int, fill: PatternFill | None, date: dt.date | None = None) -> StyleArray:
        """Column c's style with `fill`, and a date's number format when a date is given (resolved once)."""
        key = (c, id(fill), None if date is None else isinstance(date, dt.datetime))
        if key not in self._styles:
            probe = Cell(self.sheet.sheet, style_array=self.styles[c])
            if fill is not None:
                probe.fill = fill
            if date is not None:
                probe.number_format = self.formats.get(c + 1) or date_format(date)
            self._styles[key] = probe._style
        return self._styles[key]


def _date_widths(columns: Sequence[tuple[str, float | None]], rows: Sequence[Sequence],
                 date_columns: dict[int, bool]) -> list[float | None]:
    """The header's widths, widened where one of `rows` holds a date, as `put` widens them, and for
    `date_columns` (1-based column → whether it holds date-times) whatever the rows hold."""
    widths = [width for _label, width in columns]
    for c, with_time in date_columns.items():
        needed = DATETIME_WIDTH if with_time else DATE_WIDTH
        if (widths[c - 1] or 0) < needed:
            widths[c - 1] = needed
    for row in rows:
        for c, value in enumerate(row.values if isinstance(row, FilledRow) else row):
            if isinstance(value, dt.date):
                needed = DATETIME_WIDTH if isinstance(value, dt.datetime) else DATE_WIDTH
                widths.extend([None] * (c + 1 - len(widths)))
                if (widths[c] or 0) < needed:
                    widths[c] = needed
    return widths


def streamed_table(sheet_title: str, heading: str, subtitle: str, columns: Sequence[tuple[str, float | None]],
                   header_row: int, rows: Iterable[Sequence | FilledRow], *, frozen_columns: int = 0,
                   alignment: Alignment | None = WRAP_TOP, number_formats: dict[int, str] | None = None,
                   date_columns: dict[int, bool] | None = None, merge_title: bool = False) -> bytes:
    """What new_table + data_row per row + finish write, streamed: one sheet with the title (merged across the
    table with `merge_title`), the date line, the header at `header_row` and a bordered row per item of `rows`
    (an iterator is read once, as it goes; a FilledRow fills some of its cells), all of the header's width.

    `number_formats` (1-based column → format) replaces a date's format in that column. The widths must be known
    before the first row is written: a column is widened for the dates found in the first DATE_PEEK_ROWS rows, and
    so are `date_columns` (1-based column → whether date-times), which may hold a date only further down."""
    rows = iter(rows)
    first = list(islice(rows, DATE_PEEK_ROWS))
    widths = _date_widths(columns, first, date_columns or {})
    with discarded_on_error(streamed_workbook()) as workbook:
        sheet = StreamedSheet(workbook, sheet_title)
        sheet.widths(widths)
        a4_landscape(sheet.sheet, header_row, frozen_columns)
        sheet.append(sheet.title(heading, last_column=len(columns) if merge_title else None))
        sheet.append([sheet.cell(subtitle)])
        sheet.skip_to(header_row)
        sheet.append(sheet.header_cells(label for label, _width in columns))
        writer = StreamedRow(sheet, [sheet.style(border=BOX, alignment=alignment)] * len(columns), number_formats)
        for row in _chain(first, rows):
            if isinstance(row, FilledRow):
                writer.append(row.values, row.fills)
            else:
                writer.append(row)
        return workbook_bytes(workbook)


def _chain(first: list, rest: Iterator) -> Iterator:
    yield from first
    first.clear()  # the peeked rows are not kept while the rest is written
    yield from rest
