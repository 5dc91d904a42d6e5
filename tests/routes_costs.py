"""Persona table of a cloud plan's 経費比較 (merged by tests/test_tenancy.py): association pages, as the plan's own —
the member's admin does not see them (404), the secretariat reads and writes, the outsider gets 404."""

from jichitai.cloud.models import CloudPlan
from tests.personas import Route

ASSOCIATION_PAGE = (404, 200, 404)
ASSOCIATION_WRITE = (404, 302, 404)
COSTS = {"joint_initial_cost": "3000", "joint_annual_cost": "12000", "share_rule": "mixed",
         "equal_share_percent": "40", "cost_years": "5"}

ROUTES = {
    "cloud:plan_costs": Route("/a/{association}/cloud/plans/{cost_plan}/costs/", expect=ASSOCIATION_PAGE),
    "cloud:plan_costs#post": Route("/a/{association}/cloud/plans/{cost_plan}/costs/", method="post", data=COSTS,
                                   expect=ASSOCIATION_WRITE),
    "cloud:plan_costs_export": Route("/a/{association}/cloud/plans/{cost_plan}/costs.xlsx",
                                     expect=ASSOCIATION_PAGE),
}


def objects(municipality, process, association, department) -> dict:
    plan = CloudPlan.objects.create(
        association=association, name="住基クラウド", category="住基", start_fy=2029, joint_initial_cost=2000,
        joint_annual_cost=9000, result={"category": "住基", "start_fy": 2029, "members": [
            {"code": municipality.code, "system": "住民記録システム", "join_fy": 2029, "path": "aligned",
             "re_lease_years": 1, "phases": {}}]},
        inventory=[{"code": municipality.code, "name": "住民記録システム", "category": "住基", "contract_end_fy": 2027,
                    "re_lease_years": 2, "early_termination": False, "hosting": "on_premises", "annual_cost": 8000,
                    "initial_cost": 30000, "re_lease_annual_cost": 2500}])
    plan.members.add(municipality)
    return {"cost_plan": plan.pk}
