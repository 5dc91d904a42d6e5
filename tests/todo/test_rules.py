import datetime as dt

from jichitai.todo import rules

D = dt.date
TODAY = D(2026, 12, 4)


def _item(kind="pia", key="1", deadline=None, **kwargs):
    return rules.item(kind, key, f"{kind}{key}", 1, deadline, TODAY, "/x/", **kwargs)


def test_days_left_and_its_words():
    assert rules.days_left(D(2026, 12, 7), TODAY) == 3
    assert rules.days_text(3) == "あと3日"
    assert rules.days_text(0) == "本日期限"
    assert rules.days_text(-5) == "5日超過"
    assert rules.days_text(None) == ""
    assert rules.days_left(None, TODAY) is None


def test_due_soon_is_inclusive_and_includes_overdue():
    assert rules.due_soon(TODAY + dt.timedelta(days=60), TODAY, 60)
    assert not rules.due_soon(TODAY + dt.timedelta(days=61), TODAY, 60)
    assert rules.due_soon(TODAY - dt.timedelta(days=400), TODAY, 60)
    assert not rules.due_soon(None, TODAY, 60)


def test_states():
    assert _item(deadline=TODAY - dt.timedelta(days=1)).state == rules.OVERDUE
    assert _item(deadline=TODAY).state == rules.DUE_SOON
    assert _item(deadline=TODAY + dt.timedelta(days=90)).state == rules.LATER
    assert _item().state == rules.UNDATED
    assert _item(overdue=True).state == rules.OVERDUE  # never trained: a duty unmet without a date
    # training: the association's own period says what is due soon
    assert _item(deadline=TODAY + dt.timedelta(days=90), soon=True).state == rules.DUE_SOON
    # an incident report is overdue as the incidents rules say, not by this module's arithmetic
    assert _item(deadline=TODAY - dt.timedelta(days=1), overdue=False).state == rules.DUE_SOON


def test_order_overdue_first_then_by_deadline_undated_last():
    later = _item(key="later", deadline=TODAY + dt.timedelta(days=100))
    soon = _item(key="soon", deadline=TODAY + dt.timedelta(days=3))
    late = _item(key="late", deadline=TODAY - dt.timedelta(days=2))
    later_late = _item(key="later_late", deadline=TODAY - dt.timedelta(days=1))
    undated = _item(key="undated")
    unmet = _item(key="unmet", overdue=True)
    ordered = rules.order([undated, later, soon, unmet, later_late, late], TODAY)
    assert [t.key for t in ordered] == ["late", "later_late", "unmet", "soon", "later", "undated"]


def test_same_day_sorts_by_kind_order():
    day = TODAY + dt.timedelta(days=5)
    ordered = rules.order([_item("checklist", deadline=day), _item("incident", deadline=day)], TODAY)
    assert [t.kind for t in ordered] == ["incident", "checklist"]


def test_uid_is_stable_and_names_the_duty():
    a = _item(key="7-final", deadline=TODAY)
    b = rules.item("pia", "7-final", "changed title", 1, TODAY + dt.timedelta(days=3), TODAY, "/y/")
    assert a.uid == b.uid == "pia-1-7-final"


def test_counts():
    items = [_item(key="1", deadline=TODAY - dt.timedelta(days=1)), _item(key="2", deadline=TODAY), _item(key="3")]
    assert rules.counts(items) == {"overdue": 1, "due_soon": 1, "total": 3}
