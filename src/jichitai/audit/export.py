"""The audit log as .xlsx (written through core.sheets.writing: no user text becomes a formula) and as CSV.

Both are streamed: a queryset's .iterator() goes in, and memory stays flat whatever the number of entries."""

from django.utils import timezone

from jichitai.core.mynumber import mask_my_numbers
from jichitai.core.sheets.writing import date_format, streamed_table
from jichitai.core.wareki import format_date

from .labels import action_label, actor_text, changes_text

HEADER_ROW = 4
HEADERS = [("日時", 20), ("利用者", 16), ("経路", 10), ("団体", 18), ("連合会", 18), ("操作", 24), ("対象", 30),
           ("内容（項目: 変更前 → 変更後）", 60), ("連番", 8)]
CSV_HEADERS = [label for label, _width in HEADERS]
LIMIT = 100_000  # the .xlsx only: a workbook past this is no use to anyone (the CSV has no limit)


def entry_values(e, at) -> list:
    return [at, actor_text(e), e.get_via_display(), str(e.municipality or ""), str(e.association or ""),
            action_label(e.action), e.object_repr, changes_text(e), e.seq]


def entries_bytes(heading: str, entries) -> bytes:
    """`entries`: a queryset (read LIMIT rows at most, 2,000 at a time) or any iterable of entries."""
    now = timezone.localtime()
    if hasattr(entries, "iterator"):
        entries = entries[:LIMIT].iterator(chunk_size=2000)
    rows = (entry_values(e, timezone.localtime(e.at).replace(tzinfo=None)) for e in entries)
    # a log keeps its seconds
    return streamed_table("監査ログ", heading, f"{format_date(now.date())} {now:%H:%M}現在", HEADERS, HEADER_ROW,
                          rows, frozen_columns=1, alignment=None, number_formats={1: date_format(now) + ":ss"})


def csv_rows(entries):
    """One CSV row per entry: the time as the page shows it (令和8年12月3日 14:05:09, or the association's western
    style), text masked should an individual number ever be in it (entries refuse one when written)."""
    for e in entries:
        at = timezone.localtime(e.at)
        values = entry_values(e, f"{format_date(at.date())} {at:%H:%M:%S}")
        yield [mask_my_numbers(value) if isinstance(value, str) else value for value in values]
