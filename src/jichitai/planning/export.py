"""The action plan as .xlsx in the seed's 3カ年業務改善アクションプラン layout: 主要課題, then two halves a year.

The export holds every action in force, like the chart: a sheet from the earliest action's fiscal year to the
latest's (at least three years). A plan longer than rules.PLAN_YEARS_MAX years is paged exactly as the chart is —
one sheet per three years, every page in the one workbook — so that each sheet prints on A4 like the seed's.
"""

from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter

from jichitai.core.sheets.writing import a4_landscape, put, title, workbook_bytes
from jichitai.core.wareki import fiscal_year_label, format_fiscal_year

from . import rules

WRAP = Alignment(wrap_text=True, vertical="top")
HEADER_ROW = 5
SHEET_TITLE = "アクションプラン"


def plan_workbook(workshop_name: str, issues, first_fy: int, last_fy: int) -> bytes:
    """`issues` as gantt.render takes them; the window [first_fy, last_fy] from rules.plan_window."""
    book = Workbook()
    pages = rules.plan_pages(first_fy, last_fy)
    for n, (first, last) in enumerate(pages):
        sheet = book.active if n == 0 else book.create_sheet()
        sheet.title = SHEET_TITLE if len(pages) == 1 else f"{format_fiscal_year(first)}〜{format_fiscal_year(last)}"
        _plan_sheet(sheet, workshop_name, issues, first, last)
    return workbook_bytes(book)


def _plan_sheet(sheet, workshop_name: str, issues, first_fy: int, last_fy: int) -> None:
    years = last_fy - first_fy + 1
    slots = rules.plan_slots(first_fy, years)
    title(sheet, "3カ年業務改善アクションプラン" if years == rules.PLAN_YEARS else "業務改善アクションプラン")
    put(sheet, 2, 1, workshop_name)
    put(sheet, 2, 2, f"{format_fiscal_year(first_fy)}〜{format_fiscal_year(last_fy)}（{years}年度）")
    put(sheet, 3, 1, "主要課題")
    put(sheet, 3, 2, "ア ク シ ョ ン プ ラ ン")
    sheet.merge_cells(start_row=3, start_column=2, end_row=3, end_column=1 + len(slots))
    for i in range(years):
        put(sheet, 4, 2 + 2 * i, fiscal_year_label(first_fy + i))
        sheet.merge_cells(start_row=4, start_column=2 + 2 * i, end_row=4, end_column=3 + 2 * i)
    for c, (_fy, half) in enumerate(slots, start=2):
        put(sheet, HEADER_ROW, c, dict(rules.HALVES)[half])
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
