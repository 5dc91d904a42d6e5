"""Training lists as .xlsx (people by status, sessions), A4 landscape like the other exported sheets."""

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jichitai.core.sheets.writing import a4_landscape
from jichitai.core.wareki import format_wareki

from . import rules

HEADER_ROW = 4
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
_FONT = "游ゴシック"

STATUS_TITLES = {"untrained": "研修未受講者一覧", "due_soon": "研修期限間近の職員一覧", "all": "研修受講状況一覧"}
PEOPLE_HEADERS = [("職員番号", 12), ("氏名", 18), ("所属", 20), ("役割", 16), ("最終受講日", 14), ("受講期限", 14),
                  ("状況", 10), ("超過日数", 10), ("残日数", 10)]
SESSION_HEADERS = [("実施日", 14), ("研修コード", 10), ("テーマ", 40), ("主催", 22), ("会場", 22), ("参加団体数", 10),
                   ("受講者数", 10), ("テスト", 8), ("アンケート", 10)]


def _sheet(title: str, subtitle: str, headers: list[tuple[str, int]]):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet["A1"] = title
    sheet["A1"].font = Font(name=_FONT, size=14, bold=True)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(headers))
    sheet["A2"] = subtitle
    for c, (name, width) in enumerate(headers, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=c, value=name)
        cell.font = Font(name=_FONT, bold=True)
        cell.fill = _HEADER_FILL
        cell.border = _BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(c)].width = width
    return workbook, sheet


def _rows(sheet, rows: list[list]) -> None:
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value)
            cell.border = _BOX
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"


def _bytes(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def people_bytes(municipality, as_of: dt.date, kind: str, people) -> bytes:
    title = STATUS_TITLES[kind]
    workbook, sheet = _sheet(title, f"{municipality.name}　{format_wareki(as_of)}現在", PEOPLE_HEADERS)
    _rows(sheet, [[p.staff_number, p.name, p.department, p.role_label, p.last_trained, p.due_on,
                   rules.STATUS_LABEL[p.status], p.days_overdue, p.days_left] for p in people])
    a4_landscape(sheet, HEADER_ROW, frozen_columns=2)
    return _bytes(workbook)


def sessions_bytes(municipality, sessions) -> bytes:
    workbook, sheet = _sheet("研修実施記録", municipality.name, SESSION_HEADERS)
    _rows(sheet, [[s.held_on, s.course.code, s.course.title,
                   str(s.organiser_association or s.organiser_municipality), s.place, s.n_participants,
                   s.n_attended, "有" if s.has_test else "無", "有" if s.has_survey else "無"] for s in sessions])
    a4_landscape(sheet, HEADER_ROW, frozen_columns=1)
    return _bytes(workbook)
