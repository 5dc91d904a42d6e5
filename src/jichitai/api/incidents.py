"""Incidents (漏えい等事案), their phases, and the reporting-duty check (issue 5 scope 9).

Same validation as the forms: the schemas check shapes and enumerations (422); the services check the rest —
a known-at in the future, discovery after knowing, negative persons, My Number in text (400). The
assessment is computed, never taken from the client. Every object is reached through the scoping function.
"""

import datetime as dt
from typing import Literal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, Field

from jichitai.core.validators import MAX_PERSONS
from jichitai.core.wareki import DATE_MAX, DATE_MIN, date_in_range
from jichitai.incidents import queries, rules, services
from jichitai.incidents.models import Incident, IncidentPhase
from jichitai.orgs.models import Department, Municipality
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.processes.models import Process

from .pagination import Listing, Pages, each
from .schemas import WarekiDate, WarekiDateTime

router = Router(tags=["incidents"])

Kind = Literal[tuple(key for key, _ in rules.KINDS)]
Phase = Literal[tuple(key for key, _ in rules.PHASES)]


class AssessmentOut(Schema):
    reportable: bool
    grounds: list[int]
    preliminary_due: dt.date | None
    final_due: dt.date | None
    notify_persons: bool
    reasons: list[dict]


class IncidentOut(Schema):
    id: int
    municipality: str
    title: str
    discovered_at: dt.datetime
    known_at: dt.datetime
    department: str | None
    processes: list[int]
    kinds: list[str]
    persons_affected: int | None
    persons_unknown: bool
    in_network_or_number_system: bool
    improper_purpose: bool
    public_exposure: bool
    encrypted_high_standard: bool
    preliminary_sent_on: dt.date | None
    final_sent_on: dt.date | None
    persons_notified_on: dt.date | None
    root_cause: str
    notes: str
    open: bool
    preliminary_overdue: bool
    final_overdue: bool
    assessment: AssessmentOut


class IncidentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str
    discovered_at: WarekiDateTime
    known_at: WarekiDateTime
    department_id: int | None = None
    process_ids: list[int] = []
    kinds: list[Kind] = []
    persons_affected: int | None = None
    persons_unknown: bool = False
    in_network_or_number_system: bool = False
    improper_purpose: bool = False
    public_exposure: bool = False
    encrypted_high_standard: bool = False
    preliminary_sent_on: WarekiDate | None = None
    final_sent_on: WarekiDate | None = None
    persons_notified_on: WarekiDate | None = None
    root_cause: str = ""
    notes: str = ""


class IncidentPatch(Schema):
    """Only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    title: str = None
    discovered_at: WarekiDateTime = None
    known_at: WarekiDateTime = None
    department_id: int | None = None
    process_ids: list[int] = None
    kinds: list[Kind] = None
    persons_affected: int | None = None
    persons_unknown: bool = None
    in_network_or_number_system: bool = None
    improper_purpose: bool = None
    public_exposure: bool = None
    encrypted_high_standard: bool = None
    preliminary_sent_on: WarekiDate | None = None
    final_sent_on: WarekiDate | None = None
    persons_notified_on: WarekiDate | None = None
    root_cause: str = None
    notes: str = None


class PhaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    phase: Phase
    at: WarekiDateTime
    note: str = ""


class PhasePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    phase: Phase = None
    at: WarekiDateTime = None
    note: str = None


class PhaseOut(Schema):
    id: int
    phase: str
    label: str
    at: dt.datetime
    note: str


class DutyIn(Schema):
    model_config = ConfigDict(extra="forbid")

    known_at: WarekiDateTime
    persons: int | None = Field(None, le=MAX_PERSONS,
                                description="leave out when unknown: treated as possibly more than 100")
    network_or_number_system: bool = False
    improper_purpose: bool = False
    public_exposure: bool = False
    encrypted: bool = False


_INCIDENTS = Incident.objects.select_related("municipality", "department").prefetch_related(
    Prefetch("processes", queryset=Process.objects.only("id").order_by("id")))
_PHASES = IncidentPhase.objects.select_related("incident__municipality")


def assessment_out(assessment: rules.Assessment) -> dict:
    return assessment.as_json() | {"reasons": [{"ground": r.ground, "article": r.article, "text": r.text}
                                               for r in assessment.reasons]}


def incident_out(incident: Incident) -> dict:
    return {
        "id": incident.pk, "municipality": incident.municipality.code, "title": incident.title,
        "discovered_at": timezone.localtime(incident.discovered_at), "known_at": timezone.localtime(incident.known_at),
        "department": incident.department.name if incident.department else None,
        "processes": [p.pk for p in incident.processes.all()], "kinds": list(incident.kinds),
        **{name: getattr(incident, name) for name in (
            "persons_affected", "persons_unknown", "in_network_or_number_system", "improper_purpose",
            "public_exposure", "encrypted_high_standard", "preliminary_sent_on", "final_sent_on",
            "persons_notified_on", "root_cause", "notes", "open", "preliminary_overdue", "final_overdue")},
        "assessment": assessment_out(incident.assessment),
    }


def _with_status(incidents, municipality) -> list[Incident]:
    days, today = services.preliminary_days_for(municipality), timezone.localdate()
    return [queries.annotate_status(i, days, today) for i in incidents]


def _read(request, incident_id: int) -> dict:
    incident = get_visible_or_404(_INCIDENTS.annotate(has_closing_phase=queries._closing_phase()), request.user,
                                  pk=incident_id)
    return incident_out(_with_status([incident], incident.municipality)[0])


def _aware(fields: dict) -> dict:
    """A datetime sent without an offset is Tokyo time (what a municipal user means). Dates and datetimes outside
    1868–2100 (core.wareki) are refused with a 400 before any arithmetic on them can overflow."""
    if any(isinstance(value, dt.date) and not date_in_range(value) for value in fields.values()):
        raise ValidationError(f"日付は{DATE_MIN.year}年から{DATE_MAX.year}年までで入力してください。")
    return {name: value.replace(tzinfo=rules.TOKYO) if isinstance(value, dt.datetime) and timezone.is_naive(value)
            else value for name, value in fields.items()}


def _related(request, municipality, fields: dict) -> dict:
    """department_id / process_ids → objects of the same municipality, else 400."""
    result = _aware(fields)
    if "department_id" in result:
        department_id = result.pop("department_id")
        department = None
        if department_id is not None:
            department = visible(Department.objects.filter(municipality=municipality), request.user).filter(
                pk=department_id).first()
            if department is None:
                raise ValidationError({"department_id": ["部署は同じ団体のものを指定してください。"]})
        result["department"] = department
    if "process_ids" in result:
        ids = set(result.pop("process_ids"))
        processes = list(visible(Process.objects.filter(municipality=municipality, pk__in=ids), request.user))
        if len(processes) != len(ids):
            raise ValidationError({"process_ids": ["事務は同じ団体のものを指定してください。"]})
        result["processes"] = processes
    return result


@router.get("/municipalities/{code}/incidents", response=list[IncidentOut])
@paginate(Pages)
def list_incidents(request, code: str):
    """The municipality's incident register by `id`, each with its reporting deadlines as of today."""
    municipality = get_visible_or_404(Municipality.objects.select_related("association"), request.user, code=code)
    days, today = services.preliminary_days_for(municipality), timezone.localdate()
    rows = queries.register_queryset(visible(Incident.objects.filter(municipality=municipality), request.user), {},
                                     days, today)
    # The register's status and deadlines, computed by the rules for this page's incidents only.
    return Listing(queries.with_rows(rows.select_related("municipality")),
                   lambda page: [incident_out(i) for i in queries.register_rows(page, days, today)])


@router.post("/municipalities/{code}/incidents", response={201: IncidentOut})
def create_incident(request, code: str, payload: IncidentIn):
    municipality = get_visible_or_404(Municipality.objects.all(), request.user, write=True, code=code)
    fields = _related(request, municipality, payload.model_dump())
    incident = services.save_incident(actor=request.user, via="api", municipality=municipality, **fields)
    return Status(201, _read(request, incident.pk))


@router.get("/incidents/{incident_id}", response=IncidentOut)
def get_incident(request, incident_id: int):
    return _read(request, incident_id)


@router.patch("/incidents/{incident_id}", response=IncidentOut)
def update_incident(request, incident_id: int, payload: IncidentPatch):
    incident = get_visible_or_404(Incident.objects.select_related("municipality"), request.user, write=True,
                                  pk=incident_id)
    fields = _related(request, incident.municipality, payload.model_dump(exclude_unset=True))
    services.save_incident(actor=request.user, via="api", municipality=incident.municipality, incident=incident,
                           **fields)
    return _read(request, incident.pk)


def phase_out(phase: IncidentPhase) -> dict:
    return {"id": phase.pk, "phase": phase.phase, "label": rules.PHASE_LABEL[phase.phase],
            "at": timezone.localtime(phase.at),
            "note": phase.note}


@router.get("/incidents/{incident_id}/phases", response=list[PhaseOut])
@paginate(Pages)
def list_phases(request, incident_id: int):
    """The incident's response phases by `id`; each carries its date and time (`at`)."""
    incident = get_visible_or_404(Incident.objects.all(), request.user, pk=incident_id)
    return Listing(visible(IncidentPhase.objects.filter(incident=incident), request.user), each(phase_out))


@router.post("/incidents/{incident_id}/phases", response={201: PhaseOut})
def create_phase(request, incident_id: int, payload: PhaseIn):
    incident = get_visible_or_404(Incident.objects.select_related("municipality"), request.user, write=True,
                                  pk=incident_id)
    phase = services.add_phase(actor=request.user, via="api", incident=incident, **_aware(payload.model_dump()))
    return Status(201, phase_out(phase))


@router.patch("/incident-phases/{phase_id}", response=PhaseOut)
def update_phase(request, phase_id: int, payload: PhasePatch):
    phase = get_visible_or_404(_PHASES, request.user, write=True, pk=phase_id)
    phase = services.update_phase(actor=request.user, via="api", phase=phase,
                                  **_aware(payload.model_dump(exclude_unset=True)))
    return phase_out(phase)


@router.post("/incident-duty", response=AssessmentOut)
def incident_duty_check(request, payload: DutyIn):
    """The same answer as `jichitai incident-duty`: nothing is stored. The default 速報 target (3 days) is used."""
    known_at = payload.known_at
    if not isinstance(known_at, dt.datetime):
        known_at = dt.datetime.combine(known_at, dt.time(0, 0))
    known_at = _aware({"known_at": known_at})["known_at"]
    errors = rules.input_errors(discovered_at=None, known_at=known_at, persons=payload.persons, persons_unknown=False,
                                now=timezone.now())
    if errors:
        raise ValidationError({name: [message] for name, message in errors.items()})
    assessment = rules.assess(payload.persons, payload.persons is None, payload.network_or_number_system,
                              payload.improper_purpose, payload.public_exposure, payload.encrypted, known_at,
                              rules.DEFAULT_PRELIMINARY_DAYS)
    return assessment_out(assessment)
