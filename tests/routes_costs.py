"""Persona table of a cloud plan's 経費比較 (merged by tests/test_tenancy.py): association pages, as the plan's own —
the member's admin does not see them (404), the secretariat reads and writes, the outsider gets 404. The plan is
routes_cloud's {cloud_plan}."""

from jichitai.cloud.models import CloudPlan
from tests.personas import Route

ASSOCIATION_PAGE = (404, 200, 404)
ASSOCIATION_WRITE = (404, 302, 404)
COSTS = {"joint_initial_cost": "3000", "joint_annual_cost": "12000", "share_rule": "mixed",
         "equal_share_percent": "40", "cost_years": "5"}

ROUTES = {
    "cloud:plan_costs": Route("/a/{association}/cloud/plans/{cloud_plan}/costs/", expect=ASSOCIATION_PAGE),
    "cloud:plan_costs#post": Route("/a/{association}/cloud/plans/{cloud_plan}/costs/", method="post", data=COSTS,
                                   expect=ASSOCIATION_WRITE),
    "cloud:plan_costs_export": Route("/a/{association}/cloud/plans/{cloud_plan}/costs.xlsx",
                                     expect=ASSOCIATION_PAGE),
}


def objects(municipality, process, association, department) -> dict:
    """Gives the plan of routes_cloud ({cloud_plan}, the one placeholder tests/test_exports.py fills too) costs to
    show: an estimate, a snapshot of the member's system with its costs, a join year and a population."""
    municipality.population = 30000
    municipality.save(update_fields=["population"])
    CloudPlan.objects.filter(association=association).update(
        joint_initial_cost=2000, joint_annual_cost=9000, share_rule="mixed", equal_share_percent=40,
        result={"category": "税", "start_fy": 2029, "members": [
            {"code": municipality.code, "system": "税務システム", "join_fy": 2029, "path": "aligned",
             "re_lease_years": 1, "phases": {}}]},
        inventory=[{"code": municipality.code, "name": "税務システム", "category": "税", "contract_end_fy": 2027,
                    "re_lease_years": 2, "early_termination": False, "hosting": "on_premises", "annual_cost": 8000,
                    "initial_cost": 30000, "re_lease_annual_cost": 2500}])
    return {}
