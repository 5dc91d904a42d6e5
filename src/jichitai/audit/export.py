"""The audit log as .xlsx (written through core.sheets.writing: no user text becomes a formula)."""

from django.utils import timezone

from jichitai.core.sheets.writing import data_row, date_format, finish, new_table
from jichitai.core.wareki import format_date

from .labels import action_label, actor_text, changes_text

HEADER_ROW = 4
HEADERS = [("日時", 20), ("利用者", 16), ("経路", 10), ("団体", 18), ("連合会", 18), ("操作", 24), ("対象", 30),
           ("内容（項目: 変更前 → 変更後）", 60), ("連番", 8)]
LIMIT = 100_000


def entries_bytes(heading: str, entries) -> bytes:
    now = timezone.localtime()
    workbook, sheet = new_table("監査ログ", heading, f"{format_date(now.date())} {now:%H:%M}現在", HEADERS, HEADER_ROW)
    for r, e in enumerate(entries[:LIMIT], start=HEADER_ROW + 1):
        at = timezone.localtime(e.at).replace(tzinfo=None)
        data_row(sheet, r, [at, actor_text(e), e.get_via_display(), str(e.municipality or ""),
                            str(e.association or ""), action_label(e.action), e.object_repr, changes_text(e), e.seq],
                 alignment=None)
        sheet.cell(row=r, column=1).number_format = date_format(at) + ":ss"  # a log keeps its seconds
    return finish(workbook, sheet, HEADER_ROW, 1)
