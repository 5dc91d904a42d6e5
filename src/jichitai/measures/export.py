"""The assessments as an .xlsx a section chief can print: one row per item (per department), A4 landscape."""

import datetime as dt

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import PatternFill

from jichitai.core.sheets.writing import a4_landscape, data_row, header, put, title, workbook_bytes
from jichitai.core.wareki import format_date

from . import rules

SHEET_TITLE = "安全管理措置"
HEADER_ROW = 4
HEADERS = (("区分", 16), ("ID", 6), ("項目", 34), ("課室", 14), ("対応状況", 10), ("根拠・メモ", 48),
           ("担当者", 14), ("見直し予定日", 16), ("更新日", 16), ("リスク分析の対策", 12), ("チェックリスト", 24))
STATUS_COLUMN = 5
_STATUS_FILL = {rules.DONE: "D1F0DC", rules.IN_PROGRESS: "FFF2C2", rules.NOT_STARTED: "F8D7D5",
                rules.NOT_APPLICABLE: "E8E8E8"}


def _wareki(day: dt.date | None) -> str:
    return format_date(day) if day else ""


def _row(slot, evidence) -> list:
    assessment = slot.assessment
    category = slot.item.countermeasure_category
    return [
        slot.item.category, slot.item.item_id, slot.item.title, slot.department.name if slot.department else "",
        slot.status_label, assessment.evidence_note if assessment else "",
        assessment.owner.name if assessment and assessment.owner else "",
        _wareki(assessment.review_on) if assessment else "",
        _wareki(timezone.localtime(assessment.updated_at).date()) if assessment else "",
        evidence[category].total if category else "", slot.item.framework.name,
    ]


def build_workbook(municipality, slots, evidence, as_of: dt.date) -> Workbook:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET_TITLE
    title(sheet, f"{municipality.name} 安全管理措置 対応状況", last_column=len(HEADERS))
    summary = rules.summarise(s.status for s in slots)
    put(sheet, 2, 1, f"{format_date(as_of)}現在　対応済 {summary.done}　対応中 {summary.in_progress}　"
                     f"未対応 {summary.not_started}　該当なし {summary.not_applicable}")
    header(sheet, HEADER_ROW, HEADERS)
    for r, slot in enumerate(slots, start=HEADER_ROW + 1):
        data_row(sheet, r, _row(slot, evidence))
        sheet.cell(row=r, column=STATUS_COLUMN).fill = PatternFill("solid", fgColor=_STATUS_FILL[slot.status])
    a4_landscape(sheet, HEADER_ROW, frozen_columns=3)
    return workbook


def export_bytes(municipality, slots, evidence, as_of: dt.date) -> bytes:
    return workbook_bytes(build_workbook(municipality, slots, evidence, as_of))
