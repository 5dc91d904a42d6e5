"""Persona table of the cloud app (merged by tests/test_tenancy.py)."""

from jichitai.cloud.models import BusinessSystem, CloudPlan
from tests.personas import MUNICIPAL_WRITE, Route

ASSOCIATION_PAGE = (404, 200, 404)
ASSOCIATION_WRITE = (404, 302, 404)
FORM_PAGE = (200, 403, 404)
SYSTEM = {"name": "住民記録システム", "category": "住基", "contract_end_fy": "R9", "re_lease_years": 2,
          "hosting": "on_premises", "migration_status": "not_started"}

ROUTES = {
    "cloud:inventory": Route("/m/{code}/cloud/systems/?category=住基&sort=contract_end_fy"),
    "cloud:inventory_export": Route("/m/{code}/cloud/systems.xlsx"),
    "cloud:system_new": Route("/m/{code}/cloud/systems/new/", expect=FORM_PAGE),
    "cloud:system_new#post": Route("/m/{code}/cloud/systems/new/", method="post", data=SYSTEM, expect=MUNICIPAL_WRITE),
    "cloud:system_edit": Route("/m/{code}/cloud/systems/{cloud_system}/edit/", expect=FORM_PAGE),
    "cloud:system_edit#post": Route("/m/{code}/cloud/systems/{cloud_system}/edit/", method="post",
                                    data=SYSTEM | {"name": "税務システム", "category": "税"}, expect=MUNICIPAL_WRITE),
    "cloud:align": Route("/a/{association}/cloud/align/?category=税", expect=ASSOCIATION_PAGE),
    "cloud:align#post": Route("/a/{association}/cloud/align/", method="post",
                              data={"category": "税", "as_of_fy": "2026", "name": "税クラウド"},
                              expect=ASSOCIATION_WRITE),
    "cloud:plans": Route("/a/{association}/cloud/plans/", expect=ASSOCIATION_PAGE),
    "cloud:plan": Route("/a/{association}/cloud/plans/{cloud_plan}/", expect=ASSOCIATION_PAGE),
    "cloud:plan#post": Route("/a/{association}/cloud/plans/{cloud_plan}/", method="post",
                             data={"name": "改めた", "destination": "Aクラウド"}, expect=ASSOCIATION_WRITE),
    "cloud:plan_recompute": Route("/a/{association}/cloud/plans/{cloud_plan}/recompute/", method="post",
                                  expect=ASSOCIATION_WRITE),
    "cloud:plan_export": Route("/a/{association}/cloud/plans/{cloud_plan}.xlsx", expect=ASSOCIATION_PAGE),
    "cloud:standardisation": Route("/a/{association}/cloud/standardisation/", expect=ASSOCIATION_PAGE),
}


def objects(municipality, process, association, department) -> dict:
    system = BusinessSystem.objects.create(municipality=municipality, name="税務システム", category="税",
                                           contract_end_fy=2028)
    plan = CloudPlan.objects.create(association=association, name="税クラウド", category="税", start_fy=2029,
                                    result={"category": "税", "start_fy": 2029, "members": []})
    plan.members.add(municipality)
    return {"cloud_system": system.pk, "cloud_plan": plan.pk}
