"""Layout of the seed's two sheets: 情報資産取扱手順表 and リスク分析表 (columns in the seed's order)."""

import re

from jichitai.core.sheets.reading import Rows, cell_ref, cell_text, label_map
from jichitai.core.sheets.reading import find_header as find_header_in
from jichitai.core.text import normalise

HANDLING = "handling"
RISK = "risk"
TITLES = {HANDLING: "情報資産取扱手順表", RISK: "リスク分析表"}

HANDLING_COLUMNS: tuple[tuple[str, str], ...] = (
    ("row_id", "ID"), ("asset_name", "情報資産名称"), ("kind", "種類"), ("stage", "取扱段階"),
    ("method", "取扱方法"), ("procedure", "取扱手順"), ("business_function", "関連業務機能"),
    ("responsible", "責任者"), ("responsible_duty", "責任者任務"), ("handler", "担当者"),
    ("handler_duty", "担当者任務"), ("notes", "備考"), ("confidentiality", "機密性"), ("integrity", "完全性"),
    ("availability", "可用性"), ("asset_value", "資産価値"),
)
RISK_COLUMNS: tuple[tuple[str, str], ...] = (
    ("row_id", "ID"), ("asset_name", "情報資産名称"), ("asset_value", "資産価値"), ("vulnerability", "脆弱性"),
    ("vulnerability_rating", "脆弱性評価"), ("threat", "脅威"), ("business_function", "関連業務機能"),
    ("threat_rating", "脅威評価"), ("total", "総合評価"), ("countermeasures", "対策"),
    ("residual_risk", "残存リスク"), ("residual", "残存評価"),
)
COLUMNS = {HANDLING: HANDLING_COLUMNS, RISK: RISK_COLUMNS}
# Columns a sheet cannot do without; the others may be absent (then read as blank).
REQUIRED = {
    HANDLING: ("row_id", "asset_name", "kind", "stage", "confidentiality", "integrity", "availability"),
    RISK: ("row_id", "vulnerability_rating", "threat_rating"),
}
# The scale legend under the seed's risk table starts with these words: the table ends there.
LEGEND_STARTS = ("脅威", "ぜい弱性", "脆弱性", "評価")

_TITLE = re.compile(r"(情報資産取扱手順表|リスク分析表)\s*[(（](.+)[)）]")
_DATE = re.compile(r"^日付\s*[:：]?\s*(.*)$")


def find_title(rows: Rows) -> tuple[str, str, str] | None:
    """(kind, process name, cell) from a title such as 「リスク分析表(軽自動車税の減免申請に係る事務)」."""
    for r, row in enumerate(rows[:10]):
        for c, value in enumerate(row):
            match = _TITLE.search(normalise(cell_text(value)))
            if match:
                kind = HANDLING if match.group(1) == TITLES[HANDLING] else RISK
                return kind, match.group(2).strip(), cell_ref(r, c)
    return None


_LABELS = {kind: label_map(dict(columns)) for kind, columns in COLUMNS.items()}


def find_header(rows: Rows, kind: str) -> tuple[int, dict[str, int]] | None:
    return find_header_in(rows, _LABELS[kind], REQUIRED[kind])


def detect(rows: Rows) -> str | None:
    title = find_title(rows)
    if title:
        return title[0]
    for kind in (RISK, HANDLING):
        if find_header(rows, kind):
            return kind
    return None


def find_date(rows: Rows, header_row: int) -> tuple[str, str] | None:
    """(text, cell) of the 「日付: H30.1.10」 cell above the header, or of the cell right after 「日付」."""
    for r in range(min(header_row, len(rows))):
        row = rows[r]
        for c, value in enumerate(row):
            match = _DATE.match(normalise(cell_text(value)))
            if not match:
                continue
            if match.group(1):
                return match.group(1), cell_ref(r, c)
            if c + 1 < len(row) and cell_text(row[c + 1]):
                return row[c + 1], cell_ref(r, c + 1)
    return None


# ---- 取扱記録: the export's columns are the import's (exchange/kinds/handling_records.py), so a file round-trips ----

RECORDS_TITLE = "取扱記録"
RECORD_COLUMNS: tuple[tuple[str, str, int], ...] = (
    ("process", "事務", 30), ("row_id", "ID", 6), ("asset_name", "情報資産名称", 16), ("occurred_at", "日時", 16),
    ("action", "取扱区分", 10), ("staff_number", "職員番号", 10), ("person_name", "取扱者", 12), ("medium", "媒体", 12),
    ("count", "件数", 6), ("purpose", "目的", 24), ("approver_number", "承認者職員番号", 10),
    ("approver_name", "承認者", 12), ("disposal_method", "廃棄・消去の方法", 16), ("witness", "立会者", 12),
    ("state", "状態", 6), ("void_reason", "取消理由", 20),
)
RECORD_REQUIRED = ("process", "row_id", "occurred_at", "action", "staff_number")
VOID_STATE = "取消"
