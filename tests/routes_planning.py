"""Persona table of the planning app (merged by tests/test_tenancy.py).

Association pages: the member (admin of a member municipality) reads published workshops, the secretariat
reads everything, the outsider (another association's member) gets 404. Writes belong to the secretariat:
the member reads the association, so a write is refused with 403 rather than hidden.
"""

from jichitai.planning.models import ActionItem, Issue, Workshop
from tests.personas import Route

SECRETARIAT_WRITE = (403, 302, 404)

ROUTES = {
    "planning:workshops": Route("/a/{association}/workshops/"),
    "planning:workshops#post": Route("/a/{association}/workshops/", method="post",
                                     data={"name": "第2回課題分析", "held_on": "2026-05-01"}, expect=SECRETARIAT_WRITE),
    "planning:workshop": Route("/a/{association}/workshops/{workshop}/"),
    "planning:workshop#post": Route("/a/{association}/workshops/{workshop}/", method="post",
                                    data={"participant": "A市 佐藤", "s-{issue}-0": "4.5"}, expect=SECRETARIAT_WRITE),
    "planning:plan": Route("/a/{association}/workshops/{workshop}/plan/"),
    "planning:plan#post": Route("/a/{association}/workshops/{workshop}/plan/", method="post",
                                data={"issue": "{issue}", "fiscal_year": 2026, "half": "first", "text": "研修計画の策定",
                                      "status": "not_started"}, expect=SECRETARIAT_WRITE),
    "planning:plan_export": Route("/a/{association}/workshops/{workshop}/plan.xlsx"),
}


def objects(municipality, process, association, department) -> dict:
    workshop = Workshop.objects.create(association=association, name="課題分析", published=True)
    issue = Issue.objects.create(workshop=workshop, position=1, title="規程類の整理")
    ActionItem.objects.create(issue=issue, fiscal_year=2026, half="first", text="規程の見直し")
    return {"workshop": workshop.pk, "issue": issue.pk}
