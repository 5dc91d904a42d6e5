import datetime as dt

import pytest

from jichitai.linkage import rules
from jichitai.linkage.rules import ItemFacts, ProfileFacts

DAY = dt.date(2026, 4, 1)


@pytest.mark.parametrize(("text", "code"), [
    ("照会", "inquiry"), ("提供", "provision"), ("情報照会", "inquiry"), (" 提 供 ", "provision"), ("受領", "inquiry"),
    ("inquiry", "inquiry"), ("PROVISION", "provision"),
])
def test_read_direction(text, code):
    assert rules.read_direction(text) == code


@pytest.mark.parametrize("text", ["照会・提供", "", "連携", None])
def test_read_direction_refuses_both_or_neither(text):
    with pytest.raises(rules.UnknownValue):
        rules.read_direction(text)


@pytest.mark.parametrize(("text", "code"), [
    ("他機関", "other_body"), ("他団体", "other_body"), ("他の地方公共団体", "other_body"),
    # 「同一団体の他の機関」 contains 「他の機関」 and must still be the same body.
    ("同一団体の他の機関", "same_body_organ"), ("庁内", "same_body_organ"), ("同一団体 の 他の機関", "same_body_organ"),
    ("本人", "person"), ("申請者", "person"), ("same_body_organ", "same_body_organ"),
])
def test_read_counterpart_kind(text, code):
    assert rules.read_counterpart_kind(text) == code


def test_read_counterpart_kind_refuses_an_organ_name():
    # 「教育委員会」 may be our own board or another town's: the sheet must say which.
    with pytest.raises(rules.UnknownValue):
        rules.read_counterpart_kind("教育委員会")


@pytest.mark.parametrize(("text", "code"), [
    ("情報提供ネットワークシステム", "network"), ("情報提供NWS", "network"), ("ＮＷＳ", "network"),
    ("中間サーバー", "network"), ("庁内連携", "intra_office"), ("庁内システム", "intra_office"),
    ("本人提出", "submission"), ("窓口", "submission"), ("その他", "other"), ("other", "other"),
])
def test_read_channel(text, code):
    assert rules.read_channel(text) == code


@pytest.mark.parametrize("text", ["FAX", "", "メール"])
def test_read_channel_refuses_unknown(text):
    with pytest.raises(rules.UnknownValue):
        rules.read_channel(text)


def test_complete_kind_and_channel_fills_the_blank_one_only():
    assert rules.complete_kind_and_channel("same_body_organ", None) == ("same_body_organ", "intra_office")
    assert rules.complete_kind_and_channel(None, "network") == ("other_body", "network")
    assert rules.complete_kind_and_channel(None, "other") == (None, "other")  # その他 says nothing of the kind
    assert rules.complete_kind_and_channel("person", "other") == ("person", "other")
    assert rules.complete_kind_and_channel(None, None) == (None, None)


def facts(channel="network", kind="other_body", basis="主務省令 第2条", effective_on=None, has_ordinance=False):
    return ItemFacts(channel, kind, basis, effective_on, has_ordinance)


def test_complete_network_item_has_no_problem():
    assert rules.item_problems(facts(), DAY) == []


@pytest.mark.parametrize(("channel", "kind"), [("intra_office", "other_body"), ("network", "same_body_organ"),
                                               ("intra_office", "same_body_organ")])
def test_intra_office_needs_an_ordinance_whatever_the_basis_text(channel, kind):
    assert rules.item_problems(facts(channel, kind), DAY) == ["intra_office_without_ordinance"]
    with_ordinance = facts(channel, kind, effective_on=dt.date(2016, 1, 1), has_ordinance=True)
    assert rules.item_problems(with_ordinance, DAY) == []


def test_ordinance_in_force_from_its_effective_day():
    on_the_day = facts("intra_office", "same_body_organ", "", DAY, True)
    day_after = facts("intra_office", "same_body_organ", "", DAY + dt.timedelta(days=1), True)
    assert rules.item_problems(on_the_day, DAY) == []
    assert rules.item_problems(day_after, DAY) == ["ordinance_not_in_force"]


def test_missing_basis_counts_blank_and_white_space_but_not_an_ordinance():
    assert rules.item_problems(facts(basis="  \n"), DAY) == ["missing_basis"]
    assert rules.item_problems(facts(basis="", effective_on=DAY, has_ordinance=True), DAY) == []
    assert rules.item_problems(facts("intra_office", "same_body_organ", ""), DAY) == [
        "intra_office_without_ordinance", "missing_basis"]


@pytest.mark.parametrize(("count", "bad", "status"), [
    (0, 0, "not_started"), (1, 0, "done"), (1, 1, "started"), (5, 1, "started"), (5, 0, "done"),
])
def test_evidence_status(count, bad, status):
    assert rules.evidence_status(count, bad) == status


def test_profile_problems_only_for_processes_with_linkages():
    assert rules.profile_problems(None, has_linkages=False) == []
    assert rules.profile_problems(None, has_linkages=True) == [
        "missing_checker", "missing_trouble_procedure", "missing_wrong_data_procedure"]
    assert rules.profile_problems(ProfileFacts(True, "手順", " "), True) == ["missing_wrong_data_procedure"]
    assert rules.profile_problems(ProfileFacts(False, "手順", "手順"), True) == ["missing_checker"]
    assert rules.profile_problems(ProfileFacts(True, "手順", "手順"), True) == []


def test_split_systems_separators_and_what_is_not_one():
    text = "基幹系パッケージ、福祉総合システム,税務システム，ＡＢＣ連携基盤\n\n宛名管理／中間サーバー"
    assert rules.split_systems(text) == ["基幹系パッケージ", "福祉総合システム", "税務システム", "ABC連携基盤", "宛名管理",
                                         "中間サーバー"]
    assert rules.split_systems("住民記録・税務システム") == ["住民記録・税務システム"]  # 「・」 joins one name
    assert rules.split_systems(" 税務システム 、税務システム、、 ") == ["税務システム"]
    assert rules.split_systems("") == []


ORDINANCES = [(1, "番号利用条例", "第4条"), (2, "番号利用条例", "第5条"), (3, "手数料条例", "第2条")]


@pytest.mark.parametrize(("text", "expected"), [
    ("番号利用条例 第5条", 2), ("番号利用条例第4条", 1), ("番号利用条例　第５条", 2), ("手数料条例", 3),
    ("手数料条例 第2条", 3),
])
def test_match_ordinance(text, expected):
    assert rules.match_ordinance(text, ORDINANCES) == expected


def test_match_ordinance_by_name_needs_a_single_article():
    with pytest.raises(rules.AmbiguousOrdinance) as info:
        rules.match_ordinance("番号利用条例", ORDINANCES)
    assert info.value.candidates == ["第4条", "第5条"]
    for text in ("番号利用条例 第6条", "ない条例"):
        with pytest.raises(rules.UnknownOrdinance):
            rules.match_ordinance(text, ORDINANCES)
