"""The action plan as .xlsx in the seed's 3カ年業務改善アクションプラン layout: 主要課題, then two halves a year."""

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from jichitai.core.sheets.writing import a4_landscape, put, title, workbook_bytes
from jichitai.core.wareki import fiscal_year_label

from . import rules

WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ROW = 5


def plan_workbook(workshop_name: str, issues, start_fy: int) -> bytes:
    slots = rules.plan_slots(start_fy)
    book = Workbook()
    sheet = book.active
    sheet.title = "アクションプラン"
    title(sheet, "3カ年業務改善アクションプラン")
    put(sheet, 2, 1, workshop_name)
    put(sheet, 3, 1, "主要課題")
    put(sheet, 3, 2, "ア ク シ ョ ン プ ラ ン")
    sheet.merge_cells(start_row=3, start_column=2, end_row=3, end_column=1 + len(slots))
    for i, fy in enumerate(range(start_fy, start_fy + rules.PLAN_YEARS)):
        put(sheet, 4, 2 + 2 * i, fiscal_year_label(fy))
        sheet.merge_cells(start_row=4, start_column=2 + 2 * i, end_row=4, end_column=3 + 2 * i)
    halves = [label for _fy in range(rules.PLAN_YEARS) for _h, label in rules.HALVES]
    for c, label in enumerate(halves, start=2):
        put(sheet, HEADER_ROW, c, label)
    column = {slot: 2 + i for i, slot in enumerate(slots)}
    first = HEADER_ROW + 1
    for issue in issues:
        per_slot = {slot: [] for slot in slots}
        for item in issue.plan_items:
            if (item.fiscal_year, item.half) in per_slot:
                owner = f"（{item.owner}）" if item.owner else ""
                per_slot[(item.fiscal_year, item.half)].append(f"{item.text}{owner}")
        # An issue takes as many rows as its busiest half has actions, one action a cell.
        height = max(1, *(len(v) for v in per_slot.values()))
        put(sheet, first, 1, issue.title)
        for slot, texts in per_slot.items():
            for n, text in enumerate(texts):
                put(sheet, first + n, column[slot], text)
        if height > 1:
            sheet.merge_cells(start_row=first, start_column=1, end_row=first + height - 1, end_column=1)
        first += height
    for row in sheet.iter_rows(min_row=3, max_col=1 + len(slots)):
        for cell in row:
            cell.alignment = WRAP
    sheet.column_dimensions["A"].width = 24
    for i in range(len(slots)):
        sheet.column_dimensions[get_column_letter(2 + i)].width = 22
    a4_landscape(sheet, header_row=HEADER_ROW, frozen_columns=1)
    return workbook_bytes(book)
