"""Import of the progress sheet (seed section 4, 「業務フロー等進捗状況」). Validate everything, then write.

Layout accepted: a title, a 「〇月〇日現在」 date line, the legend, a header row (found wherever it is)
with a process-name column and the six deliverable columns, one row per process.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from jichitai.audit.services import record
from jichitai.core.sheets.reading import Rows, cell_ref, cell_text
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.core.text import normalise
from jichitai.core.wareki import DateParseError, format_wareki, parse_date
from jichitai.processes import rules
from jichitai.processes.models import LegalBasisItem, Process, ProgressChange

from .process_names import ProcessNames

KIND = "progress"
PLACEHOLDER_DATE = "〇月〇日現在"
_TOTAL_ROW_PREFIXES = ("合計", "小計", "計")
_NAME_HEADERS = ("事務", "業務", "名称")


def _compact(value: object) -> str:
    return normalise(cell_text(value)).replace(" ", "")


_HEADER_KEYS = {_compact(name): key for key, name in rules.COLUMNS}


def find_header(rows: Rows) -> tuple[int, dict[str, int]] | None:
    """The first row naming at least four of the six columns: (row index, {column key: column index})."""
    for r, row in enumerate(rows):
        found = {}
        for c, value in enumerate(row):
            key = _HEADER_KEYS.get(_compact(value))
            if key and key not in found:
                found[key] = c
        if len(found) >= 4:
            return r, found
    return None


def looks_like_progress(rows: Rows) -> bool:
    return find_header(rows) is not None


@dataclass
class Row:
    index: int
    name: str
    name_cell: str
    statuses: dict[str, str]
    process_id: int | None = None  # an existing process
    item: LegalBasisItem | None = None  # a new process for this 別表 item


@dataclass
class ParsedSheet:
    sheet: str
    as_of: dt.date
    rows: list[Row] = field(default_factory=list)


Context = ProcessNames  # the progress import needs exactly the register and the catalogue


def _find_as_of(sheet: str, rows: Rows, header_row: int, report: ImportReport, today: dt.date) -> dt.date:
    for r in range(header_row):
        row = rows[r]
        row_has_genzai = any("現在" in cell_text(v) for v in row)
        for c, value in enumerate(row):
            text = cell_text(value)
            is_date = isinstance(value, dt.date)
            if not (is_date and row_has_genzai) and "現在" not in text:
                continue
            ref = cell_ref(r, c)
            if normalise(text).replace(" ", "") == PLACEHOLDER_DATE:
                report.warn(sheet, ref, f"日付欄が「{PLACEHOLDER_DATE}」のままです。本日（{format_wareki(today)}）現在として取り込みます。")
                return today
            try:
                day = parse_date(value)
            except DateParseError as exc:
                report.error(sheet, ref, f"「現在」の日付を読めません（{exc}）。例: 令和8年4月1日現在、2026年4月1日現在")
                return today
            if day > today:
                report.error(sheet, ref, f"「現在」の日付 {day.isoformat()} が未来の日付です。")
            return day
    report.warn(sheet, "A1", f"「〇月〇日現在」の日付行がありません。本日（{format_wareki(today)}）現在として取り込みます。")
    return today


def _resolve(row: Row, context: Context, sheet: str, report: ImportReport) -> None:
    found = context.resolve(row.name, sheet, row.name_cell, report)
    if found is not None:
        row.process_id, row.item = found.process_id, found.item


def parse_sheet(sheet: str, rows: Rows, context: Context, report: ImportReport,
                today: dt.date) -> ParsedSheet | None:
    header = find_header(rows)
    if header is None:
        report.error(sheet, "A1", "見出し行（業務フロー・特定個人情報・リスク評価・関連情報連携洗出・条例案上程・PIA提出）が見つかりません。")
        return None
    header_row, columns = header
    missing = [name for key, name in rules.COLUMNS if key not in columns]
    for name in missing:
        report.error(sheet, cell_ref(header_row, 0), f"見出し行に列「{name}」がありません。")
    if missing:
        return None
    first_status = min(columns.values())
    name_col = next(
        (c for c in range(first_status) if any(h in _compact(rows[header_row][c]) for h in _NAME_HEADERS)),
        first_status - 1,
    )
    if name_col < 0:
        report.error(sheet, cell_ref(header_row, 0), "事務名の列がありません（進捗列の左に置いてください）。")
        return None
    parsed = ParsedSheet(sheet, _find_as_of(sheet, rows, header_row, report, today))
    seen: dict[tuple, str] = {}
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        name = normalise(cell_text(row[name_col]) if name_col < len(row) else "")
        if not name or name.startswith(_TOTAL_ROW_PREFIXES):
            if not name and any(cell_text(row[c]) for c in columns.values() if c < len(row)):
                report.error(sheet, cell_ref(r, name_col), "進捗が入力されていますが事務名が空欄です。")
            continue
        statuses = {}
        for key, c in columns.items():
            raw = row[c] if c < len(row) else ""
            try:
                reading = rules.read_status(cell_text(raw))
            except rules.UnknownStatus:
                report.error(sheet, cell_ref(r, c), f"「{cell_text(raw)[:10]}」は進捗の記号として読めません。使える記号: 〇 △ × -（空欄は未着手）")
                continue
            if reading.ambiguous:
                report.warn(sheet, cell_ref(r, c), f"「{cell_text(raw)}」を「{rules.STATUS_SYMBOL[reading.code]}」（{rules.STATUS_LABEL[reading.code]}）と読みました。")
            statuses[key] = reading.code
        entry = Row(index=r, name=name, name_cell=cell_ref(r, name_col), statuses=statuses)
        _resolve(entry, context, sheet, report)
        target = ("process", entry.process_id) if entry.process_id else ("item", entry.item and entry.item.pk)
        if target[1] is not None:
            if target in seen:
                report.error(sheet, entry.name_cell, f"事務「{name[:40]}」は {seen[target]} と同じ事務です（重複行）。")
            else:
                seen[target] = entry.name_cell
        parsed.rows.append(entry)
    return parsed


@transaction.atomic
def apply_sheet(parsed: ParsedSheet, context: Context, result: SheetResult, *, actor, today: dt.date) -> None:
    """Write one validated sheet. Cells equal to the state as of the sheet's date are left alone."""
    municipality = context.municipality
    history = ProgressChange.objects.filter(
        process__municipality=municipality, effective_on__lte=parsed.as_of
    ).order_by("effective_on", "id").values_list("process_id", "column", "status")
    state = rules.resolve_as_of(history)
    user = actor if actor is not None and actor.is_authenticated else None
    new_changes = []
    for row in parsed.rows:
        if row.process_id is None:
            process = Process(municipality=municipality, name=row.name[:500], beppyo_item=row.item,
                              registered_on=min(parsed.as_of, today))
            process.full_clean()
            process.save()
            record(actor=actor, via="import", action="process.create", obj=process, municipality=municipality,
                   after={"name": process.name, "beppyo_item": row.item.label, "sheet": parsed.sheet})
            row.process_id = process.pk
            result.created += 1
        changed_before, changed_after = {}, {}
        for key, status in row.statuses.items():
            current = rules.cell_status(state, row.process_id, key)
            if current != status:
                changed_before[rules.COLUMN_NAMES[key]] = current
                changed_after[rules.COLUMN_NAMES[key]] = status
                new_changes.append(ProgressChange(
                    process_id=row.process_id, column=key, status=status, effective_on=parsed.as_of,
                    recorded_by=user, source=ProgressChange.Source.IMPORT, recorded_at=timezone.now()))
        if changed_after:
            if row.item is None:
                result.updated += 1
            # An unsaved stand-in names the process for the audit row without loading it again.
            record(actor=actor, via="import", action="progress.import", obj=Process(pk=row.process_id, name=row.name),
                   municipality=municipality, before=changed_before,
                   after=changed_after | {"as_of": parsed.as_of.isoformat(), "sheet": parsed.sheet})
    ProgressChange.objects.bulk_create(new_changes)
    # A sheet dated before a process was registered shows the process already existed then.
    Process.objects.filter(pk__in=[row.process_id for row in parsed.rows],
                           registered_on__gt=parsed.as_of).update(registered_on=parsed.as_of)
