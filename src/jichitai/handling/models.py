from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number, reject_my_number_in_json
from jichitai.core.wareki import format_date
from jichitai.orgs.models import Department, Municipality, Staff
from jichitai.processes.models import Process

from . import rules

_TEXT = {"blank": True, "validators": [reject_my_number]}
_GUARD = {"validators": [reject_my_number]}  # identifiers, choices and numbers refuse it too


class ProcessAnalysis(models.Model):
    """The approval state of a process's flow, handling table and risk analysis, approved as one set."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")

    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="analysis")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT, **_GUARD)
    sheet_date = models.DateField(_("sheet date (日付)"), null=True, blank=True)
    # Seed 2-3 「定期的な見直し」: the last review of the set (an approval counts too, see rules.last_review) and
    # an interval of its own; blank takes the association's Association.review_interval_months.
    last_reviewed_on = models.DateField("最終見直し日", null=True, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        "見直し間隔（月）", null=True, blank=True,
        validators=[reject_my_number, MinValueValidator(rules.INTERVAL_MIN), MaxValueValidator(rules.INTERVAL_MAX)])

    TENANT_PATH = "process__municipality"

    def __str__(self) -> str:
        return f"{self.process} ({self.get_status_display()})"


class ApprovalEvent(models.Model):
    """Approvals and returns to draft; never deleted, so the approval history stays."""

    class Action(models.TextChoices):
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned to draft")

    analysis = models.ForeignKey(ProcessAnalysis, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=10, choices=Action.choices, **_GUARD)
    at = models.DateTimeField(default=timezone.now)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    by_name = models.CharField(max_length=150, **_GUARD)
    officer = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL,
                                verbose_name=_("protection officer (保護責任者)"))
    note = models.CharField(max_length=300, **_TEXT)

    TENANT_PATH = "analysis__process__municipality"

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {format_date(timezone.localtime(self.at))} {self.by_name}"


class FlowStep(models.Model):
    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="flow_steps")
    order = models.PositiveIntegerField(_("order"), **_GUARD)
    lane = models.CharField(_("lane"), max_length=12, choices=rules.LANES, **_GUARD)
    action = models.CharField(_("action"), max_length=300, validators=[reject_my_number])
    business_function = models.CharField(_("関連業務機能"), max_length=200, **_TEXT)
    stage = models.CharField(_("stage"), max_length=10, choices=rules.STAGES, blank=True, **_GUARD)
    assets = models.CharField(_("assets touched"), max_length=300, **_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    TENANT_PATH = "process__municipality"

    class Meta:
        ordering = ["process", "order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.action}"


class HandlingRow(models.Model):
    """One row of the 情報資産取扱手順表, with the seed's columns."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="handling_rows")
    row_id = models.CharField("ID", max_length=20, **_GUARD)
    asset_name = models.CharField(_("情報資産名称"), max_length=200, validators=[reject_my_number])
    kind = models.CharField(_("種類"), max_length=12, choices=rules.KINDS, **_GUARD)
    stage = models.CharField(_("取扱段階"), max_length=10, choices=rules.STAGES, **_GUARD)
    method = models.TextField(_("取扱方法"), **_TEXT)
    procedure = models.TextField(_("取扱手順"), **_TEXT)
    business_function = models.CharField(_("関連業務機能"), max_length=200, **_TEXT)
    responsible = models.CharField(_("責任者"), max_length=100, **_TEXT)
    responsible_duty = models.CharField(_("責任者任務"), max_length=200, **_TEXT)
    handler = models.CharField(_("担当者"), max_length=100, **_TEXT)
    handler_duty = models.CharField(_("担当者任務"), max_length=200, **_TEXT)
    notes = models.TextField(_("備考"), **_TEXT)
    confidentiality = models.PositiveSmallIntegerField(_("機密性"), **_GUARD)
    integrity = models.PositiveSmallIntegerField(_("完全性"), **_GUARD)
    availability = models.PositiveSmallIntegerField(_("可用性"), **_GUARD)
    asset_value = models.PositiveSmallIntegerField(_("資産価値"), **_GUARD)  # stored, recomputed by services
    # The seed's table has no such column: whether this handling is recorded (取扱記録, seed 2-3), so that a
    # process whose table says so and that has no recent record can be flagged.
    records_kept = models.BooleanField("取扱記録を残す", default=False, db_default=False)
    position = models.PositiveIntegerField(default=0, **_GUARD)
    created_at = models.DateTimeField(default=timezone.now)

    TENANT_PATH = "process__municipality"

    class Meta:
        ordering = ["process", "position", "id"]
        constraints = [models.UniqueConstraint(fields=["process", "row_id"], name="handling_row_id_unique")]

    def __str__(self) -> str:
        return f"{self.row_id} {self.asset_name}"


class ProcessTemplate(models.Model):
    """A model process published by an association: a snapshot of a flow, handling table and risk analysis.

    Members copy it into one of their processes (a copy, not a link) and adapt it.
    """

    association = models.ForeignKey("orgs.Association", on_delete=models.CASCADE, related_name="templates")
    name = models.CharField(_("template name"), max_length=200, validators=[reject_my_number])
    description = models.TextField(_("description"), **_TEXT)
    payload = models.JSONField(validators=[reject_my_number_in_json])
    source_process = models.ForeignKey(Process, null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.CharField(max_length=150, **_GUARD)

    ASSOCIATION_PATH = "association"

    class Meta:
        ordering = ["association", "name"]
        constraints = [models.UniqueConstraint(fields=["association", "name"], name="template_name_unique")]

    def __str__(self) -> str:
        return self.name


class HandlingRecord(models.Model):
    """One handling of an information asset of a handling row (seed 2-3 取扱記録): who, what, when.

    Never deleted nor edited once saved: a mistake is voided (取消) with a reason and entered again.
    """

    process = models.ForeignKey(Process, on_delete=models.PROTECT, related_name="handling_records")
    handling_row = models.ForeignKey(HandlingRow, on_delete=models.PROTECT, related_name="records",
                                     verbose_name="情報資産（取扱手順表の行）")
    occurred_at = models.DateTimeField("日時")
    person = models.ForeignKey(Staff, null=True, on_delete=models.SET_NULL, related_name="handling_records",
                               verbose_name="取扱者")
    person_name = models.CharField("取扱者氏名", max_length=100, **_GUARD)  # as it was when recorded
    action = models.CharField("取扱区分", max_length=10, choices=rules.RECORD_ACTIONS, **_GUARD)
    medium = models.CharField("媒体", max_length=100, **_TEXT)
    count = models.PositiveIntegerField(
        "件数", default=1,
        validators=[reject_my_number, MinValueValidator(1), MaxValueValidator(rules.COUNT_MAX)])
    purpose = models.CharField("目的", max_length=300, **_TEXT)
    approver = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name="承認者")
    approver_name = models.CharField("承認者氏名", max_length=100, **_TEXT)
    disposal_method = models.CharField("廃棄・消去の方法", max_length=200, **_TEXT)
    witness = models.CharField("立会者", max_length=100, **_TEXT)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.CharField(max_length=150, **_GUARD)
    voided_at = models.DateTimeField("取消日時", null=True, blank=True)
    voided_by = models.CharField(max_length=150, blank=True, **_GUARD)
    void_reason = models.CharField("取消理由", max_length=300, **_TEXT)

    TENANT_PATH = "process__municipality"

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [models.Index(fields=["process", "occurred_at"], name="handling_record_when")]
        constraints = [
            models.CheckConstraint(condition=models.Q(count__gte=1), name="handling_record_count_positive"),
        ]

    def __str__(self) -> str:
        return f"{timezone.localtime(self.occurred_at):%Y-%m-%d %H:%M} {self.get_action_display()} {self.person_name}"

    @property
    def voided(self) -> bool:
        return self.voided_at is not None

    def clean(self):
        problems = rules.record_problems(self.action, self.disposal_method, self.witness)
        if problems:
            raise ValidationError(problems)


class RulesDocument(models.Model):
    """A department's 取扱規程 (drafted by rules_draft from its approved handling tables) as reviewed: the
    guideline's 取扱規程等の見直し and seed 2-3 「定期的な見直し」."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="rules_documents")
    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="rules_documents")
    last_reviewed_on = models.DateField("最終見直し日", null=True, blank=True)
    review_interval_months = models.PositiveSmallIntegerField(
        "見直し間隔（月）", null=True, blank=True,
        validators=[reject_my_number, MinValueValidator(rules.INTERVAL_MIN), MaxValueValidator(rules.INTERVAL_MAX)])
    created_at = models.DateTimeField(default=timezone.now)

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality", "department__name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "department"], name="rules_document_unique")]

    def __str__(self) -> str:
        return f"取扱規程（{self.department.name}）"
