"""The incident register as .xlsx, filtered and sorted like the page; overdue reports filled red. Streamed
(core.sheets.writing.streamed_table): memory does not grow with the register."""

import datetime as dt

from openpyxl.styles import PatternFill

from jichitai.core.sheets.writing import FilledRow, streamed_table
from jichitai.core.wareki import format_date

from .rules import TOKYO

HEADER_ROW = 3
COLUMNS = (("事案", 30), ("事態を知った日時", 16), ("部署", 14), ("種類", 14), ("本人の数", 10), ("報告対象", 10),
           ("該当号", 18), ("速報 目安", 12), ("速報 送付日", 12), ("確報 期限", 12), ("確報 送付日", 12),
           ("本人通知日", 12), ("状態", 8), ("原因", 30))
OVERDUE_FILL = PatternFill("solid", fgColor="F8CBAD")


def _persons(incident) -> str | int | None:
    return "不明" if incident.persons_unknown else incident.persons_affected


def _row(incident) -> tuple:
    a = incident.assessment
    return (incident.title, incident.known_at.astimezone(TOKYO).replace(tzinfo=None),
            str(incident.department or ""), "・".join(incident.kind_labels),
            _persons(incident), "要" if a.reportable else "否", "、".join(incident.ground_labels),
            a.preliminary_due, incident.preliminary_sent_on, a.final_due, incident.final_sent_on,
            incident.persons_notified_on, "対応中" if incident.open else "完了", incident.root_cause)


DATE_COLUMNS = {2: True} | dict.fromkeys(range(8, 13), False)  # 事態を知った日時; the 速報・確報・本人通知 dates


def register_bytes(municipality, incidents, as_of: dt.date) -> bytes:
    """`incidents` come from incidents.queries.register (assessment and overdue flags set)."""
    return streamed_table("漏えい等事案", f"漏えい等事案 管理簿（{municipality.name}）",
                          f"{format_date(as_of)}現在　速報の日付は目安（報告規則第3条第1項「速やかに」）",
                          COLUMNS, HEADER_ROW, (_filled_row(incident) for incident in incidents),
                          date_columns=DATE_COLUMNS)


def _filled_row(incident):
    fills = {}
    if incident.preliminary_overdue:
        fills[8] = OVERDUE_FILL
    if incident.final_overdue:
        fills[10] = OVERDUE_FILL
    return FilledRow(_row(incident), fills) if fills else _row(incident)
