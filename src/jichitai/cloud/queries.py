"""Cloud querysets with their joins in one place; every one is filtered by orgs.scoping.visible first."""

from django.db.models import Q

from jichitai.audit.models import AuditEntry
from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import visible

from . import rules
from .models import BusinessSystem, CloudPlan


def members(association, user):
    return visible(Municipality.objects.members_of(association), user).order_by("code")


def systems(user, *, municipalities=None, category: str | None = None):
    qs = visible(BusinessSystem.objects.select_related("municipality", "standard_area"), user)
    if municipalities is not None:
        qs = qs.filter(municipality__in=municipalities)
    if category:
        qs = qs.filter(category=category)
    return qs


# The inventory page's sorts. Each ends with the id, a unique tie-breaker, so that rows of equal keys keep one
# order and no page boundary repeats or skips a row.
INVENTORY_SORTS = {
    "category": ("category", "name", "id"),
    "name": ("name", "id"),
    "contract_end_fy": ("contract_end_fy", "category", "name", "id"),
    "vendor": ("vendor", "name", "id"),
    "migration_status": ("migration_status", "category", "name", "id"),
}


def inventory(user, municipality_id: int, *, category: str | None = None, hosting: str | None = None,
              migration_status: str | None = None, q: str | None = None, sort: str | None = None):
    """One municipality's systems as its inventory page lists and exports them: filtered (q: a part of the
    system's name or vendor) and sorted in the database (an unknown sort: by category and name)."""
    qs = systems(user, municipalities=[municipality_id], category=category)
    if hosting:
        qs = qs.filter(hosting=hosting)
    if migration_status:
        qs = qs.filter(migration_status=migration_status)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(vendor__icontains=q))
    return qs.order_by(*INVENTORY_SORTS.get(sort or "category", INVENTORY_SORTS["category"]))


def categories(user, municipalities) -> list[str]:
    qs = visible(BusinessSystem.objects.filter(municipality__in=municipalities), user)
    return sorted(set(qs.values_list("category", flat=True)))


def alignment_members(system_list) -> list[rules.Member]:
    """One rules.Member per system, members in code order (rules.deciding picks each member's system due first)."""
    return [rules.Member(s.municipality.code, s.contract_end_fy, s.re_lease_years, s.early_termination, s.name,
                         joined=s.hosting == rules.JOINED_HOSTING)
            for s in sorted(system_list, key=lambda s: (s.municipality.code, s.contract_end_fy, s.name))]


SNAPSHOT_FIELDS = ("name", "category", "contract_end_fy", "re_lease_years", "early_termination", "hosting",
                   "annual_cost", "initial_cost", "re_lease_annual_cost")


def inventory_snapshot(system_list) -> list[dict]:
    """The systems an alignment is computed from, as a saved plan keeps them (CloudPlan.inventory)."""
    return [{"code": s.municipality.code} | {name: getattr(s, name) for name in SNAPSHOT_FIELDS}
            for s in sorted(system_list, key=lambda s: (s.municipality.code, s.contract_end_fy, s.name))]


def compute_alignment(system_list, category: str, parameters: dict, *, start_fy: int | None = None) -> tuple[dict, list]:
    """(the saved result, the inventory snapshot) of an alignment of these systems with these parameters
    ({as_of_fy, lead_time, interim_years}): what the align page shows, a plan saves and a recomputation offers."""
    system_list = list(system_list)
    alignment = rules.align(alignment_members(system_list), parameters["as_of_fy"],
                            lead_time=parameters["lead_time"], interim_years=parameters["interim_years"],
                            start_fy=start_fy)
    return alignment_json(category, alignment), inventory_snapshot(system_list)


def plan_parameters(plan: CloudPlan, default_lead_time: int) -> dict:
    """A saved plan's parameters; a plan saved before they were kept: its first year, the association's lead time."""
    saved = plan.parameters or {}
    years = [int(y) for m in plan.result.get("members", []) for y in m.get("phases", {})]
    return {"as_of_fy": saved.get("as_of_fy") or (min(years) if years else plan.start_fy),
            "lead_time": saved.get("lead_time", default_lead_time),
            "interim_years": saved.get("interim_years") or rules.DEFAULT_INTERIM_YEARS}


def plans(association, user):
    return visible(CloudPlan.objects.filter(association=association), user).prefetch_related("members")


def alignment_json(category: str, alignment: rules.Alignment) -> dict:
    """The cloud-align command's document (fiscal years as western integers; JSON keys become strings)."""
    return {"category": category, "start_fy": alignment.start_fy, "members": [
        {"code": a.code, "system": a.system, "join_fy": a.join_fy, "path": a.path, "re_lease_years": a.re_lease_years,
         "phases": {str(year): list(cell) for year, cell in a.phases.items()}} for a in alignment.members]}


def kpi_history(plan: CloudPlan, user, limit: int = 50) -> list[dict]:
    """The plan's KPI changes, newest first, from the audit log (the only record of what they were). One query."""
    entries = visible(AuditEntry.objects.filter(object_type=CloudPlan._meta.label, object_id=str(plan.pk),
                                                action__in=("cloud_plan.create", "cloud_plan.update")), user)
    history = []
    for entry in entries.order_by("-at", "-id")[:limit]:
        before, after = (entry.before or {}).get("kpis"), (entry.after or {}).get("kpis")
        if entry.action == "cloud_plan.update" and before == after:
            continue  # a change of name or destination only
        history.append({"at": entry.at, "actor": entry.actor_name, "before": None if before is None
                        else rules.kpi_text(before), "after": rules.kpi_text(after)})
    return history
