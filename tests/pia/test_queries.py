"""pia_records and pia_evidence (for the checklist and the progress matrix), the incident register input,
and the pia-threshold command."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command

from jichitai.pia.queries import PiaRecord, pia_evidence, pia_records
from jichitai.processes.models import Process
from tests.pia.conftest import make_evaluation, make_file

D = dt.date


@pytest.fixture
def processes(municipality):
    return [Process.objects.create(municipality=municipality, name=f"事務{i}") for i in range(4)]


def test_pia_records_take_the_file_requiring_most(municipality, processes, incidents):
    p0, p1, p2, p3 = processes
    small = make_file(municipality, "小", processes=[p0, p1], persons=5_000)
    make_evaluation(small, "basic", submitted_on=D(2025, 6, 1), published_on=D(2025, 6, 20))
    big = make_file(municipality, "大", processes=[p1], persons=350_000)
    make_evaluation(big, "basic+full", started_on=D(2026, 1, 1))  # under way: nothing done yet
    exempt = make_file(municipality, "職員", processes=[p2], persons=5_000, staff_only=True)
    assert exempt.pk
    records = pia_records([p.id for p in processes], as_of=D(2026, 5, 1))
    assert records == {
        p0.id: PiaRecord("basic", D(2025, 6, 20), "basic"),
        p1.id: PiaRecord(None, None, "basic+full"),
        p2.id: PiaRecord(None, None, "none"),
    }  # p3 has no file: absent


def test_pia_records_use_the_incident_register(municipality, processes, incidents):
    make_file(municipality, "中", processes=[processes[0]], persons=20_000)
    assert pia_records([processes[0].id], as_of=D(2026, 5, 1))[processes[0].id].required_kind == "basic"
    incidents[municipality.id] = [D(2026, 3, 1)]
    assert pia_records([processes[0].id], as_of=D(2026, 5, 1))[processes[0].id].required_kind == "basic+key"
    assert pia_records([processes[0].id], as_of=D(2027, 4, 1))[processes[0].id].required_kind == "basic"


def test_pia_evidence_as_of_a_date(municipality, processes, incidents):
    p0, p1, p2, p3 = processes
    f0 = make_file(municipality, "A", processes=[p0, p1], persons=5_000)
    make_evaluation(f0, "basic", started_on=D(2025, 4, 1), submitted_on=D(2025, 6, 1))
    make_file(municipality, "B", processes=[p1, p3], persons=350_000)
    make_file(municipality, "C", processes=[p2], persons=500)
    ids = [p.id for p in processes]
    # p1: one of its two files evaluated → started; p3: its only file not evaluated → not started.
    assert pia_evidence(ids, D(2026, 5, 1)) == {p0.id: "done", p1.id: "started", p2.id: "not_needed",
                                               p3.id: "not_started"}
    assert pia_evidence(ids, D(2025, 5, 1))[p0.id] == "started"  # begun, submitted later
    assert pia_evidence(ids, D(2025, 3, 1))[p0.id] == "not_started"


def test_pia_evidence_ignores_files_recorded_after_the_date(municipality, processes, incidents):
    f = make_file(municipality, "A", processes=[processes[0]], persons=5_000)
    f.created_at = dt.datetime(2026, 4, 1, 0, 0, tzinfo=dt.UTC)  # 09:00 in Tokyo
    f.save()
    assert pia_evidence([processes[0].id], D(2026, 3, 31)) == {}
    assert pia_evidence([processes[0].id], D(2026, 4, 1)) == {processes[0].id: "not_started"}


@pytest.mark.parametrize("n", [1, 6])
def test_queries_are_constant(municipality, processes, incidents, django_assert_num_queries, n):
    for i in range(n):
        make_evaluation(make_file(municipality, f"F{i}", processes=processes, persons=20_000), "basic",
                        submitted_on=D(2025, 1, 1))
    ids = [p.id for p in processes]
    with django_assert_num_queries(5):  # links, files, and their processes, evaluations and changes
        assert set(pia_evidence(ids, D(2026, 5, 1))) == set(ids)
    with django_assert_num_queries(5):
        assert len(pia_records(ids, D(2026, 5, 1))) == 4



# ---- jichitai pia-threshold ----

def run(capsys, *args) -> dict:
    call_command("pia-threshold", *args, "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_threshold_command_json(capsys, db):
    assert run(capsys, "--persons", "150000", "--handlers", "499", "--serious-incident") == {
        "required": "basic+full", "label": "基礎項目評価＋全項目評価",
        "article": "特定個人情報保護評価に関する規則 第7条第1項",
        "reason": "対象人数が100,000人以上300,000人未満で、取扱者数が500人以上であるか過去1年以内に重大事故があるため、"
                  "基礎項目評価に加えて全項目評価が必要です。"}
    assert run(capsys, "--persons", "999", "--handlers", "10")["required"] == "none"
    assert run(capsys, "--persons", "400000", "--handlers", "10", "--staff-only")["article"] == (
        "特定個人情報保護評価に関する規則 第4条")


@pytest.mark.parametrize("args", [("--persons", "-5", "--handlers", "10"), ("--persons", "1.5", "--handlers", "1"),
                                  ("--persons", "10", "--handlers", "many")])
def test_threshold_command_refuses_bad_counts_with_exit_2(capsys, db, args):
    with pytest.raises(CommandError, match="0以上の整数") as exc:
        call_command("pia-threshold", *args, "--format", "json")
    assert exc.value.returncode == 2
    assert json.loads(capsys.readouterr().out)["ok"] is False
