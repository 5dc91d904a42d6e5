"""特定個人情報ファイル, their evaluations and the threshold check (issue 5 scope 9).

Same rules as the pages: the schemas check shapes (422); the services check dates and text (400, with the
messages per field). Every object is reached through get_visible_or_404.
"""

import datetime as dt
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, Field

from jichitai.core.validators import MAX_PERSONS
from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.pia import rules, services
from jichitai.pia.models import Evaluation, SpiFile
from jichitai.pia.queries import files_with_history, serious_incident_dates, state_of
from jichitai.processes.models import Process

from .pagination import Listing, Pages, each
from .schemas import WarekiDate

router = Router(tags=["pia"])

Count = Annotated[int, Field(ge=0, le=MAX_PERSONS)]  # no file can hold more people than Japan has
Kind = Literal[tuple(key for key, _ in rules.EVALUATION_KINDS)]


class ThresholdOut(Schema):
    required: str
    label: str
    article: str
    reason: str


class SpiFileIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str
    persons: Count
    handlers: Count
    staff_only: bool = False
    serious_incident_override: bool | None = None
    systems: str = ""
    notes: str = ""
    process_ids: list[int] = []


class SpiFilePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = None
    persons: Count = None
    handlers: Count = None
    staff_only: bool = None
    serious_incident_override: bool | None = None
    systems: str = None
    notes: str = None
    process_ids: list[int] = None


class SpiFileOut(Schema):
    id: int
    name: str
    process_ids: list[int]
    persons: int
    handlers: int
    staff_only: bool
    serious_incident_override: bool | None
    serious_incident: bool
    systems: str
    notes: str
    threshold: ThresholdOut
    done: str | None
    evaluated_on: dt.date | None
    review_due: dt.date | None
    reevaluation_due: dt.date | None
    flags: list[str]


class EvaluationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    kind: Kind
    started_on: WarekiDate | None = None
    comment_from: WarekiDate | None = None
    comment_to: WarekiDate | None = None
    third_party_review_on: WarekiDate | None = None
    submitted_on: WarekiDate | None = None
    published_on: WarekiDate | None = None
    last_reviewed_on: WarekiDate | None = None
    documents: str = ""
    notes: str = ""


class EvaluationOut(EvaluationIn):
    id: int
    warnings: list[str] = []


def file_out(spi_file: SpiFile, state: rules.FileState) -> dict:
    latest = state.latest
    return {"id": spi_file.id, "name": spi_file.name, "process_ids": [p.id for p in spi_file.processes.all()],
            "persons": spi_file.persons, "handlers": spi_file.handlers, "staff_only": spi_file.staff_only,
            "serious_incident_override": spi_file.serious_incident_override,
            "serious_incident": state.serious_incident, "systems": spi_file.systems, "notes": spi_file.notes,
            "threshold": state.threshold.as_json(), "done": latest.kind if latest else None,
            "evaluated_on": latest.evaluated_on if latest else None, "review_due": state.review_due,
            "reevaluation_due": state.reevaluation_due, "flags": list(state.flags)}


def evaluation_out(evaluation: Evaluation, warnings=()) -> dict:
    return {name: getattr(evaluation, name) for name in ("id", *services.EVALUATION_FIELDS)} | {
        "warnings": list(warnings)}


def _municipality(request, code: str, *, write: bool = False) -> Municipality:
    return get_visible_or_404(Municipality.objects.all(), request.user, write=write, code=code)


def _file(request, file_id: int, *, write: bool = False) -> SpiFile:
    return get_visible_or_404(SpiFile.objects.select_related("municipality"), request.user, write=write, pk=file_id)


def _processes(request, municipality, ids: list[int]) -> list[Process]:
    found = list(visible(Process.objects.filter(municipality=municipality, pk__in=ids), request.user))
    if len(found) != len(set(ids)):
        raise ValidationError({"process_ids": ["この団体の事務を指定してください。"]})
    return found


def _file_response(request, spi_file: SpiFile) -> dict:
    fresh = files_with_history(visible(SpiFile.objects.filter(pk=spi_file.pk), request.user)).get()
    state = state_of(fresh, serious_incident_dates([fresh.municipality_id]), timezone.localdate())
    return file_out(fresh, state)


@router.get("/pia/threshold", response=ThresholdOut)
def check_threshold(request, persons: Count, handlers: Count, serious_incident: bool = False,
                    staff_only: bool = False):
    """The threshold (しきい値判断) for given counts: public law, the same for every signed-in user."""
    return rules.threshold(persons, handlers, serious_incident, staff_only).as_json()


@router.get("/municipalities/{code}/spi-files", response=list[SpiFileOut])
@paginate(Pages)
def list_spi_files(request, code: str):
    """The municipality's 特定個人情報ファイル by `id`, each with its evaluation state as of today."""
    municipality = _municipality(request, code)

    def present(page):
        incidents, today = serious_incident_dates([municipality.pk]), timezone.localdate()
        return [file_out(f, state_of(f, incidents, today)) for f in page]
    return Listing(files_with_history(visible(SpiFile.objects.filter(municipality=municipality), request.user)),
                   present)


@router.post("/municipalities/{code}/spi-files", response={201: SpiFileOut})
def create_spi_file(request, code: str, payload: SpiFileIn):
    municipality = _municipality(request, code, write=True)
    fields = payload.model_dump(exclude={"process_ids"})
    spi_file = services.save_file(actor=request.user, via="api", municipality=municipality,
                                  processes=_processes(request, municipality, payload.process_ids), **fields)
    return Status(201, _file_response(request, spi_file))


@router.patch("/spi-files/{file_id}", response=SpiFileOut)
def update_spi_file(request, file_id: int, payload: SpiFilePatch):
    spi_file = _file(request, file_id, write=True)
    fields = payload.model_dump(exclude_unset=True)
    ids = fields.pop("process_ids", None)
    processes = None if ids is None else _processes(request, spi_file.municipality, ids)
    services.save_file(actor=request.user, via="api", municipality=spi_file.municipality, spi_file=spi_file,
                       processes=processes, **fields)
    return _file_response(request, spi_file)


@router.get("/spi-files/{file_id}/evaluations", response=list[EvaluationOut])
@paginate(Pages)
def list_evaluations(request, file_id: int):
    """The file's evaluations by `id`."""
    spi_file = _file(request, file_id)
    return Listing(visible(Evaluation.objects.filter(spi_file=spi_file), request.user), each(evaluation_out))


@router.post("/spi-files/{file_id}/evaluations", response={201: EvaluationOut})
def create_evaluation(request, file_id: int, payload: EvaluationIn):
    spi_file = _file(request, file_id, write=True)
    evaluation, warnings = services.save_evaluation(actor=request.user, via="api", spi_file=spi_file,
                                                    **payload.model_dump())
    return Status(201, evaluation_out(evaluation, warnings))
