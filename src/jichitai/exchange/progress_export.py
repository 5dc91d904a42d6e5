"""The progress matrix as an .xlsx laid out like the seed's sheet, printable on A4 landscape."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jichitai.core.sheets.writing import a4_landscape
from jichitai.core.wareki import format_wareki
from jichitai.processes import rules
from jichitai.processes.queries import Matrix

SHEET_TITLE = "進捗状況"
LEGEND = "〇完了 △着手 ×未着手 -不要"
NAME_HEADER = "個人番号利用事務"
BASIS_HEADER = "法的根拠"
HEADER_ROW = 5

_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_FONT = "游ゴシック"


def build_workbook(matrix: Matrix) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    last_col = 2 + len(rules.COLUMNS)
    sheet["A1"] = f"{matrix.municipality.name} 業務フロー等進捗状況"
    sheet["A1"].font = Font(name=_FONT, size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=last_col)
    date_cell = sheet.cell(row=2, column=last_col, value=f"{format_wareki(matrix.as_of)}現在")
    date_cell.alignment = Alignment(horizontal="right")
    sheet.cell(row=3, column=last_col, value=LEGEND).alignment = Alignment(horizontal="right")

    headers = [NAME_HEADER] + [name for _, name in rules.COLUMNS] + [BASIS_HEADER]
    for c, title in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=c, value=title)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(matrix.rows, start=HEADER_ROW + 1):
        name = sheet.cell(row=r, column=1, value=row.process.name)
        name.alignment = Alignment(wrap_text=True, vertical="center")
        name.border = _BOX
        for c, key in enumerate(rules.COLUMN_KEYS, start=2):
            cell = sheet.cell(row=r, column=c, value=rules.STATUS_SYMBOL[row.cells[key]])
            cell.alignment = Alignment(horizontal="center", vertical="center")
            cell.border = _BOX
        basis = sheet.cell(row=r, column=last_col, value=row.process.legal_basis_label or "")
        basis.alignment = Alignment(vertical="center", wrap_text=True)
        basis.border = _BOX
    totals_row = HEADER_ROW + len(matrix.rows) + 1
    sheet.cell(row=totals_row, column=1, value="合計（〇完了/対象）").font = Font(name=_FONT, bold=True)
    for c, key in enumerate(rules.COLUMN_KEYS, start=2):
        counts = matrix.totals[key]
        needed = sum(counts.values()) - counts["not_needed"]
        cell = sheet.cell(row=totals_row, column=c, value=f"{counts['done']}/{needed}")
        cell.alignment = Alignment(horizontal="center")

    sheet.column_dimensions["A"].width = 70
    for c in range(2, last_col):
        sheet.column_dimensions[get_column_letter(c)].width = 11
    sheet.column_dimensions[get_column_letter(last_col)].width = 18
    a4_landscape(sheet, HEADER_ROW, frozen_columns=1)
    return workbook


def export_bytes(matrix: Matrix) -> bytes:
    buffer = io.BytesIO()
    build_workbook(matrix).save(buffer)
    return buffer.getvalue()
