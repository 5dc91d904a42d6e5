"""`/healthz` (issue 15): 200 {"status": "ok"} when the database answers and every migration is applied, 503
{"status": "ng"} otherwise; nothing else in the answer, no login, no session, no lockout."""

import json

import pytest
from django.db import connection, connections
from django.test import Client

from jichitai.ops import schema


@pytest.mark.django_db
def test_healthy_answers_ok_to_anyone_with_nothing_else():
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    assert "sessionid" not in response.cookies


@pytest.mark.django_db
def test_a_missing_migration_answers_ng(monkeypatch):
    monkeypatch.setattr("jichitai.ops.views.pending_migrations", lambda: ["cloud.0009_future"])
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"status": "ng"}


@pytest.mark.django_db
def test_a_database_that_does_not_answer_answers_ng_and_says_nothing_of_why(monkeypatch):
    def broken(*args, **kwargs):
        raise connection.Database.OperationalError("could not connect to server: secret-host 10.0.0.5")

    monkeypatch.setattr(type(connections["default"]), "ensure_connection", broken)
    response = Client().get("/healthz")
    assert response.status_code == 503
    assert response.content == b'{"status": "ng"}'


@pytest.mark.django_db
def test_the_check_reads_the_real_migration_table():
    assert schema.pending_migrations() == []
    with connection.cursor() as cursor:  # forget one applied migration: it is pending again
        cursor.execute("DELETE FROM django_migrations WHERE app = 'cloud' AND name = '0003_planning_fidelity'")
    assert "cloud.0003_planning_fidelity" in schema.pending_migrations()
    assert Client().get("/healthz").status_code == 503


@pytest.mark.django_db
def test_many_probes_are_never_throttled_or_locked():
    client = Client()
    assert {client.get("/healthz").status_code for _ in range(60)} == {200}
    assert client.post("/healthz").status_code == 405
