"""課題分析 workshops and 3カ年 action plans: owned by an association (its secretariat writes, members read)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number, reject_my_number_in_json, validate_fiscal_year
from jichitai.orgs.models import Association, Municipality

from . import rules

_TEXT = {"blank": True, "validators": [reject_my_number]}
_GUARD = {"validators": [reject_my_number]}  # identifiers, choices and numbers refuse it too
_SCORE = [MinValueValidator(rules.SCORE_MIN), MaxValueValidator(rules.SCORE_MAX)]


def default_criteria() -> list[dict]:
    return [dict(c) for c in rules.DEFAULT_CRITERIA]


class Workshop(models.Model):
    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="workshops")
    name = models.CharField(_("name"), max_length=200, validators=[reject_my_number])
    held_on = models.DateField(_("held on"), null=True, blank=True)
    # [{"name", "weight"}], a retired criterion also {"retired_on": "YYYY-MM-DD"}: shown, no longer scored or counted.
    criteria = models.JSONField(default=default_criteria, validators=[reject_my_number_in_json])
    published = models.BooleanField(_("published"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    ASSOCIATION_PATH = "association"

    class Meta:
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return self.name


class Issue(models.Model):
    workshop = models.ForeignKey(Workshop, on_delete=models.CASCADE, related_name="issues")
    position = models.PositiveSmallIntegerField(default=0, **_GUARD)
    title = models.CharField(_("主要課題"), max_length=300, validators=[reject_my_number])
    summary = models.TextField(_("要点"), **_TEXT)
    # What an imported sheet stated; kept to show beside the recomputed values.
    stated_total = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    stated_rank = models.PositiveSmallIntegerField(null=True, blank=True, **_GUARD)
    # A retired issue keeps its scores and actions but is no longer ranked, scored or planned for.
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    ASSOCIATION_PATH = "workshop__association"

    class Meta:
        ordering = ["workshop", "position", "id"]

    def __str__(self) -> str:
        return self.title


class Score(models.Model):
    """One participant's score of one issue on one criterion."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="scores")
    participant = models.CharField(_("participant"), max_length=100, validators=[reject_my_number])
    municipality = models.ForeignKey(Municipality, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    criterion = models.CharField(max_length=50, **_GUARD)
    value = models.DecimalField(max_digits=2, decimal_places=1, validators=_SCORE)

    ASSOCIATION_PATH = "issue__workshop__association"

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issue", "participant", "criterion"],
                                               name="planning_score_once")]

    def __str__(self) -> str:
        return f"{self.participant} {self.criterion} {self.value}"


class ImportedAverage(models.Model):
    """An average taken from an imported sheet where the participants' scores are not known."""

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="imported_averages")
    criterion = models.CharField(max_length=50, **_GUARD)
    value = models.DecimalField(max_digits=6, decimal_places=3, validators=_SCORE)

    ASSOCIATION_PATH = "issue__workshop__association"

    def __str__(self) -> str:
        return f"{self.criterion} {self.value}"


class ActionItem(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="actions")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=[validate_fiscal_year])
    half = models.CharField(_("half"), max_length=6, choices=rules.HALVES, **_GUARD)
    text = models.CharField(_("action"), max_length=300, validators=[reject_my_number])
    owner = models.CharField(_("owner"), max_length=100, **_TEXT)
    status = models.CharField(_("status"), max_length=12, choices=rules.STATUSES, default="not_started", **_GUARD)
    # A retired action stays in the table (struck from the chart and the export): the plan's history.
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    ASSOCIATION_PATH = "issue__workshop__association"

    class Meta:
        ordering = ["issue__position", "fiscal_year", "half", "id"]

    def __str__(self) -> str:
        return self.text
