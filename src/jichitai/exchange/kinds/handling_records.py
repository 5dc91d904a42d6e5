"""Import of 取扱記録 (seed 2-3): the columns of the records export, so that an exported file imports back.

A row names its process by the register's name (事務) and its handling-table row by its ID, as the export
writes them; the person and the approver by 職員番号. Rows the export marks 取消 are not imported, and a row
identical to a record already kept (not void) is skipped, so importing an export again adds nothing.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.utils import timezone

from jichitai.core.sheets.reading import Rows, cell_ref, cell_text, compact, find_header, label_map
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.core.text import normalise
from jichitai.core.wareki import DateParseError, parse_date
from jichitai.handling import rules as handling_rules
from jichitai.handling import services as handling_services
from jichitai.handling import sheets as layout
from jichitai.handling.models import HandlingRecord, HandlingRow
from jichitai.orgs.models import Staff
from jichitai.processes.models import Process

from .base import MUNICIPALITY, header_score

KIND = "handling_records"
LABEL = "取扱記録"
HINT = "見出し行（事務・ID・日時・取扱区分・職員番号）"
SCOPE = MUNICIPALITY
HEADERS = {key: (label,) for key, label, _width in layout.RECORD_COLUMNS} | {
    "occurred_at": ("日時", "取扱日時"), "action": ("取扱区分", "区分", "取扱い"), "person_name": ("取扱者", "取扱者氏名"),
    "process": ("事務", "事務名"), "count": ("件数", "数量"),
}
LABELS = label_map(HEADERS)
LIMITS = {"medium": 100, "purpose": 300, "disposal_method": 200, "witness": 100}
_TIME = re.compile(r"^(.*?)[\sT]+(\d{1,2})\s*[:時]\s*(\d{1,2})\s*分?(?::\d{1,2}(?:\.\d+)?)?$")


def detect(sheet) -> int:
    return header_score(sheet.rows, LABELS, layout.RECORD_REQUIRED)


@dataclass
class Parsed:
    sheet: str
    result: SheetResult
    entries: list[dict] = field(default_factory=list)  # handling_services.import_records' entries


class Lookup:
    """The municipality's processes, handling rows and staff, read once per import (three queries)."""

    def __init__(self, municipality):
        self.processes = {compact(name): pk for pk, name in
                          Process.objects.filter(municipality=municipality).values_list("pk", "name")}
        self.rows = {(row.process_id, row.row_id): row for row in
                     HandlingRow.objects.filter(process__municipality=municipality).select_related("process")}
        self.staff = {normalise(s.staff_number): s for s in Staff.objects.filter(municipality=municipality)}


def parse_moment(raw: object) -> tuple[dt.datetime, bool]:
    """(aware date-time, whether a time was given) from 「R8.12.3 14:05」, 「2026-12-03 14:05」, a date-time cell, or a
    date alone (0:00)."""
    if isinstance(raw, dt.datetime):
        return (timezone.make_aware(raw) if timezone.is_naive(raw) else raw), True
    if isinstance(raw, dt.date):
        return timezone.make_aware(dt.datetime.combine(raw, dt.time.min)), False
    text = normalise(cell_text(raw))
    match = _TIME.match(text)
    if match:
        day, hour, minute = parse_date(match.group(1)), int(match.group(2)), int(match.group(3))
        if not (0 <= hour <= 23 and 0 <= minute <= 59):
            raise DateParseError(f"時刻として読めません: {hour}:{minute:02d}")
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute))), True
    return timezone.make_aware(dt.datetime.combine(parse_date(text), dt.time.min)), False


def parse(sheets, context) -> list[Parsed]:
    lookup = Lookup(context.municipality)
    parsed = [_parse_sheet(sheet.name, sheet.rows, context, lookup) for sheet in sheets]
    _skip_kept(parsed)
    return parsed


def _parse_sheet(sheet: str, rows: Rows, context, lookup: Lookup) -> Parsed:
    report: ImportReport = context.report
    header_row, cols = find_header(rows, LABELS, layout.RECORD_REQUIRED)
    parsed = Parsed(sheet, SheetResult(sheet, KIND))
    voided, seen = 0, {}
    for r in range(header_row + 1, len(rows)):
        row = rows[r]

        def at(key, row=row, r=r):
            c = cols.get(key)
            return (row[c] if c is not None and c < len(row) else ""), cell_ref(r, c if c is not None else 0)

        if not any(cell_text(value) for value in row):
            continue
        parsed.result.rows += 1
        if compact(at("state")[0]) == layout.VOID_STATE:
            voided += 1
            continue
        entry = _entry(sheet, at, lookup, report, context.today)
        if entry is None:
            continue
        key = _key(entry)
        if key in seen:
            report.error(sheet, at("occurred_at")[1], f"この記録は {seen[key]} の行と同じ内容です（重複）。")
            continue
        seen[key] = at("occurred_at")[1]
        parsed.entries.append(entry)
    if voided:
        report.warn(sheet, cell_ref(header_row, cols.get("state", 0)),
                    f"状態が「取消」の {voided} 行は取り込みません（取消済みの記録）。")
    if not parsed.result.rows:
        report.error(sheet, cell_ref(header_row, 0), "取扱記録の行がありません。")
    return parsed


def _entry(sheet, at, lookup: Lookup, report: ImportReport, today: dt.date) -> dict | None:
    ok = True
    raw, ref = at("process")
    name = normalise(cell_text(raw))
    process_id = lookup.processes.get(compact(name))
    if not name:
        report.error(sheet, ref, "事務が空欄です。")
        ok = False
    elif process_id is None:
        report.error(sheet, ref, f"事務「{name[:40]}」は登録簿にありません。登録簿の事務名で入力してください。")
        ok = False
    row = None
    raw, ref = at("row_id")
    try:
        row_id = handling_rules.read_row_id(raw)
    except handling_rules.UnknownValue:
        report.error(sheet, ref, f"ID「{cell_text(raw)[:20]}」は 1-2 のように入力してください。")
        ok = False
    else:
        if process_id is not None:
            row = lookup.rows.get((process_id, row_id))
            if row is None:
                report.error(sheet, ref, f"ID {row_id} は「{name[:40]}」の情報資産取扱手順表にありません。")
                ok = False
    raw, ref = at("asset_name")
    if row is not None and cell_text(raw) and compact(raw) != compact(row.asset_name):
        report.warn(sheet, ref, f"情報資産名称「{normalise(cell_text(raw))[:30]}」が取扱手順表の「{row.asset_name}」と"
                                f"一致しません（ID {row.row_id} として取り込みます）。")
    moment = _moment(sheet, *at("occurred_at"), report, today)
    raw, ref = at("action")
    try:
        action = handling_rules.read_action(raw)
    except handling_rules.UnknownValue:
        allowed = "・".join(label for _key, label in handling_rules.RECORD_ACTIONS)
        report.error(sheet, ref, f"取扱区分「{cell_text(raw)[:20] or '空欄'}」は使えません。使える値: {allowed}")
        action = None
    person = _staff(sheet, *at("staff_number"), lookup, report, "職員番号", required=True)
    raw, ref = at("person_name")
    if person is not None and cell_text(raw) and compact(raw) != compact(person.name):
        report.warn(sheet, ref, f"取扱者「{normalise(cell_text(raw))[:20]}」が職員名簿の「{person.name}」と一致しません"
                                "（職員番号の職員として取り込みます）。")
    approver = _staff(sheet, *at("approver_number"), lookup, report, "承認者職員番号", required=False)
    count = _count(sheet, *at("count"), report)
    texts = {}
    for key, limit in LIMITS.items():
        raw, ref = at(key)
        texts[key] = normalise(cell_text(raw))
        if len(texts[key]) > limit:
            report.error(sheet, ref, f"{HEADERS[key][0]}は{limit}文字以内で入力してください。")
            ok = False
    if action is not None:
        for key, message in handling_rules.record_problems(action, texts["disposal_method"], texts["witness"]).items():
            report.error(sheet, at(key)[1], message)
            ok = False
    if not ok or None in (row, moment, action, person, count) or approver is False:
        return None
    return {"handling_row": row, "occurred_at": moment, "person": person, "action": action, "count": count,
            "approver": approver, **texts}


def _moment(sheet, raw, ref, report, today) -> dt.datetime | None:
    if not cell_text(raw):
        report.error(sheet, ref, "日時が空欄です。")
        return None
    try:
        moment, with_time = parse_moment(raw)
    except DateParseError as exc:
        report.error(sheet, ref, f"日時を読めません（{exc}）。例: R8.12.3 14:05、2026-12-03 14:05")
        return None
    if timezone.localdate(moment) > today:
        report.error(sheet, ref, "未来の日時の取扱いは記録できません。")
        return None
    if not with_time:
        report.warn(sheet, ref, "時刻がないため 0:00 として取り込みます。")
    return moment


def _staff(sheet, raw, ref, lookup: Lookup, report, label: str, *, required: bool):
    """The person, None when blank and optional, False (reported) when wrong; a required blank is reported too."""
    number = normalise(cell_text(raw))
    if not number:
        if required:
            report.error(sheet, ref, f"{label}が空欄です。")
            return None
        return None
    person = lookup.staff.get(number)
    if person is None:
        report.error(sheet, ref, f"{label} {number[:20]} は職員名簿にありません。")
        return None if required else False
    return person


def _count(sheet, raw, ref, report) -> int | None:
    text = normalise(cell_text(raw))
    if not text:
        return 1
    if not re.fullmatch(r"\d{1,7}", text) or not 1 <= int(text) <= handling_rules.COUNT_MAX:
        report.error(sheet, ref, f"件数「{text[:10]}」は1〜{handling_rules.COUNT_MAX:,}の整数で入力してください。")
        return None
    return int(text)


def _key(entry: dict) -> tuple:
    return (entry["handling_row"].pk, entry["occurred_at"], entry["person"].pk, entry["action"], entry["medium"],
            entry["count"], entry["purpose"], entry["approver"].pk if entry["approver"] else None,
            entry["disposal_method"], entry["witness"])


def _skip_kept(parsed: list[Parsed]) -> None:
    """Leave out rows identical to a record already kept and not void (one query)."""
    rows = {entry["handling_row"].pk for one in parsed for entry in one.entries}
    if not rows:
        return
    kept = set(HandlingRecord.objects.filter(handling_row_id__in=rows, voided_at__isnull=True).values_list(
        "handling_row_id", "occurred_at", "person_id", "action", "medium", "count", "purpose", "approver_id",
        "disposal_method", "witness"))
    for one in parsed:
        one.entries = [entry for entry in one.entries if _key(entry) not in kept]


def apply(parsed_sheets: list[Parsed], context) -> None:
    for parsed in parsed_sheets:
        created = handling_services.import_records(actor=context.actor, via=context.via,
                                                   municipality=context.municipality, entries=parsed.entries)
        parsed.result.created = len(created)
