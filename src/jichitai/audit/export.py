"""The audit log as .xlsx (written through core.sheets.writing: no user text becomes a formula)."""

from django.utils import timezone

from jichitai.core.sheets.writing import data_row, finish, new_table
from jichitai.core.wareki import format_wareki

from .labels import action_label, actor_text, changes_text

HEADER_ROW = 4
HEADERS = [("日時", 20), ("利用者", 16), ("経路", 10), ("団体", 18), ("連合会", 18), ("操作", 24), ("対象", 30),
           ("内容（項目: 変更前 → 変更後）", 60), ("連番", 8)]
LIMIT = 100_000


def entries_bytes(heading: str, entries) -> bytes:
    now = timezone.localtime()
    workbook, sheet = new_table("監査ログ", heading, f"{format_wareki(now.date())} {now:%H:%M}現在", HEADERS, HEADER_ROW)
    for r, e in enumerate(entries[:LIMIT], start=HEADER_ROW + 1):
        data_row(sheet, r, [timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"), actor_text(e),
                            e.get_via_display(), str(e.municipality or ""), str(e.association or ""),
                            action_label(e.action), e.object_repr, changes_text(e), e.seq], alignment=None)
    return finish(workbook, sheet, HEADER_ROW, 1)
