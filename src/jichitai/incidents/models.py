"""Incident register (漏えい等事案), response phases, recurrence-prevention measures, drills (DOMAIN.md §10)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jichitai.core.validators import reject_my_number, reject_my_number_in_json, validate_person_count
from jichitai.core.wareki import format_date, format_datetime
from jichitai.orgs.models import Association, Department, Municipality, Staff
from jichitai.processes.models import Process

from . import rules

_TEXT = {"blank": True, "validators": [reject_my_number]}


class IncidentSettings(models.Model):
    """An association's guidance target for the 速報 (報告規則 第3条第1項 says only 「速やかに」)."""

    association = models.OneToOneField(Association, on_delete=models.CASCADE, related_name="incident_settings")
    preliminary_days = models.PositiveSmallIntegerField(
        _("速報 target (days after knowing)"), default=rules.DEFAULT_PRELIMINARY_DAYS,
        validators=[MinValueValidator(rules.PRELIMINARY_DAYS_MIN), MaxValueValidator(rules.PRELIMINARY_DAYS_MAX)])

    ASSOCIATION_PATH = "association"

    def __str__(self) -> str:
        return f"{self.association} incident settings"


class Incident(models.Model):
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="incidents")
    title = models.CharField(pgettext_lazy("incident", "subject"), max_length=200, validators=[reject_my_number])
    discovered_at = models.DateTimeField(_("discovered at"))
    known_at = models.DateTimeField(_("known at (事態を知った日時)"))
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="incidents", verbose_name=_("department"))
    processes = models.ManyToManyField(Process, blank=True, related_name="incidents", verbose_name=_("processes"))
    kinds = models.JSONField(_("what happened"), default=list, blank=True,  # rules.KINDS keys
                             validators=[reject_my_number_in_json])
    persons_affected = models.PositiveIntegerField(_("persons affected"), null=True, blank=True,
                                                   validators=[validate_person_count])
    persons_unknown = models.BooleanField(_("number of persons unknown"), default=False)
    in_network_or_number_system = models.BooleanField(
        _("in the 情報提供ネットワークシステム or a 個人番号利用事務/関係事務 system"), default=False)
    improper_purpose = models.BooleanField(_("improper purpose (不正の目的)"), default=False)
    public_exposure = models.BooleanField(_("viewable by 不特定多数"), default=False)
    encrypted_high_standard = models.BooleanField(_("protected by high-standard encryption"), default=False)
    # Derived by services from rules.assess: the PIA rules' 重大事故 is a reportable incident.
    serious = models.BooleanField(_("reportable (重大事故)"), default=False, editable=False)
    preliminary_sent_on = models.DateField(_("速報 sent on"), null=True, blank=True)
    final_sent_on = models.DateField(_("確報 sent on"), null=True, blank=True)
    persons_notified_on = models.DateField(_("persons notified on"), null=True, blank=True)
    root_cause = models.TextField(_("root cause"), **_TEXT)
    notes = models.TextField(_("notes"), **_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality", "-known_at", "id"]
        indexes = [models.Index(fields=["municipality", "serious"])]

    def __str__(self) -> str:
        return self.title

    @property
    def kind_labels(self) -> list[str]:
        return [rules.KIND_LABEL.get(kind, kind) for kind in self.kinds]

    def assess(self, preliminary_days: int) -> rules.Assessment:
        return rules.assess(self.persons_affected, self.persons_unknown, self.in_network_or_number_system,
                            self.improper_purpose, self.public_exposure, self.encrypted_high_standard,
                            self.known_at, preliminary_days)


class IncidentPhase(models.Model):
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="phases")
    phase = models.CharField(_("phase"), max_length=12, choices=rules.PHASES, validators=[reject_my_number])
    at = models.DateTimeField(_("at"))
    note = models.TextField(_("note"), **_TEXT)

    TENANT_PATH = "incident__municipality"

    class Meta:
        ordering = ["incident", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_phase_display()} {format_datetime(timezone.localtime(self.at))}"


class Measure(models.Model):
    """A recurrence-prevention measure; with a follow-up it becomes work on the affected handling rule."""

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="measures")
    text = models.TextField(_("measure"), validators=[reject_my_number])
    done = models.BooleanField(_("done"), default=False)
    follow_up = models.ForeignKey("handling.HandlingRow", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="incident_measures",
                                  verbose_name=_("follow-up on handling rule"))
    created_at = models.DateTimeField(default=timezone.now)

    TENANT_PATH = "incident__municipality"

    class Meta:
        ordering = ["incident", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Drill(models.Model):
    """An incident scenario exercise (modules ⑥–⑧). It is also a training session for the people present:
    services create the jichitai.training Session and Attendance rows it stands for.

    Tenancy (orgs.scoping): a municipality's drills are its own; an association's joint drills are its
    secretariat's (and read by its members' users).
    """

    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="drills")
    association = models.ForeignKey(Association, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="drills")
    course = models.ForeignKey("training.Course", on_delete=models.PROTECT, related_name="drills",
                               verbose_name=_("curriculum module"))
    held_on = models.DateField(_("held on"))
    scenario = models.TextField(_("scenario"), validators=[reject_my_number])
    lessons = models.TextField(_("lessons"), **_TEXT)
    participants = models.ManyToManyField(Staff, blank=True, related_name="drills", verbose_name=_("participants"))
    session = models.OneToOneField("training.Session", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="drill")

    TENANT_PATH = "municipality"
    ASSOCIATION_PATH = "association"

    class Meta:
        ordering = ["-held_on", "id"]
        constraints = [models.CheckConstraint(
            condition=Q(municipality__isnull=True, association__isnull=False)
            | Q(municipality__isnull=False, association__isnull=True), name="drill_one_organiser")]

    def __str__(self) -> str:
        return f"{format_date(self.held_on)} {self.course}"
