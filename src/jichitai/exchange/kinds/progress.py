"""Import of the progress sheet (seed section 4, 「業務フロー等進捗状況」). Validate everything, then write.

Layout accepted: a title, a 「〇月〇日現在」 date line, the legend, a header row (found wherever it is)
with a process-name column and the six deliverable columns, one row per process.
"""

import datetime as dt
from dataclasses import dataclass, field

from jichitai.core.sheets.reading import HEADER_SCAN_ROWS, Rows, cell_ref, cell_text, compact
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.core.text import normalise
from jichitai.core.wareki import DateParseError, format_date, format_wareki, parse_date
from jichitai.processes import rules, services
from jichitai.processes.models import LegalBasisItem

from ..process_names import ProcessNames
from .base import HEADER, MUNICIPALITY

KIND = "progress"
LABEL = "進捗表"
HINT = "見出し行（業務フロー・特定個人情報・リスク評価・関連情報連携洗出・条例案上程・PIA提出）"
SCOPE = MUNICIPALITY
PLACEHOLDER_DATE = "〇月〇日現在"
_TOTAL_ROW_PREFIXES = ("合計", "小計", "計")
_NAME_HEADERS = ("事務", "業務", "名称")


_HEADER_KEYS = {compact(name): key for key, name in rules.COLUMNS}


def find_header(rows: Rows) -> tuple[int, dict[str, int]] | None:
    """The first row naming at least four of the six columns: (row index, {column key: column index})."""
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = {}
        for c, value in enumerate(row):
            key = _HEADER_KEYS.get(compact(value))
            if key and key not in found:
                found[key] = c
        if len(found) >= 4:
            return r, found
    return None


def detect(sheet) -> int:
    found = find_header(sheet.rows)
    return HEADER + len(found[1]) if found else 0


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
    result: SheetResult
    rows: list[Row] = field(default_factory=list)


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
                report.error(sheet, ref, f"「現在」の日付 {format_date(day)} が未来の日付です。")
            return day
    report.warn(sheet, "A1", f"「〇月〇日現在」の日付行がありません。本日（{format_wareki(today)}）現在として取り込みます。")
    return today


def _resolve(row: Row, names: ProcessNames, sheet: str, report: ImportReport) -> None:
    found = names.resolve(row.name, sheet, row.name_cell, report)
    if found is not None:
        row.process_id, row.item = found.process_id, found.item


def parse(sheets, context) -> list[ParsedSheet]:
    names = ProcessNames(context.municipality)
    parsed = (_parse_sheet(sheet.name, sheet.rows, names, context.report, context.today) for sheet in sheets)
    return [one for one in parsed if one is not None]


def _parse_sheet(sheet: str, rows: Rows, names: ProcessNames, report: ImportReport,
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
        (c for c in range(first_status) if any(h in compact(rows[header_row][c]) for h in _NAME_HEADERS)),
        first_status - 1,
    )
    if name_col < 0:
        report.error(sheet, cell_ref(header_row, 0), "事務名の列がありません（進捗列の左に置いてください）。")
        return None
    parsed = ParsedSheet(sheet, _find_as_of(sheet, rows, header_row, report, today), SheetResult(sheet, KIND))
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
        _resolve(entry, names, sheet, report)
        target = ("process", entry.process_id) if entry.process_id else ("item", entry.item and entry.item.pk)
        if target[1] is not None:
            if target in seen:
                report.error(sheet, entry.name_cell, f"事務「{name[:40]}」は {seen[target]} と同じ事務です（重複行）。")
            else:
                seen[target] = entry.name_cell
        parsed.rows.append(entry)
    parsed.result.rows = len(parsed.rows)
    return parsed


def apply(parsed_sheets: list[ParsedSheet], context) -> None:
    """Processes the register lacks are created (once, however many sheets name them); each sheet's cells are
    recorded on its date where they differ from the cell as it stood then."""
    municipality, created = context.municipality, {}
    for parsed in parsed_sheets:
        new = [row for row in parsed.rows if row.process_id is None and row.item.pk not in created]
        for process in services.create_processes_bulk(
                actor=context.actor, via=context.via, municipality=municipality,
                rows=[{"name": row.name[:500], "beppyo_item": row.item,
                       "registered_on": min(parsed.as_of, context.today)} for row in new]):
            created[process.beppyo_item_id] = process.pk
        parsed.result.created = len(new)
        for row in parsed.rows:
            row.process_id = row.process_id or created[row.item.pk]
        changed = services.record_progress_bulk(
            actor=context.actor, via=context.via, municipality=municipality,
            updates=[(row.process_id, key, status, parsed.as_of) for row in parsed.rows
                     for key, status in row.statuses.items()],
            note={"sheet": parsed.sheet})
        parsed.result.updated = len({row.process_id for row in parsed.rows if row.item is None} & changed)
        # A sheet dated before a process was registered shows the process already existed then.
        services.backdate_registration(actor=context.actor, via=context.via, municipality=municipality,
                                       process_ids=[row.process_id for row in parsed.rows], day=parsed.as_of)
