"""The 情報連携確認シート (its layout and export live in linkage.sheet).

An import replaces each named process's items with its sheet's rows, all or nothing; an exported sheet
imports back without a change. On a process's own page (options["process"]) a sheet of another process is
refused: the user uploaded the wrong file.
"""

from dataclasses import dataclass, field

from jichitai.core.sheets.reading import Rows, cell_ref, cell_text, compact
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.linkage import rules, services
from jichitai.linkage.models import LinkageItem
from jichitai.linkage.sheet import COLUMNS, TITLE, find_header, find_title
from jichitai.processes import rules as process_rules
from jichitai.processes.models import Ordinance, Process

from .base import HEADER, MUNICIPALITY
from .base import TITLE as TITLE_SCORE

KIND = "linkage"
LABEL = TITLE
HINT = "表題「情報連携確認シート(事務名)」と見出し行"
SCOPE = MUNICIPALITY
MAX_LENGTH = {"data_item": 200, "counterpart": 200}


def detect(sheet) -> int:
    if find_title(sheet.rows) is not None:
        return TITLE_SCORE
    found = find_header(sheet.rows)
    # Without its title a sheet cannot say which process it documents: claimed, so that parse says so.
    return HEADER + len(found[1]) if found else 0


@dataclass
class Parsed:
    sheet: str
    process: Process
    title_cell: str
    result: SheetResult
    rows: list[dict] = field(default_factory=list)  # values for services.replace_items


def _process(name: str, municipality) -> Process | None:
    """The register's process, by compacted name, else by a 別表 label naming exactly one process
    (as analysis_import.Context matches)."""
    processes = list(Process.objects.filter(municipality=municipality).select_related("beppyo_item"))
    key = compact(name)
    for process in processes:
        if compact(process.name) == key:
            return process
    label = process_rules.parse_item_label(name)
    by_label = [p for p in processes if label and p.beppyo_item_id and p.beppyo_item.item_arabic == label]
    return by_label[0] if len(by_label) == 1 else None


def _read(reader, raw, ref, label, allowed, sheet, report) -> str | None:
    if not cell_text(raw):
        return None
    try:
        return reader(raw)
    except rules.UnknownValue:
        report.error(sheet, ref, f"{label}「{cell_text(raw)}」は使えません。使える値: {allowed}")
        return ""


def _row_values(sheet, r, row, columns, ordinances, report) -> dict | None:
    cells = {key: (row[c] if c < len(row) else "", cell_ref(r, c)) for key, c in columns.items()}
    text = {key: cell_text(cells[key][0]) if key in cells else "" for key, _ in COLUMNS}
    before = len(report.errors)
    if not text["data_item"]:
        report.error(sheet, cells["data_item"][1], "連携項目が空欄です。")
    for key, limit in MAX_LENGTH.items():
        if len(text[key]) > limit:
            report.error(sheet, cells[key][1], f"{dict(COLUMNS)[key]}は{limit}文字以内にしてください。")
    direction = _read(rules.read_direction, *cells["direction"], "照会/提供", "照会・提供", sheet, report)
    if direction is None:
        report.error(sheet, cells["direction"][1], "照会/提供が空欄です。照会か提供を入力してください。")
    kind = channel = None
    if "counterpart_kind" in cells:
        kind = _read(rules.read_counterpart_kind, *cells["counterpart_kind"], "相手先区分",
                     "他機関・同一団体の他の機関（庁内）・本人", sheet, report)
    if "channel" in cells:
        channel = _read(rules.read_channel, *cells["channel"], "経路",
                        "情報提供ネットワークシステム・庁内連携・本人提出・その他", sheet, report)
    if kind != "" and channel != "":  # "" = already reported as unreadable
        kind, channel = rules.complete_kind_and_channel(kind, channel)
        if kind is None or channel is None:
            ref = cells.get("counterpart_kind", cells.get("channel", cells["data_item"]))[1]
            report.error(sheet, ref, "相手先区分と経路が空欄です（少なくとも一方が必要です）。")
    ordinance_id = None
    if text["ordinance"]:
        try:
            ordinance_id = rules.match_ordinance(text["ordinance"], ordinances)
        except rules.AmbiguousOrdinance as exc:
            report.error(sheet, cells["ordinance"][1], f"条例「{text['ordinance']}」には複数の条（{'・'.join(exc.candidates)}）"
                                                       "が登録されています。「条例名 第N条」の形で書いてください。")
        except rules.UnknownOrdinance:
            report.error(sheet, cells["ordinance"][1], f"条例「{text['ordinance']}」は登録されていません。"
                                                       "条例の画面で登録してから取り込んでください。")
    if len(report.errors) > before:
        return None
    return {"data_item": text["data_item"], "direction": direction, "counterpart": text["counterpart"],
            "counterpart_kind": kind, "channel": channel, "legal_basis": text["legal_basis"],
            "ordinance_id": ordinance_id, "notes": text["notes"]}


def parse(sheets, context) -> list[Parsed]:
    parsed = []
    only = context.options.get("process")
    for sheet in sheets:
        one = parse_sheet(sheet.name, sheet.rows, context.municipality, context.report)
        if one is None:
            continue
        if only is not None and one.process.pk != only.pk:
            context.report.error(sheet.name, one.title_cell, f"このシートは事務「{one.process.name}」のものです。"
                                                             f"「{only.name}」の画面から取り込むシートではありません。")
        parsed.append(one)
    refuse_duplicates(parsed, context.report)
    return parsed


def parse_sheet(sheet: str, rows: Rows, municipality, report: ImportReport) -> Parsed | None:
    """Validate one sheet; errors and warnings go to `report` with their cells."""
    title = find_title(rows)
    if title is None:
        report.error(sheet, "A1", f"表題「{TITLE}(事務名)」が見つからず、どの事務のシートか分かりません。")
        return None
    name, title_ref = title
    process = _process(name, municipality)
    if process is None:
        report.error(sheet, title_ref, f"事務「{name}」は登録簿にありません。先に事務を登録するか、表題の事務名を登録簿と同じにしてください。")
        return None
    header = find_header(rows)
    if header is None:
        report.error(sheet, "A1", "情報連携確認シートの見出し行（連携項目・照会/提供・相手先・相手先区分・経路・根拠（主務省令等）・根拠条例・備考）が見つかりません。")
        return None
    header_row, columns = header
    ordinances = list(Ordinance.objects.filter(municipality=municipality).values_list("id", "name", "article"))
    parsed = Parsed(sheet, process, title_ref, SheetResult(sheet, KIND))
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        if not any(cell_text(v) for v in row):
            continue
        values = _row_values(sheet, r, row, columns, ordinances, report)
        if values is not None:
            parsed.rows.append(values)
    _announce_replacement(sheet, title_ref, parsed, report)
    parsed.result.rows = len(parsed.rows)
    return parsed


def _announce_replacement(sheet, title_ref, parsed: Parsed, report: ImportReport) -> None:
    stored = {services.stored_key(item) for item in LinkageItem.objects.filter(process=parsed.process)}
    dropped = len(stored - {services.item_key(values) for values in parsed.rows})
    if stored:
        message = f"事務「{parsed.process.name}」の連携項目 {len(stored)} 件をこのシートの {len(parsed.rows)} 行で置き換えます。"
        if dropped:
            message += f"シートにない {dropped} 件は削除されます。"
        report.warn(sheet, title_ref, message)


def refuse_duplicates(parsed: list[Parsed], report: ImportReport) -> None:
    """Two sheets of one workbook for the same process would overwrite each other: an error on the later title."""
    seen: dict[int, str] = {}
    for one in parsed:
        if one.process.pk in seen:
            report.error(one.sheet, one.title_cell, f"事務「{one.process.name}」のシートが「{seen[one.process.pk]}」にもあります。1つにしてください。")
        seen.setdefault(one.process.pk, one.sheet)


def apply(parsed_sheets: list[Parsed], context) -> None:
    for parsed in parsed_sheets:
        counts = services.replace_items(actor=context.actor, via=context.via, process=parsed.process,
                                        rows=parsed.rows)
        parsed.result.rows, parsed.result.created, parsed.result.updated = (
            counts["rows"], counts["created"], counts["moved"])
