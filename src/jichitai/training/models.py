"""Curriculum, plans, sessions and attendance (番号法 第29条の2, 施行令 第32条)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number, reject_my_number_in_json, validate_fiscal_year
from jichitai.core.wareki import format_date
from jichitai.orgs.models import Association, Municipality, Staff

from . import rules

_TEXT = {"validators": [reject_my_number]}


class Course(models.Model):
    """A course of the curriculum. Shipped (both owners empty), an association's, or a municipality's own.

    Tenancy (orgs.scoping): a municipality's or an association's own courses are theirs; the shipped ones are read
    by everyone and written by no one.
    """

    code = models.CharField(_("code"), max_length=20, **_TEXT)
    title = models.CharField(_("title"), max_length=200, **_TEXT)
    audience = models.JSONField(_("audience roles"), default=list, blank=True,
                                validators=[reject_my_number_in_json])  # Staff.Role values
    description = models.TextField(_("description"), blank=True, **_TEXT)
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=1, default=2,
                                validators=[MinValueValidator(0)])
    statutory = models.BooleanField(_("statutory annual training (施行令 第32条)"), default=False)
    association = models.ForeignKey(Association, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="courses")
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="courses")
    revision = models.CharField(max_length=80, blank=True, **_TEXT)  # the shipped curriculum's revision
    # A retired course is offered for no new plan item or session; the records that name it keep it.
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    # The shipped curriculum (no owner) is read by everyone; an association's or a municipality's own
    # courses by its users.
    TENANT_PATH = "municipality"
    ASSOCIATION_PATH = "association"
    SHARED_WHEN_UNOWNED = True

    class Meta:
        ordering = ["association", "municipality", "code"]
        constraints = [
            models.UniqueConstraint(fields=["code"], condition=Q(association__isnull=True, municipality__isnull=True),
                                    name="course_shipped_code_unique"),
            models.UniqueConstraint(fields=["association", "code"], condition=Q(association__isnull=False),
                                    name="course_association_code_unique"),
            models.UniqueConstraint(fields=["municipality", "code"], condition=Q(municipality__isnull=False),
                                    name="course_municipality_code_unique"),
            models.CheckConstraint(condition=Q(association__isnull=True) | Q(municipality__isnull=True),
                                   name="course_one_owner"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def audience_labels(self) -> list[str]:
        labels = dict(Staff.Role.choices)
        return [str(labels.get(role, role)) for role in self.audience]

    @property
    def is_shipped(self) -> bool:
        return self.municipality_id is None and self.association_id is None

    @property
    def owner_label(self) -> str:
        if self.municipality_id:
            return str(self.municipality)
        if self.association_id:
            return str(self.association)
        return "共通カリキュラム"


class TrainingSettings(models.Model):
    """An association's reading of おおむね一年ごと. Members without settings use the defaults (12 months, 60 days)."""

    association = models.OneToOneField(Association, on_delete=models.CASCADE, related_name="training_settings")
    window_months = models.PositiveSmallIntegerField(
        _("window (months)"), default=rules.DEFAULT_WINDOW_MONTHS,
        validators=[MinValueValidator(rules.WINDOW_MONTHS_MIN), MaxValueValidator(rules.WINDOW_MONTHS_MAX)])
    due_soon_days = models.PositiveSmallIntegerField(
        _("due soon (days)"), default=rules.DEFAULT_DUE_SOON_DAYS,
        validators=[MinValueValidator(rules.DUE_SOON_DAYS_MIN), MaxValueValidator(rules.DUE_SOON_DAYS_MAX)])

    ASSOCIATION_PATH = "association"

    def __str__(self) -> str:
        return f"{self.association} training settings"


class TrainingPlan(models.Model):
    """研修計画: made in advance for a fiscal year (施行令 第32条)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="training_plans")
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), validators=[validate_fiscal_year])
    created_at = models.DateTimeField(auto_now_add=True)

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["municipality", "fiscal_year"], name="training_plan_unique")]

    def __str__(self) -> str:
        from jichitai.core.wareki import fiscal_year_label

        return f"{self.municipality} {fiscal_year_label(self.fiscal_year)} 研修計画"


class PlanItem(models.Model):
    plan = models.ForeignKey(TrainingPlan, on_delete=models.CASCADE, related_name="items")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="plan_items", verbose_name=_("course"))
    roles = models.JSONField(_("roles"), default=list, blank=True, validators=[reject_my_number_in_json])
    planned_month = models.PositiveSmallIntegerField(
        _("planned month"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)])
    planned_on = models.DateField(_("planned date"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, **_TEXT)
    # An item a session of the fiscal year carried out is retired, never deleted: the plan keeps what it said.
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    TENANT_PATH = "plan__municipality"

    class Meta:
        ordering = ["plan", "course__code", "id"]

    def __str__(self) -> str:
        return f"{self.plan.fiscal_year} {self.course.code}"

    @property
    def role_labels(self) -> list[str]:
        labels = dict(Staff.Role.choices)
        return [str(labels.get(role, role)) for role in self.roles]


class Session(models.Model):
    """One held session of a course. A joint session is organised by the association for several members.

    Tenancy (orgs.scoping): the organiser writes a session; a participating municipality reads it (the organiser
    always participates) and marks its own people's attendance.
    """

    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="sessions", verbose_name=_("course"))
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True, **_TEXT)
    organiser_municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.CASCADE,
                                               related_name="organised_sessions")
    organiser_association = models.ForeignKey(Association, null=True, blank=True, on_delete=models.CASCADE,
                                              related_name="organised_sessions")
    participants = models.ManyToManyField(Municipality, related_name="training_sessions", blank=True,
                                          verbose_name=_("participating municipalities"))
    has_test = models.BooleanField(_("test held"), default=False)
    has_survey = models.BooleanField(_("survey held"), default=False)

    # The organiser writes a session; a participating municipality reads it (and marks its own attendance).
    TENANT_PATH = ("organiser_municipality", "participants")
    ASSOCIATION_PATH = "organiser_association"
    READ_ONLY_PATHS = ("participants",)

    class Meta:
        ordering = ["-held_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(organiser_municipality__isnull=True, organiser_association__isnull=False)
                | Q(organiser_municipality__isnull=False, organiser_association__isnull=True),
                name="session_one_organiser"),
        ]
        indexes = [models.Index(fields=["held_on"])]

    def __str__(self) -> str:
        return f"{format_date(self.held_on)} {self.course}"

    @property
    def is_joint(self) -> bool:
        return self.organiser_association_id is not None


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="attendances")
    attended = models.BooleanField(_("attended"), default=True)
    test_score = models.PositiveSmallIntegerField(
        _("test score"), null=True, blank=True,
        validators=[MinValueValidator(rules.SCORE_MIN), MaxValueValidator(rules.SCORE_MAX)])
    survey_submitted = models.BooleanField(_("survey submitted"), default=False)

    TENANT_PATH = "staff__municipality"

    class Meta:
        ordering = ["session", "staff"]
        constraints = [models.UniqueConstraint(fields=["session", "staff"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.staff} @ {self.session}"
