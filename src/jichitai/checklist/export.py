"""The association's checklist grid as .xlsx: one row per member, per item its verdict and findings."""

import datetime as dt

from openpyxl import Workbook

from jichitai.core.sheets.writing import a4_landscape, header, put, title, workbook_bytes
from jichitai.core.wareki import format_wareki

from . import rules

VERDICT = {rules.OK: "OK", rules.ATTENTION: "要確認", rules.NG: "NG"}


def association_bytes(association, checklists, totals: dict, as_of: dt.date) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "チェックリスト"
    title(sheet, f"{association.name} 情報連携後チェックリスト（構成団体別）")
    put(sheet, 2, 1, f"{format_wareki(as_of)}現在　括弧内は指摘の件数")
    columns = [("団体コード", None), ("団体名", 18)] + [(name, 16) for _, name in rules.ITEMS]
    header(sheet, 4, columns)
    row = 4
    for row, checklist in enumerate(checklists.iterator(chunk_size=500), start=5):
        put(sheet, row, 1, checklist.municipality.code)
        put(sheet, row, 2, checklist.municipality.name)
        for c, (_item, status, findings) in enumerate(checklist.items, start=3):
            put(sheet, row, c, f"{VERDICT[status]}（{findings}）" if findings else VERDICT[status])
    put(sheet, row + 1, 2, "合計", bold=True)
    for c, (item, _name) in enumerate(rules.ITEMS, start=3):
        counts = totals[item]
        put(sheet, row + 1, c, f"OK {counts[rules.OK]} / 要確認 {counts[rules.ATTENTION]} / NG {counts[rules.NG]}")
    a4_landscape(sheet, header_row=4, frozen_columns=2)
    return workbook_bytes(workbook)
