"""Persona table of the training app (merged by tests/test_tenancy.py)."""

import datetime as dt

from django.utils import timezone

from jichitai.core.wareki import fiscal_year
from jichitai.orgs.models import Staff
from jichitai.processes.models import ProcessAssignment
from jichitai.training import services
from jichitai.training.models import Course, PlanItem, TrainingPlan
from tests.personas import MUNICIPAL_WRITE, Route

ASSOCIATION_PAGE = (404, 200, 404)
ASSOCIATION_WRITE = (404, 302, 404)
FORM_PAGE = (200, 403, 404)

ROUTES = {
    "training:dashboard": Route("/m/{code}/training/"),
    "training:status_export": Route("/m/{code}/training/status.xlsx", data={"list": "untrained"}),
    "training:sessions": Route("/m/{code}/training/sessions/"),
    "training:sessions_export": Route("/m/{code}/training/sessions.xlsx"),
    "training:session_new": Route("/m/{code}/training/sessions/new/", expect=FORM_PAGE),
    "training:session_new#post": Route("/m/{code}/training/sessions/new/", method="post", data={
        "course": "{course}", "held_on": "2026-01-15", "place": "本庁舎 会議室", "has_test": "on"},
        expect=MUNICIPAL_WRITE),
    "training:session_edit": Route("/m/{code}/training/sessions/{session}/edit/", expect=FORM_PAGE),
    "training:session_edit#post": Route("/m/{code}/training/sessions/{session}/edit/", method="post", data={
        "course": "{course}", "held_on": "2026-01-16", "place": "別館"}, expect=MUNICIPAL_WRITE),
    "training:attendance": Route("/m/{code}/training/sessions/{joint}/attendance/"),
    "training:attendance#post": Route("/m/{code}/training/sessions/{joint}/attendance/", method="post",
                                      expect=MUNICIPAL_WRITE),
    "training:courses": Route("/m/{code}/training/courses/"),
    "training:courses#post": Route("/m/{code}/training/courses/", method="post", data={
        "code": "独自1", "title": "庁内 個人番号取扱研修", "hours": "1.5", "audience": "handler"},
        expect=MUNICIPAL_WRITE),
    "training:plan": Route("/m/{code}/training/plans/{fy}/"),
    "training:plan#post": Route("/m/{code}/training/plans/{fy}/", method="post", expect=MUNICIPAL_WRITE),
    "training:plan_item_new": Route("/m/{code}/training/plans/{plan_year}/items/new/", expect=FORM_PAGE),
    "training:plan_item_new#post": Route("/m/{code}/training/plans/{plan_year}/items/new/", method="post",
                                         data={"course": "{course}", "planned_month": "6"}, expect=MUNICIPAL_WRITE),
    "training:plan_item_edit": Route("/m/{code}/training/plan-items/{item}/", expect=FORM_PAGE),
    "training:plan_item_edit#post": Route("/m/{code}/training/plan-items/{item}/", method="post",
                                          data={"course": "{course}", "planned_month": "7"}, expect=MUNICIPAL_WRITE),
    "training:plan_item_delete": Route("/m/{code}/training/plan-items/{item}/delete/", method="post",
                                       expect=MUNICIPAL_WRITE),
    "training:association": Route("/a/{association}/training/", expect=ASSOCIATION_PAGE),
    "training:association_course_new": Route("/a/{association}/training/courses/new/", expect=ASSOCIATION_PAGE),
    "training:association_course_new#post": Route("/a/{association}/training/courses/new/", method="post", data={
        "code": "協1", "title": "協議会 独自研修", "hours": "2", "audience": "protection_officer"},
        expect=ASSOCIATION_WRITE),
    "training:joint_session_new": Route("/a/{association}/training/sessions/new/", expect=ASSOCIATION_PAGE),
    "training:joint_session_new#post": Route("/a/{association}/training/sessions/new/", method="post", data={
        "course": "{course}", "held_on": "2026-02-01", "participants": "{municipality_id}", "has_test": "on"},
        expect=ASSOCIATION_WRITE),
    "training:joint_session_edit": Route("/a/{association}/training/sessions/{joint}/edit/", expect=ASSOCIATION_PAGE),
    "training:joint_session_edit#post": Route("/a/{association}/training/sessions/{joint}/edit/", method="post", data={
        "course": "{course}", "held_on": "2026-02-02", "participants": "{municipality_id}"},
        expect=ASSOCIATION_WRITE),
    "training:settings": Route("/a/{association}/training/settings/", expect=ASSOCIATION_PAGE),
    "training:settings#post": Route("/a/{association}/training/settings/", method="post",
                                    data={"window_months": 12, "due_soon_days": 30}, expect=ASSOCIATION_WRITE),
}

PLAN_YEAR = 2020


def objects(municipality, process, association, department) -> dict:
    services.load_curriculum()
    course = Course.objects.get(code="①-②", association__isnull=True, municipality__isnull=True)
    person = Staff.objects.create(municipality=municipality, department=department, staff_number="T1",
                                  name="研修 太郎", role="handler")
    ProcessAssignment.objects.create(process=process, staff=person, assigned_on=dt.date(2025, 4, 1))
    own = services.save_session(actor=None, via="command", organiser_municipality=municipality, course=course,
                                held_on=dt.date(2025, 6, 1), place="本庁舎")
    joint = services.save_session(actor=None, via="command", organiser_association=association,
                                  participants=[municipality], course=course, held_on=dt.date(2025, 7, 1))
    plan = TrainingPlan.objects.create(municipality=municipality, fiscal_year=PLAN_YEAR)
    item = PlanItem.objects.create(plan=plan, course=course, roles=["handler"], planned_month=5)
    return {"course": course.pk, "session": own.pk, "joint": joint.pk, "item": item.pk, "plan_year": PLAN_YEAR,
            "fy": fiscal_year(timezone.localdate()), "municipality_id": municipality.pk}
