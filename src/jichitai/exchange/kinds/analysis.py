"""Import of the handling table and the risk analysis (seed section 7). Validate everything, then write.

Every stated 資産価値, 総合評価 and 残存評価 is recomputed; a disagreement is a warning naming the cell and
both values, and the computed value is kept.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from jichitai.core.sheets.reading import Rows, cell_ref, cell_text, compact
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.core.text import normalise
from jichitai.core.wareki import DateParseError, format_date, parse_date
from jichitai.handling import rules as handling_rules
from jichitai.handling import services as handling_services
from jichitai.handling import sheets as layout
from jichitai.handling.models import HandlingRow
from jichitai.processes import rules as process_rules
from jichitai.processes import services as process_services
from jichitai.processes.models import Process
from jichitai.risk import rules as risk_rules
from jichitai.risk.queries import settings_for

from .base import HEADER, MUNICIPALITY, TITLE

KIND = "analysis"
LABEL = "情報資産取扱手順表・リスク分析表"
HINT = "表題「情報資産取扱手順表(事務名)」「リスク分析表(事務名)」または見出し行"
SCOPE = MUNICIPALITY

TEXT_FIELDS = ("method", "procedure", "business_function", "responsible", "responsible_duty", "handler",
               "handler_duty", "notes")


@dataclass
class ProcessTarget:
    """The process a sheet documents: an existing one, or one to create from the sheet's title."""

    name: str
    process: Process | None
    sheet_date: dt.date | None = None
    handling: dict[str, dict] = field(default_factory=dict)  # row_id → values
    risk: dict[str, dict] = field(default_factory=dict)  # row_id → values with "countermeasures"
    results: dict[str, SheetResult] = field(default_factory=dict)
    announced: bool = False  # the "new process" warning is given once


class Register:
    """The register and the stored rows, loaded once per import; the processes the sheets document."""

    def __init__(self, municipality):
        self.municipality = municipality
        self.settings = settings_for(municipality)
        self.processes = {compact(p.name): p for p in Process.objects.filter(municipality=municipality)
                          .select_related("beppyo_item")}
        self.by_item = {}
        for process in self.processes.values():
            if process.beppyo_item_id:
                self.by_item.setdefault(process.beppyo_item.item_arabic, []).append(process)
        self.targets: dict[str, ProcessTarget] = {}

    def target(self, name: str) -> ProcessTarget:
        key = compact(name)
        if key not in self.targets:
            process = self.processes.get(key)
            label = process_rules.parse_item_label(name)
            if process is None and label and len(self.by_item.get(label, [])) == 1:
                process = self.by_item[label][0]
            self.targets[key] = ProcessTarget(name=normalise(name), process=process)
        return self.targets[key]

    def stored_rows(self, target: ProcessTarget) -> dict[str, HandlingRow]:
        if target.process is None:
            return {}
        if not hasattr(target, "_stored"):
            target._stored = {row.row_id: row for row in target.process.handling_rows.all()}
        return target._stored


def _cells(row: list, columns: dict[str, int], r: int) -> dict[str, tuple[object, str]]:
    return {key: (row[c] if c < len(row) else "", cell_ref(r, c)) for key, c in columns.items()}


def _rating(sheet, cells, key, label, report) -> int | None:
    value, ref = cells[key]
    try:
        return risk_rules.read_rating(value)
    except risk_rules.InvalidRating:
        shown = cell_text(value) or "空欄"
        report.error(sheet, ref, f"{label}「{shown}」は1〜3の整数で入力してください。")
        return None


def _stated(sheet, cells, key, label, computed, report) -> None:
    if key not in cells:
        return
    value, ref = cells[key]
    if risk_rules.stated_differs(cell_text(value), computed):
        report.warn(sheet, ref, f"{label}は {cell_text(value)} と記載されていますが、計算すると "
                                f"{risk_rules.normalise_number(Decimal(computed))} です。計算値を採用します。")


def _row_id(sheet, cells, seen: dict[str, str], report) -> tuple[str | None, str]:
    """The row's ID, or None after reporting a malformed or repeated one."""
    raw_id, id_ref = cells["row_id"]
    try:
        row_id = handling_rules.read_row_id(raw_id)
    except handling_rules.UnknownValue:
        report.error(sheet, id_ref, f"ID「{cell_text(raw_id) or '空欄'}」は 1-2 のような形で入力してください。")
        return None, id_ref
    if row_id in seen:
        report.error(sheet, id_ref, f"ID {row_id} が {seen[row_id]} と重複しています。")
        return None, id_ref
    seen[row_id] = id_ref
    return row_id, id_ref


def _data_rows(rows: Rows, header_row: int, columns: dict[str, int]):
    id_col = columns["row_id"]
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        first = compact(row[id_col]) if id_col < len(row) else ""
        if first.startswith(layout.LEGEND_STARTS):
            return
        if any(cell_text(v) for v in row):
            yield r, row


def _date(sheet, rows, header_row, report, today) -> dt.date | None:
    found = layout.find_date(rows, header_row)
    if found is None:
        return None
    text, ref = found
    try:
        day = parse_date(text)
    except DateParseError as exc:
        report.error(sheet, ref, f"日付を読めません（{exc}）。例: H30.1.10、令和8年4月1日、2026-04-01")
        return None
    if day > today:
        report.error(sheet, ref, f"日付 {format_date(day)} が未来の日付です。")
    return day


def _sheet_target(sheet, rows, kind, context, report):
    title = layout.find_title(rows)
    if title is None:
        report.error(sheet, "A1", f"表題「{layout.TITLES[kind]}(事務名)」が見つからず、どの事務の表か分かりません。")
        return None
    _kind, name, ref = title
    target = context.target(name)
    if target.process is None and not target.announced:
        target.announced = True
        report.warn(sheet, ref, f"事務「{name}」は登録簿にないため、新しい事務として登録します。"
                                "法的根拠（別表の項または条例）を設定してください。")
    return target


_MISSING_HEADER = {
    layout.HANDLING: "情報資産取扱手順表の見出し行（ID・情報資産名称・種類・取扱段階・機密性・完全性・可用性）が見つかりません。",
    layout.RISK: "リスク分析表の見出し行（ID・脆弱性評価・脅威評価）が見つかりません。",
}


def _begin(sheet, rows, kind, context, report, today):
    """Header, process and date of a sheet: (target, header row, columns, result), or None after an error."""
    header = layout.find_header(rows, kind)
    if header is None:
        report.error(sheet, "A1", _MISSING_HEADER[kind])
        return None
    header_row, columns = header
    target = _sheet_target(sheet, rows, kind, context, report)
    if target is None:
        return None
    target.sheet_date = _date(sheet, rows, header_row, report, today) or target.sheet_date
    return target, header_row, columns, target.results.setdefault(kind, SheetResult(sheet, kind))


def parse_handling(sheet: str, rows: Rows, context: Register, report: ImportReport, today) -> ProcessTarget | None:
    begun = _begin(sheet, rows, layout.HANDLING, context, report, today)
    if begun is None:
        return None
    target, header_row, columns, result = begun
    method = context.settings.asset_value_method
    seen: dict[str, str] = {}
    for r, row in _data_rows(rows, header_row, columns):
        cells = _cells(row, columns, r)
        result.rows += 1
        row_id, id_ref = _row_id(sheet, cells, seen, report)
        if row_id is None:
            continue
        values = {"row_id": row_id, "position": len(target.handling)}
        name, name_ref = cells["asset_name"]
        values["asset_name"] = normalise(cell_text(name))
        if not values["asset_name"]:
            report.error(sheet, name_ref, "情報資産名称が空欄です。")
        for key, reader, label in (("kind", handling_rules.read_kind, "種類"),
                                   ("stage", handling_rules.read_stage, "取扱段階")):
            raw, ref = cells[key]
            try:
                values[key] = reader(raw)
            except handling_rules.UnknownValue:
                allowed = "紙・電子・その他" if key == "kind" else "取得・利用・保存（保管）・提供・削除・廃棄（廃棄）"
                report.error(sheet, ref, f"{label}「{cell_text(raw) or '空欄'}」は使えません。使える値: {allowed}")
        for key in TEXT_FIELDS:
            values[key] = cell_text(cells[key][0]) if key in cells else ""
        ratings = [_rating(sheet, cells, key, label, report) for key, label in
                   (("confidentiality", "機密性"), ("integrity", "完全性"), ("availability", "可用性"))]
        if None not in ratings:
            values["confidentiality"], values["integrity"], values["availability"] = ratings
            values["asset_value"] = risk_rules.asset_value(*ratings, method)
            _stated(sheet, cells, "asset_value", "資産価値", values["asset_value"], report)
        target.handling[row_id] = values
    return target


def parse_risk(sheet: str, rows: Rows, context: Register, report: ImportReport, today) -> ProcessTarget | None:
    begun = _begin(sheet, rows, layout.RISK, context, report, today)
    if begun is None:
        return None
    target, header_row, columns, result = begun
    stored = context.stored_rows(target)
    seen: dict[str, str] = {}
    for r, row in _data_rows(rows, header_row, columns):
        cells = _cells(row, columns, r)
        result.rows += 1
        row_id, id_ref = _row_id(sheet, cells, seen, report)
        if row_id is None:
            continue
        handling = target.handling.get(row_id)
        if handling is None and row_id in stored:
            row_obj = stored[row_id]
            handling = {"asset_name": row_obj.asset_name, "asset_value": row_obj.asset_value}
        if handling is None:
            report.error(sheet, id_ref, f"ID {row_id} の行が情報資産取扱手順表にありません（取扱手順表を先に登録するか、同じブックに入れてください）。")
            continue
        if "asset_name" in cells:
            name = normalise(cell_text(cells["asset_name"][0]))
            if name and handling.get("asset_name") and name != handling["asset_name"]:
                report.warn(sheet, cells["asset_name"][1], f"情報資産名称「{name}」が取扱手順表の「{handling['asset_name']}」と違います。")
        vulnerability = _rating(sheet, cells, "vulnerability_rating", "脆弱性評価", report)
        threat = _rating(sheet, cells, "threat_rating", "脅威評価", report)
        raw_measures, measures_ref = cells.get("countermeasures", ("", ""))
        try:
            parsed = risk_rules.parse_countermeasures(cell_text(raw_measures))
        except risk_rules.InvalidCountermeasure as exc:
            report.error(sheet, measures_ref, f"対策「{str(exc)[:30]}」の低減値が読めません。「・対策の内容△0.5」の形で書いてください。")
            continue
        values = {key: cell_text(cells[key][0]) if key in cells else "" for key in
                  ("vulnerability", "threat", "business_function", "residual_risk")}
        values["countermeasures"] = [{"text": m.text, "reduction": m.reduction, "factor": m.factor,
                                      "category": m.category} for m in parsed]
        value = handling.get("asset_value")
        if vulnerability is None or threat is None or value is None:
            continue
        values.update(vulnerability_rating=vulnerability, threat_rating=threat)
        total = risk_rules.total_score(value, vulnerability, threat)
        residual = risk_rules.residual_score(value, vulnerability, threat,
                                             [(m.reduction, m.factor) for m in parsed])
        _stated(sheet, cells, "asset_value", "資産価値", value, report)
        _stated(sheet, cells, "total", "総合評価", total, report)
        _stated(sheet, cells, "residual", "残存評価", residual, report)
        values.update(total=total, residual=residual)
        target.risk[row_id] = values
    return target


def detect(sheet) -> int:
    """A title such as 「リスク分析表(事務名)」 near the top, else one of the two headers."""
    if layout.find_title(sheet.rows) is not None:
        return TITLE
    for kind in (layout.RISK, layout.HANDLING):
        if found := layout.find_header(sheet.rows, kind):
            return HEADER + len(found[1])
    return 0


@dataclass
class AnalysisSheet:
    result: SheetResult
    target: ProcessTarget


def parse(sheets, context) -> list[AnalysisSheet]:
    """Handling sheets first: a risk sheet refers to handling rows, possibly in the same workbook."""
    register = Register(context.municipality)
    kinds = {sheet.name: layout.detect(sheet.rows) for sheet in sheets}
    parsed = []
    for sheet in sorted(sheets, key=lambda sheet: kinds[sheet.name] != layout.HANDLING):
        reader = parse_handling if kinds[sheet.name] == layout.HANDLING else parse_risk
        target = reader(sheet.name, sheet.rows, register, context.report, context.today)
        if target is not None:
            parsed.append(AnalysisSheet(target.results[kinds[sheet.name]], target))
    return parsed


def apply(parsed_sheets: list[AnalysisSheet], context) -> None:
    """Each documented process once: created from the sheet's title when the register lacks it (without legal
    basis, as the import warned), then its tables written by handling.services."""
    targets = list({id(p.target): p.target for p in parsed_sheets}.values())
    for target in targets:
        process = target.process
        if process is None:
            process, = process_services.create_processes_bulk(
                actor=context.actor, via=context.via, municipality=context.municipality,
                rows=[{"name": target.name[:500], "registered_on": min(target.sheet_date or context.today,
                                                                       context.today)}])
        counts = handling_services.import_analysis(
            actor=context.actor, via=context.via, process=process, sheet_date=target.sheet_date,
            handling=target.handling if layout.HANDLING in target.results else None,
            risk=target.risk if layout.RISK in target.results else None,
            sheets={kind: result.sheet for kind, result in target.results.items()})
        for kind, (created, updated) in counts.items():
            target.results[kind].created, target.results[kind].updated = created, updated
