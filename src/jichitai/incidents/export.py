"""The incident register as .xlsx, filtered and sorted like the page; overdue reports filled red."""

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jichitai.core.wareki import format_wareki
from jichitai.exchange.print_setup import a4_landscape

from .rules import TOKYO

HEADER_ROW = 3
COLUMNS = (("事案", 30), ("事態を知った日時", 16), ("部署", 14), ("種類", 14), ("本人の数", 10), ("報告対象", 10),
           ("該当号", 18), ("速報 目安", 12), ("速報 送付日", 12), ("確報 期限", 12), ("確報 送付日", 12),
           ("本人通知日", 12), ("状態", 8), ("原因", 30))
OVERDUE_FILL = PatternFill("solid", fgColor="F8CBAD")
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _persons(incident) -> str | int | None:
    return "不明" if incident.persons_unknown else incident.persons_affected


def _row(incident) -> tuple:
    a = incident.assessment
    return (incident.title, incident.known_at.astimezone(TOKYO).strftime("%Y-%m-%d %H:%M"),
            str(incident.department or ""), "・".join(incident.kind_labels),
            _persons(incident), "要" if a.reportable else "否", "、".join(incident.ground_labels),
            a.preliminary_due, incident.preliminary_sent_on, a.final_due, incident.final_sent_on,
            incident.persons_notified_on, "対応中" if incident.open else "完了", incident.root_cause)


def register_bytes(municipality, incidents, as_of: dt.date) -> bytes:
    """`incidents` come from incidents.queries.register (assessment and overdue flags set)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "漏えい等事案"
    sheet["A1"] = f"漏えい等事案 管理簿（{municipality.name}）"
    sheet["A1"].font = Font(size=14, bold=True)
    sheet["A2"] = f"{format_wareki(as_of)}現在　速報の日付は目安（報告規則第3条第1項「速やかに」）"
    for c, (label, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=c, value=label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.border = _BOX
        sheet.column_dimensions[get_column_letter(c)].width = width
    for r, incident in enumerate(incidents, start=HEADER_ROW + 1):
        for c, value in enumerate(_row(incident), start=1):
            cell = sheet.cell(row=r, column=c, value=value if value != "" else None)
            cell.border = _BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
        if incident.preliminary_overdue:
            sheet.cell(row=r, column=8).fill = OVERDUE_FILL
        if incident.final_overdue:
            sheet.cell(row=r, column=10).fill = OVERDUE_FILL
    a4_landscape(sheet, HEADER_ROW)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
