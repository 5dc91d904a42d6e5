"""Who counts as trained (番号法 第29条の2, 施行令 第32条: おおむね一年ごと). Pure: plain dates in, plain values out.

"About once a year" is read as: a qualifying session (a statutory course, attended) on or after the day
`window_months` calendar months before the as-of date. Calendar months keep the day of the month and clamp
to the month's last day when it has no such day: 2026-03-31 minus 1 month is 2026-02-28, and 2025-02-28
plus 12 months is 2026-02-28. Sessions after the as-of date are ignored.
"""

import calendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from jichitai.core.wareki import format_date

DEFAULT_WINDOW_MONTHS = 12
DEFAULT_DUE_SOON_DAYS = 60
WINDOW_MONTHS_MIN, WINDOW_MONTHS_MAX = 1, 36
DUE_SOON_DAYS_MIN, DUE_SOON_DAYS_MAX = 0, 365
SCORE_MIN, SCORE_MAX = 0, 100

TRAINED, DUE_SOON, UNTRAINED = "trained", "due_soon", "untrained"
STATUSES = (TRAINED, DUE_SOON, UNTRAINED)
STATUS_LABEL = {TRAINED: "受講済", DUE_SOON: "期限間近", UNTRAINED: "未受講"}

# The Staff roles who must be trained when they are assigned to a process (施行令 第32条: 従事する者の全て).
MUST_TRAIN_ROLES = ("protection_officer", "handler")


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months forward (negative: back), clamped to the last day of the target month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, _last_day(year, month + 1)))


def window_start(as_of: dt.date, window_months: int) -> dt.date:
    """The earliest session date that still counts on `as_of`: exactly `window_months` before it."""
    return add_months(as_of, -window_months)


def last_session(as_of: dt.date, attended_dates: Iterable[dt.date]) -> dt.date | None:
    """The latest qualifying session on or before `as_of` (later ones have not happened yet on that day)."""
    return max((day for day in attended_dates if day <= as_of), default=None)


def is_trained(as_of: dt.date, attended_dates: Iterable[dt.date], window_months: int) -> bool:
    last = last_session(as_of, attended_dates)
    return last is not None and last >= window_start(as_of, window_months)


def due_date(last: dt.date, window_months: int) -> dt.date:
    """The last day on which a session on `last` still counts, consistent with `window_start`.

    A session on a month's last day counts until the last day of the month `window_months` later
    (2026-02-28 + 1 month → 2026-03-31, because 2026-03-31 − 1 month = 2026-02-28).
    """
    due = add_months(last, window_months)
    if last.day == _last_day(last.year, last.month):
        due = due.replace(day=_last_day(due.year, due.month))
    return due


def days_overdue(as_of: dt.date, due_on: dt.date | None) -> int | None:
    """Days past the due date (the day after it is 1); 0 when not yet due; None when never trained."""
    if due_on is None:
        return None
    return max(0, (as_of - due_on).days)


@dataclass(frozen=True)
class Standing:
    last_trained: dt.date | None
    due_on: dt.date | None
    status: str
    days_overdue: int | None
    days_left: int | None  # days until due (0 on the due date); None when untrained


def standing(as_of: dt.date, attended_dates: Iterable[dt.date], window_months: int = DEFAULT_WINDOW_MONTHS,
             due_soon_days: int = DEFAULT_DUE_SOON_DAYS) -> Standing:
    """Trained, due soon (due within `due_soon_days`, inclusive) or untrained on `as_of`."""
    last = last_session(as_of, attended_dates)
    if last is None:
        return Standing(None, None, UNTRAINED, None, None)
    due_on = due_date(last, window_months)
    if due_on < as_of:
        return Standing(last, due_on, UNTRAINED, days_overdue(as_of, due_on), None)
    left = (due_on - as_of).days
    return Standing(last, due_on, DUE_SOON if left <= due_soon_days else TRAINED, 0, left)


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """1 April – 31 March (地方自治法 第208条)."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def plan_item_errors(fiscal_year: int, planned_month: int | None, planned_on: dt.date | None) -> list[str]:
    """A plan item is scheduled by month, by date, or left open; a date must fall in the plan's fiscal year."""
    errors = []
    if planned_month is not None and not 1 <= planned_month <= 12:
        errors.append("実施予定月は1〜12で入力してください。")
    if planned_on is not None:
        start, end = fiscal_year_bounds(fiscal_year)
        if not start <= planned_on <= end:
            errors.append(f"実施予定日は{format_date(start)}〜{format_date(end)}（計画の年度内）にしてください。")
        elif planned_month is not None and planned_month != planned_on.month:
            errors.append("実施予定月と実施予定日の月が一致しません。")
    return errors


def is_retired(retired_on: dt.date | None, day: dt.date) -> bool:
    """Retired on `day`: from its retirement date on (before it, the course or item was still in use)."""
    return retired_on is not None and retired_on <= day


def check_score(score: int | None) -> bool:
    return score is None or SCORE_MIN <= score <= SCORE_MAX


SURVEY_DONE = ("済", "有", "〇", "○", "◯", "提出", "提出済", "あり", "yes", "y", "true", "1")
SURVEY_NOT_DONE = ("未", "無", "×", "✕", "x", "未提出", "なし", "no", "n", "false", "0", "")


class UnknownSurveyValue(ValueError):
    pass


def read_survey(text: str) -> bool:
    """アンケート column: 済/有/〇 → submitted, 未/無/×/blank → not submitted."""
    value = text.strip().lower()
    if value in SURVEY_DONE:
        return True
    if value in SURVEY_NOT_DONE:
        return False
    raise UnknownSurveyValue(text)
