"""The one write of the 経費比較: the secretariat's estimate of the joint cloud and how members share it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from jichitai.audit.services import update_audited

from . import rules
from .models import CloudPlan

COST_FIELDS = ("joint_initial_cost", "joint_annual_cost", "share_rule", "equal_share_percent", "cost_years")
# field: (smallest, largest, may be empty, label)
LIMITS = {"joint_initial_cost": (0, rules.COST_MAX, True, "共同クラウドの初期経費"),
          "joint_annual_cost": (0, rules.COST_MAX, True, "共同クラウドの年間経費"),
          "equal_share_percent": (0, 100, False, "均等割の割合"),
          "cost_years": (1, 20, False, "比較期間")}


def cost_errors(fields: dict) -> dict[str, str]:
    """What is wrong with the values, in Japanese, per field (the model validates again on save)."""
    errors = {}
    for name in set(fields) - set(COST_FIELDS):
        errors[name] = "経費の項目ではありません。"
    for name, (low, high, optional, label) in LIMITS.items():
        if name not in fields:
            continue
        value = fields[name]
        if value is None:
            if not optional:
                errors[name] = f"{label}を入力してください。"
        elif not isinstance(value, int) or isinstance(value, bool):
            errors[name] = f"{label}は整数で入力してください。"
        elif not low <= value <= high:
            errors[name] = f"{label}は{low:,}〜{high:,}の範囲で入力してください。"
    if "share_rule" in fields and fields["share_rule"] not in dict(rules.SHARE_RULES):
        errors["share_rule"] = "負担割合の決め方は均等割・人口割・併用から選んでください。"
    return errors


@transaction.atomic
def update_plan_costs(*, actor, via: str, plan: CloudPlan, **fields) -> CloudPlan:
    """Change the plan's cost estimate (千円), sharing rule, 均等割 percentage or comparison period.

    Refused values raise ValidationError (Japanese, per field) and nothing is written. Audited as
    "cloud_plan.costs" with the fields before and after, when something changed."""
    errors = cost_errors(fields)
    if errors:
        raise ValidationError(errors)
    locked = CloudPlan.objects.select_for_update().select_related("association").get(pk=plan.pk)
    return update_audited(actor=actor, via=via, obj=locked, changes=fields, fields=COST_FIELDS,
                          action="cloud_plan.costs", association=locked.association)
