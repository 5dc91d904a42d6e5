import datetime as dt

import pytest

from jichitai.checklist import rules
from jichitai.checklist.rules import Finding, PersonFacts, PiaFacts, ProcessFacts

D = dt.date
AS_OF = D(2026, 11, 27)


def test_status_of():
    assert rules.status_of([]) == "ok"
    assert rules.status_of([Finding("m", "process", "1", "x")]) == "attention"
    assert rules.status_of([Finding("m", "process", "1", "x"), Finding("m", "staff", "2", "y", breach=True)]) == "ng"


def test_ordinance_process_without_basis_is_a_breach():
    result = rules.check_ordinance([ProcessFacts(1, "別表の事務", True), ProcessFacts(2, "根拠なし", False)], [], AS_OF)
    assert result.status == "ng" and [f.object_id for f in result.findings] == ["2"]
    assert "番号法第9条" in result.findings[0].message


@pytest.mark.parametrize(("effective", "found"), [(D(2026, 11, 27), False), (D(2026, 11, 28), True), (None, True),
                                                  (D(2016, 1, 1), False)])
def test_ordinance_in_force_on_the_as_of_date(effective, found):
    result = rules.check_ordinance([ProcessFacts(3, "独自利用", False, "番号条例 第4条", effective)], [], AS_OF)
    assert (len(result.findings) == 1) is found and result.status == ("ng" if found else "ok")


def test_ordinance_includes_linkage_findings():
    linkage = Finding("庁内連携に条例がありません", "linkage", "7", "住民票", breach=True)
    result = rules.check_ordinance([], [linkage], AS_OF)
    assert result.findings == (linkage,) and result.status == "ng" and result.title == "情報連携の条例化対応漏れ"


def test_training_without_plan_and_untrained_people():
    people = [PersonFacts("T1", "佐藤", True, D(2026, 1, 1), None),
              PersonFacts("T2", "鈴木", False, D(2025, 9, 1), 87),
              PersonFacts("T3", "高橋", False, None, None)]
    result = rules.check_training(False, "令和8年度", people, [])
    assert result.status == "ng"
    assert [(f.object_type, f.object_id) for f in result.findings] == [("plan", "令和8年度"), ("staff", "T2"),
                                                                      ("staff", "T3")]
    assert "87日超過" in result.findings[1].message and "受講記録なし" in result.findings[2].message


def test_training_only_missing_records_is_attention():
    session = Finding("アンケートの記録がありません", "session", "5", "①-① 2026-06-01")
    result = rules.check_training(True, "令和8年度", [PersonFacts("T1", "佐藤", True, D(2026, 1, 1), None)],
                                  [session])
    assert result.status == "attention" and result.findings == (session,)
    assert rules.check_training(True, "令和8年度", [], []).status == "ok"


def test_pia_evidence():
    complete = PiaFacts(1, "完備", "done", "done", "done", "done")
    missing = PiaFacts(2, "不足", "started", "done", "started", "not_started")
    not_yet = PiaFacts(3, "PIA未着手", "not_started", "not_started", "not_started", "not_started")
    late = PiaFacts(4, "後から承認", "done", "done", "done", "done", D(2026, 6, 1), D(2026, 5, 1))
    result = rules.check_pia_evidence([complete, missing, not_yet, late])
    assert result.status == "attention"
    assert [f.object_id for f in result.findings] == ["2", "4"]
    assert "情報資産取扱手順表・リスク分析" in result.findings[0].message


def test_proficiency_and_security_standards_pass_findings_through():
    finding = Finding("整合性確認担当者がいません", "process", "9", "児童手当")
    assert rules.check_proficiency([finding]).status == "attention"
    assert rules.check_security_standards([]).status == "ok"


def test_pia_evidence_for_a_process_in_the_pia_register_even_without_the_progress_cell():
    registered = PiaFacts(5, "ファイルあり", "not_started", "done", "started", "done", has_record=True)
    result = rules.check_pia_evidence([registered])
    assert [f.object_id for f in result.findings] == ["5"] and "情報資産取扱手順表" in result.findings[0].message
