"""End to end: data imported or entered through the services, then the five items computed from it."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jichitai.checklist.queries import evaluate
from jichitai.core.wareki import fiscal_year, format_wareki
from jichitai.exchange.imports import run_import
from jichitai.linkage import services as linkage
from jichitai.measures.models import FrameworkItem
from jichitai.measures.services import load_default_framework, save_assessment
from jichitai.orgs.models import Municipality, Staff
from jichitai.orgs.scoping import COMMAND_LINE
from jichitai.pia import services as pia
from jichitai.processes.models import Ordinance, Process
from jichitai.processes.services import set_progress
from jichitai.training.models import Attendance, Course, Session, TrainingPlan
from jichitai.training.services import load_curriculum
from tests.helpers import workbook_bytes


def today():
    """Read at each use, not at import: a run may cross midnight in Asia/Tokyo (15:00 UTC)."""
    return timezone.localdate()


def items(municipality, as_of=None):
    as_of = as_of or today()
    return {i.id: i for i in evaluate(COMMAND_LINE, [municipality], as_of)[municipality.pk]}


@pytest.fixture
def reference(db):
    load_curriculum()
    load_default_framework()


def roster(municipality):
    return run_import(workbook_bytes({"名簿": [
        ["職員番号", "氏名", "所属", "役割", "担当事務"],
        ["T001", "佐藤 花子", "子育て支援課", "事務取扱担当者", "児童手当事務"],
        ["T002", "鈴木 一郎", "子育て支援課", "保護責任者", "児童手当事務"],
    ]}), actor=None, municipality=municipality)


def test_roster_then_training_flow_through_the_training_item(municipality, process, reference, department):
    assert roster(municipality).ok
    result = items(municipality)["training"]
    assert result.status == "ng"
    assert {f.object_id for f in result.findings if f.object_type == "staff"} == {"T001", "T002"}
    assert any(f.object_type == "plan" for f in result.findings)
    TrainingPlan.objects.create(municipality=municipality, fiscal_year=fiscal_year(today()))
    course = Course.objects.get(code="①-①", association=None, municipality=None)
    session = Session.objects.create(course=course, held_on=today() - dt.timedelta(days=30), place="本庁",
                                     organiser_municipality=municipality, has_test=True, has_survey=True)
    session.participants.add(municipality)
    for number in ("T001", "T002"):
        Attendance.objects.create(session=session, staff=Staff.objects.get(staff_number=number), attended=True,
                                  test_score=80, survey_submitted=True)
    assert items(municipality)["training"].status == "ok"
    # A year and a month later, the same session no longer counts.
    later = items(municipality, today() + dt.timedelta(days=400))["training"]
    assert {f.object_id for f in later.findings if f.object_type == "staff"} == {"T001", "T002"}


def test_ordinance_item_and_its_date_boundary(municipality, process, reference):
    before = items(municipality)["ordinance"]
    assert before.status == "attention"  # no systems list, no linkage sheet: nothing breaks the law, yet
    assert [f.missing for f in before.findings] == ["systems", "linkage_sheets"]
    assert [f.link for f in before.findings] == [f"/m/{municipality.code}/systems/", f"/m/{municipality.code}/"]
    ordinance = Ordinance.objects.create(municipality=municipality, name="番号条例", article="第4条",
                                         effective_on=today() + dt.timedelta(days=1))
    Process.objects.create(municipality=municipality, name="独自の助成事務", ordinance=ordinance,
                           registered_on=today())
    Process.objects.create(municipality=municipality, name="根拠のない事務", registered_on=today())
    result = items(municipality)["ordinance"]
    assert result.status == "ng"
    breaches = [f for f in result.findings if f.breach]
    assert sorted(f.object_name for f in breaches) == ["根拠のない事務", "独自の助成事務"]
    assert all(f.link.startswith(f"/m/{municipality.code}/processes/") for f in breaches)
    tomorrow = items(municipality, today() + dt.timedelta(days=1))["ordinance"]
    assert [f.object_name for f in tomorrow.findings if f.breach] == ["根拠のない事務"]


def test_pia_evidence_follows_the_progress_cell(municipality, process, reference):
    before = items(municipality)["pia_evidence"]
    assert before.status == "attention" and [f.missing for f in before.findings] == ["spi_files"]
    assert before.findings[0].link == f"/m/{municipality.code}/pia/"
    set_progress(actor=None, via="command", process=process, column="pia", status="started")
    result = items(municipality)["pia_evidence"]
    assert result.status == "attention" and result.findings[0].object_name == "児童手当事務"
    assert "業務フロー・情報資産取扱手順表・リスク分析" in result.findings[0].message


def test_security_standards_before_and_after_the_first_assessment(municipality, process, reference):
    result = items(municipality)["security_standards"]
    assert result.status == "attention" and [f.missing for f in result.findings] == ["assessment"]
    assert "未回答 17項目" in result.findings[0].message
    save_assessment(actor=None, via="web", municipality=municipality, item=FrameworkItem.objects.get(item_id="A"),
                    status="done")
    result = items(municipality)["security_standards"]
    assert result.status == "attention" and len(result.findings) == 16 and not any(f.missing for f in result.findings)


def test_a_new_member_with_processes_and_nothing_else_has_no_ok(municipality, process, reference):
    """The issue's finding: PIA根拠資料の不足 and 業務習熟 said OK without any record to check."""
    result = items(municipality)
    assert {i.status for i in result.values()} <= {"attention", "ng"}
    assert [f.missing for f in result["proficiency"].findings] == ["linkage_sheets"]
    assert [f.missing for f in result["training"].findings if f.missing] == ["roster"]


def test_a_member_without_processes_has_every_item_to_check(municipality, reference):
    for item in items(municipality).values():
        assert item.status != "ok" and "processes" in [f.missing for f in item.findings], item.id


def test_command_json_and_exit_code(municipality, process, reference, capsys):
    with pytest.raises(SystemExit) as exc:
        call_command("checklist", "--municipality", municipality.code, "--format", "json")
    assert exc.value.code == 1
    data = json.loads(capsys.readouterr().out)
    assert data["municipality"] == municipality.code and data["as_of"] == today().isoformat()
    assert [i["id"] for i in data["items"]] == ["ordinance", "training", "pia_evidence", "proficiency",
                                               "security_standards"]
    assert data["items"][0]["title"] == "情報連携の条例化対応漏れ"
    finding = data["items"][1]["findings"][0]
    assert set(finding) == {"message", "reason", "object"} and set(finding["object"]) == {"type", "id", "name"}


def test_command_text_is_in_japanese_with_wareki(municipality, capsys):
    with pytest.raises(SystemExit):
        call_command("checklist", "--municipality", municipality.code)
    out = capsys.readouterr().out
    assert f"{format_wareki(today())}現在" in out and "［△ 要確認］情報連携の条例化対応漏れ" in out
    assert "［記録なし］個人番号利用事務が登録されていない" in out


@pytest.fixture
def complete(municipality, process, reference, department):
    """A member whose every record is there and in order: each item checked and OK."""
    assert roster(municipality).ok
    linkage.replace_items(actor=None, via="web", process=process, rows=[{
        "data_item": "地方税関係情報", "direction": "inquiry", "counterpart": "他市町村長", "counterpart_kind": "other_body",
        "channel": "network", "legal_basis": "番号法第19条第8号に基づく主務省令 第2条", "notes": "", "ordinance_id": None}])
    linkage.save_profile(actor=None, via="web", process=process,
                         consistency_checker=Staff.objects.get(staff_number="T001"),
                         trouble_procedure="障害時は本人に証明書類を求める。", wrong_data_procedure="提供元に確認する。")
    linkage.save_system(actor=None, via="web", municipality=municipality, name="児童手当システム", processes=[process])
    pia.save_file(actor=None, via="web", municipality=municipality, processes=[process], name="児童手当情報ファイル",
                  persons=800, handlers=5)
    TrainingPlan.objects.create(municipality=municipality, fiscal_year=fiscal_year(today()))
    course = Course.objects.get(code="①-①", association=None, municipality=None)
    session = Session.objects.create(course=course, held_on=today(), place="本庁", organiser_municipality=municipality,
                                     has_test=True, has_survey=True)
    for number in ("T001", "T002"):
        Attendance.objects.create(session=session, staff=Staff.objects.get(staff_number=number), attended=True,
                                  test_score=80, survey_submitted=True)
    for item in FrameworkItem.objects.filter(active=True):
        save_assessment(actor=None, via="web", municipality=municipality, item=item,
                        department=department if item.departmental else None, status="done")
    return municipality


def test_every_item_ok_once_every_record_is_there(complete):
    result = items(complete)
    assert {i.id: (i.status, [f.message for f in i.findings]) for i in result.values()} == {
        i: ("ok", []) for i in result}


def test_command_exits_0_when_everything_is_ok(complete, capsys):
    call_command("checklist", "--municipality", complete.code, "--format", "json")  # returns: exit 0
    data = json.loads(capsys.readouterr().out)
    assert {i["status"] for i in data["items"]} == {"ok"}


def test_joint_session_records_count_each_members_own_attendees(association, municipality, process, reference):
    """A joint session's missing scores are the member's own: the same whether evaluated alone or with others."""
    other = Municipality.objects.create(code="992038", name="隣の市", association=association)
    course = Course.objects.get(code="①-①", association=None, municipality=None)
    session = Session.objects.create(course=course, held_on=today(), place="協議会", organiser_association=association,
                                     has_test=True, has_survey=True)
    session.participants.add(municipality, other)
    mine = Staff.objects.create(municipality=municipality, staff_number="M1", name="自団体 職員", role="handler")
    theirs = Staff.objects.create(municipality=other, staff_number="O1", name="他団体 職員", role="handler")
    Attendance.objects.create(session=session, staff=mine, attended=True, test_score=90, survey_submitted=True)
    Attendance.objects.create(session=session, staff=theirs, attended=True, test_score=None, survey_submitted=True)
    alone = {m.pk: evaluate(COMMAND_LINE, [m], today())[m.pk] for m in (municipality, other)}
    together = evaluate(COMMAND_LINE, [municipality, other], today())
    for m in (municipality, other):
        assert [(i.status, [f.message for f in i.findings]) for i in alone[m.pk]] == [
            (i.status, [f.message for f in i.findings]) for i in together[m.pk]]
    sessions = {m.pk: [f for f in alone[m.pk][1].findings if f.object_type == "session"] for m in (municipality, other)}
    assert sessions[municipality.pk] == [] and "点数未記録 1名" in sessions[other.pk][0].message


def _populate(municipality, processes: int, staff: int):
    made = Process.objects.bulk_create(Process(municipality=municipality, name=f"事務{i}") for i in range(processes))
    people = Staff.objects.bulk_create(Staff(municipality=municipality, staff_number=f"S{i}", name=f"職員{i}",
                                             role="handler") for i in range(staff))
    from jichitai.processes.models import ProcessAssignment

    ProcessAssignment.objects.bulk_create(ProcessAssignment(process=made[i % processes], staff=p,
                                                            assigned_on=dt.date(2024, 4, 1))
                                          for i, p in enumerate(people))


def _count(municipalities):
    with CaptureQueriesContext(connection) as queries:
        evaluate(COMMAND_LINE, municipalities, today())
    return len(queries)


def test_query_count_is_constant_for_size_and_for_members(association, reference):
    small = Municipality.objects.create(code="992011", name="小さな町", association=association)
    _populate(small, 3, 5)
    large = Municipality.objects.create(code="992038", name="大きな市", association=association)
    _populate(large, 100, 2000)
    assert _count([small]) == _count([large])
    assert _count([small, large]) == _count([large]), "the association pass must not query per member"
