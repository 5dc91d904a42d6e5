"""The checklist as .xlsx: a municipality's five items in the seed's table (項目 / 概要 / 対応チェック, with the
verdict and the findings), and the association's grid (one row per member)."""

import datetime as dt

from openpyxl import Workbook

from jichitai.core.sheets.writing import a4_landscape, data_row, header, new_table, put, title, workbook_bytes
from jichitai.core.wareki import format_wareki

from . import rules

# The seed's column names (its checklist table), then the verdict and the findings.
SEED_HEADERS = ("項目", "概要", "対応チェック")
HEADERS = (*SEED_HEADERS, "判定", "指摘")


def date_line(as_of: dt.date) -> str:
    """「令和8年12月4日現在」."""
    return f"{format_wareki(as_of)}現在"


def municipality_bytes(municipality, items: list[rules.ItemResult], as_of: dt.date) -> bytes:
    """One row per finding (one for an item without any), the item's seed text on its first row."""
    header_row = 4
    workbook, sheet = new_table(
        "チェックリスト", f"{municipality.name} 情報連携後チェックリスト",
        f"{date_line(as_of)}　判定: {'　'.join(rules.status_words(s) for s in rules.STATUSES)}",
        list(zip(HEADERS, (22, 40, 40, 12, 70), strict=True)), header_row)
    row = header_row
    for item in items:
        findings = item.findings or (None,)
        for index, finding in enumerate(findings):
            row += 1
            first = index == 0
            text = f"［{finding.reason_label}］{finding.message}" if finding else "指摘なし"
            data_row(sheet, row, [item.title if first else "", item.summary if first else "",
                                  item.check if first else "", rules.status_words(item.status) if first else "",
                                  text])
    a4_landscape(sheet, header_row=header_row, frozen_columns=1)
    return workbook_bytes(workbook)


def association_bytes(association, checklists, totals: dict, as_of: dt.date) -> bytes:
    """Per member and item the verdict and the number of findings; the totals below; the items' seed text on
    a second sheet."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "チェックリスト"
    title(sheet, f"{association.name} 情報連携後チェックリスト（構成団体別）")
    put(sheet, 2, 1, f"{date_line(as_of)}　各項目の判定（括弧内は指摘の件数）。項目の概要と対応チェックは「項目」シート")
    columns = [("団体コード", None), ("団体名", 18)] + [(name, 18) for _, name in rules.ITEMS]
    header(sheet, 4, columns)
    row = 4
    for row, checklist in enumerate(checklists.iterator(chunk_size=500), start=5):
        put(sheet, row, 1, checklist.municipality.code)
        put(sheet, row, 2, checklist.municipality.name)
        for c, (_item, status, findings) in enumerate(checklist.items, start=3):
            verdict = rules.status_words(status)
            put(sheet, row, c, f"{verdict}（{findings}）" if findings else verdict)
    put(sheet, row + 1, 2, "合計", bold=True)
    for c, (item, _name) in enumerate(rules.ITEMS, start=3):
        counts = totals[item]
        put(sheet, row + 1, c, " / ".join(f"{rules.status_words(s)} {counts[s]}" for s in rules.STATUSES))
    a4_landscape(sheet, header_row=4, frozen_columns=2)
    _seed_sheet(workbook, as_of)
    return workbook_bytes(workbook)


def _seed_sheet(workbook: Workbook, as_of: dt.date) -> None:
    sheet = workbook.create_sheet("項目")
    title(sheet, "チェックリストの項目", last_column=len(SEED_HEADERS))
    put(sheet, 2, 1, date_line(as_of))
    header(sheet, 4, list(zip(SEED_HEADERS, (26, 50, 50), strict=True)))
    for row, (item, name) in enumerate(rules.ITEMS, start=5):
        data_row(sheet, row, [name, *rules.SEED_TEXT[item]])
    a4_landscape(sheet, header_row=4)
