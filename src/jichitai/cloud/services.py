"""The only code that writes cloud data: one transaction per action, each audited."""

import json
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction

from jichitai.audit.services import create_audited, record, update_audited

from . import rules
from .models import BusinessSystem, CloudPlan, StandardArea

AREAS_PATH = Path(__file__).resolve().parent.parent / "data" / "standard_business_areas.json"
SYSTEM_FIELDS = ("name", "category", "standard_area", "vendor", "contract_start_fy", "contract_end_fy",
                 "re_lease_years", "early_termination", "hosting", "standard_conformance", "migration_status",
                 "annual_cost", "initial_cost", "re_lease_annual_cost")
PLAN_FIELDS = ("name", "category", "destination", "start_fy", "kpis")


def read_areas(path: Path = AREAS_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@transaction.atomic
def load_standard_areas(*, actor=None, path: Path = AREAS_PATH) -> dict:
    """Create or update the 20 標準化対象業務. Running it twice changes nothing the second time."""
    data = read_areas(path)
    existing = {area.name: area for area in StandardArea.objects.all()}
    created = updated = 0
    for row in data["areas"]:
        area = existing.get(row["name"])
        if area is None:
            StandardArea.objects.create(name=row["name"], position=row["position"])
            created += 1
        elif area.position != row["position"]:
            area.position = row["position"]
            area.save(update_fields=["position"])
            updated += 1
    result = {"created": created, "updated": updated, "total": StandardArea.objects.count(),
              "revision": data["revision"]}
    if created or updated:
        record(actor=actor, via="command", action="standard_areas.load", obj=StandardArea.objects.first(),
               after=result)
    return result


@transaction.atomic
def save_system(*, actor, via: str, municipality, system: BusinessSystem | None = None, **fields) -> BusinessSystem:
    if system is None:
        return create_audited(actor=actor, via=via, obj=BusinessSystem(municipality=municipality, **fields),
                              fields=SYSTEM_FIELDS, action="business_system.create", municipality=municipality)
    update_audited(actor=actor, via=via, obj=system, changes=fields, fields=SYSTEM_FIELDS,
                   action="business_system.update", municipality=municipality)
    return system


def _check_kpis(kpis) -> list[dict]:
    errors = rules.kpi_errors(kpis if isinstance(kpis, list) else [None])
    if errors:
        raise ValidationError(errors)
    return [{key: kpi.get(key, "").strip() for key in rules.KPI_KEYS} for kpi in kpis]


@transaction.atomic
def save_plan(*, actor, via: str, association, members, result: dict, **fields) -> CloudPlan:
    if "kpis" in fields:
        fields["kpis"] = _check_kpis(fields["kpis"])
    plan = CloudPlan(association=association, result=result, **fields)
    plan.full_clean()
    plan.save()
    plan.members.set(members)
    record(actor=actor, via=via, action="cloud_plan.create", obj=plan, association=association,
           after={name: getattr(plan, name) for name in PLAN_FIELDS} | {"members": sorted(m.code for m in members)})
    return plan


@transaction.atomic
def recompute_plan(*, actor, via: str, plan: CloudPlan, result: dict, inventory: list[dict]) -> CloudPlan:
    """Replace a plan's alignment with one computed from today's inventory (its members, category and parameters
    unchanged); the audit entry keeps the start year and the systems' paths before and after."""
    plan = CloudPlan.objects.select_for_update().get(pk=plan.pk)
    before = _alignment_summary(plan.result)
    plan.result, plan.inventory = result, inventory
    plan.start_fy = result["start_fy"]
    plan.full_clean()
    plan.save(update_fields=["result", "inventory", "start_fy"])
    record(actor=actor, via=via, action="cloud_plan.recompute", obj=plan, association=plan.association,
           before=before, after=_alignment_summary(result))
    return plan


def _alignment_summary(result: dict) -> dict:
    return {"start_fy": result.get("start_fy"),
            "paths": sorted(f"{m['code']} {m.get('system', '')}: {rules.PATH_LABEL.get(m['path'], m['path'])} "
                            f"{m['join_fy']}" for m in result.get("members", []))}


@transaction.atomic
def update_plan(*, actor, via: str, plan: CloudPlan, **changes) -> CloudPlan:
    """Change a plan's name, destination or KPIs. The audit entry keeps the KPIs before and after: their history."""
    if "kpis" in changes:
        changes["kpis"] = _check_kpis(changes["kpis"])
    plan = CloudPlan.objects.select_for_update().get(pk=plan.pk)  # `before` as stored
    before = {name: getattr(plan, name) for name in PLAN_FIELDS}
    for key, value in changes.items():
        setattr(plan, key, value)
    plan.full_clean()
    plan.save()
    after = {name: getattr(plan, name) for name in PLAN_FIELDS}
    if before != after:
        record(actor=actor, via=via, action="cloud_plan.update", obj=plan, association=plan.association,
               before=before, after=after)
    return plan


@transaction.atomic
def save_kpis(*, actor, via: str, plan: CloudPlan, kpis: list[dict]) -> CloudPlan:
    """Replace the plan's KPIs (added, changed, removed): audited as cloud_plan.update with both lists."""
    return update_plan(actor=actor, via=via, plan=plan, kpis=kpis)


def targets_by_status(path: Path = AREAS_PATH) -> dict:
    """The target date per migration status; statuses still on the way are held to the standard target."""
    targets = {t["status"]: t for t in read_areas(path)["targets"]}
    for status in ("not_started", "in_progress"):
        targets[status] = targets["standard_conforming"]
    return targets
