"""A process's 情報資産取扱手順表 and リスク分析表 as one .xlsx laid out like the seed's sheets.

The workbook is written so that analysis_import reads it back without a change: same titles, 日付 cell,
header labels and the scale legend under the risk table (where the import stops reading rows).

Both sheets are streamed (core.sheets.writing.StreamedSheet, openpyxl's write-only mode) from one pass over the
rows, read CHUNK at a time: memory stays flat whatever the number of rows.
"""

from collections.abc import Iterator
from itertools import islice

from django.utils import timezone
from openpyxl.styles import Alignment

from jichitai.core.sheets.writing import (
    BOX,
    StreamedRow,
    StreamedSheet,
    a4_landscape,
    discarded_on_error,
    streamed_table,
    streamed_workbook,
    workbook_bytes,
)
from jichitai.core.wareki import format_date, format_wareki_short
from jichitai.handling import rules as handling_rules
from jichitai.handling.models import HandlingRow, ProcessAnalysis
from jichitai.risk import rules as risk_rules
from jichitai.risk.models import Countermeasure

from . import sheets as layout

HEADER_ROW = 2
DATE_COLUMN = 11  # K, where the seed writes 「日付: H30.1.10」
TITLE_END_COLUMN = DATE_COLUMN - 1
LEGEND_HEADINGS = {"threat": "脅威", "vulnerability": "ぜい弱性"}  # the seed's spelling
CHUNK = 2000  # rows read per query (and their countermeasures in one more)

_NUMBER_KEYS = {"confidentiality", "integrity", "availability", "asset_value", "vulnerability_rating",
                "threat_rating", "total", "residual"}
_CENTRED = Alignment(horizontal="center", vertical="top", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="top", wrap_text=True)
_MIDDLE = Alignment(horizontal="center")
# Widths in Excel characters; a Japanese character takes about two.
_WIDTHS = {
    "row_id": 6, "asset_name": 14, "kind": 6, "stage": 9, "method": 32, "procedure": 36, "business_function": 16,
    "responsible": 9, "responsible_duty": 12, "handler": 10, "handler_duty": 16, "notes": 16,
    "confidentiality": 7, "integrity": 7, "availability": 7, "asset_value": 7, "vulnerability": 34,
    "vulnerability_rating": 8, "threat": 34, "threat_rating": 7, "total": 7, "countermeasures": 40,
    "residual_risk": 26, "residual": 7,
}


_RISK_FIELDS = ("vulnerability", "vulnerability_rating", "threat", "business_function", "threat_rating",
                "residual_risk")


def _rows(process) -> Iterator[tuple[dict, list[tuple]]]:
    """(row, its countermeasures) in the sheets' order, read CHUNK rows at a time, each chunk's countermeasures in
    one more query. Plain values, not model instances (Django's prefetch would also build a queryset per row):
    a row is a dict of the handling columns and of its risk row's as risk__<field> (risk__id None without one);
    a countermeasure is (text, reduction, factor, category)."""
    rows = (HandlingRow.objects.filter(process=process).order_by("position", "id")
            .values(*(key for key, _label in layout.HANDLING_COLUMNS), "risk__id",
                    *(f"risk__{field}" for field in _RISK_FIELDS))
            .iterator(chunk_size=CHUNK))
    while chunk := list(islice(rows, CHUNK)):
        measures: dict[int, list[tuple]] = {}
        risk_ids = [row["risk__id"] for row in chunk if _risk(row)]
        for risk_id, *measure in (Countermeasure.objects.filter(risk_row_id__in=risk_ids)
                                  .order_by("risk_row_id", "position", "id")
                                  .values_list("risk_row_id", "text", "reduction", "factor", "category")):
            measures.setdefault(risk_id, []).append(tuple(measure))
        for row in chunk:
            yield row, measures.get(row["risk__id"], [])


def _risk(row: dict) -> bool:
    return row["risk__id"] is not None


def _handling_values(row: dict) -> dict:
    return row | {"kind": handling_rules.KIND_LABEL.get(row["kind"], row["kind"]),
                  "stage": handling_rules.STAGE_LABEL.get(row["stage"], row["stage"])}


def _risk_values(row: dict, measures: list[tuple]) -> dict:
    """`measures`: the row's countermeasures in order, as (text, reduction, factor, category)."""
    value, vulnerability, threat = row["asset_value"], row["risk__vulnerability_rating"], row["risk__threat_rating"]
    # Scores are recomputed from the countermeasures: a stored residual may predate a changed reduction.
    residual = risk_rules.residual_score(value, vulnerability, threat,
                                         [(reduction, factor) for _text, reduction, factor, _category in measures])
    return {
        "row_id": row["row_id"], "asset_name": row["asset_name"], "asset_value": value,
        "vulnerability": row["risk__vulnerability"], "vulnerability_rating": vulnerability,
        "threat": row["risk__threat"], "business_function": row["risk__business_function"],
        "threat_rating": threat, "total": risk_rules.total_score(value, vulnerability, threat),
        "countermeasures": risk_rules.format_countermeasures(measures),
        "residual_risk": row["risk__residual_risk"], "residual": risk_rules.plain_number(residual),
    }


class _Table:
    """One of the two sheets: title (merged to J), 日付 in K1, the header in row 2, then a row per `add`."""

    def __init__(self, workbook, kind: str, process_name: str, date_text: str):
        columns = layout.COLUMNS[kind]
        self.sheet = sheet = StreamedSheet(workbook, layout.TITLES[kind])
        sheet.widths(_WIDTHS[key] for key, _label in columns)
        a4_landscape(sheet.sheet, HEADER_ROW)
        first = sheet.title(f"{layout.TITLES[kind]}({process_name})", last_column=TITLE_END_COLUMN)
        first += [None] * (DATE_COLUMN - 1 - len(first)) + [sheet.cell(f"日付: {date_text}")]
        sheet.append(first)
        sheet.append(sheet.header_cells(label for _key, label in columns))
        centred, left = sheet.style(border=BOX, alignment=_CENTRED), sheet.style(border=BOX, alignment=_LEFT)
        self.keys = [key for key, _label in columns]
        self.row = StreamedRow(sheet, [centred if key in _NUMBER_KEYS or key in {"row_id", "kind", "stage"} else left
                                       for key in self.keys])

    def add(self, values: dict) -> None:
        self.row.append([values.get(key) for key in self.keys])


def _legend(sheet: StreamedSheet, scales: dict) -> None:
    """The scale legend exactly as under the seed's table: heading, 評価/クラス/内容, one line per class."""
    bold, middle = sheet.style(bold=True), sheet.style(alignment=_MIDDLE)
    for factor in ("threat", "vulnerability"):
        sheet.append([sheet.cell(LEGEND_HEADINGS[factor], bold)])
        sheet.append([sheet.cell(label, bold) for label in ("評価", "クラス", "内容")])
        for level in scales.get(factor, []):
            # the text has no wrap: it runs on over the empty cells
            sheet.append([sheet.cell(level["rating"], middle), sheet.cell(level["class"], middle),
                          sheet.cell(level["text"])])


def export_bytes(process, settings) -> bytes:
    """`settings` is risk.queries.settings_for(process.municipality): its scales make the legend."""
    analysis = ProcessAnalysis.objects.filter(process=process).first()
    day = (analysis and analysis.sheet_date) or timezone.localdate()
    date_text = format_wareki_short(day)
    with discarded_on_error(streamed_workbook()) as workbook:
        handling = _Table(workbook, layout.HANDLING, process.name, date_text)
        risk = _Table(workbook, layout.RISK, process.name, date_text)
        for row, measures in _rows(process):  # one pass writes both sheets (each streams to a temporary file)
            handling.add(_handling_values(row))
            if _risk(row):
                risk.add(_risk_values(row, measures))
        _legend(risk.sheet, settings.scales)
        return workbook_bytes(workbook)


# ---- 取扱記録 ----

def record_time(moment, western: bool) -> str:
    """「R8.12.3 14:05」 (or 2026-12-03 14:05 for an association that writes western dates): what the import reads."""
    local = timezone.localtime(moment)
    day = local.date().isoformat() if western else format_wareki_short(local.date())
    return f"{day} {local:%H:%M}"


def record_values(item, western: bool) -> tuple:
    values = {
        "process": item.process.name, "row_id": item.handling_row.row_id, "asset_name": item.handling_row.asset_name,
        "occurred_at": record_time(item.occurred_at, western), "action": item.get_action_display(),
        "staff_number": item.person.staff_number if item.person else "", "person_name": item.person_name,
        "medium": item.medium, "count": item.count, "purpose": item.purpose,
        "approver_number": item.approver.staff_number if item.approver else "", "approver_name": item.approver_name,
        "disposal_method": item.disposal_method, "witness": item.witness,
        "state": layout.VOID_STATE if item.voided else "有効", "void_reason": item.void_reason,
    }
    return tuple(values[key] for key, _label, _width in layout.RECORD_COLUMNS)


def records_bytes(municipality, records, as_of, western: bool = False) -> bytes:
    """The records as listed (filtered and sorted like the page), one row each, voided ones marked 取消.
    Streamed: a queryset (with its select_related) is read CHUNK rows at a time, and memory stays flat."""
    if hasattr(records, "iterator"):
        records = records.iterator(chunk_size=CHUNK)
    return streamed_table(layout.RECORDS_TITLE, f"{layout.RECORDS_TITLE}（{municipality.name}）",
                          f"{format_date(as_of)}現在", [(label, width) for _key, label, width in layout.RECORD_COLUMNS],
                          3, (record_values(item, western) for item in records))
