"""End to end: data imported or entered through the services, then the five items computed from it."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jichitai.checklist.queries import evaluate
from jichitai.core.wareki import fiscal_year
from jichitai.exchange.imports import run_import
from jichitai.measures.services import load_default_framework
from jichitai.orgs.models import Municipality, Staff
from jichitai.orgs.scoping import COMMAND_LINE
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
    assert items(municipality)["ordinance"].status == "ok"
    ordinance = Ordinance.objects.create(municipality=municipality, name="番号条例", article="第4条",
                                         effective_on=today() + dt.timedelta(days=1))
    Process.objects.create(municipality=municipality, name="独自の助成事務", ordinance=ordinance,
                           registered_on=today())
    Process.objects.create(municipality=municipality, name="根拠のない事務", registered_on=today())
    result = items(municipality)["ordinance"]
    assert result.status == "ng"
    assert sorted(f.object_name for f in result.findings) == ["根拠のない事務", "独自の助成事務"]
    assert all(f.link.startswith(f"/m/{municipality.code}/processes/") for f in result.findings)
    tomorrow = items(municipality, today() + dt.timedelta(days=1))["ordinance"]
    assert [f.object_name for f in tomorrow.findings] == ["根拠のない事務"]


def test_pia_evidence_follows_the_progress_cell(municipality, process, reference):
    assert items(municipality)["pia_evidence"].status == "ok"
    set_progress(actor=None, via="command", process=process, column="pia", status="started")
    result = items(municipality)["pia_evidence"]
    assert result.status == "attention" and result.findings[0].object_name == "児童手当事務"
    assert "業務フロー・情報資産取扱手順表・リスク分析" in result.findings[0].message


def test_security_standards_lists_every_open_framework_item(municipality, reference):
    result = items(municipality)["security_standards"]
    assert result.status == "attention" and len(result.findings) == 17


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
    assert set(finding) == {"message", "object"} and set(finding["object"]) == {"type", "id", "name"}


def test_command_exits_0_when_everything_is_ok(municipality, capsys):
    # No process, nobody to train, no framework loaded: only the training plan is due.
    TrainingPlan.objects.create(municipality=municipality, fiscal_year=fiscal_year(today()))
    call_command("checklist", "--municipality", municipality.code, "--format", "json")  # returns: exit 0
    data = json.loads(capsys.readouterr().out)
    assert {i["status"] for i in data["items"]} == {"ok"}


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
