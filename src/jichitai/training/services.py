"""Every write to courses, settings, plans, sessions and attendance. One transaction and audit entry per action."""

import json
from decimal import Decimal
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.audit.services import record, save_audited, snapshot
from jichitai.core.locks import lock_rows
from jichitai.core.wareki import format_wareki
from jichitai.orgs.models import Staff

from . import rules
from .models import Attendance, Course, PlanItem, Session, TrainingPlan, TrainingSettings
from .queries import plan_item_sessions

CURRICULUM_PATH = Path(__file__).resolve().parent.parent / "data" / "curriculum.json"
COURSE_FIELDS = ("code", "title", "audience", "description", "hours", "statutory", "retired_on")
PLAN_ITEM_FIELDS = ("course", "roles", "planned_month", "planned_on", "notes", "retired_on")
SESSION_FIELDS = ("course", "held_on", "place", "has_test", "has_survey")
ROLE_VALUES = set(Staff.Role.values)


def read_curriculum(path: Path = CURRICULUM_PATH) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _check_audience(course: Course) -> None:
    unknown = [role for role in course.audience if role not in ROLE_VALUES]
    if unknown:
        raise ValidationError(_("Unknown role: %(roles)s") % {"roles": ", ".join(map(str, unknown))})


@transaction.atomic
def load_curriculum(*, actor=None, path: Path = CURRICULUM_PATH) -> dict:
    """Create or update the shipped curriculum. Running it twice changes nothing the second time."""
    data = read_curriculum(path)
    revision = data["revision"]
    shipped = Course.objects.filter(association__isnull=True, municipality__isnull=True)
    existing = {course.code: course for course in shipped.all()}
    created = updated = 0
    for row in data["courses"]:
        values = {"title": row["title"], "audience": list(row["audience"]), "description": row["description"],
                  "hours": Decimal(str(row["hours"])), "statutory": bool(row["statutory"]), "revision": revision}
        course = existing.get(row["code"])
        if course is None:
            course = Course(code=row["code"], **values)
            created += 1
        elif any(getattr(course, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(course, key, value)
            updated += 1
        else:
            continue
        _check_audience(course)
        course.full_clean()
        course.save()
    result = {"created": created, "updated": updated, "total": shipped.all().count(), "revision": revision}
    if created or updated:
        record(actor=actor, via="command", action="curriculum.load", obj=shipped.order_by("code").first(), after=result)
    return result


def _check_code(course: Course) -> None:
    """Codes are unique per owner; said in Japanese before full_clean names the database constraint."""
    taken = Course.objects.filter(code=course.code, association_id=course.association_id,
                                  municipality_id=course.municipality_id).exclude(pk=course.pk)
    if taken.exists():
        raise ValidationError({"code": _("This code is already used by another course.")})


def _audit(actor, via: str, action: str, obj, before, after, *, municipality=None, association=None) -> None:
    """Record a change when something changed (an unchanged save writes no entry)."""
    if before != after:
        record(actor=actor, via=via, action=action, obj=obj, municipality=municipality, association=association,
               before=before, after=after)


def _own_course(course: Course) -> None:
    if course.is_shipped:
        raise ValidationError(_("The shipped curriculum is reference data and cannot be changed."))


def _locked(model, obj):
    """The stored row, locked, so that `before` is what the database holds even when a form changed `obj`."""
    return model.objects.select_for_update().get(pk=obj.pk)


@transaction.atomic
def create_course(*, actor, via: str, association=None, municipality=None, **fields) -> Course:
    """An association's or a municipality's own course (exactly one owner)."""
    if (association is None) == (municipality is None):
        raise ValidationError(_("A course belongs to one association or one municipality."))
    course = Course(association=association, municipality=municipality, **fields)
    _check_audience(course)
    _check_code(course)
    course.full_clean()
    course.save()
    record(actor=actor, via=via, action="course.create", obj=course, municipality=municipality,
           association=association, after=snapshot(course, COURSE_FIELDS))
    return course


@transaction.atomic
def update_course(*, actor, via: str, course: Course, **changes) -> Course:
    """Change an own course (code, title, audience, description, hours, statutory). Past sessions keep pointing at
    it, so a renamed course shows its new name on them; the audit entry keeps the old one."""
    _own_course(course)
    course = _locked(Course, course)
    before = snapshot(course, COURSE_FIELDS)
    for name, value in changes.items():
        if name not in COURSE_FIELDS or name == "retired_on":
            raise ValidationError(_("Unknown field: %(name)s") % {"name": name})
        setattr(course, name, value)
    _check_audience(course)
    _check_code(course)
    course.full_clean()
    course.save()
    _audit(actor, via, "course.update", course, before, snapshot(course, COURSE_FIELDS),
           municipality=course.municipality, association=course.association)
    return course


def _set_retired(actor, via: str, obj, fields, on, action: str, **owner):
    obj = _locked(type(obj), obj)
    before = snapshot(obj, fields)
    obj.retired_on = on
    obj.full_clean()
    obj.save(update_fields=["retired_on"])
    _audit(actor, via, action, obj, before, snapshot(obj, fields), **owner)
    return obj


@transaction.atomic
def retire_course(*, actor, via: str, course: Course, on=None) -> Course:
    """Offer the course for no new plan item or session from `on` (default today); its records keep it."""
    _own_course(course)
    return _set_retired(actor, via, course, COURSE_FIELDS, on or timezone.localdate(), "course.retire",
                        municipality=course.municipality, association=course.association)


@transaction.atomic
def reactivate_course(*, actor, via: str, course: Course) -> Course:
    _own_course(course)
    return _set_retired(actor, via, course, COURSE_FIELDS, None, "course.reactivate",
                        municipality=course.municipality, association=course.association)


def course_references(course: Course) -> dict[str, int]:
    """What names the course: plan items and sessions (a drill names a shipped course only)."""
    return {"plan_items": course.plan_items.count(), "sessions": course.sessions.count()}


@transaction.atomic
def delete_course(*, actor, via: str, course: Course) -> None:
    """Delete an own course nothing names; a course in a plan or a session is retired instead (retire_course)."""
    _own_course(course)
    course = _locked(Course, course)
    used = course_references(course)
    if any(used.values()):
        raise ValidationError(_("This course is used by %(items)d plan items and %(sessions)d sessions, so it "
                                "cannot be deleted. Retire it instead.")
                              % {"items": used["plan_items"], "sessions": used["sessions"]})
    record(actor=actor, via=via, action="course.delete", obj=course, municipality=course.municipality,
           association=course.association, before=snapshot(course, COURSE_FIELDS))
    try:
        course.delete()
    except ProtectedError:  # a row of another app names it; the atomic block drops the audit entry too
        raise ValidationError(_("This course is used by other records, so it cannot be deleted. "
                                "Retire it instead.")) from None


@transaction.atomic
def update_settings(*, actor, via: str, association, window_months: int, due_soon_days: int) -> TrainingSettings:
    current, _created = TrainingSettings.objects.get_or_create(association=association)
    fields = ("window_months", "due_soon_days")
    before = snapshot(current, fields)
    current.window_months, current.due_soon_days = window_months, due_soon_days
    current.full_clean()
    current.save()
    after = snapshot(current, fields)
    if after != before:
        record(actor=actor, via=via, action="training.settings", obj=current, association=association,
               before=before, after=after)
    return current


@transaction.atomic
def create_plan(*, actor, via: str, municipality, fiscal_year: int, courses) -> TrainingPlan:
    """The fiscal year's plan, pre-filled with one item per course (its audience as the roles)."""
    if TrainingPlan.objects.filter(municipality=municipality, fiscal_year=fiscal_year).exists():
        raise ValidationError(_("A plan for this fiscal year already exists."))
    plan = TrainingPlan(municipality=municipality, fiscal_year=fiscal_year)
    plan.full_clean()
    plan.save()
    today = timezone.localdate()
    courses = list(courses)
    retired = dict(Course.objects.filter(pk__in=[c.pk for c in courses]).values_list("pk", "retired_on"))
    items = [PlanItem(plan=plan, course=course, roles=list(course.audience)) for course in courses
             if not rules.is_retired(retired.get(course.pk), today)]
    PlanItem.objects.bulk_create(items)
    record(actor=actor, via=via, action="training_plan.create", obj=plan, municipality=municipality,
           after={"fiscal_year": fiscal_year, "items": [item.course.code for item in items]})
    return plan


def _retired_on(course: Course):
    """The course's stored retirement date (the object in hand may predate the retirement)."""
    return Course.objects.filter(pk=course.pk).values_list("retired_on", flat=True).first()


def _retired_message(course: Course, retired_on) -> str:
    return _("The course %(course)s was retired on %(day)s.") % {"course": course.code,
                                                                 "day": format_wareki(retired_on)}


def _check_plan_item(item: PlanItem) -> None:
    errors = rules.plan_item_errors(item.plan.fiscal_year, item.planned_month, item.planned_on)
    retired_on = _retired_on(item.course)
    if rules.is_retired(retired_on, timezone.localdate()):
        stored = PlanItem.objects.filter(pk=item.pk).values_list("course_id", flat=True).first()
        if stored != item.course_id:  # an item already naming it keeps it; no item newly takes it
            errors.append(_retired_message(item.course, retired_on))
    unknown = [role for role in item.roles if role not in ROLE_VALUES]
    if unknown:
        errors.append(_("Unknown role: %(roles)s") % {"roles": ", ".join(map(str, unknown))})
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def save_plan_item(*, actor, via: str, plan: TrainingPlan, item: PlanItem | None = None, **fields) -> PlanItem:
    if "retired_on" in fields:
        raise ValidationError(_("Unknown field: %(name)s") % {"name": "retired_on"})
    return save_audited(actor=actor, via=via, existing=item if item is None else _locked(PlanItem, item),
                        build=lambda: PlanItem(plan=plan, **fields), changes=fields, fields=PLAN_ITEM_FIELDS,
                        noun="plan_item", municipality=plan.municipality, check=_check_plan_item)


def plan_item_is_held(item: PlanItem) -> bool:
    return plan_item_sessions(item).exists()


@transaction.atomic
def delete_plan_item(*, actor, via: str, item: PlanItem) -> None:
    """Delete an item no session of its fiscal year carried out; one that was is retired instead."""
    item = _locked(PlanItem, item)
    if plan_item_is_held(item):
        raise ValidationError(_("A session of this course was held in the plan's fiscal year, so the item cannot "
                                "be deleted. Retire it instead."))
    record(actor=actor, via=via, action="plan_item.delete", obj=item, municipality=item.plan.municipality,
           before=snapshot(item, PLAN_ITEM_FIELDS))
    item.delete()


@transaction.atomic
def retire_plan_item(*, actor, via: str, item: PlanItem, on=None) -> PlanItem:
    return _set_retired(actor, via, item, PLAN_ITEM_FIELDS, on or timezone.localdate(), "plan_item.retire",
                        municipality=item.plan.municipality)


@transaction.atomic
def reactivate_plan_item(*, actor, via: str, item: PlanItem) -> PlanItem:
    return _set_retired(actor, via, item, PLAN_ITEM_FIELDS, None, "plan_item.reactivate",
                        municipality=item.plan.municipality)


def _session_snapshot(session: Session, participants) -> dict:
    return snapshot(session, SESSION_FIELDS) | {"participants": sorted(m.code for m in participants)}


def _check_course_owner(session: Session) -> None:
    """A session teaches a shipped course, or one of its organiser (or the organiser's association)."""
    course = session.course
    if course.municipality_id is None and course.association_id is None:
        return
    organiser = session.organiser_municipality
    allowed = (course.municipality_id == session.organiser_municipality_id if course.municipality_id
               else course.association_id in {session.organiser_association_id,
                                              organiser.association_id if organiser else None})
    if not allowed:
        raise ValidationError(_("This course belongs to another organisation."))


@transaction.atomic
def save_session(*, actor, via: str, session: Session | None = None, organiser_municipality=None,
                 organiser_association=None, participants=None, **fields) -> Session:
    """Create or update a session. The organising municipality always takes part; a joint session's
    participants must be members of the organising association."""
    is_new = session is None
    if is_new:
        session = Session(organiser_municipality=organiser_municipality, organiser_association=organiser_association)
        before = None
    else:
        session = _locked(Session, session)
        before = _session_snapshot(session, session.participants.all())
    for name, value in fields.items():
        setattr(session, name, value)
    if session.organiser_municipality_id:
        participants = [session.organiser_municipality]
    elif participants is None:
        participants = list(session.participants.all())
    else:
        participants = list(participants)
        strangers = [m for m in participants if m.association_id != session.organiser_association_id]
        if strangers:
            raise ValidationError(_("Participants must be members of the organising association."))
    _check_course_owner(session)
    session.full_clean()
    session.save()
    session.participants.set(participants)
    after = _session_snapshot(session, participants)
    if after != before:
        record(actor=actor, via=via, action="session.create" if is_new else "session.update", obj=session,
               municipality=session.organiser_municipality, association=session.organiser_association,
               before=before, after=after)
    return session


@transaction.atomic
def mark_attendance(*, actor, via: str, session: Session, municipality, entries: list[dict],
                    keep_unstated: bool = False) -> tuple[int, int]:
    """Record who of the municipality's staff attended, with test score and survey. Returns (created, updated).

    `entries`: dicts with staff (a Staff of the municipality), attended, test_score, survey_submitted. An entry
    for a person without a row who did not attend writes nothing. With `keep_unstated` (an attendance sheet's
    blank cells), a test_score or survey_submitted of None keeps what is recorded.
    """
    if not session.participants.filter(pk=municipality.pk).exists():
        raise ValidationError(_("The municipality does not take part in this session."))
    # Two saves at once: the second waits for the first and reads the rows it created, instead of adding them again.
    lock_rows(Session.objects.filter(pk=session.pk))
    existing = {a.staff_id: a for a in Attendance.objects.filter(session=session, staff__municipality=municipality)}
    fields = ("attended", "test_score", "survey_submitted")
    new, changed, before, after = [], [], [], []
    for entry in entries:
        staff = entry["staff"]
        if staff.municipality_id != municipality.pk:
            raise ValidationError(_("Staff of another municipality cannot be marked here."))
        if not rules.check_score(entry.get("test_score")):
            raise ValidationError(_("A test score is from 0 to 100."))
        current = existing.get(staff.pk)
        values = {name: entry.get(name) for name in fields}
        if keep_unstated and current is not None:
            values = {name: getattr(current, name) if value is None else value for name, value in values.items()}
        values["survey_submitted"] = bool(values["survey_submitted"])
        if current is None:
            if values["attended"]:
                new.append(Attendance(session=session, staff=staff, **values))
                after.append({"staff": staff.staff_number, **values})
            continue
        old = snapshot(current, fields)
        if old != values:
            for name, value in values.items():
                setattr(current, name, value)
            changed.append(current)
            before.append({"staff": staff.staff_number, **old})
            after.append({"staff": staff.staff_number, **values})
    Attendance.objects.bulk_create(new)
    Attendance.objects.bulk_update(changed, list(fields))
    if new or changed:
        record(actor=actor, via=via, action="attendance.mark", obj=session, municipality=municipality,
               before={"attendance": before}, after={"attendance": after, "session": str(session)})
    return len(new), len(changed)
