"""やること as .xlsx (every item, the deadline as a date cell) and as .ics (the dated items, for a calendar)."""

import datetime as dt

from openpyxl.styles import PatternFill

from jichitai.core.sheets.writing import data_row, finish, new_table
from jichitai.core.wareki import format_date

from . import ical, rules

HEADER_ROW = 3
COLUMNS = (("期限", 12), ("期限（和暦）", 16), ("残り日数", 10), ("状態", 10), ("団体", 16), ("種別", 16),
           ("やること", 44), ("詳細", 40), ("根拠", 30), ("対応ページ", 40))
OVERDUE_FILL = PatternFill("solid", fgColor="F8CBAD")
SOON_FILL = PatternFill("solid", fgColor="FFE699")


def xlsx_bytes(title: str, items, names: dict[int, str], as_of: dt.date, absolute) -> bytes:
    """`names`: municipality id → name; `absolute(path)` → the page's full URL."""
    workbook, sheet = new_table("やること", f"やること（{title}）",
                                f"{format_date(as_of)}現在　期限の近い順（期限超過が先、期限のないものは後）",
                                COLUMNS, HEADER_ROW)
    for r, todo in enumerate(items, start=HEADER_ROW + 1):
        data_row(sheet, r, (todo.deadline, format_date(todo.deadline) if todo.deadline else "", todo.days_text,
                            todo.state_label, names.get(todo.municipality_id, ""), todo.kind_label, todo.title,
                            todo.detail, todo.basis, absolute(todo.link)))
        if todo.state == rules.OVERDUE:
            sheet.cell(row=r, column=4).fill = OVERDUE_FILL
        elif todo.state == rules.DUE_SOON:
            sheet.cell(row=r, column=4).fill = SOON_FILL
    return finish(workbook, sheet, HEADER_ROW)


def ics_bytes(title: str, items, names: dict[int, str], absolute, stamp: dt.datetime) -> bytes:
    """One all-day event per dated item, on its deadline."""
    events = []
    for todo in items:
        if todo.deadline is None:
            continue
        url = absolute(todo.link)
        events.append({
            "uid": f"{todo.uid}@jichitai", "date": todo.deadline,
            "summary": f"【{todo.kind_label}】{todo.title}（{names.get(todo.municipality_id, '')}）",
            "description": "\n".join(part for part in (f"期限：{format_date(todo.deadline)}", todo.detail,
                                                       f"根拠：{todo.basis}" if todo.basis else "", url) if part),
            "url": url})
    return ical.calendar(f"やること（{title}）", events, stamp)
