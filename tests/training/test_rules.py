import datetime as dt

import pytest

from jichitai.training import rules

D = dt.date


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 3, 31), -1, D(2026, 2, 28)),  # month end clamps
    (D(2024, 3, 31), -1, D(2024, 2, 29)),  # leap year
    (D(2026, 3, 15), -12, D(2025, 3, 15)),
    (D(2026, 1, 31), -2, D(2025, 11, 30)),
    (D(2025, 2, 28), 12, D(2026, 2, 28)),
    (D(2024, 2, 29), 12, D(2025, 2, 28)),
    (D(2025, 12, 10), 1, D(2026, 1, 10)),  # year boundary
])
def test_add_months_clamps_to_month_end(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_window_includes_the_day_exactly_window_months_before_and_not_the_day_before():
    as_of = D(2026, 6, 15)
    assert rules.is_trained(as_of, [D(2025, 6, 15)], 12) is True
    assert rules.is_trained(as_of, [D(2025, 6, 14)], 12) is False


def test_month_end_window_start():
    # 2026-03-31 minus 1 month is 2026-02-28: a session on the 28th counts, on the 27th not.
    assert rules.window_start(D(2026, 3, 31), 1) == D(2026, 2, 28)
    assert rules.is_trained(D(2026, 3, 31), [D(2026, 2, 28)], 1) is True
    assert rules.is_trained(D(2026, 3, 31), [D(2026, 2, 27)], 1) is False


def test_sessions_after_as_of_are_ignored():
    assert rules.is_trained(D(2026, 4, 1), [D(2026, 4, 2)], 12) is False
    assert rules.is_trained(D(2026, 4, 1), [D(2026, 4, 1)], 12) is True
    assert rules.last_session(D(2026, 4, 1), [D(2025, 5, 1), D(2026, 5, 1)]) == D(2025, 5, 1)


def test_no_sessions_is_untrained():
    assert rules.is_trained(D(2026, 4, 1), [], 12) is False
    assert rules.standing(D(2026, 4, 1), []) == rules.Standing(None, None, rules.UNTRAINED, None, None)


def test_due_date_month_end_follows_the_window():
    assert rules.due_date(D(2025, 6, 15), 12) == D(2026, 6, 15)
    assert rules.due_date(D(2026, 2, 28), 1) == D(2026, 3, 31)  # last day of February → last day of March
    assert rules.due_date(D(2026, 1, 30), 1) == D(2026, 2, 28)
    assert rules.due_date(D(2027, 2, 28), 12) == D(2028, 2, 29)


@pytest.mark.parametrize("window", [1, 6, 12, 13])
def test_due_date_agrees_with_is_trained_on_every_day(window):
    """For every session date in two years: trained exactly from the session day to its due date."""
    start = D(2026, 1, 1)
    for offset in range(0, 730, 3):
        last = start + dt.timedelta(days=offset)
        due = rules.due_date(last, window)
        assert rules.is_trained(due, [last], window), (last, due)
        assert not rules.is_trained(due + dt.timedelta(days=1), [last], window), (last, due)


def test_standing_boundaries_of_due_soon_and_overdue():
    last = D(2025, 6, 15)  # due 2026-06-15
    on_boundary = rules.standing(D(2026, 4, 16), [last], 12, 60)  # exactly 60 days left: due soon (inclusive)
    assert (on_boundary.status, on_boundary.days_left) == (rules.DUE_SOON, 60)
    assert rules.standing(D(2026, 4, 15), [last], 12, 60) == rules.Standing(last, D(2026, 6, 15), rules.TRAINED, 0, 61)
    assert rules.standing(D(2026, 6, 15), [last], 12, 60) == rules.Standing(last, D(2026, 6, 15), rules.DUE_SOON, 0, 0)
    assert rules.standing(D(2026, 6, 16), [last], 12, 60) == rules.Standing(last, D(2026, 6, 15), rules.UNTRAINED, 1,
                                                                             None)


def test_days_overdue():
    assert rules.days_overdue(D(2026, 6, 20), D(2026, 6, 15)) == 5
    assert rules.days_overdue(D(2026, 6, 15), D(2026, 6, 15)) == 0
    assert rules.days_overdue(D(2026, 6, 1), D(2026, 6, 15)) == 0
    assert rules.days_overdue(D(2026, 6, 1), None) is None


def test_the_latest_session_counts():
    result = rules.standing(D(2026, 6, 1), [D(2024, 1, 1), D(2025, 12, 1), D(2025, 3, 1)], 12, 60)
    assert (result.last_trained, result.due_on, result.status) == (D(2025, 12, 1), D(2026, 12, 1), rules.TRAINED)


def test_plan_item_errors():
    assert rules.plan_item_errors(2026, 6, None) == []
    assert rules.plan_item_errors(2026, None, D(2027, 3, 31)) == []
    assert rules.plan_item_errors(2026, None, None) == []
    assert rules.plan_item_errors(2026, 13, None) == ["実施予定月は1〜12で入力してください。"]
    assert len(rules.plan_item_errors(2026, None, D(2026, 3, 31))) == 1  # before the fiscal year
    assert len(rules.plan_item_errors(2026, None, D(2027, 4, 1))) == 1  # after it
    assert rules.plan_item_errors(2026, 5, D(2026, 6, 1)) == ["実施予定月と実施予定日の月が一致しません。"]


@pytest.mark.parametrize(("text", "expected"), [("済", True), ("有", True), ("〇", True), ("○", True), ("未", False),
                                                ("無", False), ("×", False), ("", False)])
def test_read_survey(text, expected):
    assert rules.read_survey(text) is expected


def test_read_survey_refuses_other_text():
    with pytest.raises(rules.UnknownSurveyValue):
        rules.read_survey("たぶん")


def test_check_score_bounds():
    assert [rules.check_score(v) for v in (None, 0, 100, -1, 101)] == [True, True, True, False, False]
