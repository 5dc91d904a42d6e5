"""The reporting engine (報告規則 第2条・第3条, rev. 2025-10-01): every ground, the 100/101 boundary, the
encryption exclusion, and each deadline, each test naming its article."""

import datetime as dt

import pytest

from jichitai.incidents import rules

KNOWN = dt.datetime(2025, 10, 1, 10, 0, tzinfo=rules.TOKYO)
NOW = dt.datetime(2025, 12, 1, 12, 0, tzinfo=rules.TOKYO)


def assess(persons=5, unknown=False, network=False, improper=False, public=False, encrypted=False, known=KNOWN,
           days=3):
    return rules.assess(persons, unknown, network, improper, public, encrypted, known, days)


def test_nothing_applies_for_five_persons_outside_the_systems_article_2():
    result = assess()
    assert (result.reportable, result.grounds, result.preliminary_due, result.final_due, result.notify_persons) == (
        False, [], None, None, False)
    assert result.reasons[0].article == "報告規則 第2条"
    assert result.serious is False


def test_ground_1_network_or_number_system_whatever_the_headcount_article_2_item_1():
    result = assess(persons=1, network=True)
    assert result.reportable and result.grounds == [1]
    assert [r.article for r in result.reasons if r.ground] == ["報告規則 第2条第1号"]
    assert result.serious is True


def test_ground_2_improper_purpose_article_2_item_2():
    result = assess(persons=1, improper=True)
    assert result.grounds == [2]
    assert result.reasons[0].article == "報告規則 第2条第2号"


def test_ground_3_public_exposure_article_2_item_3():
    result = assess(persons=1, public=True)
    assert result.grounds == [3]
    assert result.reasons[0].article == "報告規則 第2条第3号"


@pytest.mark.parametrize(("persons", "reportable"), [(100, False), (101, True), (0, False), (10_000, True)])
def test_ground_4_more_than_100_persons_article_2_item_4(persons, reportable):
    result = assess(persons=persons)
    assert result.reportable is reportable
    assert result.grounds == ([4] if reportable else [])
    if reportable:
        assert result.reasons[0].article == "報告規則 第2条第4号"


@pytest.mark.parametrize(("persons", "unknown"), [(None, False), (None, True)])
def test_unknown_persons_count_as_possibly_more_than_100_article_2_item_4(persons, unknown):
    result = assess(persons=persons, unknown=unknown)
    assert result.reportable and result.grounds == [4]
    assert result.persons_assumed_over_threshold is True
    assert "百人を超えるおそれ" in result.reasons[0].text


def test_several_grounds_are_listed_in_order_article_2():
    assert assess(persons=500, network=True, improper=True, public=True).grounds == [1, 2, 3, 4]


@pytest.mark.parametrize("flags", [
    {"network": True}, {"improper": True}, {"public": True}, {"persons": 10_000}, {"persons": None},
    {"network": True, "improper": True, "public": True, "persons": 10_000},
])
def test_encryption_excludes_every_ground_article_2_item_1_parenthesis(flags):
    result = assess(encrypted=True, **flags)
    assert (result.reportable, result.grounds, result.final_due, result.notify_persons) == (False, [], None, False)
    assert result.excluded_by_encryption is True
    assert result.reasons[0].article == "報告規則 第2条第1号 括弧書き（以下同じ）"


def test_preliminary_is_a_guidance_target_of_known_plus_3_days_article_3_paragraph_1():
    result = assess(persons=101)
    assert result.preliminary_due == dt.date(2025, 10, 4)
    reason = next(r for r in result.reasons if r.article == "報告規則 第3条第1項")
    assert "法定の日数はありません" in reason.text


def test_preliminary_target_follows_the_setting_article_3_paragraph_1():
    assert assess(persons=101, days=5).preliminary_due == dt.date(2025, 10, 6)


def test_final_within_30_days_of_knowing_article_3_paragraph_2():
    result = assess(persons=101)
    assert result.final_due == dt.date(2025, 10, 31)  # 初日不算入: known 10-01 → 10-31
    assert result.final_days == 30


def test_final_within_60_days_for_improper_purpose_article_3_paragraph_2():
    assert assess(persons=1, improper=True).final_due == dt.date(2025, 11, 30)


def test_final_60_days_also_when_improper_purpose_comes_with_another_ground_article_3_paragraph_2():
    result = assess(persons=101, network=True, improper=True)
    assert result.final_due == dt.date(2025, 11, 30) and result.final_days == 60


def test_due_dates_are_tokyo_dates_article_3():
    # 2025-09-30 20:00 UTC is 2025-10-01 05:00 in Tokyo: the day of knowing is 10-01.
    utc_evening = dt.datetime(2025, 9, 30, 20, 0, tzinfo=dt.UTC)
    result = assess(persons=101, known=utc_evening)
    assert (result.preliminary_due, result.final_due) == (dt.date(2025, 10, 4), dt.date(2025, 10, 31))


def test_persons_are_notified_when_reportable_law_article_29_4_paragraph_2():
    result = assess(persons=101)
    assert result.notify_persons is True
    assert any(r.article == "番号法 第29条の4第2項" for r in result.reasons)


def test_as_json_is_the_command_contract():
    assert assess(persons=101, improper=True).as_json() == {
        "reportable": True, "grounds": [2, 4], "preliminary_due": "2025-10-04", "final_due": "2025-11-30",
        "notify_persons": True}


@pytest.mark.parametrize(("due", "sent", "as_of", "expected"), [
    (dt.date(2025, 10, 31), None, dt.date(2025, 10, 31), False),  # the due day itself is still in time
    (dt.date(2025, 10, 31), None, dt.date(2025, 11, 1), True),
    (dt.date(2025, 10, 31), dt.date(2025, 10, 30), dt.date(2025, 11, 5), False),
    (None, None, dt.date(2025, 11, 5), False),
])
def test_overdue_when_not_sent_after_the_due_date_article_3(due, sent, as_of, expected):
    assert rules.overdue(due, sent, as_of) is expected


@pytest.mark.parametrize(("closing", "reportable", "final_sent", "expected"), [
    (False, False, None, True), (True, False, None, False), (True, True, None, True),
    (True, True, dt.date(2025, 10, 20), False)])
def test_an_incident_closes_with_prevention_and_the_final_report(closing, reportable, final_sent, expected):
    assert rules.is_open(closing, reportable, final_sent) is expected


def test_input_errors_in_japanese():
    errors = rules.input_errors(discovered_at=KNOWN + dt.timedelta(hours=1), known_at=KNOWN, persons=-1,
                                persons_unknown=False, now=NOW)
    assert errors == {"discovered_at": "発見日時が事態を知った日時より後になっています。",
                      "persons_affected": "本人の数に負の数は入力できません。"}
    future = rules.input_errors(discovered_at=None, known_at=NOW + dt.timedelta(minutes=1), persons="3",
                                persons_unknown=False, now=NOW)
    assert future == {"known_at": "事態を知った日時に未来の日時は入力できません。",
                      "persons_affected": "本人の数は0以上の整数で入力してください。"}
    assert rules.input_errors(discovered_at=KNOWN, known_at=KNOWN, persons=0, persons_unknown=False, now=NOW) == {}


def test_report_dates_neither_before_knowing_nor_in_the_future():
    errors = rules.report_date_errors(dt.date(2025, 10, 1), dt.date(2025, 10, 10), preliminary_sent_on=dt.date(2025, 9, 30),
                                      final_sent_on=dt.date(2025, 10, 11), persons_notified_on=dt.date(2025, 10, 1))
    assert errors == {"preliminary_sent_on": "事態を知った日より前の日付は入力できません。",
                      "final_sent_on": "未来の日付は入力できません。"}


def test_grounds_are_data_with_their_articles():
    assert [(g.number, g.article) for g in rules.GROUNDS] == [
        (1, "報告規則 第2条第1号"), (2, "報告規則 第2条第2号"), (3, "報告規則 第2条第3号"), (4, "報告規則 第2条第4号")]


def test_rules_are_pure():
    with open(rules.__file__, encoding="utf-8") as handle:
        source = handle.read()
    assert "from django" not in source and "import django" not in source
