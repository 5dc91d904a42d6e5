import pytest

from jichitai.measures import rules


@pytest.mark.parametrize(("raw", "code", "ambiguous"), [
    ("未対応", "not_started", False),
    ("対応中", "in_progress", False),
    ("対応済", "done", False),
    ("該当なし", "not_applicable", False),
    ("done", "done", False),
    ("", "not_started", False),
    (None, "not_started", False),
    ("　対応済　", "done", False),  # ideographic spaces around
    ("済", "done", True),
    ("完了", "done", True),
    ("〇", "done", True),
    ("○", "done", True),
    ("◯", "done", True),
    ("✓", "done", True),
    ("△", "in_progress", True),
    ("一部対応", "in_progress", True),
    ("×", "not_started", True),
    ("未", "not_started", True),
    ("-", "not_applicable", True),
    ("－", "not_applicable", True),  # full-width hyphen-minus, folded by NFKC
    ("ー", "not_applicable", True),  # katakana long vowel mark
    ("―", "not_applicable", True),
    ("N/A", "not_applicable", True),
    ("n/a", "not_applicable", True),
    ("Ｎ／Ａ", "not_applicable", True),  # full width
    ("対象外", "not_applicable", True),
])
def test_read_status(raw, code, ambiguous):
    assert rules.read_status(raw) == rules.StatusReading(code, ambiguous)


@pytest.mark.parametrize("raw", ["たぶん", "済?", "〇×", "2", "doneish"])
def test_read_status_refuses_unknown(raw):
    with pytest.raises(rules.UnknownValue):
        rules.read_status(raw)


@pytest.mark.parametrize(("raw", "expected"), [
    ("〇", True), ("○", True), ("はい", True), ("YES", True), (1, True), (1.0, True), ("1", True), (True, True),
    ("", False), (None, False), ("×", False), ("いいえ", False), (0, False), ("-", False), ("全庁", False),
    (False, False),
])
def test_read_flag(raw, expected):
    assert rules.read_flag(raw) is expected


@pytest.mark.parametrize("raw", ["2", "課", "maybe"])
def test_read_flag_refuses_unknown(raw):
    with pytest.raises(rules.UnknownValue):
        rules.read_flag(raw)


@pytest.mark.parametrize(("category", "expected"), [
    ("組織的安全管理措置", "organisational"),
    ("人的安全管理措置", "human"),
    ("物理的安全管理措置", "physical"),
    ("技術的安全管理措置", "technical"),
    ("物理的セキュリティ", "physical"),  # a セキュリティ強靱化 list's wording
    ("C", "organisational"), ("d", "human"), ("E", "physical"), ("F", "technical"),
    ("technical", "technical"),
    ("基本方針", None), ("取扱規程等", None), ("A", None), ("B", None), ("", None),
])
def test_countermeasure_category(category, expected):
    assert rules.countermeasure_category(category) == expected


def test_section_letters_match_the_risk_apps_categories():
    from jichitai.risk.rules import CATEGORIES

    assert set(rules.SECTION_CATEGORY.values()) == {key for key, _label in CATEGORIES}


def test_slots_per_department_and_whole():
    items = [(1, False), (2, True), (3, False)]
    assert rules.slots(items, [10, 20]) == [(1, None), (2, 10), (2, 20), (3, None)]
    # No departments registered: a departmental item is still owed once, for the whole municipality.
    assert rules.slots(items, []) == [(1, None), (2, None), (3, None)]
    assert rules.slots([], [10]) == []


@pytest.mark.parametrize(("departmental", "other", "departments", "expected"), [
    (5, 12, 9, 57), (5, 12, 0, 17), (5, 12, 1, 17), (0, 3, 40, 3), (0, 0, 5, 0),
])
def test_slot_count_agrees_with_slots(departmental, other, departments, expected):
    items = [(i, True) for i in range(departmental)] + [(100 + i, False) for i in range(other)]
    assert rules.slot_count(departmental, other, departments) == expected == len(
        rules.slots(items, list(range(departments))))


def test_summarise_counts_and_percent():
    summary = rules.summarise(["done", "done", "in_progress", "not_started", "not_applicable"])
    assert (summary.done, summary.in_progress, summary.not_started, summary.not_applicable) == (2, 1, 1, 1)
    assert summary.total == 5 and summary.open == 2
    assert summary.percent_done == 50.0  # 2 of the 4 that apply
    assert summary.as_dict() == {"not_started": 1, "in_progress": 1, "done": 2, "not_applicable": 1, "total": 5,
                                 "percent_done": 50.0}


def test_summarise_boundaries():
    assert rules.summarise([]).percent_done is None
    assert rules.summarise(["not_applicable"] * 3).percent_done is None  # nothing applies
    assert rules.summarise(["done"]).percent_done == 100.0
    assert rules.summarise(["done", "not_started", "not_started"]).percent_done == 33.3
    with pytest.raises(rules.UnknownValue):
        rules.summarise(["done", "finished"])


def test_summary_from_counts_fills_missing_as_not_started():
    summary = rules.summary_from_counts({"done": 3, "not_applicable": 1}, expected=10)
    assert (summary.done, summary.not_started, summary.not_applicable, summary.total) == (3, 6, 1, 10)
    assert rules.summary_from_counts({}, expected=0).total == 0
    assert rules.summary_from_counts({"done": 4}, expected=4).not_started == 0
    with pytest.raises(ValueError, match="5 assessments recorded for 4 slots"):
        rules.summary_from_counts({"done": 5}, expected=4)


@pytest.mark.parametrize(("code", "ok"), [
    ("guideline-betten", True), ("kyojinka_2024.1", True), ("A", True), ("x" * 40, True), ("x" * 41, False),
    ("", False), ("-lead", False), ("日本語", False), ("has space", False),
])
def test_valid_code(code, ok):
    assert rules.valid_code(code) is ok
