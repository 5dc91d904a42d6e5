"""The PIA API: SPI files, evaluations and the threshold check (issue 5 scope 9)."""

import json

import pytest

from jichitai.audit.models import AuditEntry
from jichitai.pia.models import Evaluation, SpiFile
from jichitai.processes.models import Process
from tests.exchange.test_progress_import import FAKE_MY_NUMBER
from tests.helpers import db_state
from tests.pia.conftest import make_evaluation, make_file, patch_incidents


@pytest.fixture
def incidents(monkeypatch):
    return patch_incidents(monkeypatch)


def send(client, method, path, body):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_threshold_endpoint(client_for, admin_user):
    client = client_for(admin_user)
    assert client.get("/api/v1/pia/threshold?persons=10000&handlers=499&serious_incident=true").json() == {
        "required": "basic+key", "label": "基礎項目評価＋重点項目評価",
        "article": "特定個人情報保護評価に関する規則 第6条第1項",
        "reason": "対象人数が10,000人以上100,000人未満で、取扱者数が500人以上であるか過去1年以内に重大事故があるため、"
                  "基礎項目評価に加えて重点項目評価が必要です。"}
    assert client.get("/api/v1/pia/threshold?persons=-1&handlers=10").status_code == 422
    assert client.get("/api/v1/pia/threshold?persons=abc&handlers=10").status_code == 422


def test_create_update_and_list_files(client_for, admin_user, municipality, process, incidents):
    client = client_for(admin_user)
    response = send(client, "post", f"/api/v1/municipalities/{municipality.code}/spi-files", {
        "name": "児童手当情報ファイル", "persons": 52_000, "handlers": 120, "process_ids": [process.pk]})
    assert response.status_code == 201
    body = response.json()
    assert body["threshold"]["required"] == "basic" and body["process_ids"] == [process.pk]
    assert body["flags"] == ["missing"] and body["done"] is None
    response = send(client, "patch", f"/api/v1/spi-files/{body['id']}", {"handlers": 500})
    assert response.json()["threshold"]["article"] == "特定個人情報保護評価に関する規則 第6条第1項"
    listed = client.get(f"/api/v1/municipalities/{municipality.code}/spi-files").json()["items"]
    assert [(f["name"], f["handlers"], f["threshold"]["required"]) for f in listed] == [
        ("児童手当情報ファイル", 500, "basic+key")]
    assert list(AuditEntry.objects.filter(action__startswith="pia").order_by("id").values_list("action", "via")) == [
        ("pia.file.create", "api"), ("pia.file.update", "api")]


@pytest.mark.parametrize(("body", "status"), [
    ({"name": "F", "persons": -1, "handlers": 10}, 422),
    ({"name": "F", "persons": "many", "handlers": 10}, 422),
    ({"name": "F", "persons": 1, "handlers": 10, "unknown": 1}, 422),
    ({"name": FAKE_MY_NUMBER, "persons": 1, "handlers": 10}, 400),
])
def test_bad_files_are_refused_and_nothing_written(client_for, admin_user, municipality, body, status):
    before = db_state()
    response = send(client_for(admin_user), "post", f"/api/v1/municipalities/{municipality.code}/spi-files", body)
    assert response.status_code == status and FAKE_MY_NUMBER not in response.content.decode()
    assert db_state() == before


def test_processes_of_another_municipality_are_refused(client_for, admin_user, municipality, other_municipality):
    foreign = Process.objects.create(municipality=other_municipality, name="よその事務")
    response = send(client_for(admin_user), "post", f"/api/v1/municipalities/{municipality.code}/spi-files",
                    {"name": "F", "persons": 1, "handlers": 1, "process_ids": [foreign.pk]})
    assert response.status_code == 400 and response.json() == {"detail": ["この団体の事務を指定してください。"]}
    assert not SpiFile.objects.exists()


def test_evaluations_with_date_checks_and_warnings(client_for, admin_user, municipality, incidents):
    spi_file = make_file(municipality, persons=350_000)
    client = client_for(admin_user)
    url = f"/api/v1/spi-files/{spi_file.pk}/evaluations"
    bad = send(client, "post", url, {"kind": "basic+full", "submitted_on": "2026-03-10", "published_on": "2026-03-01"})
    assert bad.status_code == 400 and bad.json() == {"detail": ["公表日が提出日より前です。"]}
    assert not Evaluation.objects.exists()
    ok = send(client, "post", url, {"kind": "basic+full", "comment_from": "2026-01-05", "comment_to": "2026-01-20",
                                    "third_party_review_on": "2026-02-01", "submitted_on": "2026-02-10"})
    assert ok.status_code == 201
    assert ok.json()["warnings"] == ["全項目評価の意見募集期間が16日です。原則として30日以上とされています（指針）。"]
    assert [e["kind"] for e in client.get(url).json()["items"]] == ["basic+full"]
    assert send(client, "post", url, {"kind": "none"}).status_code == 422


def _files(municipality, process, n):
    for i in range(n):
        make_evaluation(make_file(municipality, f"F{len(SpiFile.objects.all())}-{i}", processes=[process]),
                        "basic", submitted_on="2025-01-01")


def test_list_runs_a_constant_number_of_queries(client_for, admin_user, municipality, process, incidents,
                                                django_assert_max_num_queries):
    client = client_for(admin_user)
    _files(municipality, process, 1)
    with django_assert_max_num_queries(12) as small:
        assert len(client.get(f"/api/v1/municipalities/{municipality.code}/spi-files").json()["items"]) == 1
    _files(municipality, process, 10)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(client.get(f"/api/v1/municipalities/{municipality.code}/spi-files").json()["items"]) == 11


def test_secretariat_reads_but_cannot_write(client_for, secretariat_user, municipality, incidents):
    spi_file = make_file(municipality)
    client = client_for(secretariat_user)
    assert client.get(f"/api/v1/spi-files/{spi_file.pk}/evaluations").status_code == 200
    assert send(client, "patch", f"/api/v1/spi-files/{spi_file.pk}", {"handlers": 1}).status_code == 403
    spi_file.refresh_from_db()
    assert spi_file.handlers == 40
