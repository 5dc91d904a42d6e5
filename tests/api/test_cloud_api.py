"""The cloud API (issue 14): a municipality's business systems (costs in 千円, fiscal years as integers or 和暦) and
the association's cloud plans, readable and writable by the same people as the pages."""

import json

import pytest

from jichitai.audit.models import AuditEntry
from jichitai.cloud import services
from jichitai.cloud.models import BusinessSystem, CloudPlan
from jichitai.core.codes import with_check_digit
from jichitai.core.mynumber import my_number_check_digit
from jichitai.orgs.models import Municipality
from jichitai.orgs.token_services import create_api_token
from tests.helpers import db_state

MY_NUMBER = "12345678901" + str(my_number_check_digit("12345678901"))
SYSTEM = {"name": "住民記録システム", "category": "住基", "vendor": "A社", "contract_start_fy": "H31",
          "contract_end_fy": "令和9年度", "re_lease_years": 1, "hosting": "on_premises", "annual_cost": 12_000,
          "initial_cost": 30_000, "re_lease_annual_cost": 4_000}


def send(client, method, path, body=None, **headers):
    if method == "get":
        return client.get(path, **headers)
    return getattr(client, method)(path, json.dumps(body if body is not None else {}), content_type="application/json",
                                   **headers)


@pytest.fixture
def areas(db):
    services.load_standard_areas()


def test_member_creates_and_edits_a_system_with_costs(client_for, admin_user, municipality, areas):
    client = client_for(admin_user)
    created = send(client, "post", f"/api/v1/municipalities/{municipality.code}/systems",
                   SYSTEM | {"standard_area": "住民基本台帳"})
    assert created.status_code == 201, created.content
    data = created.json()
    assert (data["municipality"], data["contract_start_fy"], data["contract_start_fy_label"], data["contract_end_fy"],
            data["contract_end_fy_label"], data["annual_cost"], data["initial_cost"], data["re_lease_annual_cost"],
            data["standard_area"], data["hosting_label"]) == (
        municipality.code, 2019, "平成31年度", 2027, "令和9年度", 12_000, 30_000, 4_000, "住民基本台帳", "オンプレミス")
    edited = send(client, "patch", f"/api/v1/systems/{data['id']}",
                  {"contract_end_fy": 2030, "annual_cost": 9_500, "re_lease_annual_cost": None,
                   "migration_status": "in_progress"}).json()
    assert (edited["contract_end_fy"], edited["contract_end_fy_label"], edited["annual_cost"],
            edited["re_lease_annual_cost"], edited["initial_cost"], edited["migration_status_label"]) == (
        2030, "令和12年度", 9_500, None, 30_000, "移行中")
    listed = client.get(f"/api/v1/municipalities/{municipality.code}/systems").json()
    assert listed["count"] == 1
    assert [(s["name"], s["contract_end_fy"], s["annual_cost"]) for s in listed["items"]] == [
        ("住民記録システム", 2030, 9_500)]
    stored = BusinessSystem.objects.get()
    assert (stored.contract_end_fy, stored.annual_cost, stored.re_lease_annual_cost) == (2030, 9_500, None)
    entries = list(AuditEntry.objects.filter(action__startswith="business_system").order_by("id"))
    assert [(e.action, e.via) for e in entries] == [("business_system.create", "api"),
                                                    ("business_system.update", "api")]
    assert entries[1].before["annual_cost"] == 12_000 and entries[1].after["annual_cost"] == 9_500


@pytest.mark.parametrize(("changes", "status", "words"), [
    ({"contract_end_fy": "R99"}, 422, "2100年度まで"),
    ({"contract_end_fy": "あさって"}, 422, "年度として読めません"),
    ({"contract_start_fy": 1988}, 422, "1989年度から"),
    ({"annual_cost": 1_000_000_000}, 422, "999999999以下"),
    ({"annual_cost": -1}, 422, "0以上"),
    ({"re_lease_years": 11}, 422, "10以下"),
    ({"hosting": "mainframe"}, 422, "使える値"),
    ({"standard_area": "宇宙開発"}, 400, "標準化対象業務"),
    ({"contract_start_fy": 2028, "contract_end_fy": 2027}, 400, "契約"),
    ({"vendor": f"担当 {MY_NUMBER}"}, 400, "個人番号"),
])
def test_bad_systems_are_refused_in_japanese(client_for, admin_user, municipality, areas, changes, status, words):
    before = db_state()
    response = send(client_for(admin_user), "post", f"/api/v1/municipalities/{municipality.code}/systems",
                    SYSTEM | changes)
    assert response.status_code == status, response.content
    text = json.dumps(response.json(), ensure_ascii=False)
    assert words in text and MY_NUMBER not in text
    assert db_state() == before


def test_a_second_system_of_the_same_name_is_refused(client_for, admin_user, municipality):
    client = client_for(admin_user)
    assert send(client, "post", f"/api/v1/municipalities/{municipality.code}/systems", SYSTEM).status_code == 201
    response = send(client, "post", f"/api/v1/municipalities/{municipality.code}/systems", SYSTEM)
    assert response.status_code == 400 and BusinessSystem.objects.count() == 1
    assert response.json() == {"detail": ["この団体には同じ名前のシステムが既に登録されています。"]}
    other = send(client, "post", f"/api/v1/municipalities/{municipality.code}/systems", SYSTEM | {"name": "税務システム"})
    renamed = send(client, "patch", f"/api/v1/systems/{other.json()['id']}", {"name": "住民記録システム"})
    assert renamed.status_code == 400 and "同じ名前" in renamed.json()["detail"][0]
    kept = send(client, "patch", f"/api/v1/systems/{other.json()['id']}", {"name": "税務システム", "vendor": "B社"})
    assert kept.status_code == 200 and kept.json()["vendor"] == "B社"


def test_secretariat_reads_systems_but_may_not_write(client_for, secretariat_user, municipality):
    system = BusinessSystem.objects.create(municipality=municipality, name="税務システム", category="税",
                                           contract_end_fy=2028, annual_cost=7_000)
    client = client_for(secretariat_user)
    listed = client.get(f"/api/v1/municipalities/{municipality.code}/systems").json()
    assert [(s["name"], s["annual_cost"], s["contract_end_fy_label"]) for s in listed["items"]] == [
        ("税務システム", 7_000, "令和10年度")]
    before = db_state()
    assert send(client, "post", f"/api/v1/municipalities/{municipality.code}/systems", SYSTEM).status_code == 403
    assert send(client, "patch", f"/api/v1/systems/{system.pk}", {"annual_cost": 1}).status_code == 403
    assert db_state() == before


def test_outsider_gets_404_and_a_read_only_token_403(client, client_for, outsider_user, admin_user, municipality,
                                                     association):
    system = BusinessSystem.objects.create(municipality=municipality, name="税務システム", category="税",
                                           contract_end_fy=2028)
    plan = CloudPlan.objects.create(association=association, name="税クラウド", category="税", start_fy=2029)
    outsider = client_for(outsider_user)
    for method, path in (("get", f"/api/v1/municipalities/{municipality.code}/systems"),
                         ("post", f"/api/v1/municipalities/{municipality.code}/systems"),
                         ("patch", f"/api/v1/systems/{system.pk}"),
                         ("get", f"/api/v1/associations/{association.pk}/cloud-plans"),
                         ("get", f"/api/v1/cloud-plans/{plan.pk}"), ("patch", f"/api/v1/cloud-plans/{plan.pk}")):
        response = send(outsider, method, path, SYSTEM if method == "post" else {})
        assert response.status_code == 404 and "見つかりません" in response.json()["detail"], path
    client.logout()
    raw = create_api_token(actor=None, via="command", user=admin_user, read_only=True)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/municipalities/{municipality.code}/systems", **auth).status_code == 200
    before = db_state()
    for method, path in (("post", f"/api/v1/municipalities/{municipality.code}/systems"),
                         ("patch", f"/api/v1/systems/{system.pk}")):
        response = send(client, method, path, SYSTEM, **auth)
        assert response.status_code == 403 and response.json()["detail"] == "読み取り専用のAPIトークンでは変更できません。"
    assert {k: v for k, v in db_state().items() if k != "orgs.ApiToken"} == {
        k: v for k, v in before.items() if k != "orgs.ApiToken"}


RESULT = {"category": "住基", "start_fy": 2029, "members": [
    {"code": "000000", "system": "住民記録システム", "join_fy": 2029, "path": "aligned", "re_lease_years": 1,
     "phases": {"2026": ["現行システム", ""], "2027": ["再リース", "仕様作成"], "2028": ["再リース", "調達"],
                "2029": ["移行", "移行"]}}]}


@pytest.fixture
def plan(association, municipality):
    result = RESULT | {"members": [RESULT["members"][0] | {"code": municipality.code}]}
    plan = services.save_plan(actor=None, via="command", association=association, members=[municipality],
                              result=result, name="住基クラウド", category="住基", start_fy=2029,
                              destination="", kpis=[{"name": "参加団体数", "target": "3", "actual": "1"}])
    AuditEntry.objects.all().delete()
    return plan


def test_secretariat_reads_and_edits_plans(client_for, secretariat_user, plan, municipality, association):
    client = client_for(secretariat_user)
    listed = client.get(f"/api/v1/associations/{association.pk}/cloud-plans").json()
    assert listed["count"] == 1 and listed["items"][0]["name"] == "住基クラウド"
    data = client.get(f"/api/v1/cloud-plans/{plan.pk}").json()
    assert (data["category"], data["start_fy"], data["start_fy_label"], data["members"], data["kpis"]) == (
        "住基", 2029, "令和11年度", [{"code": municipality.code, "name": "テスト市"}],
        [{"name": "参加団体数", "target": "3", "actual": "1"}])
    assert data["result"] == plan.result and data["result"]["members"][0]["phases"]["2027"] == ["再リース", "仕様作成"]
    edited = send(client, "patch", f"/api/v1/cloud-plans/{plan.pk}",
                  {"name": "住基共同クラウド", "destination": "Aクラウド",
                   "kpis": [{"name": "参加団体数", "target": "3", "actual": "2"}, {"name": "経費削減率", "target": "20%"}]})
    assert edited.status_code == 200, edited.content
    assert (edited.json()["name"], edited.json()["destination"], edited.json()["kpis"]) == (
        "住基共同クラウド", "Aクラウド", [{"name": "参加団体数", "target": "3", "actual": "2"},
                                  {"name": "経費削減率", "target": "20%", "actual": ""}])
    entry = AuditEntry.objects.get(action="cloud_plan.update")
    assert entry.via == "api" and entry.before["kpis"][0]["actual"] == "1" and entry.after["name"] == "住基共同クラウド"
    assert edited.json()["result"] == plan.result  # the saved alignment is not recomputed by an edit


@pytest.mark.parametrize(("body", "status", "words"), [
    ({"kpis": [{"name": "A"}, {"name": "A"}]}, 400, "重複"),
    ({"kpis": [{"name": " "}]}, 400, "名称を入力"),
    ({"kpis": [{"name": "A", "due": "R8"}]}, 422, "受け付けません"),
    ({"kpis": [{"name": f"K{i}"} for i in range(21)]}, 400, "KPIは20件までです。"),
    ({"kpis": [{"name": "A", "target": "長" * 101}]}, 400, "目標は100文字以内"),
    ({"name": ""}, 400, "空ではいけません"),
    ({"name": None}, 422, "文字列で入力"),
    ({"start_fy": 2030}, 422, "受け付けません"),  # the saved alignment's start is not edited here
])
def test_bad_plan_edits_are_refused(client_for, secretariat_user, plan, body, status, words):
    before = db_state()
    response = send(client_for(secretariat_user), "patch", f"/api/v1/cloud-plans/{plan.pk}", body)
    assert response.status_code == status, response.content
    assert words in json.dumps(response.json(), ensure_ascii=False)
    assert db_state() == before


def test_a_member_does_not_see_plans_as_on_the_pages(client_for, admin_user, plan, association):
    client = client_for(admin_user)
    assert client.get(f"/a/{association.pk}/cloud/plans/").status_code == 404  # the page
    assert client.get(f"/api/v1/associations/{association.pk}/cloud-plans").status_code == 404
    assert client.get(f"/api/v1/cloud-plans/{plan.pk}").status_code == 404
    assert send(client, "patch", f"/api/v1/cloud-plans/{plan.pk}", {"name": "x"}).status_code == 404
    assert CloudPlan.objects.get().name == "住基クラウド"


def _more_systems(municipality, start: int, n: int) -> None:
    for i in range(start, start + n):
        BusinessSystem.objects.create(municipality=municipality, name=f"システム{i}", category="税",
                                      contract_end_fy=2027 + i % 5, annual_cost=i)


def _more_plans(association, start: int, n: int) -> None:
    for i in range(start, start + n):
        member = Municipality.objects.create(code=with_check_digit(f"{99300 + i}"), name=f"町{i}",
                                             association=association)
        plan = CloudPlan.objects.create(association=association, name=f"計画{i}", category="税", start_fy=2030,
                                        result=RESULT)
        plan.members.add(member)


@pytest.mark.parametrize(("path", "grow", "persona", "queries"), [
    # session, user, the municipality, count, page
    ("/api/v1/municipalities/{code}/systems", _more_systems, "admin_user", 5),
    ("/api/v1/municipalities/{code}/systems", _more_systems, "secretariat_user", 5),
    # session, user, the association, count, page, the members of the page's plans
    ("/api/v1/associations/{association}/cloud-plans", _more_plans, "secretariat_user", 6),
])
def test_lists_run_a_fixed_number_of_queries(client_for, request, django_assert_num_queries, municipality,
                                             association, path, grow, persona, queries):
    client = client_for(request.getfixturevalue(persona))
    url = path.format(code=municipality.code, association=association.pk)
    owner = municipality if grow is _more_systems else association
    grow(owner, 0, 1)
    with django_assert_num_queries(queries):
        small = client.get(url).json()
    grow(owner, 1, 15)
    with django_assert_num_queries(queries):
        large = client.get(url).json()
    assert (small["count"], large["count"], len(large["items"])) == (1, 16, 16)
