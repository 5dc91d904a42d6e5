import datetime as dt

import pytest

from jichitai.checklist import rules
from jichitai.checklist.rules import Finding, LinkageFacts, MeasuresFacts, PersonFacts, PiaFacts, ProcessFacts

D = dt.date
AS_OF = D(2026, 11, 27)
BASED = ProcessFacts(1, "別表の事務", True)
TRAINED = PersonFacts("T1", "佐藤", True, D(2026, 1, 1), None)
ASSESSED = MeasuresFacts(slots=17, assessed=17)


def test_status_of():
    assert rules.status_of([]) == "ok"
    assert rules.status_of([Finding("m", "process", "1", "x")]) == "attention"
    assert rules.status_of([Finding("m", "process", "1", "x"), Finding("m", "staff", "2", "y", breach=True)]) == "ng"


def test_status_words_and_reasons():
    assert [rules.status_words(s) for s in rules.STATUSES] == ["〇 問題なし", "△ 要確認", "× 法令違反"]
    assert Finding("m", "staff", "1", "x", breach=True).reason_label == "法令違反"
    assert rules.missing_record("roster", "m").reason_label == "記録なし"
    assert Finding("m", "process", "1", "x").reason_label == "対応未完了"


def test_every_item_carries_the_seeds_text():
    assert set(rules.SEED_TEXT) == set(rules.ITEM_TITLES)
    result = rules.check_proficiency([], [])
    assert result.summary.startswith("情報連携が開始されたあと") and result.check.startswith("現状取扱っているデータ")
    assert "<u>" not in "".join(text for pair in rules.SEED_TEXT.values() for text in pair)


def _no_record(result, key):
    return [f for f in result.findings if f.missing == key]


def test_no_process_at_all_makes_every_item_need_attention():
    results = [
        rules.check_ordinance([], [], AS_OF),
        rules.check_training(True, "令和8年度", [], [], has_processes=False),
        rules.check_pia_evidence([]),
        rules.check_proficiency([], []),
        rules.check_security_standards(ASSESSED, [], has_processes=False),
    ]
    for result in results:
        assert result.status == "attention", result.id
        assert [f.missing for f in result.findings] == ["processes"], result.id
        assert "個人番号利用事務が登録されていない" in result.findings[0].message


# ---- 1. ordinance ----

def test_ordinance_ok_when_every_record_is_there_and_in_order():
    assert rules.check_ordinance([BASED], [], AS_OF).status == "ok"


def test_ordinance_process_without_basis_is_a_breach():
    result = rules.check_ordinance([BASED, ProcessFacts(2, "根拠なし", False)], [], AS_OF)
    assert result.status == "ng" and [f.object_id for f in result.findings] == ["2"]
    assert "番号法第9条" in result.findings[0].message


@pytest.mark.parametrize(("effective", "found"), [(D(2026, 11, 27), False), (D(2026, 11, 28), True), (None, True),
                                                  (D(2016, 1, 1), False)])
def test_ordinance_in_force_on_the_as_of_date(effective, found):
    result = rules.check_ordinance([ProcessFacts(3, "独自利用", False, "番号条例 第4条", effective)], [], AS_OF)
    assert (len(result.findings) == 1) is found and result.status == ("ng" if found else "ok")


def test_ordinance_not_yet_in_force_is_dated_in_wareki():
    result = rules.check_ordinance([ProcessFacts(3, "独自利用", False, "番号条例", D(2026, 12, 4))], [], AS_OF)
    assert "施行日 令和8年12月4日 より前" in result.findings[0].message


@pytest.mark.parametrize(("systems", "linkage", "missing"), [
    (False, True, ["systems"]), (True, False, ["linkage_sheets"]), (False, False, ["systems", "linkage_sheets"])])
def test_ordinance_without_the_systems_list_or_linkage_sheets_cannot_be_checked(systems, linkage, missing):
    result = rules.check_ordinance([BASED], [], AS_OF, systems_recorded=systems, linkage_recorded=linkage)
    assert result.status == "attention" and [f.missing for f in result.findings] == missing
    assert all(f.object_type == "record" and "確認できません" in f.message for f in result.findings)


def test_ordinance_includes_linkage_findings():
    linkage = Finding("庁内連携に条例がありません", "linkage", "7", "住民票", breach=True)
    result = rules.check_ordinance([BASED], [linkage], AS_OF)
    assert result.findings == (linkage,) and result.status == "ng" and result.title == "情報連携の条例化対応漏れ"


# ---- 2. training ----

def test_training_ok_with_a_plan_and_everyone_trained():
    assert rules.check_training(True, "令和8年度", [TRAINED], []).status == "ok"


def test_training_without_anyone_assigned_names_the_roster():
    result = rules.check_training(True, "令和8年度", [], [])
    assert result.status == "attention" and [f.missing for f in result.findings] == ["roster"]
    assert "職員名簿" in result.findings[0].message


def test_training_without_plan_and_untrained_people():
    people = [TRAINED, PersonFacts("T2", "鈴木", False, D(2025, 9, 1), 87), PersonFacts("T3", "高橋", False, None, None)]
    result = rules.check_training(False, "令和8年度", people, [])
    assert result.status == "ng"
    assert [(f.object_type, f.object_id) for f in result.findings] == [("plan", "令和8年度"), ("staff", "T2"),
                                                                      ("staff", "T3")]
    assert "最終受講 令和7年9月1日、87日超過" in result.findings[1].message
    assert "受講記録なし" in result.findings[2].message and "施行令第32条" in result.findings[2].message


def test_training_only_missing_records_is_attention():
    session = Finding("アンケートの記録がありません", "session", "5", "①-① 令和8年6月1日")
    result = rules.check_training(True, "令和8年度", [TRAINED], [session])
    assert result.status == "attention" and result.findings == (session,)
    assert result.findings[0].reason == rules.UNFINISHED


# ---- 3. PIA evidence ----

def test_pia_evidence():
    complete = PiaFacts(1, "完備", "done", "done", "done", "done")
    missing = PiaFacts(2, "不足", "started", "done", "started", "not_started")
    not_needed = PiaFacts(3, "PIA不要", "not_needed", "not_started", "not_started", "not_started")
    late = PiaFacts(4, "後から承認", "done", "done", "done", "done", D(2026, 6, 1), D(2026, 5, 1))
    result = rules.check_pia_evidence([complete, missing, not_needed, late])
    assert result.status == "attention"
    assert [f.object_id for f in result.findings] == ["2", "4"]
    assert "情報資産取扱手順表・リスク分析" in result.findings[0].message
    assert "評価日 令和8年5月1日 より後" in result.findings[1].message


def test_pia_evidence_one_record_in_order_is_ok():
    covered = PiaFacts(1, "ファイルあり", "done", "done", "done", "done", has_record=True, has_file=True)
    below_threshold = PiaFacts(2, "評価不要のファイル", "not_started", "not_started", "not_started", "not_started",
                               has_file=True)
    assert rules.check_pia_evidence([covered]).status == "ok"
    assert rules.check_pia_evidence([below_threshold]).status == "ok"


def test_pia_evidence_without_any_file_names_the_file_record():
    result = rules.check_pia_evidence([PiaFacts(1, "児童手当", "not_started", "done", "done", "done")])
    assert result.status == "attention" and [f.missing for f in result.findings] == ["spi_files"]
    assert result.findings[0].message == "PIA対象の事務がありますが、特定個人情報ファイルの記録がないため確認できません。"


def test_pia_evidence_counts_the_processes_without_a_file_in_one_finding():
    covered = PiaFacts(1, "ファイルあり", "done", "done", "done", "done", has_record=True, has_file=True)
    bare = [PiaFacts(i, f"事務{i}", "not_started", "not_started", "not_started", "not_started") for i in range(2, 7)]
    result = rules.check_pia_evidence([covered, *bare])
    assert [f.missing for f in result.findings] == ["spi_files"]
    assert "記録がない事務が5件" in result.findings[0].message and "「事務2」、「事務3」、「事務4」 ほか2件" in (
        result.findings[0].message)


def test_pia_evidence_for_a_process_in_the_pia_register_even_without_the_progress_cell():
    registered = PiaFacts(5, "ファイルあり", "not_started", "done", "started", "done", has_record=True)
    result = rules.check_pia_evidence([registered])
    assert [f.object_id for f in result.findings] == ["5"] and "情報資産取扱手順表" in result.findings[0].message


def test_pia_evidence_takes_extra_findings():
    covered = PiaFacts(1, "ファイルあり", "done", "done", "done", "done", has_record=True)
    extra = Finding("取扱記録がありません", "process", "1", "ファイルあり")
    breach = Finding("違反", "process", "1", "ファイルあり", breach=True)
    assert rules.check_pia_evidence([covered], [extra]).findings == (extra,)
    assert rules.check_pia_evidence([covered], [breach]).status == "ng"


# ---- 4. proficiency ----

def test_proficiency_ok_when_the_sheets_are_there_and_nothing_is_found():
    assert rules.check_proficiency([LinkageFacts(1, "児童手当", True, "done")], []).status == "ok"
    # A process that exchanges nothing (関連情報連携洗出 不要) needs no sheet.
    assert rules.check_proficiency([LinkageFacts(1, "児童手当", True, "done"),
                                    LinkageFacts(2, "独自", False, "not_needed")], []).status == "ok"


def test_proficiency_without_any_linkage_sheet_names_the_sheet():
    result = rules.check_proficiency([LinkageFacts(1, "児童手当", False, "not_started")], [])
    assert result.status == "attention" and [f.missing for f in result.findings] == ["linkage_sheets"]
    assert "情報連携確認シートの記録がないため" in result.findings[0].message


def test_proficiency_counts_the_processes_without_a_sheet():
    result = rules.check_proficiency([LinkageFacts(1, "児童手当", True, "started"),
                                      LinkageFacts(2, "介護保険", False, "started")], [])
    assert [f.missing for f in result.findings] == ["linkage_sheets"] and "1件あり（「介護保険」）" in result.findings[0].message


def test_proficiency_passes_the_linkage_findings_through():
    finding = Finding("整合性確認担当者がいません", "process", "9", "児童手当")
    result = rules.check_proficiency([LinkageFacts(9, "児童手当", True, "done")], [finding])
    assert result.status == "attention" and result.findings == (finding,)


# ---- 5. security standards ----

def test_security_standards_ok_when_every_slot_is_closed():
    assert rules.check_security_standards(ASSESSED, []).status == "ok"


@pytest.mark.parametrize(("facts", "missing"), [(MeasuresFacts(0, 0), "framework"), (MeasuresFacts(17, 0), "assessment")])
def test_security_standards_without_items_or_assessment_cannot_be_checked(facts, missing):
    open_item = Finding("A 基本方針の策定 が未対応です。", "measure", "A", "基本方針の策定")
    result = rules.check_security_standards(facts, [open_item])
    assert result.status == "attention" and [f.missing for f in result.findings] == [missing]


def test_security_standards_lists_open_items_once_assessed():
    open_item = Finding("A 基本方針の策定 が対応中です。", "measure", "A", "基本方針の策定")
    result = rules.check_security_standards(MeasuresFacts(17, 1), [open_item])
    assert result.status == "attention" and result.findings == (open_item,)
    assert result.findings[0].reason == rules.UNFINISHED


def test_security_standards_takes_extra_findings():
    extra = Finding("取扱規程の見直し期限を過ぎています", "process", "1", "児童手当")
    assert rules.check_security_standards(ASSESSED, [], [extra]).findings == (extra,)


# ---- reviews and handling records (seed 2-3) ----

def _review(due_on, kind="analysis", process_id=7):
    from jichitai.handling.rules import ReviewDue
    return ReviewDue(1, kind, 3, process_id if kind == "analysis" else None, "住民税", dt.date(2025, 1, 1), due_on)


def test_a_review_due_today_is_not_yet_late_and_one_past_due_needs_attention():
    as_of = dt.date(2026, 12, 4)
    assert rules.review_findings([_review(as_of)], as_of) == []
    [finding] = rules.review_findings([_review(as_of - dt.timedelta(days=1))], as_of)
    assert not finding.breach and not finding.missing and finding.object_type == "analysis"
    assert "令和8年12月3日" in finding.message
    result = rules.check_security_standards(rules.MeasuresFacts(3, 3), [], [finding])
    assert result.status == rules.ATTENTION


def test_a_never_approved_analysis_is_not_a_review_finding():
    assert rules.review_findings([_review(None)], dt.date(2026, 12, 4)) == []


def test_a_rules_document_review_names_the_rules():
    [finding] = rules.review_findings([_review(dt.date(2026, 1, 1), kind="rules_document")], dt.date(2026, 12, 4))
    assert finding.object_type == "rules_document" and "取扱規程" in finding.message


def test_a_record_gap_is_a_missing_record():
    from jichitai.handling.rules import RecordGap
    [never, old] = rules.record_gap_findings([RecordGap(1, 5, "住民税", None, 12),
                                              RecordGap(1, 6, "国保", dt.date(2025, 6, 1), 6)])
    assert never.missing == "handling_records" and "記録なし" in never.message
    assert "令和7年6月1日" in old.message and "直近6か月" in old.message
    assert never in rules.check_pia_evidence([], extra=[never]).findings


def test_a_repealed_ordinance_is_no_basis_from_its_repeal_day():
    def facts(repealed_on):
        return [ProcessFacts(1, "独自事務", False, "テスト市条例 第4条", dt.date(2016, 1, 1), repealed_on)]

    as_of = dt.date(2026, 4, 1)
    assert not any(f.breach for f in rules.check_ordinance(facts(dt.date(2026, 4, 2)), [], as_of).findings)
    [finding] = [f for f in rules.check_ordinance(facts(as_of), [], as_of).findings if f.breach]
    assert "令和8年4月1日 に廃止済み" in finding.message
