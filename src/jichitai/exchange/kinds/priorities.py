"""Import of the seed's 情報担当職員課題分析 sheet (優先順位 · 主要課題 · 要点 · criteria · 総合).

The sheet gives each criterion's average directly (one decimal). 総合 and 優先順位 are recomputed; a stated
value the shown averages cannot give (beyond rounding) is a warning naming the cell, and the computed
value is kept. Scores that are not numbers from 1 to 5 are errors; nothing is written if any error.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from jichitai.core.sheets.reading import Rows, cell_ref, cell_text, compact
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.core.text import normalise
from jichitai.planning import rules, services

from .base import ASSOCIATION, HEADER

KIND = "priorities"
LABEL = "課題分析表"
HINT = "見出し行（主要課題・評価基準・総合）"
SCOPE = ASSOCIATION
RANK, TITLE, SUMMARY, TOTAL = "優先順位", "主要課題", "要点", "総合"
HEADER_SCAN_ROWS = 30  # the header sits under a title or two; no need to scan a long sheet


@dataclass
class Header:
    row: int
    rank: int | None
    title: int
    summary: int | None
    total: int
    criteria: list[tuple[str, int]]  # (name, column)


@dataclass
class ParsedIssue:
    title: str
    summary: str
    shown: dict[str, Decimal]
    stated_total: Decimal | None
    stated_rank: int | None


@dataclass
class Parsed:
    sheet: str
    name: str
    criteria: list[dict]
    result: SheetResult
    issues: list[ParsedIssue] = field(default_factory=list)


def find_header(rows: Rows) -> Header | None:
    """The header row anywhere near the top: 主要課題 and 総合 with at least one criterion column between."""
    for r, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        labels = [compact(cell_text(v)) for v in row]
        if TITLE not in labels or TOTAL not in labels:
            continue
        title, total = labels.index(TITLE), labels.index(TOTAL)
        summary = labels.index(SUMMARY) if SUMMARY in labels else None
        first = (summary if summary is not None else title) + 1
        criteria = [(labels[c], c) for c in range(first, total) if labels[c]]
        if criteria:
            return Header(r, labels.index(RANK) if RANK in labels else None, title, summary, total, criteria)
    return None


def detect(sheet) -> int:
    header = find_header(sheet.rows)
    return HEADER + 2 + len(header.criteria) if header else 0


def _title(rows: Rows, header_row: int, sheet: str) -> str:
    """The first text above the header (the seed: 情報担当職員課題分析（取組むべき課題）), else the sheet name."""
    for row in rows[:header_row]:
        for value in row:
            if text := cell_text(value).strip():  # kept as written (NFKC would turn （） into ())
                return text[:200]
    return sheet


def _at(row: list, c: int | None) -> object:
    return row[c] if c is not None and c < len(row) else ""


def _fmt(number: Decimal) -> str:
    return str(rules.one_decimal(number)) if rules.decimals(number) <= 1 else format(number.normalize(), "f")


def parse(sheets, context) -> list[Parsed]:
    if context.association() is None:
        for sheet in sheets:
            context.report.error(sheet.name, "A1", f"協議会「{context.association_name}」は登録されていません。")
        return []
    parsed = (_parse_sheet(sheet.name, sheet.rows, context.report) for sheet in sheets)
    return [one for one in parsed if one is not None]


def _parse_sheet(sheet: str, rows: Rows, report: ImportReport) -> Parsed | None:
    header = find_header(rows)
    criteria = [{"name": name, "weight": 1} for name, _c in header.criteria]
    parsed = Parsed(sheet, _title(rows, header.row, sheet), criteria, SheetResult(sheet, KIND))
    cells = []  # per issue: (total cell, rank cell)
    errors_before = len(report.errors)
    for r in range(header.row + 1, len(rows)):
        row = rows[r]
        if not any(cell_text(v) for v in row):
            continue
        title = normalise(cell_text(_at(row, header.title)))
        if not title:
            report.error(sheet, cell_ref(r, header.title), "主要課題が空欄です。")
            continue
        shown = {}
        for name, c in header.criteria:
            value = _at(row, c)
            try:
                shown[name] = rules.read_score(value, max_decimals=None)
            except rules.InvalidScore:
                report.error(sheet, cell_ref(r, c),
                             f"{name}「{cell_text(value) or '空欄'}」は1〜5の数値で入力してください。")
        stated_total = stated_rank = None
        if text := cell_text(_at(row, header.total)):
            try:
                stated_total = rules.to_decimal(text)
                if abs(stated_total) >= 10000:
                    raise rules.InvalidScore(text)
            except rules.InvalidScore:
                report.error(sheet, cell_ref(r, header.total), f"総合「{text}」が数値ではありません。")
        if text := cell_text(_at(row, header.rank)):
            if text.isdigit() and 0 < int(text) <= 1000:
                stated_rank = int(text)
            else:
                report.error(sheet, cell_ref(r, header.rank), f"優先順位「{text}」は1以上の整数で入力してください。")
        summary = normalise(cell_text(_at(row, header.summary)))
        parsed.issues.append(ParsedIssue(title, summary, shown, stated_total, stated_rank))
        cells.append((cell_ref(r, header.total), cell_ref(r, header.rank or 0)))
    if len(report.errors) > errors_before:
        return None
    if not parsed.issues:
        report.error(sheet, cell_ref(header.row, header.title), "課題の行がありません。")
        return None
    stated = [rules.StatedRow(i.shown, i.stated_total, i.stated_rank) for i in parsed.issues]
    for d in rules.check_rows(stated, criteria):
        issue = parsed.issues[d.index]
        total_cell, rank_cell = cells[d.index]
        if d.field == "total":
            low, high = rules.total_range(issue.shown, criteria)
            report.warn(sheet, total_cell,
                        f"「{issue.title}」の総合は {_fmt(d.stated)} と記載されていますが、各基準の平均から計算すると "
                        f"{d.computed} です（丸めを考慮しても {_fmt(low)} 以上 {_fmt(high)} 未満）。計算値を採用します。")
        else:
            report.warn(sheet, rank_cell, f"「{issue.title}」の優先順位は {d.stated} と記載されていますが、"
                                          f"総合から計算すると {d.computed} 位です。計算値を採用します。")
    parsed.result.rows = len(parsed.issues)
    return parsed


def apply(parsed_sheets: list[Parsed], context) -> None:
    """Create the workshop (or update the one of the same name): issues matched by title, averages replaced."""
    for parsed in parsed_sheets:
        outcome = services.import_workshop(
            actor=context.actor, via=context.via, association=context.association(), name=parsed.name,
            criteria=parsed.criteria,
            issues=[{"title": i.title, "summary": i.summary, "stated_total": i.stated_total,
                     "stated_rank": i.stated_rank, "averages": i.shown} for i in parsed.issues])
        parsed.result.created, parsed.result.updated = outcome["created"], outcome["updated"]
