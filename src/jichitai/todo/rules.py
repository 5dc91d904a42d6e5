"""やること: what a municipality has to do next, soonest first. Pure: plain values in, plain values out.

Each source of work keeps its own law in its own app's rules; this module only says how an item is dated,
when it is "due soon", and in which order the list is read. The sources (todo/queries.py) and the law each
one follows:

- incident reports: 番号法 第29条の4第1項, 報告規則 第3条 — 速報 「速やかに」 (the association's target, 3 days
  by default), 確報 30 days after knowing (60 for 不正の目的); 本人への通知 第29条の4第2項 (incidents.rules).
- PIA: the yearly review (特定個人情報保護評価に関する規則 第14条) and the re-evaluation within five years
  (同 第15条, 指針); an evaluation missing, overtaken by the threshold or by a 重要な変更 (pia.rules).
- training: 番号法 第29条の2, 施行令 第32条 (おおむね一年ごと): people whose training lapses within the
  association's due-soon period, or has lapsed, or who were never trained (training.rules).
- analyses waiting for approval: the seed's 業務フロー・情報資産取扱手順表・リスク分析 are approved as one set
  by the 保護責任者 (2-3); a set with content that is not approved waits for it.
- checklist NGs: the seed's five post-linkage checks (checklist.rules) whose verdict is NG (a legal breach).
"""

import datetime as dt
from dataclasses import dataclass

# Dated work whose deadline is at most this many days away is "due soon" (PIA reviews and re-evaluations, and
# what later sources date). The same default period training uses (training.rules.DEFAULT_DUE_SOON_DAYS);
# training itself follows each association's own setting.
DUE_SOON_DAYS = 60

INCIDENT, PIA, TRAINING, APPROVAL, CHECKLIST = "incident", "pia", "training", "approval", "checklist"
REVIEW, RECORD_GAP = "review", "record_gap"
# (kind, label) in the order kinds are shown; a new source adds its kind here.
KINDS: list[tuple[str, str]] = [
    (INCIDENT, "漏えい等の報告"),
    (PIA, "特定個人情報保護評価"),
    (TRAINING, "研修"),
    (APPROVAL, "承認待ち"),
    (REVIEW, "定期見直し"),
    (RECORD_GAP, "取扱記録"),
    (CHECKLIST, "チェックリスト"),
]

OVERDUE, DUE_SOON, LATER, UNDATED = "overdue", "due_soon", "later", "undated"
STATE_LABEL = {OVERDUE: "期限超過", DUE_SOON: "期限間近", LATER: "予定", UNDATED: "期限なし"}


def kind_label(kind: str) -> str:
    return dict(KINDS).get(kind, kind)


def kind_rank(kind: str) -> int:
    return next((n for n, (k, _label) in enumerate(KINDS) if k == kind), len(KINDS))


def days_left(deadline: dt.date | None, as_of: dt.date) -> int | None:
    """Days until the deadline: 0 on the day itself, negative once it has passed, None without a deadline."""
    return None if deadline is None else (deadline - as_of).days


def due_soon(deadline: dt.date | None, as_of: dt.date, window_days: int = DUE_SOON_DAYS) -> bool:
    """Due within `window_days` (inclusive) or already overdue: work to show now rather than later."""
    return deadline is not None and (deadline - as_of).days <= window_days


def days_text(days: int | None) -> str:
    """「あと3日」, 「本日期限」, 「5日超過」; blank without a deadline."""
    if days is None:
        return ""
    if days > 0:
        return f"あと{days}日"
    if days == 0:
        return "本日期限"
    return f"{-days}日超過"


@dataclass(frozen=True)
class TodoItem:
    kind: str  # a key of KINDS
    key: str  # stable within the kind and municipality: the calendar's UID is made from it
    title: str
    municipality_id: int
    deadline: dt.date | None
    days_left: int | None
    state: str  # OVERDUE, DUE_SOON, LATER or UNDATED
    link: str  # where to do it
    detail: str = ""
    basis: str = ""  # the article or the seed table the duty comes from

    @property
    def overdue(self) -> bool:
        return self.state == OVERDUE

    @property
    def state_label(self) -> str:
        if self.state == OVERDUE and self.deadline is None:
            return "未対応"  # a duty already unmet that has no date (never trained, an NG)
        return STATE_LABEL[self.state]

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)

    @property
    def days_text(self) -> str:
        return days_text(self.days_left)

    @property
    def uid(self) -> str:
        return f"{self.kind}-{self.municipality_id}-{self.key}"


def item(kind: str, key: object, title: str, municipality_id: int, deadline: dt.date | None, as_of: dt.date,
         link: str, *, detail: str = "", basis: str = "", overdue: bool | None = None,
         soon: bool | None = None) -> TodoItem:
    """An item as read on `as_of`. Overdue once its deadline has passed, unless the source knows better (a duty
    unmet without a date: never trained, no evaluation, an NG); due soon within DUE_SOON_DAYS, unless the
    source has its own period (training: the association's setting)."""
    left = days_left(deadline, as_of)
    if overdue is None:
        overdue = left is not None and left < 0
    if overdue:
        state = OVERDUE
    elif deadline is None:
        state = UNDATED
    elif soon if soon is not None else due_soon(deadline, as_of):
        state = DUE_SOON
    else:
        state = LATER
    return TodoItem(kind, str(key), title, municipality_id, deadline, left, state, link, detail, basis)


def sort_key(todo: TodoItem, as_of: dt.date | None = None) -> tuple:
    """Overdue first, then by deadline, undated last; within a day by kind, then title."""
    late = todo.overdue or (as_of is not None and todo.deadline is not None and todo.deadline < as_of)
    return (not late, todo.deadline is None, todo.deadline or dt.date.max, kind_rank(todo.kind), todo.title, todo.key)


def order(items, as_of: dt.date) -> list[TodoItem]:
    """Soonest first, as read on `as_of`: what is overdue, then by deadline, work without a deadline last."""
    return sorted(items, key=lambda todo: sort_key(todo, as_of))


def counts(items) -> dict[str, int]:
    """Overdue, due soon and total, for the association's per-member table."""
    items = list(items)
    return {"overdue": sum(1 for t in items if t.state == OVERDUE),
            "due_soon": sum(1 for t in items if t.state == DUE_SOON), "total": len(items)}
