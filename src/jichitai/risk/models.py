from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number, reject_my_number_in_json
from jichitai.orgs.models import Association

from . import rules

_TEXT = {"blank": True, "validators": [reject_my_number]}
_GUARD = {"validators": [reject_my_number]}  # choices and numbers refuse it too


def default_scales() -> dict:
    return rules.DEFAULT_SCALES


class RiskSettings(models.Model):
    """An association's method and scales. Members without settings use the seed's defaults."""

    association = models.OneToOneField(Association, on_delete=models.CASCADE, related_name="risk_settings")
    asset_value_method = models.CharField(_("asset value method"), max_length=12,
                                          choices=rules.ASSET_VALUE_METHODS,
                                          default=rules.DEFAULT_ASSET_VALUE_METHOD, **_GUARD)
    acceptance_level = models.PositiveSmallIntegerField(_("acceptance level (residual needing attention)"),
                                                        default=rules.DEFAULT_ACCEPTANCE_LEVEL, **_GUARD)
    scales = models.JSONField(default=default_scales, validators=[reject_my_number_in_json])

    ASSOCIATION_PATH = "association"

    def __str__(self) -> str:
        return f"{self.association} risk settings"


class RiskRow(models.Model):
    """One row of the リスク分析表, linked to its handling row by ID."""

    handling_row = models.OneToOneField("handling.HandlingRow", on_delete=models.CASCADE, related_name="risk")
    vulnerability = models.TextField(_("脆弱性"), **_TEXT)
    vulnerability_rating = models.PositiveSmallIntegerField(_("脆弱性評価"), **_GUARD)
    threat = models.TextField(_("脅威"), **_TEXT)
    threat_rating = models.PositiveSmallIntegerField(_("脅威評価"), **_GUARD)
    business_function = models.CharField(_("関連業務機能"), max_length=200, **_TEXT)
    total = models.PositiveIntegerField(_("総合評価"), **_GUARD)  # stored, recomputed by services
    residual = models.DecimalField(_("残存評価"), max_digits=8, decimal_places=2)
    residual_risk = models.TextField(_("残存リスク"), **_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    TENANT_PATH = "handling_row__process__municipality"

    def __str__(self) -> str:
        return f"{self.handling_row.row_id} {self.total}→{self.residual}"


class Countermeasure(models.Model):
    risk_row = models.ForeignKey(RiskRow, on_delete=models.CASCADE, related_name="countermeasures")
    position = models.PositiveSmallIntegerField(default=0, **_GUARD)
    text = models.TextField(_("対策"), validators=[reject_my_number])
    reduction = models.DecimalField(_("reduction"), max_digits=4, decimal_places=2, default=0)
    factor = models.CharField(_("factor reduced"), max_length=14, choices=rules.FACTORS, default="vulnerability",
                              **_GUARD)
    category = models.CharField(_("category"), max_length=14, choices=rules.CATEGORIES, blank=True, **_GUARD)

    TENANT_PATH = "risk_row__handling_row__process__municipality"

    class Meta:
        ordering = ["risk_row", "position", "id"]

    def __str__(self) -> str:
        return self.text
