"""Every API list is paginated the same way (api.pagination.Pages), found from the OpenAPI document itself.

A list route added later without `@paginate(Pages)` answers a bare array and fails here; one whose path names a
parameter this module does not know how to fill fails too, asking to be added to CANDIDATES.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import transaction

from jichitai.api.pagination import PAGE_MAX, PAGE_SIZE
from jichitai.cloud.models import CloudPlan
from jichitai.demo.builder import build
from jichitai.handling.models import HandlingRow
from jichitai.incidents.models import Incident, IncidentPhase
from jichitai.orgs.models import Association, Municipality
from jichitai.pia.models import Evaluation, SpiFile
from jichitai.planning.models import Workshop
from jichitai.processes.models import Process
from tests.conftest import make_user

PAGINATION_PARAMETERS = {"limit", "cursor", "offset"}
# How to fill each path parameter of a list route: every candidate is tried, the one with the most rows is used.
CANDIDATES = {
    "code": lambda: Municipality.objects.values_list("code", flat=True),
    "process_id": lambda: Process.objects.values_list("pk", flat=True),
    "incident_id": lambda: Incident.objects.values_list("pk", flat=True),
    "file_id": lambda: SpiFile.objects.values_list("pk", flat=True),
    "association_id": lambda: Association.objects.values_list("pk", flat=True),
    "workshop_id": lambda: Workshop.objects.values_list("pk", flat=True),
}


def _copy(obj, **changes):
    obj.pk, obj.id = None, None
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo association (3 members, every kind of record) and its secretariat, who reads every list."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = build(members=3, association_name="ページ協議会", with_users=False, seed=16)
        # Where the demo has a single row, a copy makes a second page.
        _copy(CloudPlan.objects.filter(association=result.association).first(), name="2案目")
        Workshop.objects.create(association=result.association, name="2回目", published=True)
        for model in (Incident, IncidentPhase, Evaluation):
            _copy(model.objects.order_by("pk").last())
        yield make_user("pages_secretariat", "secretariat", association=result.association)
        transaction.set_rollback(True)


@pytest.fixture
def client(client, db, demo):
    client.force_login(demo)
    return client


def _document(client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _schema(document, reference: dict) -> dict:
    return document["components"]["schemas"][reference["$ref"].rsplit("/", 1)[-1]] if "$ref" in reference \
        else reference


def _ok_schema(document, operation) -> dict:
    content = operation["responses"]["200"].get("content", {}).get("application/json", {})
    return _schema(document, content.get("schema", {}))


def list_routes(document) -> list[str]:
    """Every GET whose answer is a list: paginated ({"items", "count", "next"}) or, wrongly, a bare array."""
    found = []
    for path, operations in document["paths"].items():
        operation = operations.get("get")
        if operation is None or "200" not in operation["responses"]:
            continue
        schema = _ok_schema(document, operation)
        if schema.get("type") == "array" or "items" in schema.get("properties", {}):
            found.append(path)
    return sorted(found)


def _fill(path: str, client) -> str:
    """The path with its parameters filled by the candidates giving the longest list."""
    names = re.findall(r"{(\w+)}", path)
    assert len(names) <= 1, f"{path}: fill several parameters here"
    if not names:
        return path
    (name,) = names
    assert name in CANDIDATES, f"{path}: add a way to fill {{{name}}} to CANDIDATES"
    best, most = None, -1
    for value in CANDIDATES[name]():
        url = path.replace(f"{{{name}}}", str(value))
        response = client.get(url, {"limit": 1})
        if response.status_code == 200 and response.json()["count"] > most:
            best, most = url, response.json()["count"]
    assert best is not None, f"{path}: no candidate answers 200"
    return best


def test_the_document_has_list_routes(client):
    routes = list_routes(_document(client))
    assert "/api/v1/processes/{process_id}/handling-rows" in routes
    assert len(routes) >= 13, routes


def test_every_list_route_is_paginated_in_the_openapi_document(client):
    document = _document(client)
    for path in list_routes(document):
        operation = document["paths"][path]["get"]
        schema = _ok_schema(document, operation)
        assert schema.get("type") != "array", f"{path} answers a bare array: add @paginate(Pages)"
        assert set(schema["properties"]) == {"items", "count", "next"}, path
        assert {p["name"] for p in operation["parameters"] if p["in"] == "query"} >= PAGINATION_PARAMETERS, path
        limit = next(p for p in operation["parameters"] if p["name"] == "limit")["schema"]
        assert (limit["default"], limit["maximum"], limit["minimum"]) == (PAGE_SIZE, PAGE_MAX, 1), path


def test_no_list_returns_more_than_its_page(client):
    for path in list_routes(_document(client)):
        url = _fill(path.replace("/api/v1/", "/api/v1/", 1), client)
        whole = client.get(url).json()
        assert whole["count"] >= 2, f"{url}: the demo has too few rows to show a second page"
        assert len(whole["items"]) == min(whole["count"], PAGE_SIZE), url
        first = client.get(url, {"limit": 1}).json()
        assert len(first["items"]) == 1 and first["count"] == whole["count"], url
        assert first["next"] is not None, url
        second = client.get(first["next"]).json()
        assert len(second["items"]) == 1 and second["items"] != first["items"], url


def test_every_list_runs_the_same_queries_for_half_its_rows_as_for_all(client):
    """A page's presenter reads what its rows need in a fixed number of queries, never one per row. (Half, not one:
    with a single row some reads find nothing to look for and are skipped.)"""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for path in list_routes(_document(client)):
        url = _fill(path, client)
        total = client.get(url, {"limit": 1}).json()["count"]
        counts = {}
        for limit in (max(total // 2, 1), PAGE_MAX):
            with CaptureQueriesContext(connection) as queries:
                body = client.get(url, {"limit": limit}).json()
            counts[len(body["items"])] = len(queries)
        assert len(counts) == 2 and len(set(counts.values())) == 1, (url, counts)


def _follow(client, url: str, between=lambda page: None) -> list[dict]:
    items, pages = [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        assert len(body["items"]) <= 10
        items += body["items"]
        pages += 1
        between(pages)
        url = body["next"]
        assert pages < 100
    return items


def _rows(process, n: int, start: int = 0) -> list[HandlingRow]:
    return HandlingRow.objects.bulk_create(
        HandlingRow(process=process, row_id=f"9-{i}", asset_name=f"資産{i}", kind="paper", stage="use",
                    confidentiality=1, integrity=1, availability=1, asset_value=1, position=i)
        for i in range(start, start + n))


def test_following_next_returns_every_row_once_while_rows_are_added_removed_and_moved(client):
    process = Process.objects.filter(municipality__association__name="ページ協議会").first()
    HandlingRow.objects.filter(process=process).delete()
    before = sorted(row.pk for row in _rows(process, 35))
    added, removed = set(), before[0]

    def between(page):
        if page == 1:  # a row of the first page removed (an offset would now skip one), rows added, one moved
            HandlingRow.objects.filter(pk=removed).delete()
            added.update(row.pk for row in _rows(process, 4, start=100))
            HandlingRow.objects.filter(pk=before[-1]).update(position=0)
        if page == 2:
            HandlingRow.objects.filter(pk=before[1]).update(position=999)

    items = _follow(client, f"/api/v1/processes/{process.pk}/handling-rows?limit=10", between)
    seen = [item["id"] for item in items]
    assert len(seen) == len(set(seen)), "a row was repeated"
    assert set(before) <= set(seen), "a row was skipped"
    assert set(seen) == set(before) | added


def test_following_next_by_code_misses_nothing_when_a_municipality_is_added_before_the_cursor(client):
    association = Association.objects.get(name="ページ協議会")
    codes = sorted(association.members.values_list("code", flat=True))
    pages, seen = [], []

    def between(page):
        if page == 1:
            Municipality.objects.create(code="000019", name="前に入る町", association=association)
            Municipality.objects.create(code="999992", name="後に入る村", association=association)

    url = "/api/v1/municipalities?limit=1"
    while url:
        assert len(pages) < 20
        body = client.get(url).json()
        seen += [m["code"] for m in body["items"]]
        pages.append(body["count"])
        between(len(pages))
        url = body["next"]
    assert seen[:len(codes)] == codes and seen[len(codes):] == ["999992"]  # the one before the cursor is not shown
    assert pages[0] == len(codes) and pages[-1] == len(codes) + 2  # the count is of the list as it is now


def test_next_keeps_the_other_parameters_and_drops_the_offset(client):
    process = Process.objects.filter(municipality__association__name="ページ協議会").first()
    _rows(process, 5)
    body = client.get(f"/api/v1/processes/{process.pk}/handling-rows", {"limit": 2, "offset": 1}).json()
    query = parse_qs(urlsplit(body["next"]).query)
    assert query["limit"] == ["2"] and "offset" not in query and query["cursor"]
    code = process.municipality.code
    body = client.get(f"/api/v1/municipalities/{code}/progress/rows", {"limit": 1, "as_of": "R8.4.1"}).json()
    if body["next"]:
        assert parse_qs(urlsplit(body["next"]).query)["as_of"] == ["R8.4.1"]


@pytest.mark.parametrize("cursor", ["!!!", "e30", "WyJhIl0", "W3RydWVd", "x" * 201])
def test_a_bad_cursor_is_refused_in_japanese(client, cursor):
    process = Process.objects.filter(municipality__association__name="ページ協議会").first()
    response = client.get(f"/api/v1/processes/{process.pk}/handling-rows", {"cursor": cursor})
    assert response.status_code in (400, 422), cursor
    detail = response.json()["detail"]
    message = detail[0] if isinstance(detail[0], str) else detail[0]["msg"]
    assert re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", message), message
