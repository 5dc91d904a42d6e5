"""The association's comparison of its members as an .xlsx, A4 landscape."""

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from jichitai.core.sheets.writing import a4_landscape
from jichitai.core.wareki import format_wareki
from jichitai.processes import rules

_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")


def export_bytes(association, summaries, as_of: dt.date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "構成団体比較"
    sheet["A1"] = f"{association.name} 構成団体別 業務フロー等進捗状況"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = f"{format_wareki(as_of)}現在　完了率は「-不要」を除く"
    header = ["団体コード", "団体名", "事務数"]
    for _, name in rules.COLUMNS:
        header += [f"{name} 完了率", f"{name} 〇/△/×/-"]
    header.append("全体 完了率")
    sheet.append([])
    sheet.append(header)
    for cell in sheet[4]:
        cell.font, cell.fill = Font(bold=True), _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    for summary in summaries:
        row = [summary.municipality.code, summary.municipality.name, summary.processes]
        for key in rules.COLUMN_KEYS:
            counts = summary.totals[key]
            pct = summary.percent_done[key]
            row += [None if pct is None else pct / 100,
                    f"{counts['done']}/{counts['started']}/{counts['not_started']}/{counts['not_needed']}"]
        overall = summary.overall_percent
        row.append(None if overall is None else overall / 100)
        sheet.append(row)
    for row in sheet.iter_rows(min_row=5, min_col=4):
        for cell in row:
            if isinstance(cell.value, float):
                cell.number_format = "0.0%"
    sheet.column_dimensions["B"].width = 18
    for c in range(4, len(header) + 1):
        sheet.column_dimensions[get_column_letter(c)].width = 11
    a4_landscape(sheet, header_row=4, frozen_columns=2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
