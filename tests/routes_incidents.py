"""Persona table of the incidents app (merged by tests/test_tenancy.py)."""

import datetime as dt

from jichitai.incidents import rules
from jichitai.incidents.models import Drill, Incident, IncidentPhase, Measure
from jichitai.orgs.models import Staff
from jichitai.training import services as training_services
from jichitai.training.models import Course
from tests.personas import MUNICIPAL_WRITE, Route

ASSOCIATION_PAGE = (404, 200, 404)
ASSOCIATION_WRITE = (404, 302, 404)
FORM_PAGE = (200, 403, 404)
KNOWN = dt.datetime(2025, 10, 1, 10, 0, tzinfo=rules.TOKYO)
INCIDENT = {"title": "申請書の誤送付", "discovered_at": "2025-10-01T09:00", "known_at": "2025-10-01T10:00",
            "persons_affected": "2", "kinds": "leak"}
API_INCIDENT = {"title": "申請書の誤送付", "discovered_at": "2025-10-01T09:00:00+09:00",
                "known_at": "2025-10-01T10:00:00+09:00", "persons_affected": 2, "kinds": ["leak"]}

ROUTES = {
    "incidents:register": Route("/m/{code}/incidents/"),
    "incidents:export": Route("/m/{code}/incidents.xlsx"),
    "incidents:new": Route("/m/{code}/incidents/new/", expect=FORM_PAGE),
    "incidents:new#post": Route("/m/{code}/incidents/new/", method="post", data=INCIDENT, expect=MUNICIPAL_WRITE),
    "incidents:follow_ups": Route("/m/{code}/incidents/follow-ups/"),
    "incidents:detail": Route("/m/{code}/incidents/{incident}/"),
    "incidents:edit": Route("/m/{code}/incidents/{incident}/edit/", expect=FORM_PAGE),
    "incidents:edit#post": Route("/m/{code}/incidents/{incident}/edit/", method="post",
                                 data=INCIDENT | {"title": "改めた"}, expect=MUNICIPAL_WRITE),
    "incidents:phase_new": Route("/m/{code}/incidents/{incident}/phases/", method="post",
                                 data={"phase": "initial", "at": "2025-10-01T12:00"}, expect=MUNICIPAL_WRITE),
    "incidents:measure_new": Route("/m/{code}/incidents/{incident}/measures/", method="post",
                                   data={"text": "宛先確認を二人で行う。"}, expect=MUNICIPAL_WRITE),
    "incidents:measure_edit": Route("/m/{code}/incident-measures/{measure}/", expect=FORM_PAGE),
    "incidents:measure_edit#post": Route("/m/{code}/incident-measures/{measure}/", method="post",
                                         data={"text": "宛先確認を二人で行う。", "done": "on"}, expect=MUNICIPAL_WRITE),
    "incidents:drills": Route("/m/{code}/drills/"),
    "incidents:drill_new": Route("/m/{code}/drills/new/", expect=FORM_PAGE),
    "incidents:drill_new#post": Route("/m/{code}/drills/new/", method="post", data={
        "course": "{drill_course}", "held_on": "2025-11-01", "scenario": "標的型メール", "participants": "{drill_person}"},
        expect=MUNICIPAL_WRITE),
    "incidents:drill_edit": Route("/m/{code}/drills/{drill}/edit/", expect=FORM_PAGE),
    "incidents:drill_edit#post": Route("/m/{code}/drills/{drill}/edit/", method="post", data={
        "course": "{drill_course}", "held_on": "2025-11-02", "scenario": "改めた"}, expect=MUNICIPAL_WRITE),
    "incidents:association": Route("/a/{association}/incidents/", expect=ASSOCIATION_PAGE),
    "incidents:settings": Route("/a/{association}/incidents/settings/", expect=ASSOCIATION_PAGE),
    "incidents:settings#post": Route("/a/{association}/incidents/settings/", method="post",
                                     data={"preliminary_days": 5}, expect=ASSOCIATION_WRITE),
    "incidents:association_drill_new": Route("/a/{association}/drills/new/", expect=ASSOCIATION_PAGE),
    "incidents:association_drill_new#post": Route("/a/{association}/drills/new/", method="post", data={
        "course": "{drill_course}", "held_on": "2025-11-03", "scenario": "合同訓練", "participants": "{drill_person}"},
        expect=ASSOCIATION_WRITE),
    "incidents:association_drill_edit": Route("/a/{association}/drills/{joint_drill}/edit/", expect=ASSOCIATION_PAGE),
    "incidents:association_drill_edit#post": Route("/a/{association}/drills/{joint_drill}/edit/", method="post",
                                                   data={"course": "{drill_course}", "held_on": "2025-11-04",
                                                         "scenario": "合同訓練（改）"}, expect=ASSOCIATION_WRITE),
    "api:list_incidents": Route("/api/v1/municipalities/{code}/incidents", json=True),
    "api:create_incident": Route("/api/v1/municipalities/{code}/incidents", method="post", json=True,
                                 data=API_INCIDENT, expect=(201, 403, 404)),
    "api:get_incident": Route("/api/v1/incidents/{incident}", json=True),
    "api:update_incident": Route("/api/v1/incidents/{incident}", method="patch", json=True,
                                 data={"persons_affected": 120}, expect=(200, 403, 404)),
    "api:list_phases": Route("/api/v1/incidents/{incident}/phases", json=True),
    "api:create_phase": Route("/api/v1/incidents/{incident}/phases", method="post", json=True,
                              data={"phase": "initial", "at": "2025-10-01T12:00:00+09:00"}, expect=(201, 403, 404)),
    "api:update_phase": Route("/api/v1/incident-phases/{phase}", method="patch", json=True,
                              data={"note": "追記"}, expect=(200, 403, 404)),
    # A calculation on the caller's input: nothing of any municipality is read, so everyone signed in gets it.
    "api:incident_duty_check": Route("/api/v1/incident-duty", method="post", json=True,
                                     data={"known_at": "2025-10-01", "persons": 101}, expect=(200, 200, 200)),
}


def objects(municipality, process, association, department) -> dict:
    training_services.load_curriculum()
    course = Course.objects.get(code="⑥", association__isnull=True, municipality__isnull=True)
    person = Staff.objects.create(municipality=municipality, staff_number="D1", name="訓練 花子", role="handler")
    incident = Incident.objects.create(municipality=municipality, title="USBメモリ紛失", discovered_at=KNOWN,
                                       known_at=KNOWN, persons_affected=150, serious=True)
    phase = IncidentPhase.objects.create(incident=incident, phase="detection", at=KNOWN)
    measure = Measure.objects.create(incident=incident, text="持ち出し簿を作る。")
    drill = Drill.objects.create(municipality=municipality, course=course, held_on=dt.date(2025, 9, 1), scenario="訓練")
    joint = Drill.objects.create(association=association, course=course, held_on=dt.date(2025, 9, 2), scenario="合同")
    return {"incident": incident.pk, "phase": phase.pk, "measure": measure.pk, "drill": drill.pk,
            "joint_drill": joint.pk, "drill_course": course.pk, "drill_person": person.pk}
