"""The progress matrix (laid out like the seed's sheet) and the association's comparison, as .xlsx, A4 landscape."""

import datetime as dt

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from jichitai.core.sheets.writing import BOX, CENTRE, a4_landscape, header, put, title, workbook_bytes
from jichitai.core.wareki import format_date

from . import rules
from .queries import Matrix

SHEET_TITLE = "進捗状況"
LEGEND = "〇完了 △着手 ×未着手 -不要"
NAME_HEADER = "個人番号利用事務"
BASIS_HEADER = "法的根拠"
HEADER_ROW = 5
_RIGHT = Alignment(horizontal="right")
_MIDDLE_WRAP = Alignment(vertical="center", wrap_text=True)


def build_workbook(matrix: Matrix) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    last_col = 2 + len(rules.COLUMNS)
    title(sheet, f"{matrix.municipality.name} 業務フロー等進捗状況", last_column=last_col)
    put(sheet, 2, last_col, f"{format_date(matrix.as_of)}現在", alignment=_RIGHT)
    put(sheet, 3, last_col, LEGEND, alignment=_RIGHT)
    header(sheet, HEADER_ROW, [(NAME_HEADER, 70)] + [(name, 11) for _, name in rules.COLUMNS] + [(BASIS_HEADER, 18)])
    for r, row in enumerate(matrix.rows, start=HEADER_ROW + 1):
        put(sheet, r, 1, row.process.name, border=BOX, alignment=_MIDDLE_WRAP)
        for c, key in enumerate(rules.COLUMN_KEYS, start=2):
            put(sheet, r, c, rules.STATUS_SYMBOL[row.cells[key]], border=BOX, alignment=CENTRE)
        put(sheet, r, last_col, row.process.legal_basis_label or "", border=BOX, alignment=_MIDDLE_WRAP)
    totals_row = HEADER_ROW + len(matrix.rows) + 1
    put(sheet, totals_row, 1, "合計（〇完了/対象）", bold=True)
    for c, key in enumerate(rules.COLUMN_KEYS, start=2):
        counts = matrix.totals[key]
        needed = sum(counts.values()) - counts["not_needed"]
        put(sheet, totals_row, c, f"{counts['done']}/{needed}", alignment=CENTRE)
    a4_landscape(sheet, HEADER_ROW, frozen_columns=1)
    return workbook


def export_bytes(matrix: Matrix) -> bytes:
    return workbook_bytes(build_workbook(matrix))


def association_bytes(association, summaries, as_of: dt.date) -> bytes:
    """One row per member: per column the % done (不要 excluded) and the counts, then the overall %."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "構成団体比較"
    title(sheet, f"{association.name} 構成団体別 業務フロー等進捗状況")
    put(sheet, 2, 1, f"{format_date(as_of)}現在　完了率は「-不要」を除く")
    columns = [("団体コード", None), ("団体名", 18), ("事務数", None)]
    for _, name in rules.COLUMNS:
        columns += [(f"{name} 完了率", 11), (f"{name} 〇/△/×/-", 11)]
    columns.append(("全体 完了率", 11))
    header(sheet, 4, columns)
    for r, summary in enumerate(summaries, start=5):
        values = [summary.municipality.code, summary.municipality.name, summary.processes]
        for key in rules.COLUMN_KEYS:
            counts = summary.totals[key]
            pct = summary.percent_done[key]
            values += [None if pct is None else pct / 100,
                       f"{counts['done']}/{counts['started']}/{counts['not_started']}/{counts['not_needed']}"]
        overall = summary.overall_percent
        values.append(None if overall is None else overall / 100)
        for c, value in enumerate(values, start=1):
            put(sheet, r, c, value, number_format="0.0%" if isinstance(value, float) else None)
    for c in range(4, len(columns) + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 11
    a4_landscape(sheet, header_row=4, frozen_columns=2)
    return workbook_bytes(workbook)
