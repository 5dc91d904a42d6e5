"""Cloud querysets with their joins in one place; every one is filtered by orgs.scoping.visible first."""

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


def categories(user, municipalities) -> list[str]:
    qs = visible(BusinessSystem.objects.filter(municipality__in=municipalities), user)
    return sorted(set(qs.values_list("category", flat=True)))


def alignment_members(system_list) -> list[rules.Member]:
    """One rules.Member per municipality: its system of the category due first decides when it can move."""
    chosen: dict[str, BusinessSystem] = {}
    for system in system_list:
        code = system.municipality.code
        if code not in chosen or system.contract_end_fy < chosen[code].contract_end_fy:
            chosen[code] = system
    return [rules.Member(code, s.contract_end_fy, s.re_lease_years, s.early_termination)
            for code, s in sorted(chosen.items())]


def plans(association, user):
    return visible(CloudPlan.objects.filter(association=association), user).prefetch_related("members")


def alignment_json(category: str, alignment: rules.Alignment) -> dict:
    """The cloud-align command's document (fiscal years as western integers; JSON keys become strings)."""
    return {"category": category, "start_fy": alignment.start_fy, "members": [
        {"code": a.code, "join_fy": a.join_fy, "path": a.path, "re_lease_years": a.re_lease_years,
         "phases": {str(year): label for year, label in a.phases.items()}} for a in alignment.members]}


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
