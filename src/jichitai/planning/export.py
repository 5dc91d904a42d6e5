"""The action plan as .xlsx in the seed's 3カ年業務改善アクションプラン layout: 主要課題, then two halves a year."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from jichitai.core.sheets.writing import a4_landscape
from jichitai.core.wareki import fiscal_year_label

from . import rules

WRAP = Alignment(wrap_text=True, vertical="top")


def plan_workbook(workshop_name: str, issues, start_fy: int) -> bytes:
    slots = rules.plan_slots(start_fy)
    book = Workbook()
    sheet = book.active
    sheet.title = "アクションプラン"
    sheet.append(["3カ年業務改善アクションプラン"])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append([workshop_name])
    sheet.append(["主要課題", "ア ク シ ョ ン プ ラ ン"])
    sheet.merge_cells(start_row=3, start_column=2, end_row=3, end_column=1 + len(slots))
    years = [""]
    for fy in range(start_fy, start_fy + rules.PLAN_YEARS):
        years += [fiscal_year_label(fy), ""]
    sheet.append(years)
    for i in range(rules.PLAN_YEARS):
        sheet.merge_cells(start_row=4, start_column=2 + 2 * i, end_row=4, end_column=3 + 2 * i)
    sheet.append(["", *[label for _fy in range(rules.PLAN_YEARS) for _h, label in rules.HALVES]])
    column = {slot: 2 + i for i, slot in enumerate(slots)}
    for issue in issues:
        per_slot = {slot: [] for slot in slots}
        for item in issue.plan_items:
            if (item.fiscal_year, item.half) in per_slot:
                owner = f"（{item.owner}）" if item.owner else ""
                per_slot[(item.fiscal_year, item.half)].append(f"{item.text}{owner}")
        height = max(1, *(len(v) for v in per_slot.values()))
        first = sheet.max_row + 1
        for n in range(height):
            row = [issue.title if n == 0 else ""] + [""] * len(slots)
            for slot, texts in per_slot.items():
                if n < len(texts):
                    row[column[slot] - 1] = texts[n]
            sheet.append(row)
        if height > 1:
            sheet.merge_cells(start_row=first, start_column=1, end_row=first + height - 1, end_column=1)
    for row in sheet.iter_rows(min_row=3):
        for cell in row:
            cell.alignment = WRAP
    sheet.column_dimensions["A"].width = 24
    for i in range(len(slots)):
        sheet.column_dimensions[chr(ord("B") + i)].width = 22
    a4_landscape(sheet, header_row=5, frozen_columns=1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
