"""The threshold table (規則第4条〜第7条), due dates (第14条・第15条), flags and date checks: pure rules."""

import datetime as dt

import pytest

from jichitai.pia import rules
from jichitai.pia.rules import BASIC, FULL, KEY, NONE, EvaluationFacts

ART4 = "特定個人情報保護評価に関する規則 第4条"
ART5 = "特定個人情報保護評価に関する規則 第5条"
ART5_NOT6 = "特定個人情報保護評価に関する規則 第5条（第6条第1項に該当しない）"
ART6 = "特定個人情報保護評価に関する規則 第6条第1項"
ART7 = "特定個人情報保護評価に関する規則 第7条第1項"


@pytest.mark.parametrize(("persons", "handlers", "incident", "required", "article"), [
    (0, 0, False, NONE, ART4),
    (999, 499, False, NONE, ART4),
    (999, 5_000, True, NONE, ART4),  # under 1,000 nothing is required, whatever S and A
    (1_000, 0, False, BASIC, ART5),
    (9_999, 500, True, BASIC, ART5),  # 1,000–9,999: basic only, even with S ≥ 500 and A
    (10_000, 499, False, BASIC, ART5_NOT6),
    (99_999, 499, False, BASIC, ART5_NOT6),
    (10_000, 500, False, KEY, ART6),
    (10_000, 499, True, KEY, ART6),
    (99_999, 500, True, KEY, ART6),
    (100_000, 499, False, KEY, ART6),
    (299_999, 499, False, KEY, ART6),
    (100_000, 500, False, FULL, ART7),
    (100_000, 499, True, FULL, ART7),
    (299_999, 500, False, FULL, ART7),
    (300_000, 0, False, FULL, ART7),
    (300_000, 499, False, FULL, ART7),
    (5_000_000, 10, False, FULL, ART7),
])
def test_threshold_boundaries_name_their_article(persons, handlers, incident, required, article):
    result = rules.threshold(persons, handlers, incident)
    assert (result.required, result.article) == (required, article)
    assert result.label == rules.REQUIRED_LABEL[required]


def test_reasons_explain_in_japanese():
    assert rules.threshold(999, 0).reason == "対象人数が1,000人未満の事務は、特定個人情報保護評価の実施を要しません。"
    reason = rules.threshold(50_000, 10, True).reason
    assert "取扱者数が500人以上であるか過去1年以内に重大事故がある" in reason and "重点項目評価" in reason
    assert rules.threshold(299_999, 500).as_json() == {
        "required": FULL, "label": "基礎項目評価＋全項目評価", "article": ART7,
        "reason": rules.threshold(299_999, 500).reason}


@pytest.mark.parametrize("persons", [0, 50_000, 400_000])
def test_staff_only_files_are_exempt_under_article_4(persons):
    result = rules.threshold(persons, 900, True, staff_only=True)
    assert (result.required, result.article) == (NONE, ART4)
    assert "人事・給与・福利厚生" in result.reason


def test_handlers_outnumbering_persons_is_valid():
    assert rules.threshold(1_200, 5_000).required == BASIC


@pytest.mark.parametrize("bad", [-1, 1.5, "12", None, True])
def test_counts_must_be_non_negative_integers(bad):
    with pytest.raises(rules.InvalidCount, match="0以上の整数"):
        rules.threshold(bad, 10)
    with pytest.raises(rules.InvalidCount, match="取扱者数"):
        rules.threshold(10, bad)


def test_read_count_accepts_commas_and_full_width_and_refuses_the_rest():
    assert rules.read_count("12,000") == 12_000 and rules.read_count("１０００") == 1_000
    for bad in ("-5", "1.5", "abc", "", None):
        with pytest.raises(rules.InvalidCount):
            rules.read_count(bad)


def test_the_table_is_data_covering_every_count_once():
    for persons in (0, 999, 1_000, 9_999, 10_000, 99_999, 100_000, 299_999, 300_000):
        for high in (False, True):
            assert sum(rules._matches(row, persons, high) for row in rules.THRESHOLD_TABLE) == 1


# ---- Due dates ----

def test_review_is_due_a_year_after_publication_or_the_last_review():
    assert rules.review_due(dt.date(2025, 6, 15)) == dt.date(2026, 6, 15)
    assert rules.review_due(dt.date(2025, 6, 15), dt.date(2026, 5, 1)) == dt.date(2027, 5, 1)
    assert rules.review_due(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)


def test_reevaluation_is_due_before_five_years_pass():
    assert rules.reevaluation_due(dt.date(2021, 4, 1)) == dt.date(2026, 3, 31)


def test_evaluated_on_prefers_publication_to_submission():
    assert rules.evaluated_on(dt.date(2025, 6, 1), dt.date(2025, 6, 15)) == dt.date(2025, 6, 15)
    assert rules.evaluated_on(dt.date(2025, 6, 1), None) == dt.date(2025, 6, 1)
    assert rules.evaluated_on(None, None) is None


def test_serious_incident_within_the_past_year():
    today = dt.date(2026, 5, 1)
    assert rules.serious_incident_within_year([dt.date(2025, 5, 2)], today)
    assert not rules.serious_incident_within_year([dt.date(2025, 5, 1)], today)
    assert not rules.serious_incident_within_year([dt.date(2026, 5, 2)], today)  # not yet happened


# ---- The state of a file ----

TODAY = dt.date(2026, 5, 1)


def state(persons=5_000, handlers=10, *, evaluations=(), changes=(), incidents=(), override=None, staff_only=False,
          today=TODAY):
    return rules.file_state(persons=persons, handlers=handlers, staff_only=staff_only, incident_override=override,
                            incident_dates=incidents, evaluations=evaluations, change_dates=changes, today=today)


def test_a_required_evaluation_not_done_is_missing_and_overdue():
    s = state(evaluations=[EvaluationFacts(BASIC, None, None)])
    assert s.flags == (rules.MISSING,) and s.overdue and s.in_progress and s.latest is None
    assert state(persons=500).flags == ()


def test_current_evaluation_has_due_dates_and_no_flags():
    s = state(evaluations=[EvaluationFacts(BASIC, dt.date(2025, 9, 1), dt.date(2025, 9, 20))])
    assert s.flags == () and not s.overdue
    assert (s.review_due, s.reevaluation_due) == (dt.date(2026, 9, 20), dt.date(2030, 9, 19))


def test_review_and_reevaluation_overdue():
    s = state(evaluations=[EvaluationFacts(BASIC, dt.date(2021, 3, 1), None)])
    assert s.flags == (rules.REVIEW_OVERDUE, rules.REEVALUATION_OVERDUE) and s.overdue
    reviewed = state(evaluations=[EvaluationFacts(BASIC, dt.date(2024, 3, 1), None, dt.date(2025, 12, 1))])
    assert reviewed.flags == () and reviewed.review_due == dt.date(2026, 12, 1)


def test_threshold_rise_overtakes_the_evaluation_done():
    s = state(persons=50_000, handlers=600, evaluations=[EvaluationFacts(BASIC, dt.date(2025, 9, 1), None)])
    assert s.threshold.required == KEY and s.flags == (rules.THRESHOLD_ROSE,)
    assert state(persons=50_000, handlers=600,
                 evaluations=[EvaluationFacts(FULL, dt.date(2025, 9, 1), None)]).flags == ()


def test_important_change_after_evaluation_without_reevaluation():
    done = [EvaluationFacts(BASIC, dt.date(2025, 9, 1), None)]
    assert state(evaluations=done, changes=[(dt.date(2026, 1, 10), False)]).flags == (rules.CHANGE_NOT_REEVALUATED,)
    assert state(evaluations=done, changes=[(dt.date(2026, 1, 10), True)]).flags == ()
    assert state(evaluations=done, changes=[(dt.date(2025, 1, 10), False)]).flags == ()  # before: covered


def test_serious_incident_since_the_evaluation_raises_the_threshold_and_is_flagged():
    done = [EvaluationFacts(BASIC, dt.date(2025, 9, 1), None)]
    s = state(persons=20_000, evaluations=done, incidents=[dt.date(2026, 2, 1)])
    assert s.serious_incident and s.threshold.required == KEY
    assert s.flags == (rules.THRESHOLD_ROSE, rules.INCIDENT_SINCE)
    overridden = state(persons=20_000, evaluations=done, incidents=[dt.date(2026, 2, 1)], override=False)
    assert not overridden.serious_incident and overridden.threshold.required == BASIC
    assert overridden.flags == (rules.INCIDENT_SINCE,)
    assert state(persons=20_000, override=True).threshold.required == KEY


def test_dates_after_the_day_looked_at_are_not_known_yet():
    s = state(evaluations=[EvaluationFacts(BASIC, dt.date(2026, 6, 1), None)])
    assert s.latest is None and s.flags == (rules.MISSING,) and s.in_progress


# ---- Dates of an evaluation ----

D = dt.date


def test_date_order_errors():
    check = rules.check_dates(BASIC, submitted_on=D(2025, 6, 10), published_on=D(2025, 6, 1))
    assert check.errors == {"published_on": ["公表日が提出日より前です。"]}
    check = rules.check_dates(FULL, comment_from=D(2025, 5, 1), comment_to=D(2025, 4, 1))
    assert check.errors == {"comment_to": ["意見募集の終了日が開始日より前です。"]}
    assert rules.check_dates(BASIC, comment_from=D(2025, 5, 1)).errors == {
        "comment_to": ["意見募集の開始日と終了日は両方入力してください。"]}
    assert rules.check_dates(BASIC, published_on=D(2025, 5, 1)).errors == {
        "submitted_on": ["公表日を入力するときは提出日も入力してください。"]}
    assert rules.check_dates(BASIC, started_on=D(2025, 5, 1), submitted_on=D(2025, 4, 1)).errors == {
        "submitted_on": ["提出日が評価の開始日より前です。"]}


def test_full_evaluation_comment_period_under_30_days_is_a_warning():
    short = rules.check_dates(FULL, comment_from=D(2025, 4, 1), comment_to=D(2025, 4, 29),
                              third_party_review_on=D(2025, 5, 20), submitted_on=D(2025, 6, 1))
    assert short.errors == {} and short.warnings == [
        "全項目評価の意見募集期間が29日です。原則として30日以上とされています（指針）。"]
    enough = rules.check_dates(FULL, comment_from=D(2025, 4, 1), comment_to=D(2025, 4, 30),
                               third_party_review_on=D(2025, 5, 20), submitted_on=D(2025, 6, 1))
    assert enough.warnings == [] and enough.errors == {}
    # Only 全項目評価 is held to it.
    assert rules.check_dates(KEY, comment_from=D(2025, 4, 1), comment_to=D(2025, 4, 10)).warnings == []


def test_full_evaluation_submitted_without_comment_or_review_warns():
    warnings = rules.check_dates(FULL, submitted_on=D(2025, 6, 1)).warnings
    assert len(warnings) == 2 and "意見募集" in warnings[0] and "第三者点検" in warnings[1]


@pytest.mark.parametrize(("files", "status"), [
    ([], "not_needed"),
    ([(NONE, False, False)], "not_needed"),
    ([(BASIC, True, True), (NONE, False, False)], "done"),
    ([(BASIC, True, True), (FULL, False, True)], "started"),
    ([(BASIC, False, True)], "started"),
    ([(KEY, False, False)], "not_started"),
])
def test_evidence_status(files, status):
    assert rules.evidence_status(files) == status
