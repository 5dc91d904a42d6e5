"""The analysis API (issue 3 scope 9): flows, handling rows, risk rows and countermeasures, approval."""

import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.audit.models import AuditEntry
from jichitai.core.mynumber import my_number_check_digit
from jichitai.exchange.imports import run_import
from jichitai.handling.models import ApprovalEvent, FlowStep, HandlingRow, ProcessAnalysis
from jichitai.orgs.models import Staff
from jichitai.processes.models import Process
from jichitai.risk.models import Countermeasure, RiskRow
from tests import seed_sheets as seed
from tests.helpers import db_state

MY_NUMBER = "12345678901" + str(my_number_check_digit("12345678901"))
ROW = {"row_id": "1-2", "asset_name": "減免申請書", "kind": "paper", "stage": "acquire", "confidentiality": 3,
       "integrity": 2, "availability": 2}


def send(client, method, path, body=None, **headers):
    if body is None:
        return getattr(client, method)(path, **headers)
    return getattr(client, method)(path, json.dumps(body), content_type="application/json", **headers)


def make_row(process, **fields) -> HandlingRow:
    values = ROW | {"asset_value": 4} | fields
    return HandlingRow.objects.create(process=process, **values)


@pytest.fixture
def seed_process(municipality, beppyo):
    process = Process.objects.create(municipality=municipality, name=seed.PROCESS)
    report = run_import(seed.seed_workbook(), actor=None, municipality=municipality)
    assert report.ok, report.errors
    return process


# ---- Reading ----

def test_reads_the_seed_rows_with_their_scores(client_for, admin_user, seed_process):
    response = client_for(admin_user).get(f"/api/v1/processes/{seed_process.pk}/handling-rows")
    assert response.status_code == 200
    rows = response.json()["items"]
    assert [r["row_id"] for r in rows] == ["1-2", "1-3", "1-4", "1-5", "1-6"]
    assert [r["asset_value"] for r in rows] == [4, 4, 4, 3, 3]
    assert [r["risk"]["total"] for r in rows] == [16, 16, 16, 12, 12]
    assert [r["risk"]["residual"] for r in rows] == [8, 8, 8, 6, 6]
    assert all(type(r["risk"]["residual"]) is int for r in rows)  # a JSON number, not "8.00"
    first = rows[0]
    assert (first["kind"], first["stage"], first["confidentiality"], first["integrity"], first["availability"]) == (
        "paper", "acquire", 3, 2, 2)
    assert rows[3]["stage"] == "store" and rows[4]["stage"] == "dispose"
    assert first["risk"]["vulnerability_rating"] == 2 and first["risk"]["threat_rating"] == 2
    assert first["risk"]["countermeasures"] == [
        {"text": "個人スペースを作る。", "reduction": 0.5, "factor": "vulnerability", "category": ""},
        {"text": "周りに人がいないか確認する。", "reduction": 0.5, "factor": "vulnerability", "category": ""}]
    assert first["risk"]["residual_risk"] == "個人情報を他者に聞こえる声で読みあげる。"
    assert set(first) == {"id", "row_id", "asset_name", "kind", "stage", "method", "procedure", "business_function",
                          "responsible", "responsible_duty", "handler", "handler_duty", "notes", "confidentiality",
                          "integrity", "availability", "asset_value", "risk"}


def test_row_without_analysis_has_null_risk(client_for, admin_user, process):
    make_row(process)
    assert client_for(admin_user).get(f"/api/v1/processes/{process.pk}/handling-rows").json()["items"][0]["risk"] is None


# ---- Flow steps ----

def test_create_patch_delete_flow_step(client_for, admin_user, process):
    client = client_for(admin_user)
    response = send(client, "post", f"/api/v1/processes/{process.pk}/flow",
                    {"order": 1, "lane": "resident", "action": "減免申請書を提出する", "stage": "acquire"})
    assert response.status_code == 201
    step = response.json()
    assert step == {"id": step["id"], "order": 1, "lane": "resident", "action": "減免申請書を提出する",
                    "business_function": "", "stage": "acquire", "assets": ""}
    created = AuditEntry.objects.get(action="flow.create")
    assert (created.via, created.actor, created.object_id) == ("api", admin_user, str(step["id"]))

    response = send(client, "patch", f"/api/v1/flow-steps/{step['id']}", {"lane": "counter", "assets": "申請書"})
    assert response.status_code == 200
    assert response.json() | {"id": 0} == {"id": 0, "order": 1, "lane": "counter", "action": "減免申請書を提出する",
                                           "business_function": "", "stage": "acquire", "assets": "申請書"}
    updated = AuditEntry.objects.get(action="flow.update")
    assert updated.via == "api" and updated.before["lane"] == "resident" and updated.after["lane"] == "counter"

    send(client, "post", f"/api/v1/processes/{process.pk}/flow", {"order": 0, "lane": "staff", "action": "受付"})
    listed = client.get(f"/api/v1/processes/{process.pk}/flow").json()["items"]  # by id: as they were added
    assert [(s["order"], s["action"]) for s in listed] == [(1, "減免申請書を提出する"), (0, "受付")]

    assert client.delete(f"/api/v1/flow-steps/{step['id']}").status_code == 204
    assert not FlowStep.objects.filter(pk=step["id"]).exists()
    assert AuditEntry.objects.get(action="flow.delete").via == "api"
    assert client.delete(f"/api/v1/flow-steps/{step['id']}").status_code == 404


# ---- Handling rows ----

def test_create_patch_delete_handling_row_computes_asset_value(client_for, admin_user, process):
    client = client_for(admin_user)
    response = send(client, "post", f"/api/v1/processes/{process.pk}/handling-rows",
                    ROW | {"row_id": "１－５", "availability": 1, "notes": "税関係システム"})
    assert response.status_code == 201
    row = response.json()
    assert (row["row_id"], row["asset_value"], row["notes"], row["risk"]) == ("1-5", 3, "税関係システム", None)
    assert HandlingRow.objects.get(pk=row["id"]).asset_value == 3
    assert AuditEntry.objects.get(action="handling.create").via == "api"

    response = send(client, "patch", f"/api/v1/handling-rows/{row['id']}", {"availability": 3})
    assert response.status_code == 200
    assert (response.json()["availability"], response.json()["asset_value"], response.json()["kind"]) == (3, 5, "paper")
    entry = AuditEntry.objects.get(action="handling.update")
    assert entry.via == "api" and (entry.before["asset_value"], entry.after["asset_value"]) == (3, 5)

    assert client.delete(f"/api/v1/handling-rows/{row['id']}").status_code == 204
    assert not HandlingRow.objects.exists()
    assert AuditEntry.objects.get(action="handling.delete").via == "api"


def test_patching_ratings_rescores_the_risk(client_for, admin_user, process):
    client = client_for(admin_user)
    row = make_row(process)
    send(client, "put", f"/api/v1/handling-rows/{row.pk}/risk", {
        "vulnerability_rating": 2, "threat_rating": 2,
        "countermeasures": [{"text": "整理整頓する。", "reduction": 1}]})
    response = send(client, "patch", f"/api/v1/handling-rows/{row.pk}", {"availability": 1})
    assert response.status_code == 200
    risk = response.json()["risk"]
    assert (response.json()["asset_value"], risk["total"], risk["residual"]) == (3, 12, 6)


# ---- Risk ----

def test_put_risk_with_countermeasures_computes_residual(client_for, admin_user, process):
    client = client_for(admin_user)
    row = make_row(process)  # C3 I2 A2 → 資産価値 4
    response = send(client, "put", f"/api/v1/handling-rows/{row.pk}/risk", {
        "vulnerability": "窓口がオープンスペースである。", "vulnerability_rating": 3, "threat": "のぞき見",
        "threat_rating": 2, "business_function": "申請書の受領", "residual_risk": "徹底されない可能性がある。",
        "countermeasures": [
            {"text": "個人スペースを作る。", "reduction": 1, "factor": "vulnerability", "category": "physical"},
            {"text": "読み上げないよう要領化する。", "reduction": 0.5, "factor": "threat"}]})
    assert response.status_code == 200
    risk = response.json()["risk"]
    # 4 × (3 − 1) × (2 − 0.5) = 12; 総合評価 4 × 3 × 2 = 24
    assert (risk["total"], risk["residual"]) == (24, 12)
    assert risk["countermeasures"] == [
        {"text": "個人スペースを作る。", "reduction": 1, "factor": "vulnerability", "category": "physical"},
        {"text": "読み上げないよう要領化する。", "reduction": 0.5, "factor": "threat", "category": ""}]
    stored = RiskRow.objects.get(handling_row=row)
    assert (stored.total, stored.residual) == (24, Decimal("12"))
    assert list(Countermeasure.objects.values_list("reduction", "factor")) == [
        (Decimal("1"), "vulnerability"), (Decimal("0.5"), "threat")]
    assert AuditEntry.objects.get(action="risk.create").via == "api"

    # PUT replaces: no countermeasures → residual equals the total; a fractional residual is a JSON number.
    response = send(client, "put", f"/api/v1/handling-rows/{row.pk}/risk", {
        "vulnerability_rating": 3, "threat_rating": 3,
        "countermeasures": [{"text": "画面フィルタを付ける。", "reduction": 0.5}]})
    risk = response.json()["risk"]
    assert (risk["total"], risk["residual"], risk["vulnerability"]) == (36, 30, "")  # 4 × 2.5 × 3
    response = send(client, "put", f"/api/v1/handling-rows/{row.pk}/risk",
                    {"vulnerability_rating": 3, "threat_rating": 1, "countermeasures": [
                        {"text": "画面フィルタを付ける。", "reduction": 0.75}]})
    assert response.json()["risk"]["residual"] == 9  # 4 × 2.25 × 1
    row.asset_value = 3
    row.availability = 1
    row.save()
    response = send(client, "put", f"/api/v1/handling-rows/{row.pk}/risk", {
        "vulnerability_rating": 3, "threat_rating": 3, "countermeasures": [{"text": "施錠する。", "reduction": 0.5}]})
    assert response.json()["risk"]["residual"] == 22.5 and '"residual": 22.5' in response.content.decode()
    assert AuditEntry.objects.filter(action="risk.update", via="api").count() == 3
    assert Countermeasure.objects.count() == 1


# ---- Validation: 400 / 422, nothing written, My Number never echoed ----

def test_invalid_input_is_refused_and_writes_nothing(client_for, admin_user, process):
    client = client_for(admin_user)
    step = FlowStep.objects.create(process=process, order=1, lane="resident", action="申請")
    row = make_row(process)
    make_row(process, row_id="1-3")
    flow, rows = f"/api/v1/processes/{process.pk}/flow", f"/api/v1/processes/{process.pk}/handling-rows"
    risk = f"/api/v1/handling-rows/{row.pk}/risk"
    good_risk = {"vulnerability_rating": 2, "threat_rating": 2, "countermeasures": []}
    before = db_state()
    cases = [
        ("post", rows, ROW | {"row_id": "2-1", "confidentiality": 4}, 422),  # rating out of 1–3
        ("post", rows, ROW | {"row_id": "2-1", "integrity": 0}, 422),
        ("put", risk, good_risk | {"threat_rating": 4}, 422),
        ("post", flow, {"order": 2, "lane": "mayor", "action": "決裁"}, 422),  # unknown lane
        ("post", flow, {"order": 2, "lane": "chief", "action": "決裁", "stage": "archive"}, 422),
        ("post", flow, {"order": -1, "lane": "chief", "action": "決裁"}, 422),
        ("post", flow, {"order": 2, "lane": "chief"}, 422),  # action missing
        ("post", flow, {"order": 2, "lane": "chief", "action": "決裁", "id": 5}, 422),  # extra field
        ("post", rows, ROW | {"row_id": "2-1", "asset_value": 9}, 422),  # computed, never accepted
        ("post", rows, ROW | {"row_id": "2-1", "kind": "usb"}, 422),
        ("post", rows, ROW | {"row_id": "2-1", "stage": "保管"}, 422),  # keys, not labels
        ("post", rows, ROW | {"row_id": "abc"}, 400),  # the form's ID format
        ("post", rows, ROW | {"row_id": "1-3"}, 400),  # the ID is unique within the process
        ("patch", f"/api/v1/handling-rows/{row.pk}", {"row_id": "1-3"}, 400),
        ("patch", f"/api/v1/handling-rows/{row.pk}", {"asset_value": 1}, 422),
        ("patch", f"/api/v1/handling-rows/{row.pk}", {"asset_name": None}, 422),  # may be left out, not nulled
        ("patch", f"/api/v1/flow-steps/{step.pk}", {"lane": "mayor"}, 422),
        ("patch", f"/api/v1/flow-steps/{step.pk}", {"action": "x" * 301}, 400),  # the model's max_length
        ("put", risk, good_risk | {"total": 1}, 422),
        ("put", risk, good_risk | {"residual": 1}, 422),
        ("put", risk, {"vulnerability_rating": 2, "threat_rating": 2}, 422),  # countermeasures required
        ("put", risk, good_risk | {"countermeasures": [{"text": "対策", "reduction": -1}]}, 422),
        ("put", risk, good_risk | {"countermeasures": [{"text": "対策", "factor": "impact"}]}, 422),
        ("put", risk, good_risk | {"countermeasures": [{"text": "対策", "category": "legal"}]}, 422),
        ("put", risk, good_risk | {"countermeasures": [{"text": ""}]}, 422),
        ("put", risk, good_risk | {"countermeasures": [{"text": "対策", "reduction": 0.005}]}, 422),
        ("put", risk, good_risk | {"countermeasures": [{"text": "対策", "extra": 1}]}, 422),
        ("post", f"/api/v1/processes/{process.pk}/approve", {"officer_id": "x"}, 422),
    ]
    for method, path, body, expected in cases:
        response = send(client, method, path, body)
        assert response.status_code == expected, (method, path, body, response.content[:300])
        assert "detail" in response.json()
    assert send(client, "post", flow, {"order": 2, "lane": "nowhere", "action": "x"}).json()["detail"][0]["loc"] == [
        "body", "payload", "lane"]
    assert db_state() == before


@pytest.mark.parametrize("written", [MY_NUMBER, f"{MY_NUMBER[:4]} {MY_NUMBER[4:8]} {MY_NUMBER[8:]}",
                                     "１２３４５６７８９０１" + MY_NUMBER[-1].translate(str.maketrans("0123456789",
                                                                                        "０１２３４５６７８９"))],
                         ids=["plain", "grouped", "full-width"])
def test_my_number_in_any_text_is_400_and_not_echoed(client_for, admin_user, process, written):
    client = client_for(admin_user)
    step = FlowStep.objects.create(process=process, order=1, lane="resident", action="申請")
    row = make_row(process)
    text = f"申請者 {written} の書類"
    before = db_state()
    cases = [
        ("post", f"/api/v1/processes/{process.pk}/flow", {"order": 2, "lane": "staff", "action": text}),
        ("patch", f"/api/v1/flow-steps/{step.pk}", {"assets": text}),
        ("post", f"/api/v1/processes/{process.pk}/handling-rows", ROW | {"row_id": "2-1", "procedure": text}),
        ("patch", f"/api/v1/handling-rows/{row.pk}", {"notes": text}),
        ("put", f"/api/v1/handling-rows/{row.pk}/risk",
         {"vulnerability_rating": 2, "threat_rating": 2, "threat": text, "countermeasures": []}),
        ("put", f"/api/v1/handling-rows/{row.pk}/risk",
         {"vulnerability_rating": 2, "threat_rating": 2, "countermeasures": [{"text": text, "reduction": 1}]}),
        ("post", f"/api/v1/processes/{process.pk}/approve", {"note": text}),
    ]
    for method, path, body in cases:
        response = send(client, method, path, body)
        assert response.status_code == 400, (method, path, response.content[:300])
        raw, text_out = response.content.decode(), json.dumps(response.json(), ensure_ascii=False)
        assert "個人番号" in text_out or "My Number" in text_out
        for digits in (MY_NUMBER, MY_NUMBER[:4], MY_NUMBER[-4:], written):
            assert digits not in raw and digits not in text_out and json.dumps(digits)[1:-1] not in raw
    assert db_state() == before


# ---- Approval ----

def test_approve_refuses_an_incomplete_set_then_approves(client_for, admin_user, process, municipality,
                                                         other_municipality):
    client = client_for(admin_user)
    path = f"/api/v1/processes/{process.pk}/approve"
    before = db_state()
    response = send(client, "post", path, {})
    assert response.status_code == 400
    assert "detail" in response.json() and len(response.json()["detail"]) == 1
    row = make_row(process)
    FlowStep.objects.create(process=process, order=1, lane="resident", action="申請")
    before = db_state()
    response = send(client, "post", path, {"note": "確認済み"})
    assert response.status_code == 400
    assert "1-2" in response.json()["detail"][0]  # the row without risk analysis is named
    assert db_state() == before

    send(client, "put", f"/api/v1/handling-rows/{row.pk}/risk",
         {"vulnerability_rating": 2, "threat_rating": 2, "countermeasures": []})
    handler = Staff.objects.create(municipality=municipality, staff_number="S1", name="佐藤", role="handler")
    elsewhere = Staff.objects.create(municipality=other_municipality, staff_number="S9", name="他所",
                                     role="protection_officer")
    before = db_state()
    for officer in (handler, elsewhere, None):
        response = send(client, "post", path, {"officer_id": officer.pk if officer else 999999})
        assert response.status_code == 400, response.content
    assert db_state() == before

    officer = Staff.objects.create(municipality=municipality, staff_number="S2", name="課長", role="protection_officer")
    response = send(client, "post", path, {"officer_id": officer.pk, "note": "確認済み"})
    assert response.status_code == 200
    assert response.json() == {"status": "approved"}
    event = ApprovalEvent.objects.get(action="approved")
    assert (event.officer, event.by, event.note) == (officer, admin_user, "確認済み")
    assert AuditEntry.objects.get(action="analysis.approved").via == "api"

    # An edit through the API returns the set to draft.
    send(client, "patch", f"/api/v1/handling-rows/{row.pk}", {"notes": "追記"})
    assert ProcessAnalysis.objects.get(process=process).status == "draft"
    assert AuditEntry.objects.get(action="analysis.returned").via == "api"


# ---- Authentication and personas ----

def test_bearer_token_writes(client, admin_user, process, capsys):
    call_command("apitoken", "admin")
    token = capsys.readouterr().out.strip()
    response = send(client, "post", f"/api/v1/processes/{process.pk}/flow",
                    {"order": 1, "lane": "counter", "action": "受付"}, HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 201
    entry = AuditEntry.objects.get(action="flow.create")
    assert (entry.actor, entry.via) == (admin_user, "api")
    response = send(client, "post", f"/api/v1/processes/{process.pk}/flow",
                    {"order": 1, "lane": "counter", "action": "受付"}, HTTP_AUTHORIZATION="Bearer jt_wrong")
    assert response.status_code == 401
    assert FlowStep.objects.count() == 1


@pytest.mark.parametrize("persona, reads, writes", [
    ("member", 200, None), ("viewer", 200, 403), ("secretariat", 200, 403), ("outsider", 404, 404)])
def test_routes_with_personas(client, admin_user, viewer_user, secretariat_user, outsider_user, process,
                              persona, reads, writes):
    """JSON bodies for every route (the table in tests/test_tenancy.py sends form data for POST and PUT)."""
    user = {"member": admin_user, "viewer": viewer_user, "secretariat": secretariat_user,
            "outsider": outsider_user}[persona]
    client.force_login(user)
    step = FlowStep.objects.create(process=process, order=1, lane="resident", action="申請")
    row = make_row(process)
    risk = {"vulnerability_rating": 2, "threat_rating": 2, "countermeasures": [{"text": "対策", "reduction": 1}]}
    for path in (f"/api/v1/processes/{process.pk}/flow", f"/api/v1/processes/{process.pk}/handling-rows"):
        assert client.get(path).status_code == reads
    before = db_state()
    routes = [
        ("post", f"/api/v1/processes/{process.pk}/flow", {"order": 2, "lane": "staff", "action": "受付"}, 201),
        ("patch", f"/api/v1/flow-steps/{step.pk}", {"action": "提出"}, 200),
        ("patch", f"/api/v1/handling-rows/{row.pk}", {"notes": "追記"}, 200),
        ("put", f"/api/v1/handling-rows/{row.pk}/risk", risk, 200),
        ("post", f"/api/v1/processes/{process.pk}/approve", {}, 200),
        ("post", f"/api/v1/processes/{process.pk}/handling-rows", ROW | {"row_id": "2-1"}, 201),
        ("delete", f"/api/v1/flow-steps/{step.pk}", None, 204),
        ("delete", f"/api/v1/handling-rows/{row.pk}", None, 204),
    ]
    for method, path, body, member_status in routes:
        response = send(client, method, path, body)
        assert response.status_code == (writes or member_status), (method, path, response.content[:300])
        if writes:
            assert "detail" in response.json()
    if writes:
        assert db_state() == before
    else:
        assert AuditEntry.objects.filter(via="api").count() > 6


# ---- Query budget ----

def _fill(process, n: int) -> None:
    rows = HandlingRow.objects.bulk_create(
        HandlingRow(process=process, row_id=f"1-{i}", asset_name="申請書", kind="paper", stage="use",
                    confidentiality=3, integrity=2, availability=2, asset_value=4, position=i) for i in range(n))
    risks = RiskRow.objects.bulk_create(
        RiskRow(handling_row=r, vulnerability_rating=2, threat_rating=2, total=16, residual=8) for r in rows)
    Countermeasure.objects.bulk_create(
        Countermeasure(risk_row=r, position=j, text=f"対策{j}", reduction=Decimal("0.5")) for r in risks
        for j in range(2))
    FlowStep.objects.bulk_create(FlowStep(process=process, order=i, lane="staff", action=f"手順{i}") for i in range(n))


def _queries(client, path) -> tuple[int, list]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.json()


def test_lists_run_a_fixed_number_of_queries(client_for, admin_user, process, municipality, department):
    client = client_for(admin_user)
    small = Process.objects.create(municipality=municipality, name="small", department=department)
    _fill(small, 10)
    _fill(process, 500)
    for kind, expected_queries in (("handling-rows", 6), ("flow", 5)):  # the page's queries and one COUNT
        n10, body10 = _queries(client, f"/api/v1/processes/{small.pk}/{kind}?limit=1000")
        n500, body500 = _queries(client, f"/api/v1/processes/{process.pk}/{kind}?limit=1000")
        assert (len(body10["items"]), len(body500["items"])) == (10, 500)
        assert (body10["count"], body500["count"]) == (10, 500)
        assert n10 == n500 == expected_queries, (kind, n10, n500)
    rows = client.get(f"/api/v1/processes/{process.pk}/handling-rows").json()["items"]
    assert len(rows) == 100  # the default page
    assert all(len(r["risk"]["countermeasures"]) == 2 for r in rows)


def test_openapi_lists_the_analysis_routes_and_choices(client_for, admin_user):
    document = client_for(admin_user).get("/api/v1/openapi.json").json()
    assert {"/api/v1/processes/{process_id}/flow", "/api/v1/flow-steps/{step_id}",
            "/api/v1/processes/{process_id}/handling-rows", "/api/v1/handling-rows/{row_id}",
            "/api/v1/handling-rows/{row_id}/risk", "/api/v1/processes/{process_id}/approve"} <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert schemas["FlowStepIn"]["properties"]["lane"]["enum"] == [
        "resident", "counter", "staff", "chief", "system", "contractor"]
    assert "asset_value" not in schemas["HandlingRowIn"]["properties"]
    assert "residual" not in schemas["RiskIn"]["properties"]
