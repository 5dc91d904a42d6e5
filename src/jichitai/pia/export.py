"""The PIA page as .xlsx: every file shown (filtered and sorted like the page), required vs done, due dates."""

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jichitai.core.wareki import format_wareki
from jichitai.exchange.print_setup import a4_landscape

from . import rules

HEADER_ROW = 3
COLUMNS = (("特定個人情報ファイル", 28), ("対象となる事務", 36), ("対象人数", 10), ("取扱者数", 10),
           ("必要な評価", 22), ("根拠", 30), ("実施済みの評価", 22), ("評価日（公表・提出）", 14),
           ("見直し期限（第14条）", 14), ("再実施期限（第15条）", 14), ("注意事項", 50))
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_ALERT = PatternFill("solid", fgColor="FCE4D6")


def files_bytes(municipality, rows, today: dt.date) -> bytes:
    """`rows` are queries.FileRow (processes and evaluations prefetched): no query here."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "特定個人情報保護評価"
    sheet["A1"] = f"特定個人情報保護評価の実施状況（{municipality.name}）"
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A2"] = f"{format_wareki(today)}現在"
    for c, (label, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=c, value=label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.border = _BOX
        sheet.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        f, state = row.spi_file, row.state
        latest = state.latest
        values = (f.name, "\n".join(p.name for p in f.processes.all()), f.persons, f.handlers, state.threshold.label,
                  state.threshold.article, rules.REQUIRED_LABEL[latest.kind] if latest else "未実施",
                  latest.evaluated_on if latest else None, state.review_due, state.reevaluation_due,
                  "\n".join(state.flag_labels))
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value if value != "" else None)
            cell.border = _BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            if state.flags:
                cell.fill = _ALERT
    a4_landscape(sheet, HEADER_ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
