"""Persona table of the planning and cloud API (merged by tests/test_tenancy.py).

Planning follows its pages (tests/routes_planning.py): the member (admin of a member municipality) reads the
association's published workshops and gets 403 on a write, the secretariat reads and writes, the outsider gets
404. Systems follow the inventory and its form (tests/routes_cloud.py): the member writes, the secretariat reads
and gets 403 on a write. Cloud plans are the secretariat's pages: the member gets 404 there as here.
"""

from jichitai.cloud.models import BusinessSystem, CloudPlan
from jichitai.planning.models import ActionItem, Issue, Workshop
from tests.personas import Route

SECRETARIAT_WRITE = (403, 200, 404)
SECRETARIAT_ONLY = (404, 200, 404)
MUNICIPAL_API_WRITE = (200, 403, 404)
RESULT = {"category": "住基", "start_fy": 2029, "members": [
    {"code": "placeholder", "system": "住民記録システム", "join_fy": 2029, "path": "aligned", "re_lease_years": 1,
     "phases": {"2027": ["再リース", "仕様作成"], "2028": ["再リース", "調達"], "2029": ["本稼動", ""]}}]}

ROUTES = {
    "api:list_workshops": Route("/api/v1/associations/{association}/workshops", json=True),
    "api:get_workshop": Route("/api/v1/workshops/{api_workshop}", json=True),
    "api:list_action_items": Route("/api/v1/workshops/{api_workshop}/actions", json=True),
    "api:create_action_item": Route("/api/v1/workshops/{api_workshop}/actions", method="post", json=True,
                                    data={"issue_id": "{api_issue}", "fiscal_year": "R8", "half": "first",
                                          "text": "研修計画の策定", "owner": "事務局"}, expect=(403, 201, 404)),
    "api:update_action_item": Route("/api/v1/actions/{api_action}", method="patch", json=True,
                                    data={"fiscal_year": "令和9年度", "half": "second", "status": "in_progress"},
                                    expect=SECRETARIAT_WRITE),
    "api:retire_action_item": Route("/api/v1/actions/{api_action}/retire", method="post", json=True,
                                    data={"retired_on": "R8.6.1"}, expect=SECRETARIAT_WRITE),
    "api:reactivate_action_item": Route("/api/v1/actions/{api_action}/reactivate", method="post", json=True,
                                        expect=SECRETARIAT_WRITE),
    "api:list_systems": Route("/api/v1/municipalities/{code}/systems", json=True),
    "api:create_system": Route("/api/v1/municipalities/{code}/systems", method="post", json=True,
                               data={"name": "住民記録システム", "category": "住基", "contract_end_fy": "R9",
                                     "annual_cost": 12000, "re_lease_annual_cost": 3000},
                               expect=(201, 403, 404)),
    "api:update_system": Route("/api/v1/systems/{api_system}", method="patch", json=True,
                               data={"contract_end_fy": 2030, "annual_cost": 8000}, expect=MUNICIPAL_API_WRITE),
    "api:list_cloud_plans": Route("/api/v1/associations/{association}/cloud-plans", json=True,
                                  expect=SECRETARIAT_ONLY),
    "api:get_cloud_plan": Route("/api/v1/cloud-plans/{api_plan}", json=True, expect=SECRETARIAT_ONLY),
    "api:update_cloud_plan": Route("/api/v1/cloud-plans/{api_plan}", method="patch", json=True,
                                   data={"destination": "Aクラウド", "kpis": [{"name": "移行団体数", "target": "5"}]},
                                   expect=SECRETARIAT_ONLY),
}


def objects(municipality, process, association, department) -> dict:
    workshop = Workshop.objects.create(association=association, name="API課題分析", published=True)
    issue = Issue.objects.create(workshop=workshop, position=1, title="委託先管理")
    action = ActionItem.objects.create(issue=issue, fiscal_year=2026, half="first", text="委託契約の点検")
    system = BusinessSystem.objects.create(municipality=municipality, name="介護保険システム", category="介護保険",
                                           contract_end_fy=2027, annual_cost=5000)
    plan = CloudPlan.objects.create(association=association, name="介護クラウド", category="介護保険",
                                    start_fy=2029, result=RESULT | {"members": [
                                        RESULT["members"][0] | {"code": municipality.code}]})
    plan.members.add(municipality)
    return {"api_workshop": workshop.pk, "api_issue": issue.pk, "api_action": action.pk, "api_system": system.pk,
            "api_plan": plan.pk}
