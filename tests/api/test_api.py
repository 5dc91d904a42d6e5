import json

from django.core.management import call_command

from jichitai.audit.models import AuditEntry
from jichitai.processes.models import ProgressChange
from tests.helpers import db_state


def _patch(client, process, body, **headers):
    return client.patch(f"/api/v1/processes/{process.pk}/progress", json.dumps(body),
                        content_type="application/json", **headers)


def test_progress_json_has_contract_shape(client_for, admin_user, municipality, process):
    data = client_for(admin_user).get(f"/api/v1/municipalities/{municipality.code}/progress").json()
    assert data["municipality"] == municipality.code
    assert data["columns"] == ["業務フロー", "特定個人情報", "リスク評価", "関連情報連携洗出", "条例案上程", "PIA提出"]
    assert "rows" not in data  # one page at a time at …/progress/rows
    rows = client_for(admin_user).get(f"/api/v1/municipalities/{municipality.code}/progress/rows").json()
    assert (rows["count"], rows["next"]) == (1, None)
    assert rows["items"] == [{"id": process.pk, "process": "児童手当事務", "legal_basis": "別表81項",
                             "cells": dict.fromkeys(data["columns"], "not_started"),
                             "evidence": dict.fromkeys(data["columns"][:4] + ["PIA提出"], "not_started"), "overridden": []}]
    assert data["totals"]["業務フロー"] == {"done": 0, "started": 0, "not_started": 1, "not_needed": 0}


def test_patch_cell_updates_and_audits(client_for, admin_user, process):
    response = _patch(client_for(admin_user), process, {"column": "リスク評価", "status": "started"})
    assert response.status_code == 200
    assert response.json()["cells"]["リスク評価"] == "started"
    entry = AuditEntry.objects.get(action="progress.set")
    assert entry.via == "api" and entry.actor == admin_user
    assert entry.before == {"column": "リスク評価", "status": "not_started"}


def test_patch_with_bad_values_is_400_and_writes_nothing(client_for, admin_user, process):
    client = client_for(admin_user)
    before = db_state()
    for body in ({"column": "存在しない列", "status": "done"}, {"column": "業務フロー", "status": "finished"}):
        response = _patch(client, process, body)
        assert response.status_code == 400
        assert "detail" in response.json()
    assert _patch(client, process, {"column": "業務フロー"}).status_code == 422
    assert _patch(client, process, {"column": "業務フロー", "status": "done", "extra": 1}).status_code == 422
    assert db_state() == before


def test_bearer_token_from_command(client, admin_user, process, capsys):
    call_command("apitoken", "admin")
    token = capsys.readouterr().out.strip()
    assert token.startswith("jt_")
    response = _patch(client, process, {"column": "業務フロー", "status": "done"},
                      HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200
    assert ProgressChange.objects.get().recorded_by == admin_user
    assert client.get("/api/v1/municipalities", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_future_as_of_is_400(client_for, admin_user, municipality):
    response = client_for(admin_user).get(f"/api/v1/municipalities/{municipality.code}/progress?as_of=2999-01-01")
    assert response.status_code == 400


def test_openapi_document_lists_routes(client_for, admin_user):
    paths = client_for(admin_user).get("/api/v1/openapi.json").json()["paths"]
    assert {"/api/v1/municipalities/{code}/processes", "/api/v1/processes/{process_id}/progress"} <= set(paths)
