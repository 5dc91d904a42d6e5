"""Read models of the risk picture, each in a fixed number of queries."""

from dataclasses import dataclass

from . import rules
from .models import RiskSettings


@dataclass(frozen=True)
class EffectiveSettings:
    asset_value_method: str
    acceptance_level: int
    scales: dict


DEFAULTS = EffectiveSettings(rules.DEFAULT_ASSET_VALUE_METHOD, rules.DEFAULT_ACCEPTANCE_LEVEL, rules.DEFAULT_SCALES)


def settings_for(municipality) -> EffectiveSettings:
    """The association's settings, or the seed's defaults for a municipality without one."""
    if municipality.association_id is None:
        return DEFAULTS
    found = RiskSettings.objects.filter(association_id=municipality.association_id).first()
    if found is None:
        return DEFAULTS
    return EffectiveSettings(found.asset_value_method, found.acceptance_level, found.scales)
