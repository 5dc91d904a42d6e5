"""The incidents API (issue 5 scope 9): same rules and validation as the pages and the command."""

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jichitai.audit.models import AuditEntry
from jichitai.core.mynumber import my_number_check_digit
from jichitai.incidents.models import Incident, IncidentPhase
from tests.helpers import db_state
from tests.incidents.conftest import make_incident

MY_NUMBER = "12345678901" + str(my_number_check_digit("12345678901"))
BODY = {"title": "通知書の誤送付", "discovered_at": "2025-10-01T09:00:00+09:00", "known_at": "2025-10-01T10:00",
        "persons_affected": 101, "kinds": ["leak"]}


def send(client, method, path, body):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_create_computes_the_assessment(client_for, admin_user, municipality, process, department):
    response = send(client_for(admin_user), "post", f"/api/v1/municipalities/{municipality.code}/incidents",
                    BODY | {"process_ids": [process.pk], "department_id": department.pk})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["assessment"]["grounds"] == [4] and data["assessment"]["final_due"] == "2025-10-31"
    assert data["assessment"]["preliminary_due"] == "2025-10-04"
    assert data["processes"] == [process.pk] and data["department"] == "子育て支援課"
    assert data["final_overdue"] is True and data["open"] is True
    assert data["known_at"].startswith("2025-10-01T10:00:00+09:00")  # no offset sent: read as Tokyo time
    assert Incident.objects.get().serious is True
    assert AuditEntry.objects.get(action="incident.create").via == "api"


@pytest.mark.parametrize(("changes", "status", "text"), [
    ({"known_at": "2099-10-01T10:00:00+09:00", "discovered_at": "2099-10-01T09:00:00+09:00"}, 400, "未来の日時"),
    ({"discovered_at": "2025-10-02T09:00:00+09:00"}, 400, "発見日時が事態を知った日時より後"),
    ({"persons_affected": -1}, 400, "負の数"),
    ({"notes": MY_NUMBER}, 400, "個人番号"),
    ({"kinds": ["theft"]}, 422, "kinds"),
    ({"serious": True}, 422, "serious"),  # computed, never taken from the client
])
def test_bad_input_is_refused_and_writes_nothing(client_for, admin_user, municipality, changes, status, text):
    before = db_state()
    response = send(client_for(admin_user), "post", f"/api/v1/municipalities/{municipality.code}/incidents",
                    BODY | changes)
    assert response.status_code == status
    body = json.dumps(response.json(), ensure_ascii=False)
    assert text in body and MY_NUMBER not in body
    assert db_state() == before


def test_process_of_another_municipality_is_refused(client_for, admin_user, municipality, other_municipality):
    from jichitai.processes.models import Process

    stranger = Process.objects.create(municipality=other_municipality, name="よその事務")
    response = send(client_for(admin_user), "post", f"/api/v1/municipalities/{municipality.code}/incidents",
                    BODY | {"process_ids": [stranger.pk]})
    assert response.status_code == 400 and not Incident.objects.exists()


def test_patch_recomputes_and_phases_round_trip(client_for, admin_user, municipality):
    incident = make_incident(municipality)
    client = client_for(admin_user)
    data = send(client, "patch", f"/api/v1/incidents/{incident.pk}", {"persons_affected": 100,
                                                                       "final_sent_on": "2025-10-20"}).json()
    assert data["assessment"]["reportable"] is False and data["final_sent_on"] == "2025-10-20"
    created = send(client, "post", f"/api/v1/incidents/{incident.pk}/phases",
                   {"phase": "initial", "at": "2025-10-01T11:00:00+09:00", "note": "CSIRTに連絡"})
    assert created.status_code == 201 and created.json()["label"] == "初動"
    early = send(client, "post", f"/api/v1/incidents/{incident.pk}/phases", {"phase": "detection",
                                                                              "at": "2025-09-01T11:00:00+09:00"})
    assert early.status_code == 400 and "発見日時より前" in early.json()["detail"][0]
    phase_id = created.json()["id"]
    assert send(client, "patch", f"/api/v1/incident-phases/{phase_id}", {"note": "課長に報告"}).json()["note"] == "課長に報告"
    listed = client.get(f"/api/v1/incidents/{incident.pk}/phases").json()["items"]
    assert [(p["phase"], p["note"]) for p in listed] == [("initial", "課長に報告")]


def test_list_runs_constant_queries(client_for, admin_user, municipality, process):
    client = client_for(admin_user)

    def count() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as ctx:
            rows = client.get(f"/api/v1/municipalities/{municipality.code}/incidents").json()["items"]
        return len(ctx.captured_queries), len(rows)

    for i in range(2):
        make_incident(municipality, title=f"事案{i}", processes=[process])
    small, n_small = count()
    for i in range(2, 14):
        incident = make_incident(municipality, title=f"事案{i}", processes=[process])
        IncidentPhase.objects.create(incident=incident, phase="prevention", at=incident.known_at)
    large, n_large = count()
    assert (n_small, n_large) == (2, 14)
    assert small == large


def test_duty_check_answers_like_the_command(client_for, outsider_user):
    client = client_for(outsider_user)
    data = send(client, "post", "/api/v1/incident-duty", {"known_at": "2025-10-01", "persons": 5,
                                                          "improper_purpose": True}).json()
    assert (data["reportable"], data["grounds"], data["preliminary_due"], data["final_due"], data["notify_persons"]) == (
        True, [2], "2025-10-04", "2025-11-30", True)
    assert data["reasons"][0]["article"] == "報告規則 第2条第2号"
    encrypted = send(client, "post", "/api/v1/incident-duty", {"known_at": "2025-10-01T10:00", "persons": 500,
                                                               "encrypted": True}).json()
    assert encrypted["reportable"] is False and encrypted["grounds"] == []
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    refused = send(client, "post", "/api/v1/incident-duty", {"known_at": future, "persons": -2})
    assert refused.status_code == 400
    assert set(refused.json()["detail"]) == {"事態を知った日時に未来の日時は入力できません。", "本人の数に負の数は入力できません。"}


def test_outsider_gets_404_and_reader_403(client_for, outsider_user, secretariat_user, municipality):
    incident = make_incident(municipality)
    assert client_for(outsider_user).get(f"/api/v1/incidents/{incident.pk}").status_code == 404
    assert send(client_for(secretariat_user), "patch", f"/api/v1/incidents/{incident.pk}",
                {"title": "x"}).status_code == 403
