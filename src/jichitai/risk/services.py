"""Writes to risk rows, countermeasures and association settings. Scores are always recomputed here."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from jichitai.audit.services import record, snapshot
from jichitai.handling.models import HandlingRow
from jichitai.handling.services import mark_edited

from . import rules
from .models import Countermeasure, RiskRow, RiskSettings

RISK_FIELDS = ("vulnerability", "vulnerability_rating", "threat", "threat_rating", "business_function",
               "total", "residual", "residual_risk")


def score(risk: RiskRow, measures) -> None:
    """Set total and residual from the handling row's stored value and the (reduction, factor) pairs."""
    value = risk.handling_row.asset_value
    risk.total = rules.total_score(value, risk.vulnerability_rating, risk.threat_rating)
    risk.residual = rules.residual_score(value, risk.vulnerability_rating, risk.threat_rating,
                                         [(m.reduction, m.factor) for m in measures])


def rescore(risk: RiskRow) -> None:
    score(risk, list(risk.countermeasures.all()))
    risk.save(update_fields=["total", "residual"])


def _check(risk: RiskRow) -> None:
    errors = {}
    for name in ("vulnerability_rating", "threat_rating"):
        value = getattr(risk, name)
        if value is None or not rules.RATING_MIN <= value <= rules.RATING_MAX:
            errors[name] = _("Enter a rating from 1 to 3.")
    if errors:
        raise ValidationError(errors)


def _measures_snapshot(measures) -> list[dict]:
    return [{"text": m.text, "reduction": str(rules.normalise_number(Decimal(m.reduction))), "factor": m.factor,
             "category": m.category} for m in measures]


@transaction.atomic
def save_risk_row(*, actor, via: str, handling_row: HandlingRow, countermeasures: list[dict] | None = None,
                  **fields) -> RiskRow:
    """Create or update the analysis of one handling row. `countermeasures`, when given, replace the old ones."""
    risk = getattr(handling_row, "risk", None)
    before = None
    if risk is not None:
        before = snapshot(risk, RISK_FIELDS) | {"countermeasures": _measures_snapshot(risk.countermeasures.all())}
    risk = risk or RiskRow(handling_row=handling_row)
    for name, value in fields.items():
        setattr(risk, name, value)
    _check(risk)
    measures = list(risk.countermeasures.all()) if risk.pk and countermeasures is None else [
        Countermeasure(position=i, **m) for i, m in enumerate(countermeasures or [])]
    for measure in measures:
        measure.full_clean(exclude=["risk_row"])
        if measure.reduction < 0:
            raise ValidationError(_("A reduction cannot be negative."))
    score(risk, measures)
    risk.full_clean()
    risk.save()
    if countermeasures is not None:
        risk.countermeasures.all().delete()
        for measure in measures:
            measure.risk_row = risk
        Countermeasure.objects.bulk_create(measures)
    after = snapshot(risk, RISK_FIELDS) | {"countermeasures": _measures_snapshot(measures)}
    if after != before:
        process = handling_row.process
        record(actor=actor, via=via, action="risk.update" if before else "risk.create", obj=risk,
               municipality=process.municipality, before=before, after=after)
        mark_edited(actor=actor, via=via, process=process)
    return risk


@transaction.atomic
def update_settings(*, actor, via: str, association, asset_value_method: str, acceptance_level: int) -> RiskSettings:
    """Change the association's method or level and recompute every member's stored values."""
    current, _created = RiskSettings.objects.get_or_create(association=association)
    before = snapshot(current, ("asset_value_method", "acceptance_level"))
    current.asset_value_method = asset_value_method
    current.acceptance_level = acceptance_level
    current.full_clean()
    current.save()
    after = snapshot(current, ("asset_value_method", "acceptance_level"))
    if after != before:
        record(actor=actor, via=via, action="risk.settings", obj=current, association=association,
               before=before, after=after)
        recompute_values(association)
    return current


def recompute_values(association) -> int:
    """Recompute 資産価値, 総合評価 and 残存評価 of every member row with the association's method."""
    method = RiskSettings.objects.get(association=association).asset_value_method
    rows = list(HandlingRow.objects.filter(process__municipality__association=association))
    for row in rows:
        row.asset_value = rules.asset_value(row.confidentiality, row.integrity, row.availability, method)
    HandlingRow.objects.bulk_update(rows, ["asset_value"], batch_size=1000)
    risks = list(RiskRow.objects.filter(handling_row__process__municipality__association=association)
                 .select_related("handling_row").prefetch_related("countermeasures"))
    for risk in risks:
        score(risk, list(risk.countermeasures.all()))
    RiskRow.objects.bulk_update(risks, ["total", "residual"], batch_size=1000)
    return len(rows)
