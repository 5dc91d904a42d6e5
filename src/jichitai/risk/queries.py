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
    return settings_for_association(municipality.association_id)


def settings_for_association(association_id: int | None) -> EffectiveSettings:
    found = RiskSettings.objects.filter(association_id=association_id).first() if association_id else None
    if found is None:
        return DEFAULTS
    return EffectiveSettings(found.asset_value_method, found.acceptance_level, found.scales)


def _level_bands(level: int) -> dict:
    from django.db.models import Count, Q

    return {
        "rows": Count("handling_rows", distinct=True),
        "analysed": Count("handling_rows__risk", distinct=True),
        "attention": Count("handling_rows__risk", filter=Q(handling_rows__risk__residual__gte=level), distinct=True),
        "watch": Count("handling_rows__risk", filter=Q(handling_rows__risk__residual__gte=level / 2,
                                                       handling_rows__risk__residual__lt=level), distinct=True),
    }


def municipality_picture(processes, level: int) -> dict:
    """The risk picture of a municipality: heat map, per-process coverage. Three queries."""
    from django.db.models import Count

    from .models import RiskRow

    risks = RiskRow.objects.filter(handling_row__process__in=processes)
    heat = {(v, t): n for v, t, n in risks.order_by().values_list("vulnerability_rating", "threat_rating")
            .annotate(n=Count("id")).values_list("vulnerability_rating", "threat_rating", "n")}
    coverage = list(processes.annotate(**_level_bands(level)).order_by("name"))
    grid = [[heat.get((v, t), 0) for t in range(rules.RATING_MIN, rules.RATING_MAX + 1)]
            for v in range(rules.RATING_MAX, rules.RATING_MIN - 1, -1)]
    return {"grid": grid, "peak": max((n for row in grid for n in row), default=0), "coverage": coverage,
            "unanalysed": [p for p in coverage if p.rows == 0 or p.analysed < p.rows]}


def top_residuals(processes, limit: int = 50):
    from .models import RiskRow

    return (RiskRow.objects.filter(handling_row__process__in=processes)
            .select_related("handling_row__process").prefetch_related("countermeasures")
            .order_by("-residual", "-total", "handling_row__process__name")[:limit])


def association_distribution(members, level: int):
    """Per member: rows, analysed rows and residual bands. One query."""
    from django.db.models import Count, F, Q

    return list(members.annotate(
        rows=Count("processes__handling_rows", distinct=True),
        analysed=Count("processes__handling_rows__risk", distinct=True),
        attention=Count("processes__handling_rows__risk",
                        filter=Q(processes__handling_rows__risk__residual__gte=level), distinct=True),
        watch=Count("processes__handling_rows__risk",
                    filter=Q(processes__handling_rows__risk__residual__gte=level / 2,
                             processes__handling_rows__risk__residual__lt=level), distinct=True),
        documented=Count("processes", filter=Q(processes__handling_rows__isnull=False), distinct=True),
    ).annotate(low=F("analysed") - F("attention") - F("watch")).order_by("code"))
