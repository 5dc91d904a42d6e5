"""The PIA page as .xlsx: every file shown (filtered and sorted like the page), required vs done, due dates."""

import datetime as dt

from openpyxl.styles import PatternFill

from jichitai.core.sheets.writing import data_row, finish, new_table
from jichitai.core.wareki import format_date

from . import rules

HEADER_ROW = 3
COLUMNS = (("特定個人情報ファイル", 28), ("対象となる事務", 36), ("対象人数", 10), ("取扱者数", 10),
           ("必要な評価", 22), ("根拠", 30), ("実施済みの評価", 22), ("評価日（公表・提出）", 14),
           ("見直し期限（第14条）", 14), ("再実施期限（第15条）", 14), ("注意事項", 50))
_ALERT = PatternFill("solid", fgColor="FCE4D6")


def files_bytes(municipality, rows, today: dt.date) -> bytes:
    """`rows` are queries.FileRow (processes and evaluations prefetched): no query here."""
    workbook, sheet = new_table("特定個人情報保護評価", f"特定個人情報保護評価の実施状況（{municipality.name}）",
                                f"{format_date(today)}現在", COLUMNS, HEADER_ROW)
    for r, row in enumerate(rows, start=HEADER_ROW + 1):
        f, state = row.spi_file, row.state
        latest = state.latest
        values = (f.name, "\n".join(p.name for p in f.processes.all()), f.persons, f.handlers, state.threshold.label,
                  state.threshold.article, rules.REQUIRED_LABEL[latest.kind] if latest else "未実施",
                  latest.evaluated_on if latest else None, state.review_due, state.reevaluation_due,
                  "\n".join(state.flag_labels))
        data_row(sheet, r, values, fill=_ALERT if state.flags else None)
    return finish(workbook, sheet, HEADER_ROW)
