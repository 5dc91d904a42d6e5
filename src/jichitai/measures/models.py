"""Safe-management-measure frameworks (loaded as data) and each municipality's assessment of their items."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number
from jichitai.core.wareki import format_date
from jichitai.orgs.models import Department, Municipality, Staff

from . import rules

_TEXT = {"blank": True, "validators": [reject_my_number]}
_GUARD = {"validators": [reject_my_number]}  # identifiers, choices and numbers refuse it too


class Framework(models.Model):
    """A checklist: the guideline's 別添 (shipped), or another list loaded with `jichitai loadframework`.

    Reference data like the 別表: readable by everyone signed in. A list loaded for one municipality
    (its own セキュリティ強靱化 list) has that municipality as owner and applies to it alone.
    """

    code = models.CharField(_("code"), max_length=40, unique=True, **_GUARD)
    name = models.CharField(_("name"), max_length=300, validators=[reject_my_number])
    source = models.TextField(_("source"), **_TEXT)
    revision = models.CharField(_("revision"), max_length=100, **_TEXT)
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="own_frameworks", verbose_name=_("only for"))

    # The guideline's framework (no owner) is everyone's; a municipality's own list is its own.
    TENANT_PATH = "municipality"
    SHARED_WHEN_UNOWNED = True

    class Meta:
        ordering = ["id"]  # load order: the shipped guideline first

    def __str__(self) -> str:
        return self.name


class FrameworkItem(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="items")
    item_id = models.CharField(_("ID"), max_length=rules.ITEM_ID_MAX, **_GUARD)
    category = models.CharField(_("区分"), max_length=rules.CATEGORY_MAX, validators=[reject_my_number])
    title = models.CharField(_("項目"), max_length=rules.TITLE_MAX, validators=[reject_my_number])
    guidance = models.TextField(_("解説"), **_TEXT)
    departmental = models.BooleanField(_("課室単位"), default=False)
    position = models.PositiveIntegerField(default=0, **_GUARD)
    # An item dropped by a later revision of its file: kept with its assessments, no longer asked for.
    active = models.BooleanField(default=True)

    TENANT_PATH = "framework__municipality"
    SHARED_WHEN_UNOWNED = True

    class Meta:
        ordering = ["framework", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["framework", "item_id"], name="framework_item_unique")]

    def __str__(self) -> str:
        return f"{self.item_id} {self.title}"

    @property
    def countermeasure_category(self) -> str | None:
        return rules.countermeasure_category(self.category)


class Assessment(models.Model):
    """One municipality's answer for one item (per department for departmental items). Missing = 未対応."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="assessments")
    item = models.ForeignKey(FrameworkItem, on_delete=models.CASCADE, related_name="assessments")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.CASCADE,
                                   related_name="assessments", verbose_name=_("department"))
    status = models.CharField(_("status"), max_length=16, choices=rules.STATUSES, default=rules.DEFAULT_STATUS,
                              **_GUARD)
    evidence_note = models.TextField(_("evidence note"), **_TEXT)
    owner = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                              verbose_name=_("owner"))
    review_on = models.DateField(_("review date"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality", "item", "department__name"]
        # Two partial constraints because NULL departments never collide in a plain unique constraint.
        constraints = [
            models.UniqueConstraint(fields=["municipality", "item", "department"],
                                    condition=Q(department__isnull=False), name="assessment_department_unique"),
            models.UniqueConstraint(fields=["municipality", "item"], condition=Q(department__isnull=True),
                                    name="assessment_whole_unique"),
        ]

    def __str__(self) -> str:
        where = f" {self.department}" if self.department_id else ""
        return f"{self.item.item_id}{where} {rules.STATUS_LABEL.get(self.status, self.status)}"


class AssessmentChange(models.Model):
    """Every status an assessment took and the day it took it, so the checklist can be evaluated as of a date."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="changes")
    status = models.CharField(max_length=16, choices=rules.STATUSES, **_GUARD)
    effective_on = models.DateField(default=timezone.localdate)

    TENANT_PATH = "assessment__municipality"

    class Meta:
        ordering = ["effective_on", "id"]

    def __str__(self) -> str:
        return f"{format_date(self.effective_on)} {self.status}"
