"""Persona table of the edit and retire pages of training, planning and cloud (merged by tests/test_tenancy.py).

Municipal pages: the member writes, the secretariat reads only (403), the outsider gets 404. Association pages of
training and cloud are the secretariat's alone (members 404); planning's are read by members, so a member asking
to write gets 403.
"""

import datetime as dt

from jichitai.cloud.models import CloudPlan
from jichitai.planning.models import ActionItem, Issue, Score, Workshop
from jichitai.training import services
from jichitai.training.models import Course, PlanItem, TrainingPlan
from tests.personas import MUNICIPAL_WRITE, Route

FORM_PAGE = (200, 403, 404)
SECRETARIAT_PAGE = (404, 200, 404)
SECRETARIAT_POST = (404, 302, 404)
PLANNING_PAGE = (403, 200, 404)
PLANNING_POST = (403, 302, 404)
COURSE = {"code": "独自9", "title": "改めた研修", "hours": "2", "audience": "handler"}
WS = "/a/{association}/workshops/{edit_workshop}"

ROUTES = {
    # training: a municipality's own courses
    "training:course_edit": Route("/m/{code}/training/courses/{own_course}/edit/", expect=FORM_PAGE),
    "training:course_edit#post": Route("/m/{code}/training/courses/{own_course}/edit/", method="post", data=COURSE,
                                       expect=MUNICIPAL_WRITE),
    "training:course_retire": Route("/m/{code}/training/courses/{own_course}/retire/", expect=FORM_PAGE),
    "training:course_retire#post": Route("/m/{code}/training/courses/{own_course}/retire/", method="post",
                                         data={"retired_on": "R8.4.1"}, expect=MUNICIPAL_WRITE),
    "training:course_reactivate": Route("/m/{code}/training/courses/{own_course}/reactivate/", method="post",
                                        expect=MUNICIPAL_WRITE),
    "training:course_delete": Route("/m/{code}/training/courses/{spare_course}/delete/", method="post",
                                    expect=MUNICIPAL_WRITE),
    # training: an association's own courses
    "training:association_course_edit": Route("/a/{association}/training/courses/{association_course}/edit/",
                                              expect=SECRETARIAT_PAGE),
    "training:association_course_edit#post": Route(
        "/a/{association}/training/courses/{association_course}/edit/", method="post", data=COURSE,
        expect=SECRETARIAT_POST),
    "training:association_course_retire": Route("/a/{association}/training/courses/{association_course}/retire/",
                                                expect=SECRETARIAT_PAGE),
    "training:association_course_retire#post": Route(
        "/a/{association}/training/courses/{association_course}/retire/", method="post", expect=SECRETARIAT_POST),
    "training:association_course_reactivate": Route(
        "/a/{association}/training/courses/{association_course}/reactivate/", method="post",
        expect=SECRETARIAT_POST),
    "training:association_course_delete": Route(
        "/a/{association}/training/courses/{association_course}/delete/", method="post", expect=SECRETARIAT_POST),
    # training: plan items
    "training:plan_item_retire": Route("/m/{code}/training/plan-items/{edit_item}/retire/", method="post",
                                       data={"retired_on": "令和2年5月1日"}, expect=MUNICIPAL_WRITE),
    "training:plan_item_reactivate": Route("/m/{code}/training/plan-items/{edit_item}/reactivate/", method="post",
                                           expect=MUNICIPAL_WRITE),
    # planning
    "planning:workshop_edit": Route(WS + "/edit/", expect=PLANNING_PAGE),
    "planning:workshop_edit#post": Route(WS + "/edit/", method="post",
                                         data={"name": "改めた課題分析", "held_on": "R8.5.1", "published": "on"},
                                         expect=PLANNING_POST),
    "planning:criteria": Route(WS + "/criteria/", expect=PLANNING_PAGE),
    "planning:criteria#post": Route(WS + "/criteria/", method="post", data={
        "was_0": "影響性", "name_0": "影響性", "weight_0": "2", "was_1": "法令準拠", "name_1": "法令準拠",
        "weight_1": "1", "was_2": "容易性", "name_2": "容易性", "weight_2": "1", "retired_2": "on"},
        expect=PLANNING_POST),
    "planning:issue_new": Route(WS + "/issues/new/", expect=PLANNING_PAGE),
    "planning:issue_new#post": Route(WS + "/issues/new/", method="post", data={"title": "新しい課題"},
                                     expect=PLANNING_POST),
    "planning:issue_edit": Route(WS + "/issues/{edit_issue}/", expect=PLANNING_PAGE),
    "planning:issue_edit#post": Route(WS + "/issues/{edit_issue}/", method="post",
                                      data={"title": "改めた課題", "position": "2"}, expect=PLANNING_POST),
    "planning:issue_retire": Route(WS + "/issues/{edit_issue}/retire/", method="post", expect=PLANNING_POST),
    "planning:issue_reactivate": Route(WS + "/issues/{edit_issue}/reactivate/", method="post",
                                       expect=PLANNING_POST),
    "planning:issue_delete": Route(WS + "/issues/{spare_issue}/delete/", method="post", expect=PLANNING_POST),
    "planning:action_edit": Route(WS + "/actions/{edit_action}/", expect=PLANNING_PAGE),
    "planning:action_edit#post": Route(WS + "/actions/{edit_action}/", method="post", data={
        "issue": "{edit_issue}", "fiscal_year": "2026", "half": "second", "text": "規程の改定",
        "status": "in_progress"}, expect=PLANNING_POST),
    "planning:action_done": Route(WS + "/actions/{edit_action}/done/", method="post", expect=PLANNING_POST),
    "planning:action_retire": Route(WS + "/actions/{edit_action}/retire/", method="post", expect=PLANNING_POST),
    "planning:action_reactivate": Route(WS + "/actions/{edit_action}/reactivate/", method="post",
                                        expect=PLANNING_POST),
    # cloud
    "cloud:kpis": Route("/a/{association}/cloud/plans/{kpi_plan}/kpis/", expect=SECRETARIAT_PAGE),
    "cloud:kpis#post": Route("/a/{association}/cloud/plans/{kpi_plan}/kpis/", method="post", data={
        "name_0": "参加団体数", "target_0": "5", "actual_0": "3", "name_1": "移行済み業務", "target_1": "20"},
        expect=SECRETARIAT_POST),
}


def objects(municipality, process, association, department) -> dict:
    services.load_curriculum()
    shipped = Course.objects.get(code="①-②", association__isnull=True, municipality__isnull=True)
    own = Course.objects.create(municipality=municipality, code="独自8", title="庁内研修", audience=["handler"])
    spare = Course.objects.create(municipality=municipality, code="独自7", title="使われない研修")
    joint = Course.objects.create(association=association, code="協8", title="協議会研修")
    plan = TrainingPlan.objects.create(municipality=municipality, fiscal_year=2021)
    item = PlanItem.objects.create(plan=plan, course=shipped, planned_month=6)
    workshop = Workshop.objects.create(association=association, name="編集する課題分析", published=True,
                                       held_on=dt.date(2026, 5, 1))
    issue = Issue.objects.create(workshop=workshop, position=1, title="規程類の整理")
    spare_issue = Issue.objects.create(workshop=workshop, position=2, title="誰も採点していない課題")
    Score.objects.create(issue=issue, participant="A市 佐藤", criterion="影響性", value=4)
    action = ActionItem.objects.create(issue=issue, fiscal_year=2026, half="first", text="規程の見直し")
    kpi_plan = CloudPlan.objects.create(association=association, name="住基クラウド", category="住基", start_fy=2029,
                                        kpis=[{"name": "参加団体数", "target": "5", "actual": ""}],
                                        result={"category": "住基", "start_fy": 2029, "members": []})
    return {"own_course": own.pk, "spare_course": spare.pk, "association_course": joint.pk, "edit_item": item.pk,
            "edit_workshop": workshop.pk, "edit_issue": issue.pk, "spare_issue": spare_issue.pk,
            "edit_action": action.pk, "kpi_plan": kpi_plan.pk}
