"""Business systems (a municipality's inventory) and the association's cloud plans (issue 14), as the pages show them.

Systems: the municipality's users read and its editors write; its association's secretariat reads and gets 403 on
writes (cloud.views: the inventory and the system form). Cloud plans: the association's secretariat only (the pages
are the secretariat's; the users of its members get 404 as there). Costs are in 千円; fiscal years are integers,
with their 和暦 labels, and are taken as integers or 和暦 text (R8, 令和8年度). Writes go through cloud.services
(atomic, audited, via="api"); the schemas check shapes and bounds (422), the services the rest (400).
"""

from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from ninja.pagination import paginate
from pydantic import ConfigDict, Field

from jichitai.cloud import queries, rules, services
from jichitai.cloud.models import BusinessSystem, CloudPlan, StandardArea
from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import association_for, get_visible_or_404, visible

from .pagination import Pages
from .schemas import FiscalYear, OptionalFiscalYear, wareki_fiscal_year

router = Router(tags=["cloud"])

Hosting = Literal[tuple(BusinessSystem.Hosting.values)]
MigrationStatus = Literal[tuple(BusinessSystem.MigrationStatus.values)]
Cost = Annotated[int, Field(ge=0, le=rules.COST_MAX, description="千円")]
ReLeaseYears = Annotated[int, Field(ge=0, le=10)]
HOSTING_LABEL = dict(BusinessSystem.Hosting.choices)
MIGRATION_LABEL = dict(BusinessSystem.MigrationStatus.choices)


# ---- systems ----------------------------------------------------------------------------------------------


class SystemOut(Schema):
    id: int
    municipality: str
    name: str
    category: str
    standard_area: str | None
    vendor: str
    contract_start_fy: int | None
    contract_start_fy_label: str | None  # 和暦: 令和8年度
    contract_end_fy: int  # the last fiscal year of the current contract
    contract_end_fy_label: str
    re_lease_years: int
    early_termination: bool
    hosting: str
    hosting_label: str
    standard_conformance: bool
    migration_status: str
    migration_status_label: str
    annual_cost: int | None  # 千円
    initial_cost: int | None
    re_lease_annual_cost: int | None

    @staticmethod
    def resolve_municipality(system: BusinessSystem) -> str:
        return system.municipality.code

    @staticmethod
    def resolve_standard_area(system: BusinessSystem) -> str | None:
        return system.standard_area.name if system.standard_area else None

    @staticmethod
    def resolve_contract_start_fy_label(system: BusinessSystem) -> str | None:
        return wareki_fiscal_year(system.contract_start_fy)

    @staticmethod
    def resolve_contract_end_fy_label(system: BusinessSystem) -> str:
        return wareki_fiscal_year(system.contract_end_fy)

    @staticmethod
    def resolve_hosting_label(system: BusinessSystem) -> str:
        return HOSTING_LABEL.get(system.hosting, system.hosting)

    @staticmethod
    def resolve_migration_status_label(system: BusinessSystem) -> str:
        return MIGRATION_LABEL.get(system.migration_status, system.migration_status)


class SystemIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str
    category: str
    standard_area: str | None = Field(None, description="標準化対象業務の名称（20業務のいずれか）")
    vendor: str = ""
    contract_start_fy: OptionalFiscalYear = None
    contract_end_fy: FiscalYear
    re_lease_years: ReLeaseYears = rules.DEFAULT_RE_LEASE_YEARS
    early_termination: bool = False
    hosting: Hosting = BusinessSystem.Hosting.ON_PREMISES.value
    standard_conformance: bool = False
    migration_status: MigrationStatus = BusinessSystem.MigrationStatus.NOT_STARTED.value
    annual_cost: Cost | None = None
    initial_cost: Cost | None = None
    re_lease_annual_cost: Cost | None = None


class SystemPatch(Schema):
    """Only the fields sent are changed; null clears an optional one."""

    model_config = ConfigDict(extra="forbid")

    name: str = None
    category: str = None
    standard_area: str | None = None
    vendor: str = None
    contract_start_fy: OptionalFiscalYear = None
    contract_end_fy: FiscalYear = None
    re_lease_years: ReLeaseYears = None
    early_termination: bool = None
    hosting: Hosting = None
    standard_conformance: bool = None
    migration_status: MigrationStatus = None
    annual_cost: Cost | None = None
    initial_cost: Cost | None = None
    re_lease_annual_cost: Cost | None = None


_SYSTEMS = BusinessSystem.objects.select_related("municipality", "standard_area")


def _fields(values: dict) -> dict:
    """The service's fields: the 標準化対象業務 named → the area (reference data, the same for everyone)."""
    if "standard_area" in values and values["standard_area"] is not None:
        name = values["standard_area"]
        values["standard_area"] = StandardArea.objects.filter(name=name.strip()).first()
        if values["standard_area"] is None:
            raise ValidationError({"standard_area": ["標準化対象業務は20業務の名称のいずれかで指定してください。"]})
    return values


def _unique_name(request, municipality, values: dict, system: BusinessSystem | None = None) -> dict:
    """A name the municipality already gives another system is refused in words (the model's own message names
    the model in English)."""
    if isinstance(values.get("name"), str):
        same = visible(BusinessSystem.objects.filter(municipality=municipality, name=values["name"]), request.user)
        if system is not None:
            same = same.exclude(pk=system.pk)
        if same.exists():
            raise ValidationError({"name": ["この団体には同じ名前のシステムが既に登録されています。"]})
    return values


def _system_response(request, system: BusinessSystem) -> BusinessSystem:
    return visible(_SYSTEMS.filter(pk=system.pk), request.user).get()


@router.get("/municipalities/{code}/systems", response=list[SystemOut])
@paginate(Pages)
def list_systems(request, code: str):
    """The municipality's inventory of business systems, in the order they were registered (`id`)."""
    municipality = get_visible_or_404(Municipality.objects.all(), request.user, code=code)
    return queries.systems(request.user, municipalities=[municipality.pk])


@router.post("/municipalities/{code}/systems", response={201: SystemOut})
def create_system(request, code: str, payload: SystemIn):
    municipality = get_visible_or_404(Municipality.objects.all(), request.user, write=True, code=code)
    fields = _unique_name(request, municipality, _fields(payload.model_dump()))
    system = services.save_system(actor=request.user, via="api", municipality=municipality, **fields)
    return Status(201, _system_response(request, system))


@router.patch("/systems/{system_id}", response=SystemOut)
def update_system(request, system_id: int, payload: SystemPatch):
    system = get_visible_or_404(_SYSTEMS, request.user, write=True, pk=system_id)
    fields = _unique_name(request, system.municipality, _fields(payload.model_dump(exclude_unset=True)), system)
    services.save_system(actor=request.user, via="api", municipality=system.municipality, system=system, **fields)
    return _system_response(request, system)


# ---- cloud plans ------------------------------------------------------------------------------------------


class KpiIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str
    target: str = ""
    actual: str = ""


class KpiOut(Schema):
    name: str = ""
    target: str = ""
    actual: str = ""


class PlanMemberOut(Schema):
    code: str
    name: str


class CloudPlanOut(Schema):
    id: int
    association: int
    name: str
    category: str
    destination: str
    start_fy: int
    start_fy_label: str  # 和暦: 令和11年度
    members: list[PlanMemberOut]
    kpis: list[KpiOut]
    # The alignment as computed when the plan was saved, as stored: {category, start_fy, members: [{code, system,
    # join_fy, path, re_lease_years, phases: {"2026": [system state, 推進作業], …}}]}.
    result: dict

    @staticmethod
    def resolve_association(plan: CloudPlan) -> int:
        return plan.association_id

    @staticmethod
    def resolve_start_fy_label(plan: CloudPlan) -> str:
        return wareki_fiscal_year(plan.start_fy)

    @staticmethod
    def resolve_members(plan: CloudPlan) -> list[dict]:
        return [{"code": m.code, "name": m.name} for m in sorted(plan.members.all(), key=lambda m: m.code)]

    @staticmethod
    def resolve_kpis(plan: CloudPlan) -> list[dict]:
        return [kpi for kpi in plan.kpis or [] if isinstance(kpi, dict)]

    @staticmethod
    def resolve_result(plan: CloudPlan) -> dict:
        return plan.result if isinstance(plan.result, dict) else {}


class CloudPlanPatch(Schema):
    """Only the fields sent are changed; `kpis` replaces the plan's KPIs (their history stays in the audit log)."""

    model_config = ConfigDict(extra="forbid")

    name: str = None
    destination: str = None
    kpis: list[KpiIn] = None  # at most rules.MAX_KPIS: the service says so in words


def _plan(request, plan_id: int, *, write: bool = False) -> CloudPlan:
    """A plan of an association whose secretariat the user is (404 to anyone else, members' users included, as on
    the pages, which are the secretariat's)."""
    plan = get_visible_or_404(CloudPlan.objects.all(), request.user, pk=plan_id)
    association = association_for(request.user, plan.association_id, write=write)
    return get_visible_or_404(queries.plans(association, request.user), request.user, pk=plan_id)


@router.get("/associations/{association_id}/cloud-plans", response=list[CloudPlanOut])
@paginate(Pages, key="-pk")
def list_cloud_plans(request, association_id: int):
    """The association's saved cloud plans, the latest saved first."""
    association = association_for(request.user, association_id)
    return queries.plans(association, request.user)


@router.get("/cloud-plans/{plan_id}", response=CloudPlanOut)
def get_cloud_plan(request, plan_id: int):
    return _plan(request, plan_id)


@router.patch("/cloud-plans/{plan_id}", response=CloudPlanOut)
def update_cloud_plan(request, plan_id: int, payload: CloudPlanPatch):
    plan = _plan(request, plan_id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    services.update_plan(actor=request.user, via="api", plan=plan, **changes)
    return _plan(request, plan_id)
