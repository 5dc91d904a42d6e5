"""Fictional training records for the demo: the association's joint statutory sessions over the last 14 months,
plans for most members, and attendance giving a realistic mix of trained, soon lapsing and untrained people."""

import datetime as dt
import random

from django.db import transaction

from jichitai.audit.services import record
from jichitai.core.wareki import fiscal_year
from jichitai.orgs.models import Staff

from . import rules, services
from .models import Course

# Days before `today` of the joint sessions per course. Sessions 335–345 days ago make people lapse within
# the next few weeks with the default 12-month window; 380+ days ago have already lapsed.
SESSION_AGES = {"①-②": (425, 343, 200, 60), "①-①": (400, 340, 150), "⑥": (380, 335, 120, 25), "②": (240,)}
PLACES = ("振興協会 研修室", "県市町村会館 大会議室", "オンライン（LGWAN）")
# Share of people per profile: trained recently, lapsing soon, lapsed, never trained.
PROFILES = (("recent", 0.66), ("lapsing", 0.12), ("lapsed", 0.12), ("never", 0.10))
PLANNED_MONTHS = {"①-①": 6, "①-②": 5, "⑥": 10, "②": 7}


def _profile(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for name, share in PROFILES:
        total += share
        if roll < total:
            return name
    return PROFILES[-1][0]


def _fits(profile: str, age: int) -> bool:
    if profile == "recent":
        return age <= 300
    if profile == "lapsing":
        return 330 <= age <= 345
    return age >= 380  # lapsed


@transaction.atomic
def populate(association, municipalities, today: dt.date, rng: random.Random) -> dict:
    """Load the curriculum and create sessions, plans and attendance. Assumes handlers and protection
    officers are assigned to processes (the caller creates the ProcessAssignment rows)."""
    services.load_curriculum()
    courses = {c.code: c for c in Course.objects.filter(association__isnull=True, municipality__isnull=True,
                                                          code__in=SESSION_AGES)}
    members = list(municipalities)
    sessions = []
    for code, ages in SESSION_AGES.items():
        for age in ages:
            taking_part = [m for m in members if rng.random() < 0.85] or members[:1]
            recent = age == min(ages)
            session = services.save_session(
                actor=None, via="demo", organiser_association=association, participants=taking_part,
                course=courses[code], held_on=today - dt.timedelta(days=age), place=rng.choice(PLACES),
                has_test=True, has_survey=not (recent and code == "⑥"))  # one session lacks a survey: a record gap
            sessions.append((session, age, {m.pk for m in taking_part}))
    without_plan = set(rng.sample([m.pk for m in members], k=len(members) // 8)) if len(members) > 1 else set()
    year = fiscal_year(today)
    planned = [courses[code] for code in PLANNED_MONTHS]
    for member in members:
        if member.pk in without_plan:
            continue
        plan = services.create_plan(actor=None, via="demo", municipality=member, fiscal_year=year, courses=planned)
        for item in plan.items.select_related("plan", "course"):
            services.save_plan_item(actor=None, via="demo", plan=plan, item=item,
                                    planned_month=PLANNED_MONTHS[item.course.code])
    attendance = _attendance(rng, members, sessions)
    # One sheet per session and member, as each member records its people's attendance.
    by_sheet: dict[tuple, list[dict]] = {}
    for session, person, values in attendance:
        by_sheet.setdefault((session, person.municipality), []).append({"staff": person, **values})
    for (session, municipality), entries in by_sheet.items():
        services.mark_attendance(actor=None, via="demo", session=session, municipality=municipality, entries=entries)
    summary = {"sessions": len(sessions), "plans": len(members) - len(without_plan), "attendance": len(attendance)}
    record(actor=None, via="demo", action="training.demo", obj=association, association=association,
           after=summary)
    return summary


def _attendance(rng: random.Random, members, sessions) -> list[tuple]:
    """(session, person, attendance values) for everyone who attended, drawn to the profiles' shares."""
    people = (Staff.objects.filter(municipality__in=members, role__in=rules.MUST_TRAIN_ROLES)
              .select_related("municipality").order_by("pk"))
    rows = []
    for person in people:
        profile = _profile(rng)
        if profile == "never":
            continue
        mine = [(s, age) for s, age, ids in sessions
                if person.municipality_id in ids and person.role in s.course.audience]
        statutory = [(s, age) for s, age in mine if s.course.statutory and _fits(profile, age)]
        if not statutory:
            continue
        chosen = {rng.choice(statutory)[0]}
        # Many also attended an older session, and some the non-statutory 業務フロー作成演習.
        older = [s for s, age in mine if s.course.statutory and age > max(a for x, a in mine if x in chosen)]
        if older and rng.random() < 0.5:
            chosen.add(rng.choice(older))
        chosen |= {s for s, age in mine if not s.course.statutory and rng.random() < 0.3}
        for session in chosen:
            # A few scores of the most recent sessions are not entered yet.
            score = None if rng.random() < 0.04 else rng.randint(55, 100)
            rows.append((session, person, {"attended": True, "test_score": score,
                                           "survey_submitted": session.has_survey and rng.random() < 0.95}))
    return rows
