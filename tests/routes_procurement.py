"""Persona table of the procurement-timing board (cloud.procurement_views), merged by tests/test_tenancy.py."""

from jichitai.cloud.models import BusinessSystem
from tests.personas import Route

ASSOCIATION_PAGE = (404, 200, 404)  # the secretariat's board; members and outsiders never see it

ROUTES = {
    "cloud:timeline": Route("/a/{association}/cloud/timeline/?category=住基&member={code}&as_of=H30",
                            expect=ASSOCIATION_PAGE),
    "cloud:timeline_export": Route("/a/{association}/cloud/timeline.xlsx?as_of=H30", expect=ASSOCIATION_PAGE),
}


def objects(municipality, process, association, department) -> dict:
    BusinessSystem.objects.create(municipality=municipality, name="住基ネット", category="住基",
                                  contract_end_fy=2020)
    return {}
