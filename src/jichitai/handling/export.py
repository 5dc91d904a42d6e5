"""A process's 情報資産取扱手順表 and リスク分析表 as one .xlsx laid out like the seed's sheets.

The workbook is written so that analysis_import reads it back without a change: same titles, 日付 cell,
header labels and the scale legend under the risk table (where the import stops reading rows).
"""

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment
from openpyxl.worksheet.worksheet import Worksheet

from jichitai.core.sheets.writing import (
    BOX,
    a4_landscape,
    data_row,
    finish,
    header,
    new_table,
    put,
    title,
    workbook_bytes,
)
from jichitai.core.wareki import format_date, format_wareki_short
from jichitai.handling import rules as handling_rules
from jichitai.handling.models import HandlingRow, ProcessAnalysis
from jichitai.risk import rules as risk_rules

from . import sheets as layout

HEADER_ROW = 2
DATE_COLUMN = 11  # K, where the seed writes 「日付: H30.1.10」
TITLE_END_COLUMN = DATE_COLUMN - 1
LEGEND_HEADINGS = {"threat": "脅威", "vulnerability": "ぜい弱性"}  # the seed's spelling

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



def _rows(process) -> list[HandlingRow]:
    return list(HandlingRow.objects.filter(process=process).select_related("risk")
                .prefetch_related("risk__countermeasures").order_by("position", "id"))


def _risk(row: HandlingRow):
    return getattr(row, "risk", None)


def _handling_values(row: HandlingRow) -> dict:
    values = {key: getattr(row, key) for key, _ in layout.HANDLING_COLUMNS}
    values["kind"] = handling_rules.KIND_LABEL.get(row.kind, row.kind)
    values["stage"] = handling_rules.STAGE_LABEL.get(row.stage, row.stage)
    return values


def _risk_values(row: HandlingRow) -> dict:
    risk = row.risk
    measures = list(risk.countermeasures.all())
    # Scores are recomputed from the countermeasures: a stored residual may predate a changed reduction.
    residual = risk_rules.residual_score(row.asset_value, risk.vulnerability_rating, risk.threat_rating,
                                         [(m.reduction, m.factor) for m in measures])
    return {
        "row_id": row.row_id, "asset_name": row.asset_name, "asset_value": row.asset_value,
        "vulnerability": risk.vulnerability, "vulnerability_rating": risk.vulnerability_rating,
        "threat": risk.threat, "business_function": risk.business_function, "threat_rating": risk.threat_rating,
        "total": risk_rules.total_score(row.asset_value, risk.vulnerability_rating, risk.threat_rating),
        "countermeasures": risk_rules.format_countermeasures(
            (m.text, m.reduction, m.factor, m.category) for m in measures),
        "residual_risk": risk.residual_risk, "residual": risk_rules.plain_number(residual),
    }


def _table(sheet: Worksheet, kind: str, process_name: str, date_text: str, rows: list[dict]) -> int:
    """Title, 日付, header and rows; returns the last row written."""
    columns = layout.COLUMNS[kind]
    title(sheet, f"{layout.TITLES[kind]}({process_name})", last_column=TITLE_END_COLUMN)
    put(sheet, 1, DATE_COLUMN, f"日付: {date_text}")
    header(sheet, HEADER_ROW, [(label, _WIDTHS[key]) for key, label in columns])
    alignments = [_CENTRED if key in _NUMBER_KEYS or key in {"row_id", "kind", "stage"} else _LEFT
                  for key, _label in columns]
    r = HEADER_ROW
    for r, values in enumerate(rows, start=HEADER_ROW + 1):
        for c, (key, _label) in enumerate(columns, start=1):
            put(sheet, r, c, values.get(key), border=BOX, alignment=alignments[c - 1])
    a4_landscape(sheet, HEADER_ROW)
    return r


def _legend(sheet: Worksheet, start: int, scales: dict) -> None:
    """The scale legend exactly as under the seed's table: heading, 評価/クラス/内容, one line per class."""
    r = start
    for factor in ("threat", "vulnerability"):
        put(sheet, r, 1, LEGEND_HEADINGS[factor], bold=True)
        r += 1
        for c, label in enumerate(("評価", "クラス", "内容"), start=1):
            put(sheet, r, c, label, bold=True)
        r += 1
        for level in scales.get(factor, []):
            put(sheet, r, 1, level["rating"], alignment=_MIDDLE)
            put(sheet, r, 2, level["class"], alignment=_MIDDLE)
            put(sheet, r, 3, level["text"])  # no wrap: it runs on over the empty cells
            r += 1


def build_workbook(process, settings) -> Workbook:
    """`settings` is risk.queries.settings_for(process.municipality): its scales make the legend."""
    rows = _rows(process)
    analysis = ProcessAnalysis.objects.filter(process=process).first()
    day = (analysis and analysis.sheet_date) or timezone.localdate()
    date_text = format_wareki_short(day)
    workbook = Workbook()
    handling = workbook.active
    handling.title = layout.TITLES[layout.HANDLING]
    _table(handling, layout.HANDLING, process.name, date_text, [_handling_values(row) for row in rows])
    risk = workbook.create_sheet(layout.TITLES[layout.RISK])
    last = _table(risk, layout.RISK, process.name, date_text, [_risk_values(row) for row in rows if _risk(row)])
    _legend(risk, last + 1, settings.scales)
    return workbook


def export_bytes(process, settings) -> bytes:
    return workbook_bytes(build_workbook(process, settings))


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
    """The records as listed (filtered and sorted like the page), one row each, voided ones marked 取消."""
    header_row = 3
    workbook, sheet = new_table(layout.RECORDS_TITLE, f"{layout.RECORDS_TITLE}（{municipality.name}）",
                                f"{format_date(as_of)}現在",
                                [(label, width) for _key, label, width in layout.RECORD_COLUMNS], header_row)
    for r, item in enumerate(records, start=header_row + 1):
        data_row(sheet, r, record_values(item, western))
    return finish(workbook, sheet, header_row)
