"""Every route with the three personas: the municipality's member, its association's secretariat, and a
member of another municipality (the outsider, who must get 404). A new URL pattern without an entry in
ROUTES fails test_every_route_has_a_persona_test."""

import json

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from jichitai.handling.models import FlowStep, HandlingRow, ProcessTemplate
from jichitai.orgs.models import Staff
from jichitai.processes.models import Ordinance
from tests.personas import MUNICIPAL_WRITE, Route

ROUTES = {
    "home": Route("/", expect=(302, 302, 302)),
    "login": Route("/accounts/login/", expect=(200, 200, 200)),
    "logout": Route("/accounts/logout/", method="post", expect=(302, 302, 302)),
    "set_language": Route("/i18n/setlang/", method="post", data={"language": "en"}, expect=(302, 302, 302)),
    "processes:legal_basis": Route("/legal-basis/", expect=(200, 200, 200)),  # public law: everyone signed in
    "processes:matrix": Route("/m/{code}/"),
    "processes:matrix_export": Route("/m/{code}/progress.xlsx"),
    "processes:cell": Route("/m/{code}/cell/{pk}/flow/"),
    "processes:cell#post": Route("/m/{code}/cell/{pk}/flow/", method="post", data={"status": "done"},
                                 expect=(200, 403, 404)),
    "processes:process_new": Route("/m/{code}/processes/new/", expect=(200, 403, 404)),
    "processes:process_new#post": Route("/m/{code}/processes/new/", method="post",
                                        data={"name": "新しい事務", "registered_on": "2026-04-01"},
                                        expect=MUNICIPAL_WRITE),
    "processes:process": Route("/m/{code}/processes/{pk}/"),
    "processes:process_edit": Route("/m/{code}/processes/{pk}/edit/", expect=(200, 403, 404)),
    "processes:process_edit#post": Route("/m/{code}/processes/{pk}/edit/", method="post",
                                         data={"name": "改名した事務", "registered_on": "2026-04-01"},
                                         expect=MUNICIPAL_WRITE),
    "processes:ordinances": Route("/m/{code}/ordinances/"),
    "processes:ordinances#post": Route("/m/{code}/ordinances/", method="post",
                                       data={"name": "テスト市個人番号条例", "article": "第4条",
                                             "effective_on": "2016-01-01"}, expect=MUNICIPAL_WRITE),
    "exchange:import": Route("/m/{code}/import/"),
    "exchange:import#post": Route("/m/{code}/import/", method="post", data={}, expect=(200, 403, 404)),
    "orgs:staff": Route("/m/{code}/staff/"),
    "orgs:staff_new": Route("/m/{code}/staff/new/", expect=(200, 403, 404)),
    "orgs:staff_new#post": Route("/m/{code}/staff/new/", method="post",
                                      data={"staff_number": "S2", "name": "鈴木 一郎", "role": "handler"},
                                      expect=MUNICIPAL_WRITE),
    "orgs:department_new": Route("/m/{code}/departments/new/", expect=(200, 403, 404)),
    "orgs:department_new#post": Route("/m/{code}/departments/new/", method="post", data={"name": "税務課"},
                                           expect=MUNICIPAL_WRITE),
    "orgs:audit": Route("/m/{code}/audit/"),
    "handling:analysis": Route("/m/{code}/processes/{pk}/analysis/"),
    "handling:flow_svg": Route("/m/{code}/processes/{pk}/flow.svg"),
    "handling:export": Route("/m/{code}/processes/{pk}/analysis.xlsx"),
    "handling:step_new": Route("/m/{code}/processes/{pk}/steps/new/", method="post",
                               data={"order": 1, "lane": "resident", "action": "申請"}, expect=(204, 403, 404)),
    "handling:step": Route("/m/{code}/steps/{step}/?edit=1"),
    "handling:step#post": Route("/m/{code}/steps/{step}/", method="post",
                                data={"order": 2, "lane": "counter", "action": "受付"}, expect=(200, 403, 404)),
    "handling:step_delete": Route("/m/{code}/steps/{step}/delete/", method="post", expect=MUNICIPAL_WRITE),
    "handling:row_new": Route("/m/{code}/processes/{pk}/rows/new/", expect=(200, 403, 404)),
    "handling:row_new#post": Route("/m/{code}/processes/{pk}/rows/new/", method="post", data={
        "row_id": "2-1", "asset_name": "申請書", "kind": "paper", "stage": "acquire", "confidentiality": 3,
        "integrity": 2, "availability": 2}, expect=MUNICIPAL_WRITE),
    "handling:row_edit": Route("/m/{code}/rows/{row}/edit/", expect=(200, 403, 404)),
    "handling:row_delete": Route("/m/{code}/rows/{row}/delete/", method="post", expect=MUNICIPAL_WRITE),
    "handling:risk_edit": Route("/m/{code}/rows/{row}/risk/", expect=(200, 403, 404)),
    "handling:risk_edit#post": Route("/m/{code}/rows/{row}/risk/", method="post", data={
        "risk-vulnerability_rating": 2, "risk-threat_rating": 2, "cm-TOTAL_FORMS": 1, "cm-INITIAL_FORMS": 0,
        "cm-0-text": "個人スペースを作る。", "cm-0-reduction": "0.5", "cm-0-factor": "vulnerability"},
        expect=MUNICIPAL_WRITE),
    "handling:rules_draft": Route("/m/{code}/departments/{department}/rules.docx", expect=(302, 302, 404)),
    "handling:approve": Route("/m/{code}/processes/{pk}/approve/", method="post", expect=MUNICIPAL_WRITE),
    "handling:templates": Route("/a/{association}/templates/", expect=(404, 200, 404)),
    "handling:templates#post": Route("/a/{association}/templates/", method="post",
                                     data={"process": "{pk}", "name": "軽自動車税 減免"}, expect=(404, 302, 404)),
    "handling:member_templates": Route("/m/{code}/templates/"),
    "handling:template_copy": Route("/m/{code}/templates/{template}/copy/", method="post", data={"process": "{pk}"},
                                    expect=MUNICIPAL_WRITE),
    "risk:municipality": Route("/m/{code}/risk/"),
    "risk:association": Route("/a/{association}/risk/", expect=(404, 200, 404)),
    "risk:settings": Route("/a/{association}/risk/settings/", expect=(404, 200, 404)),
    "risk:settings#post": Route("/a/{association}/risk/settings/", method="post",
                                data={"asset_value_method": "max", "acceptance_level": 10}, expect=(404, 302, 404)),
    "processes:association": Route("/a/{association}/", expect=(404, 200, 404)),
    "processes:association_export": Route("/a/{association}/progress.xlsx", expect=(404, 200, 404)),
    "processes:evaluation": Route("/a/{association}/evaluation/", expect=(404, 200, 404)),
    "processes:evaluation_start": Route("/a/{association}/evaluation/start/", method="post",
                                        expect=(404, 302, 404)),
    # A list of what the user may see: the outsider gets their own (test_municipality_list_api_shows_only_visible).
    "api:list_municipalities": Route("/api/v1/municipalities", json=True, expect=(200, 200, 200)),
    "api:list_processes": Route("/api/v1/municipalities/{code}/processes", json=True),
    "api:get_progress": Route("/api/v1/municipalities/{code}/progress", json=True),
    "api:list_progress_rows": Route("/api/v1/municipalities/{code}/progress/rows", json=True),
    "api:get_process": Route("/api/v1/processes/{pk}", json=True),
    "api:set_progress": Route("/api/v1/processes/{pk}/progress", method="patch", json=True,
                              data={"column": "業務フロー", "status": "done"}, expect=(200, 403, 404)),
    # Analysis API (approve answers 400 to the member: the test's handling row has no risk analysis yet).
    "api:list_flow_steps": Route("/api/v1/processes/{pk}/flow", json=True),
    "api:create_flow_step": Route("/api/v1/processes/{pk}/flow", method="post", json=True,
                                  data={"order": 2, "lane": "counter", "action": "受付"}, expect=(201, 403, 404)),
    "api:update_flow_step": Route("/api/v1/flow-steps/{step}", method="patch", json=True, data={"action": "受付"},
                                  expect=(200, 403, 404)),
    "api:delete_flow_step": Route("/api/v1/flow-steps/{step}", method="delete", json=True, expect=(204, 403, 404)),
    "api:list_handling_rows": Route("/api/v1/processes/{pk}/handling-rows", json=True),
    "api:create_handling_row": Route("/api/v1/processes/{pk}/handling-rows", method="post", json=True, data={
        "row_id": "2-1", "asset_name": "申請書", "kind": "paper", "stage": "acquire", "confidentiality": 3,
        "integrity": 2, "availability": 2}, expect=(201, 403, 404)),
    "api:update_handling_row": Route("/api/v1/handling-rows/{row}", method="patch", json=True,
                                     data={"notes": "追記"}, expect=(200, 403, 404)),
    "api:delete_handling_row": Route("/api/v1/handling-rows/{row}", method="delete", json=True,
                                     expect=(204, 403, 404)),
    "api:put_risk": Route("/api/v1/handling-rows/{row}/risk", method="put", json=True, data={
        "vulnerability_rating": 2, "threat_rating": 2, "countermeasures": []}, expect=(200, 403, 404)),
    "api:approve_analysis": Route("/api/v1/processes/{pk}/approve", method="post", json=True,
                                  expect=(400, 403, 404)),
    "api:api-root": Route("/api/v1/", expect=(404, 404, 404)),  # ninja names its root; nothing is served there
    "api:openapi-json": Route("/api/v1/openapi.json", expect=(200, 200, 200)),
    "api:openapi-view": Route("/api/v1/docs", expect=(200, 200, 200)),
}


def _app_routes() -> tuple[dict, list]:
    """Each app may keep its persona table in tests/routes_<app>.py: ROUTES, and objects(...) for its ids."""
    import importlib
    import pkgutil

    import tests

    routes, builders = {}, []
    for info in pkgutil.iter_modules(tests.__path__):
        if info.name.startswith("routes_"):
            module = importlib.import_module(f"tests.{info.name}")
            routes.update(module.ROUTES)
            if hasattr(module, "objects"):
                builders.append(module.objects)
    return routes, builders


APP_ROUTES, OBJECT_BUILDERS = _app_routes()
ROUTES.update(APP_ROUTES)


def _names(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield namespace + pattern.name


def test_every_route_has_a_persona_test():
    tested = {name.split("#")[0] for name in ROUTES}
    assert set(_names(get_resolver().url_patterns)) - tested == set()


@pytest.fixture
def personas(admin_user, secretariat_user, outsider_user):
    return {"member": admin_user, "secretariat": secretariat_user, "outsider": outsider_user}


@pytest.mark.parametrize("name", sorted(ROUTES))
@pytest.mark.parametrize("persona", ["member", "secretariat", "outsider"])
def test_route_with_persona(client, personas, persona, name, municipality, process, association, department):
    Staff.objects.create(municipality=municipality, staff_number="S1", name="佐藤 花子", role="handler")
    Ordinance.objects.create(municipality=municipality, name="条例", article="第1条", effective_on="2016-01-01")
    step = FlowStep.objects.create(process=process, order=1, lane="resident", action="申請書を提出")
    row = HandlingRow.objects.create(process=process, row_id="1-2", asset_name="減免申請書", kind="paper",
                                     stage="acquire", confidentiality=3, integrity=2, availability=2, asset_value=4)
    template = ProcessTemplate.objects.create(association=association, name="ひな形", payload={"steps": [], "rows": []},
                                              published_by="secretariat")
    route = ROUTES[name]
    client.force_login(personas[persona])
    ids = {"code": municipality.code, "pk": process.pk, "association": association.pk, "step": step.pk,
           "row": row.pk, "template": template.pk, "department": department.pk}
    for build in OBJECT_BUILDERS:
        more = build(municipality=municipality, process=process, association=association, department=department)
        assert not set(more) & set(ids), f"placeholder names must be unique across route tables: {set(more) & set(ids)}"
        ids.update(more)
    path = route.path.format(**ids)
    data = {k: v.format(**ids) if isinstance(v, str) else v for k, v in route.data.items()}
    if route.json and route.method != "get":
        response = getattr(client, route.method)(path, json.dumps(data), content_type="application/json")
    else:
        response = getattr(client, route.method)(path, data)
    expected = route.expect[["member", "secretariat", "outsider"].index(persona)]
    assert response.status_code == expected, (name, persona, response.content[:300])


@pytest.mark.parametrize("path", ["/m/{code}/", "/api/v1/municipalities/{code}/progress", "/a/{association}/"])
def test_anonymous_is_sent_to_login_or_refused(client, municipality, association, path):
    response = client.get(path.format(code=municipality.code, association=association.pk))
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/")


def test_outsider_gets_404_even_for_objects_that_exist_elsewhere(client, outsider_user, process, municipality):
    client.force_login(outsider_user)
    # Same 404 for an existing process of another municipality as for one that does not exist at all.
    assert client.get(f"/api/v1/processes/{process.pk}").status_code == 404
    assert client.get("/api/v1/processes/999999").status_code == 404
    # A municipality the outsider belongs to cannot be used to reach another's process either.
    own = outsider_user.memberships.get().municipality.code
    assert client.get(f"/m/{own}/processes/{process.pk}/").status_code == 404


def test_viewer_reads_but_cannot_write(client, viewer_user, municipality, process):
    client.force_login(viewer_user)
    assert client.get(f"/m/{municipality.code}/").status_code == 200
    assert client.post(f"/m/{municipality.code}/cell/{process.pk}/flow/", {"status": "done"}).status_code == 403
    response = client.patch(f"/api/v1/processes/{process.pk}/progress",
                            json.dumps({"column": "業務フロー", "status": "done"}), content_type="application/json")
    assert response.status_code == 403


def test_municipality_list_api_shows_only_visible(client, personas, municipality, other_municipality):
    for persona, expected in (("member", [municipality.code]), ("secretariat", [municipality.code]),
                              ("outsider", [other_municipality.code])):
        client.force_login(personas[persona])
        assert [m["code"] for m in client.get("/api/v1/municipalities").json()["items"]] == expected
