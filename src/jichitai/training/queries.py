"""Read models of training, each in a fixed number of queries whatever the number of staff or members.

Tenancy: Course and Session declare theirs, so every course and session read here goes through
orgs.scoping.visible. A session belongs to its organiser and is read by the municipalities taking part:
municipal pages read `sessions_visible_to`, the secretariat's pages `association_sessions`.
"""

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet

from jichitai.core.wareki import fiscal_year
from jichitai.orgs.models import Municipality, Staff
from jichitai.orgs.queries import staff_on
from jichitai.orgs.scoping import visible
from jichitai.processes.models import ProcessAssignment

from . import rules
from .models import Attendance, Course, PlanItem, Session, TrainingPlan, TrainingSettings

# ---- settings ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EffectiveSettings:
    window_months: int
    due_soon_days: int


DEFAULTS = EffectiveSettings(rules.DEFAULT_WINDOW_MONTHS, rules.DEFAULT_DUE_SOON_DAYS)


def settings_for_association(association_id: int | None) -> EffectiveSettings:
    found = TrainingSettings.objects.filter(association_id=association_id).first() if association_id else None
    return EffectiveSettings(found.window_months, found.due_soon_days) if found else DEFAULTS


def settings_for(municipality) -> EffectiveSettings:
    return settings_for_association(municipality.association_id)


# ---- tenancy ----------------------------------------------------------------------------------------------


def courses_for_municipality(user, municipality) -> QuerySet:
    """What a municipality can schedule: the shipped curriculum, its association's courses and its own."""
    mine = Q(association__isnull=True, municipality__isnull=True) | Q(municipality=municipality)
    if municipality.association_id:
        mine |= Q(association_id=municipality.association_id)
    return visible(Course.objects.filter(mine), user).order_by("municipality", "association", "code")


def offered(courses: QuerySet, day: dt.date, keep: int | None = None) -> QuerySet:
    """The courses not retired on `day` (what a new plan item or session may choose), and `keep`, the course a
    record being edited already names, even if it was retired since."""
    return courses.filter(Q(retired_on__isnull=True) | Q(retired_on__gt=day) | Q(pk=keep))


def courses_for_association(user, association) -> QuerySet:
    """What an association can schedule: the shipped curriculum and its own courses."""
    mine = Q(association__isnull=True, municipality__isnull=True) | Q(association=association)
    return visible(Course.objects.filter(mine), user).order_by("association", "code")


def sessions_of(ids) -> QuerySet:
    """Sessions that the municipalities (ids: a list or a values("id") subquery) organise or take part in.

    Not scoped by itself: callers pass ids that came from orgs.scoping (or scope the result with visible).
    """
    taking_part = Session.participants.through.objects.filter(municipality_id__in=ids).values("session_id")
    return Session.objects.filter(Q(organiser_municipality_id__in=ids) | Q(pk__in=taking_part))


def sessions_visible_to(user, municipality=None, *, write: bool = False) -> QuerySet:
    """The sessions of `municipality` (else of every municipality the user sees) that the user may read, or
    with `write` change (only an organiser changes a session; its participants read it)."""
    municipalities = visible(Municipality.objects.all(), user)
    if municipality is not None:
        municipalities = municipalities.filter(pk=municipality.pk)
    return visible(sessions_of(municipalities.values("id")), user, write=write)


def association_sessions(user, association, *, write: bool = False) -> QuerySet:
    """Joint sessions organised by the association: its secretariat writes them."""
    return visible(Session.objects.filter(organiser_association=association), user, write=write)


# ---- who is trained ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonStatus:
    staff_id: int
    staff_number: str
    name: str
    department: str
    role: str
    municipality_id: int
    last_trained: dt.date | None
    due_on: dt.date | None
    status: str
    days_overdue: int | None
    days_left: int | None

    @property
    def role_label(self) -> str:
        return str(dict(Staff.Role.choices).get(self.role, self.role))

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABEL[self.status]


def must_train(ids, as_of: dt.date) -> QuerySet:
    """Staff in office on `as_of`, assigned to any process then, whose role that day must be trained (施行令 第32条).
    Their role and department are those of that day (orgs.queries.staff_on: role_on, department_on_name)."""
    assigned = ProcessAssignment.objects.filter(staff=OuterRef("pk"), assigned_on__lte=as_of)
    return staff_on(ids, as_of).filter(Exists(assigned), role_on__in=rules.MUST_TRAIN_ROLES)


def training_status(ids, as_of: dt.date) -> list[PersonStatus]:
    """Every person who must be trained, with their standing on `as_of`. Three queries for any number of people.

    `ids`: municipality ids (a list or a subquery from orgs.scoping). Each member uses its association's
    settings.
    """
    people = list(must_train(ids, as_of).order_by("municipality_id", "staff_number").values_list(
        "id", "staff_number", "name", "department_on_name", "role_on", "municipality_id", "municipality__association_id"))
    last = dict(Attendance.objects.filter(
        staff__municipality_id__in=ids, attended=True, session__course__statutory=True, session__held_on__lte=as_of,
    ).order_by().values_list("staff_id").annotate(last=Max("session__held_on")).values_list("staff_id", "last"))
    settings = {a: EffectiveSettings(w, d) for a, w, d in TrainingSettings.objects.filter(
        association__members__id__in=ids).values_list("association_id", "window_months", "due_soon_days")}
    result = []
    for staff_id, number, name, department, role, municipality_id, association_id in people:
        effective = settings.get(association_id, DEFAULTS)
        dates = [last[staff_id]] if staff_id in last else []
        s = rules.standing(as_of, dates, effective.window_months, effective.due_soon_days)
        result.append(PersonStatus(staff_id, number, name, department or "", role, municipality_id, s.last_trained,
                                   s.due_on, s.status, s.days_overdue, s.days_left))
    return result


STATUS_SORTS = {
    "staff_number": lambda p: p.staff_number,
    "name": lambda p: p.name,
    "department": lambda p: (p.department, p.staff_number),
    "role": lambda p: (p.role, p.staff_number),
    # Never trained sorts as the most overdue.
    "days_overdue": lambda p: -(p.days_overdue if p.days_overdue is not None else 10**6),
    "days_left": lambda p: (p.days_left if p.days_left is not None else -1, p.staff_number),
    "last_trained": lambda p: (p.last_trained or dt.date.min, p.staff_number),
    "due_on": lambda p: (p.due_on or dt.date.min, p.staff_number),
}


def sort_people(people: list[PersonStatus], sort: str | None, default: str) -> tuple[list[PersonStatus], str]:
    """People sorted by `sort` (unknown: by `default`); ties by staff number, then id, so that a page of the sorted
    list holds the same people at every request."""
    key = sort if sort in STATUS_SORTS else default
    order = STATUS_SORTS[key]
    return sorted(people, key=lambda p: (order(p), p.staff_number, p.staff_id)), key


def member_counts(members: list[Municipality], as_of: dt.date) -> list[dict]:
    """Per member: people who must be trained, trained / due soon / untrained, and whether a plan exists."""
    ids = [m.pk for m in members]
    counts = Counter((p.municipality_id, p.status) for p in training_status(ids, as_of))
    planned = plan_exists(ids, fiscal_year(as_of))
    rows = []
    for m in members:
        row = {"municipality": m, "has_plan": m.pk in planned,
               **{status: counts[(m.pk, status)] for status in rules.STATUSES}}
        row["total"] = sum(row[s] for s in rules.STATUSES)
        rows.append(row)
    return rows


# ---- plans and records (checklist) --------------------------------------------------------------------------


def plan_exists(ids, fiscal_year: int) -> set[int]:
    """The municipalities among `ids` that have a training plan for the fiscal year. One query."""
    return set(TrainingPlan.objects.filter(municipality_id__in=ids, fiscal_year=fiscal_year)
               .values_list("municipality_id", flat=True))


def _held_sessions(course, municipality, fiscal_year: int) -> QuerySet:
    start, end = rules.fiscal_year_bounds(fiscal_year)
    return Session.objects.filter(course=course, held_on__gte=start, held_on__lte=end, participants=municipality)


def plan_item_sessions(item: PlanItem) -> QuerySet:
    """The sessions that carried a plan item out: its course, held in the plan's fiscal year with the plan's
    municipality taking part. Not scoped: callers hold an item they resolved through orgs.scoping."""
    return _held_sessions(item.course_id, item.plan.municipality_id, item.plan.fiscal_year)


def plan_of(user, municipality, fiscal_year: int) -> TrainingPlan | None:
    """The plan with its items, each annotated `held` (a session carried it out, so it is retired, not deleted)."""
    items = (PlanItem.objects.select_related("course")
             .annotate(held=Exists(_held_sessions(OuterRef("course_id"), municipality.pk, fiscal_year)))
             .order_by("planned_on", "planned_month", "course__code", "id"))
    return (visible(TrainingPlan.objects.filter(municipality=municipality, fiscal_year=fiscal_year), user)
            .prefetch_related(Prefetch("items", queryset=items)).first())


@dataclass(frozen=True)
class RecordGap:
    """A held session of the fiscal year whose records (test, survey, attendance) are incomplete."""

    session: Session
    attended: int
    missing_scores: int
    missing_surveys: int

    @property
    def reasons(self) -> list[str]:
        reasons = []
        if not self.session.has_test:
            reasons.append("テストなし")
        elif self.missing_scores:
            reasons.append(f"点数未記録 {self.missing_scores}名")
        if not self.session.has_survey:
            reasons.append("アンケートなし")
        elif self.missing_surveys:
            reasons.append(f"アンケート未提出 {self.missing_surveys}名")
        if not self.attended:
            reasons.append("受講記録なし")
        return reasons


def sessions_missing_records(ids, as_of: dt.date) -> list[RecordGap]:
    """Sessions held in the fiscal year of `as_of` (up to that day) lacking test/survey/attendance records,
    counting only the attendance of staff of the given municipalities. One query."""
    start, _end = rules.fiscal_year_bounds(fiscal_year(as_of))
    mine = Q(attendances__attended=True, attendances__staff__municipality_id__in=ids)
    sessions = (sessions_of(ids).filter(held_on__gte=start, held_on__lte=as_of).select_related("course")
                .annotate(n_attended=Count("attendances", filter=mine),
                          n_no_score=Count("attendances", filter=mine & Q(attendances__test_score__isnull=True)),
                          n_no_survey=Count("attendances", filter=mine & Q(attendances__survey_submitted=False)))
                .order_by("held_on", "id"))
    gaps = [RecordGap(s, s.n_attended, s.n_no_score if s.has_test else 0, s.n_no_survey if s.has_survey else 0)
            for s in sessions]
    return [gap for gap in gaps if gap.reasons]


def record_gaps_by_municipality(ids, as_of: dt.date) -> dict[int, list[RecordGap]]:
    """Per municipality among `ids` (a list): the sessions of the fiscal year up to `as_of` that it organises or
    takes part in, lacking test/survey/attendance records, counting only its own staff's attendance. A joint
    session is judged for each member by its own attendees, so a member's findings are the same whether it is
    evaluated alone or with the whole association. Three queries."""
    start, _end = rules.fiscal_year_bounds(fiscal_year(as_of))
    held = sessions_of(ids).filter(held_on__gte=start, held_on__lte=as_of)
    sessions = list(held.select_related("course").order_by("held_on", "id"))
    taking_part: dict[int, set[int]] = {}
    for sid, mid in Session.participants.through.objects.filter(
            session_id__in=held.values("id"), municipality_id__in=ids).values_list("session_id", "municipality_id"):
        taking_part.setdefault(sid, set()).add(mid)
    counts = {(sid, mid): (n, no_score, no_survey) for sid, mid, n, no_score, no_survey in (
        Attendance.objects.filter(session_id__in=held.values("id"), attended=True, staff__municipality_id__in=ids)
        .order_by().values_list("session_id", "staff__municipality_id")
        .annotate(n=Count("id"), no_score=Count("id", filter=Q(test_score__isnull=True)),
                  no_survey=Count("id", filter=Q(survey_submitted=False)))
        .values_list("session_id", "staff__municipality_id", "n", "no_score", "no_survey"))}
    wanted = set(ids)
    result: dict[int, list[RecordGap]] = {}
    for session in sessions:
        organiser = {session.organiser_municipality_id} & wanted
        for mid in sorted(taking_part.get(session.pk, set()) | organiser):
            n, no_score, no_survey = counts.get((session.pk, mid), (0, 0, 0))
            gap = RecordGap(session, n, no_score if session.has_test else 0, no_survey if session.has_survey else 0)
            if gap.reasons:
                result.setdefault(mid, []).append(gap)
    return result


# ---- session lists ----------------------------------------------------------------------------------------

SESSION_SORTS = {
    "held_on": ("held_on", "id"), "-held_on": ("-held_on", "-id"), "course": ("course__code", "held_on", "id"),
    "place": ("place", "held_on", "id"), "attended": ("-n_attended", "held_on", "id"),
}


def session_rows(sessions: QuerySet, attendee_ids, *, year: int | None = None, course: int | None = None,
                 sort: str | None = None) -> tuple[QuerySet, str]:
    """Sessions with the number attended from `attendee_ids` municipalities, filtered and sorted in the database
    (each sort ends with the id, so pages of it neither repeat nor skip a session). One query (and one COUNT
    when paginated)."""
    if year is not None:
        start, end = rules.fiscal_year_bounds(year)
        sessions = sessions.filter(held_on__gte=start, held_on__lte=end)
    if course:
        sessions = sessions.filter(course_id=course)
    key = sort if sort in SESSION_SORTS else "-held_on"
    attended = Q(attendances__attended=True, attendances__staff__municipality_id__in=attendee_ids)
    rows = (sessions.select_related("course", "organiser_municipality", "organiser_association")
            .annotate(n_attended=Count("attendances", filter=attended, distinct=True),
                      n_participants=Count("participants", distinct=True))
            .order_by(*SESSION_SORTS[key]))
    return rows, key


def session_list(sessions: QuerySet, attendee_ids, *, year: int | None = None, course: int | None = None,
                 sort: str | None = None) -> tuple[list[Session], str]:
    """session_rows, read: every session it keeps. One query."""
    rows, key = session_rows(sessions, attendee_ids, year=year, course=course, sort=sort)
    return list(rows), key
