"""Every write to incidents, phases, measures, settings and drills. One transaction and audit entry each."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jichitai.audit.services import create_audited, record, save_audited, snapshot, update_audited
from jichitai.training import services as training_services

from . import rules
from .models import Drill, Incident, IncidentPhase, IncidentSettings, Measure

INCIDENT_FIELDS = ("title", "discovered_at", "known_at", "department", "kinds", "persons_affected", "persons_unknown",
                   "in_network_or_number_system", "improper_purpose", "public_exposure", "encrypted_high_standard",
                   "serious", "preliminary_sent_on", "final_sent_on", "persons_notified_on", "root_cause", "notes")
PHASE_FIELDS = ("phase", "at", "note")
MEASURE_FIELDS = ("text", "done", "follow_up")
DRILL_FIELDS = ("course", "held_on", "scenario", "lessons")


def preliminary_days_for(municipality) -> int:
    """The association's 速報 target, or the default."""
    if municipality.association_id is None:
        return rules.DEFAULT_PRELIMINARY_DAYS
    found = IncidentSettings.objects.filter(association_id=municipality.association_id).values_list(
        "preliminary_days", flat=True).first()
    return found or rules.DEFAULT_PRELIMINARY_DAYS


def _check_incident(incident: Incident, now: dt.datetime) -> None:
    errors = rules.input_errors(discovered_at=incident.discovered_at, known_at=incident.known_at,
                                persons=incident.persons_affected, persons_unknown=incident.persons_unknown, now=now)
    unknown_kinds = [k for k in incident.kinds if k not in rules.KIND_LABEL] if isinstance(incident.kinds, list) \
        else [incident.kinds]
    if unknown_kinds:
        errors["kinds"] = "事案の種類は 漏えい・滅失・毀損・不正利用・不正提供 から選んでください。"
    if incident.known_at is not None and "known_at" not in errors:
        errors.update(rules.report_date_errors(
            rules.local_date(incident.known_at), timezone.localdate(now), preliminary_sent_on=incident.preliminary_sent_on,
            final_sent_on=incident.final_sent_on, persons_notified_on=incident.persons_notified_on))
    if incident.department_id and incident.department.municipality_id != incident.municipality_id:
        errors["department"] = "部署は同じ団体のものを選んでください。"
    if errors:
        raise ValidationError(errors)


def _state(incident: Incident) -> dict:
    return snapshot(incident, INCIDENT_FIELDS) | {
        "processes": sorted(incident.processes.values_list("name", flat=True)) if incident.pk else []}


@transaction.atomic
def save_incident(*, actor, via: str, municipality, incident: Incident | None = None, processes=None,
                  now: dt.datetime | None = None, **fields) -> Incident:
    """Create or change an incident; `processes` (when given) replaces the processes involved.

    The reportability (serious) is recomputed from the rules on every save.
    """
    now = now or timezone.now()
    before = _state(incident) if incident else None
    incident = incident or Incident(municipality=municipality)
    for name, value in fields.items():
        setattr(incident, name, value)
    if incident.persons_unknown and "persons_affected" not in fields:
        incident.persons_affected = None
    if processes is not None:
        processes = list(processes)
        if any(p.municipality_id != municipality.id for p in processes):
            raise ValidationError({"processes": "事務は同じ団体のものを選んでください。"})
    _check_incident(incident, now)
    incident.serious = incident.assess(preliminary_days_for(municipality)).reportable
    incident.full_clean()
    incident.save()
    if processes is not None:
        incident.processes.set(processes)
    after = _state(incident)
    if after != before:
        record(actor=actor, via=via, action="incident.update" if before else "incident.create", obj=incident,
               municipality=municipality, before=before, after=after)
    return incident


def _check_phase(phase: IncidentPhase, now: dt.datetime) -> None:
    if phase.at is None:
        return
    if phase.at > now:
        raise ValidationError({"at": "未来の日時は記録できません。"})
    if phase.at < phase.incident.discovered_at:
        raise ValidationError({"at": "発見日時より前の日時は記録できません。"})


@transaction.atomic
def add_phase(*, actor, via: str, incident: Incident, now: dt.datetime | None = None, **fields) -> IncidentPhase:
    phase = IncidentPhase(incident=incident, **fields)
    _check_phase(phase, now or timezone.now())
    return create_audited(actor=actor, via=via, obj=phase, fields=PHASE_FIELDS, action="incident_phase.create",
                          municipality=incident.municipality)


@transaction.atomic
def update_phase(*, actor, via: str, phase: IncidentPhase, now: dt.datetime | None = None,
                 **fields) -> IncidentPhase:
    return update_audited(actor=actor, via=via, obj=phase, changes=fields, fields=PHASE_FIELDS,
                          action="incident_phase.update", municipality=phase.incident.municipality,
                          check=lambda p: _check_phase(p, now or timezone.now()))


def _check_measure(measure: Measure) -> None:
    row = measure.follow_up
    if row is not None and row.process.municipality_id != measure.incident.municipality_id:
        raise ValidationError({"follow_up": "取扱手順は同じ団体のものを選んでください。"})


@transaction.atomic
def save_measure(*, actor, via: str, incident: Incident, measure: Measure | None = None, **fields) -> Measure:
    return save_audited(actor=actor, via=via, existing=measure, build=lambda: Measure(incident=incident, **fields),
                        changes=fields, fields=MEASURE_FIELDS, noun="incident_measure",
                        municipality=incident.municipality, check=_check_measure)


@transaction.atomic
def save_settings(*, actor, via: str, association, preliminary_days: int) -> IncidentSettings:
    """Change the 速報 target and recompute nothing stored: due dates are computed when read."""
    current, _created = IncidentSettings.objects.get_or_create(association=association)
    before = snapshot(current, ("preliminary_days",))
    current.preliminary_days = preliminary_days
    current.full_clean()
    current.save()
    after = snapshot(current, ("preliminary_days",))
    if after != before:
        record(actor=actor, via=via, action="incident.settings", obj=current, association=association,
               before=before, after=after)
    return current


# ---- Drills: each is a training session for the people present ----


def _check_drill(drill: Drill, participants, today: dt.date) -> None:
    errors = {}
    if drill.held_on and drill.held_on > today:
        errors["held_on"] = "訓練は実施後に記録してください（未来の日付は入力できません）。"
    course = drill.course
    if course.code not in rules.DRILL_COURSE_CODES or course.municipality_id or course.association_id:
        errors["course"] = "訓練は研修カリキュラムの ⑥・⑦・⑧ のいずれかとして記録してください。"
    if drill.municipality_id:
        strangers = [p for p in participants if p.municipality_id != drill.municipality_id]
    else:
        strangers = [p for p in participants if p.municipality.association_id != drill.association_id]
    if strangers:
        errors["participants"] = "参加者は主催団体（協議会の場合は構成団体）の職員から選んでください。"
    if errors:
        raise ValidationError(errors)


def _drill_state(drill: Drill, participants) -> dict:
    return snapshot(drill, DRILL_FIELDS) | {"participants": sorted(p.staff_number for p in participants)}


@transaction.atomic
def save_drill(*, actor, via: str, municipality=None, association=None, drill: Drill | None = None,
               participants=None, today: dt.date | None = None, **fields) -> Drill:
    """Create or change a drill and the training session it counts as (course ⑥/⑦/⑧, held on the same day),
    with attendance for every participant; people removed from the drill are marked as not attended."""
    today = today or timezone.localdate()
    before = None if drill is None else _drill_state(drill, drill.participants.select_related("municipality"))
    previous = set() if drill is None else set(drill.participants.values_list("pk", flat=True))
    drill = drill or Drill(municipality=municipality, association=association)
    for name, value in fields.items():
        setattr(drill, name, value)
    participants = list(drill.participants.select_related("municipality") if participants is None and drill.pk
                        else participants or [])
    _check_drill(drill, participants, today)
    drill.full_clean(exclude=["session"])
    old_session_id = drill.session_id
    drill.session = _save_session(actor, via, drill, participants)
    if drill.session.pk != old_session_id:  # a new session (or its old one was deleted): mark everyone
        previous = set()
    drill.save()
    drill.participants.set(participants)
    _mark_attendance(actor, via, drill, participants, previous)
    after = _drill_state(drill, participants)
    if after != before:
        record(actor=actor, via=via, action="drill.update" if before else "drill.create", obj=drill,
               municipality=drill.municipality, association=drill.association, before=before, after=after)
    return drill


def _save_session(actor, via, drill: Drill, participants):
    values = {"course": drill.course, "held_on": drill.held_on, "place": "インシデント対応訓練"}
    if drill.municipality_id:
        return training_services.save_session(actor=actor, via=via, session=drill.session,
                                              organiser_municipality=drill.municipality, **values)
    members = {p.municipality_id: p.municipality for p in participants}
    if drill.session is not None:  # members that took part before stay participants of the session
        members.update({m.pk: m for m in drill.session.participants.all()})
    return training_services.save_session(actor=actor, via=via, session=drill.session,
                                          organiser_association=drill.association,
                                          participants=list(members.values()), **values)


def _mark_attendance(actor, via, drill: Drill, participants, previous: set[int]) -> None:
    from jichitai.orgs.models import Staff

    # Only people added or removed: a continuing participant's row (and any test score entered on the
    # training pages) is left as it is.
    removed = list(Staff.objects.filter(pk__in=previous - {p.pk for p in participants}).select_related("municipality"))
    added = [p for p in participants if p.pk not in previous]
    by_municipality: dict[int, tuple] = {}
    for person, attended in [(p, True) for p in added] + [(p, False) for p in removed]:
        entry = {"staff": person, "attended": attended, "test_score": None, "survey_submitted": False}
        by_municipality.setdefault(person.municipality_id, (person.municipality, []))[1].append(entry)
    for municipality, entries in by_municipality.values():
        training_services.mark_attendance(actor=actor, via=via, session=drill.session, municipality=municipality,
                                          entries=entries)
