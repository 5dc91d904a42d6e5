"""Business flows, handling rows, risk rows and countermeasures of a process (issue 3 scope 9).

Same validation as the forms: the schemas check shapes, enumerations and ratings (422); the services'
full_clean checks the rest — My Number in text, lengths, unique IDs (400). Computed values (資産価値,
総合評価, 残存評価) are never taken from the client. Every object is reached through get_visible_or_404.
"""


from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from ninja import Router, Status
from ninja.pagination import paginate

from jichitai.handling import rules as handling_rules
from jichitai.handling import services
from jichitai.handling import services as handling_services
from jichitai.handling.models import FlowStep, HandlingRow
from jichitai.orgs.models import Staff
from jichitai.orgs.scoping import get_visible_or_404, visible
from jichitai.processes.models import Process
from jichitai.risk import rules as risk_rules
from jichitai.risk.models import Countermeasure

from .pagination import Listing, Pages, each
from .schemas import (
    ApproveIn,
    ApproveOut,
    FlowStepIn,
    FlowStepOut,
    FlowStepPatch,
    HandlingRowIn,
    HandlingRowOut,
    HandlingRowPatch,
    RiskIn,
)

router = Router(tags=["analysis"])

_PROCESSES = Process.objects.select_related("municipality")
_STEPS = FlowStep.objects.select_related("process__municipality")
# A row with its risk and countermeasures: three queries for any number of rows.
_ROWS = HandlingRow.objects.select_related("process__municipality", "risk").prefetch_related(
    Prefetch("risk__countermeasures", queryset=Countermeasure.objects.order_by("position", "id")))

STEP_FIELDS = ("id", "order", "lane", "action", "business_function", "stage", "assets")
ROW_FIELDS = ("id", "row_id", "asset_name", "kind", "stage", "method", "procedure", "business_function",
              "responsible", "responsible_duty", "handler", "handler_duty", "notes", "confidentiality",
              "integrity", "availability", "asset_value")
RISK_FIELDS = ("vulnerability", "vulnerability_rating", "threat", "threat_rating", "business_function", "total",
               "residual_risk")



def step_out(step: FlowStep) -> dict:
    return {name: getattr(step, name) for name in STEP_FIELDS}


def row_out(row: HandlingRow) -> dict:
    risk = getattr(row, "risk", None)
    return {name: getattr(row, name) for name in ROW_FIELDS} | {"risk": None if risk is None else {
        name: getattr(risk, name) for name in RISK_FIELDS} | {
        "residual": risk_rules.plain_number(risk.residual),
        "countermeasures": [{"text": m.text, "reduction": risk_rules.plain_number(m.reduction), "factor": m.factor,
                             "category": m.category} for m in risk.countermeasures.all()]}}


def _process(request, process_id: int, *, write: bool = False) -> Process:
    return get_visible_or_404(_PROCESSES, request.user, write=write, pk=process_id)


def _row_id(value: str) -> str:
    """The handling row's ID as the form reads it: 「１－２」 → 「1-2」."""
    try:
        return handling_rules.read_row_id(value)
    except handling_rules.UnknownValue:
        raise ValidationError({"row_id": [_("Write the ID like 1-2.")]}) from None


# ---- 業務フロー ----

@router.get("/processes/{process_id}/flow", response=list[FlowStepOut])
@paginate(Pages)
def list_flow_steps(request, process_id: int):
    """The process's flow steps by `id`; each carries its `order` in the flow."""
    process = _process(request, process_id)
    return Listing(visible(FlowStep.objects.filter(process=process), request.user), each(step_out))


@router.post("/processes/{process_id}/flow", response={201: FlowStepOut})
def create_flow_step(request, process_id: int, payload: FlowStepIn):
    process = _process(request, process_id, write=True)
    step = services.save_flow_step(actor=request.user, via="api", process=process, **payload.model_dump())
    return Status(201, step_out(step))


@router.patch("/flow-steps/{step_id}", response=FlowStepOut)
def update_flow_step(request, step_id: int, payload: FlowStepPatch):
    step = get_visible_or_404(_STEPS, request.user, write=True, pk=step_id)
    step = services.save_flow_step(actor=request.user, via="api", process=step.process, step=step,
                                   **payload.model_dump(exclude_unset=True))
    return step_out(step)


@router.delete("/flow-steps/{step_id}", response={204: None})
def delete_flow_step(request, step_id: int):
    step = get_visible_or_404(_STEPS, request.user, write=True, pk=step_id)
    services.delete_flow_step(actor=request.user, via="api", step=step)
    return Status(204, None)


# ---- 情報資産取扱手順表 ----

@router.get("/processes/{process_id}/handling-rows", response=list[HandlingRowOut])
@paginate(Pages)
def list_handling_rows(request, process_id: int):
    """The process's handling rows, each with its risk row and countermeasures, by `id` (three queries a page)."""
    process = _process(request, process_id)
    return Listing(visible(_ROWS.filter(process=process), request.user), each(row_out))


@router.post("/processes/{process_id}/handling-rows", response={201: HandlingRowOut})
def create_handling_row(request, process_id: int, payload: HandlingRowIn):
    process = _process(request, process_id, write=True)
    fields = payload.model_dump() | {"row_id": _row_id(payload.row_id)}
    row = services.save_handling_row(actor=request.user, via="api", process=process, **fields)
    return Status(201, row_out(visible(_ROWS, request.user).get(pk=row.pk)))


@router.patch("/handling-rows/{row_id}", response=HandlingRowOut)
def update_handling_row(request, row_id: int, payload: HandlingRowPatch):
    row = get_visible_or_404(_ROWS, request.user, write=True, pk=row_id)
    fields = payload.model_dump(exclude_unset=True)
    if "row_id" in fields:
        fields["row_id"] = _row_id(fields["row_id"])
    services.save_handling_row(actor=request.user, via="api", process=row.process, row=row, **fields)
    return row_out(visible(_ROWS, request.user).get(pk=row.pk))


@router.delete("/handling-rows/{row_id}", response={204: None})
def delete_handling_row(request, row_id: int):
    row = get_visible_or_404(_ROWS, request.user, write=True, pk=row_id)
    services.delete_handling_row(actor=request.user, via="api", row=row)
    return Status(204, None)


# ---- リスク分析表 ----

@router.put("/handling-rows/{row_id}/risk", response=HandlingRowOut)
def put_risk(request, row_id: int, payload: RiskIn):
    """Replace the row's analysis and countermeasures; 総合評価 and 残存評価 are computed."""
    row = get_visible_or_404(_ROWS, request.user, write=True, pk=row_id)
    fields = payload.model_dump(exclude={"countermeasures"})
    measures = [m.model_dump() for m in payload.countermeasures]
    handling_services.save_risk_row(actor=request.user, via="api", handling_row=row, countermeasures=measures,
                                **fields)
    return row_out(visible(_ROWS, request.user).get(pk=row.pk))


# ---- 承認 ----

@router.post("/processes/{process_id}/approve", response=ApproveOut)
def approve_analysis(request, process_id: int, payload: ApproveIn):
    """The protection officer's approval of the flow, handling table and risk analysis as one set."""
    process = _process(request, process_id, write=True)
    officer = None
    if payload.officer_id is not None:
        # Like the form: a 保護責任者 of the process's own municipality, reached through the scoping function.
        officer = visible(Staff.objects.filter(municipality=process.municipality,
                                               role=Staff.Role.PROTECTION_OFFICER), request.user).filter(
            pk=payload.officer_id).first()
        if officer is None:
            raise ValidationError({"officer_id": [_("The protection officer must belong to the same municipality.")]})
    analysis = services.approve(actor=request.user, via="api", process=process, officer=officer, note=payload.note)
    return {"status": analysis.status}
