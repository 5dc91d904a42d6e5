"""Pure rules of 取扱記録 and periodic reviews (seed 2-3): the boundaries of months and windows."""

import datetime as dt

import pytest

from jichitai.handling import rules

D = dt.date


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 1, 31), 1, D(2026, 2, 28)),
    (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
    (D(2026, 3, 31), 1, D(2026, 4, 30)),
    (D(2026, 12, 15), 1, D(2027, 1, 15)),
    (D(2026, 2, 28), 12, D(2027, 2, 28)),
    (D(2028, 2, 29), 12, D(2029, 2, 28)),
    (D(2026, 3, 31), -1, D(2026, 2, 28)),
    (D(2026, 1, 15), -1, D(2025, 12, 15)),
    (D(2026, 5, 1), 0, D(2026, 5, 1)),
])
def test_add_months_keeps_the_day_or_takes_the_last_of_a_shorter_month(day, months, expected):
    assert rules.add_months(day, months) == expected


def test_next_review_is_interval_months_after_the_later_of_review_and_approval():
    assert rules.next_review_due(D(2025, 4, 1), None, 12) == D(2026, 4, 1)
    assert rules.next_review_due(None, D(2025, 6, 1), 12) == D(2026, 6, 1)
    assert rules.next_review_due(D(2025, 4, 1), D(2025, 6, 1), 12) == D(2026, 6, 1)  # approval counts
    assert rules.next_review_due(D(2025, 8, 1), D(2025, 6, 1), 6) == D(2026, 2, 1)
    assert rules.next_review_due(D(2026, 1, 31), None, 1) == D(2026, 2, 28)
    assert rules.next_review_due(None, None, 12) is None


def test_review_due_and_overdue_at_exactly_n_months():
    last = D(2025, 12, 4)
    assert not rules.review_due(last, None, 12, D(2026, 12, 3))
    assert rules.review_due(last, None, 12, D(2026, 12, 4))  # due today
    assert not rules.review_overdue(last, None, 12, D(2026, 12, 4))  # the due day is still in time
    assert rules.review_overdue(last, None, 12, D(2026, 12, 5))
    assert rules.review_due(last, None, 12, D(2026, 11, 4), within_days=30)
    assert not rules.review_due(last, None, 12, D(2026, 11, 3), within_days=30)


def test_never_reviewed_nor_approved_is_due_now():
    assert rules.review_due(None, None, 12, D(2026, 1, 1))
    assert rules.review_overdue(None, None, 12, D(2026, 1, 1))


def test_review_interval_falls_back_to_the_association_then_a_year():
    assert rules.review_interval(6, 24) == 6
    assert rules.review_interval(None, 24) == 24
    assert rules.review_interval(None, None) == 12


def test_records_gap_boundaries():
    as_of = D(2026, 12, 4)
    assert not rules.records_gap(False, None, as_of, 12)  # the table does not say records are kept
    assert rules.records_gap(True, None, as_of, 12)  # never recorded
    assert not rules.records_gap(True, D(2025, 12, 4), as_of, 12)  # exactly 12 months ago still counts
    assert rules.records_gap(True, D(2025, 12, 3), as_of, 12)
    assert not rules.records_gap(True, D(2026, 2, 28), D(2026, 3, 31), 1)  # 3/31 − 1 month = 2/28
    assert rules.records_gap(True, D(2026, 2, 27), D(2026, 3, 31), 1)


def test_a_disposal_needs_its_method_and_a_witness():
    assert rules.record_problems("use", "", "") == {}
    problems = rules.record_problems("dispose", " ", "")
    assert set(problems) == {"disposal_method", "witness"}
    assert "立会者" in problems["witness"]
    assert rules.record_problems("dispose", "シュレッダーで裁断", "課長 佐藤") == {}


@pytest.mark.parametrize(("text", "code"), [("取得", "acquire"), ("利用", "use"), ("保管", "store"), ("保存", "store"),
                                            ("提供", "provide"), ("持出し", "take_out"), ("持ち出し", "take_out"),
                                            ("廃棄・消去", "dispose"), ("廃棄", "dispose"), ("take_out", "take_out")])
def test_read_action(text, code):
    assert rules.read_action(text) == code


def test_read_action_refuses_other_words():
    with pytest.raises(rules.UnknownValue):
        rules.read_action("閲覧した")
