"""Scores of risk rows and the association's risk settings. Scores are always recomputed here.

The rows themselves are written by handling.services, which owns the analysis set they belong to."""

from django.db import transaction

from jichitai.audit.services import record, snapshot

from . import rules
from .models import RiskRow, RiskSettings


def score(risk: RiskRow, measures) -> None:
    """Set total and residual from the handling row's stored value and the (reduction, factor) pairs."""
    value = risk.handling_row.asset_value
    risk.total = rules.total_score(value, risk.vulnerability_rating, risk.threat_rating)
    risk.residual = rules.residual_score(value, risk.vulnerability_rating, risk.threat_rating,
                                         [(m.reduction, m.factor) for m in measures])


def rescore(risk: RiskRow) -> None:
    score(risk, list(risk.countermeasures.all()))
    risk.save(update_fields=["total", "residual"])


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
        for recompute in _SETTINGS_HOOKS:
            recompute(association)
    return current


# The stored scores of other apps' rows follow the method (handling rows' 資産価値); those apps register here
# in their AppConfig.ready() so that risk, which they build on, never imports them.
_SETTINGS_HOOKS = []


def on_settings_changed(recompute) -> None:
    """Call `recompute(association)` in the same transaction whenever an association's method or level changes."""
    if recompute not in _SETTINGS_HOOKS:
        _SETTINGS_HOOKS.append(recompute)


