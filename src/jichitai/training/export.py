"""Training lists as .xlsx (people by status, sessions), A4 landscape like the other exported sheets; streamed
(core.sheets.writing.streamed_table): memory does not grow with the list."""

import datetime as dt
from collections.abc import Iterable

from jichitai.core.sheets.writing import streamed_table
from jichitai.core.wareki import format_date

from . import rules

HEADER_ROW = 4

STATUS_TITLES = {"untrained": "研修未受講者一覧", "due_soon": "研修期限間近の職員一覧", "all": "研修受講状況一覧"}
PEOPLE_HEADERS = [("職員番号", 12), ("氏名", 18), ("所属", 20), ("役割", 16), ("最終受講日", 14), ("受講期限", 14),
                  ("状況", 10), ("超過日数", 10), ("残日数", 10)]
SESSION_HEADERS = [("実施日", 14), ("研修コード", 10), ("テーマ", 40), ("主催", 22), ("会場", 22), ("参加団体数", 10),
                   ("受講者数", 10), ("テスト", 8), ("アンケート", 10)]


def _table(heading: str, subtitle: str, headers: list[tuple[str, int]], rows: Iterable[list], frozen_columns: int,
           date_columns: dict[int, bool]) -> bytes:
    """The heading merged across the table, the subtitle, the header on HEADER_ROW, then bordered rows."""
    # not wrapped: these lists have always been one line a row
    return streamed_table(heading, heading, subtitle, headers, HEADER_ROW, rows, frozen_columns=frozen_columns,
                          alignment=None, date_columns=date_columns, merge_title=True)


def people_bytes(municipality, as_of: dt.date, kind: str, people) -> bytes:
    return _table(STATUS_TITLES[kind], f"{municipality.name}　{format_date(as_of)}現在", PEOPLE_HEADERS,
                  ([p.staff_number, p.name, p.department, p.role_label, p.last_trained, p.due_on,
                    rules.STATUS_LABEL[p.status], p.days_overdue, p.days_left] for p in people), frozen_columns=2,
                  date_columns={5: False, 6: False})


def sessions_bytes(municipality, sessions) -> bytes:
    return _table("研修実施記録", municipality.name, SESSION_HEADERS,
                  ([s.held_on, s.course.code, s.course.title, str(s.organiser_association or s.organiser_municipality),
                    s.place, s.n_participants, s.n_attended, "有" if s.has_test else "無", "有" if s.has_survey else "無"]
                   for s in sessions), frozen_columns=1, date_columns={1: False})
