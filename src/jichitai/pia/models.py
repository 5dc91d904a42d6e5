"""特定個人情報ファイル, their evaluations (特定個人情報保護評価) and 重要な変更."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number, validate_person_count
from jichitai.core.wareki import format_date
from jichitai.orgs.models import Municipality
from jichitai.processes.models import Process

from . import rules

_TEXT = {"blank": True, "validators": [reject_my_number]}


class SpiFile(models.Model):
    """A 特定個人情報ファイル: the unit the threshold (しきい値判断) is decided for."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="spi_files")
    name = models.CharField(_("file name"), max_length=200, validators=[reject_my_number])
    processes = models.ManyToManyField(Process, blank=True, related_name="spi_files",
                                       verbose_name=_("processes served"))
    persons = models.PositiveIntegerField(_("対象人数"), validators=[validate_person_count])
    handlers = models.PositiveIntegerField(_("取扱者数 (contractors included)"), validators=[validate_person_count])
    staff_only = models.BooleanField(_("staff only (人事・給与・福利厚生)"), default=False)
    # None: A follows the incident register; True/False: the officer's decision replaces it.
    serious_incident_override = models.BooleanField(_("serious incident in the past year (override)"),
                                                    null=True, blank=True)
    systems = models.TextField(_("systems"), **_TEXT)
    notes = models.TextField(_("notes"), **_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="spi_file_name_unique")]

    def __str__(self) -> str:
        return self.name


class Evaluation(models.Model):
    """One evaluation done (or under way) for a file.

    Documents are listed as text (name and where the signed copy is kept) rather than uploaded: the servers
    run on closed networks and the originals stay in the body's document management.
    """

    spi_file = models.ForeignKey(SpiFile, on_delete=models.CASCADE, related_name="evaluations",
                                 verbose_name=_("特定個人情報ファイル"))
    kind = models.CharField(_("evaluation done"), max_length=12, choices=rules.EVALUATION_KINDS,
                            validators=[reject_my_number])
    started_on = models.DateField(_("started on"), null=True, blank=True)
    comment_from = models.DateField(_("public comment from"), null=True, blank=True)
    comment_to = models.DateField(_("public comment to"), null=True, blank=True)
    third_party_review_on = models.DateField(_("第三者点検"), null=True, blank=True)
    submitted_on = models.DateField(_("submitted to the commission on"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    last_reviewed_on = models.DateField(_("last yearly review (規則第14条)"), null=True, blank=True)
    documents = models.TextField(_("documents (name and location)"), **_TEXT)
    notes = models.TextField(_("notes"), **_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    TENANT_PATH = "spi_file__municipality"

    class Meta:
        ordering = ["spi_file", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.spi_file} {self.get_kind_display()}"

    def facts(self) -> rules.EvaluationFacts:
        return rules.EvaluationFacts(self.kind, self.submitted_on, self.published_on, self.last_reviewed_on)

    @property
    def evaluated_on(self):
        return rules.evaluated_on(self.submitted_on, self.published_on)


class ImportantChange(models.Model):
    """A 重要な変更 of the file: it needs a re-evaluation before it is made."""

    spi_file = models.ForeignKey(SpiFile, on_delete=models.CASCADE, related_name="changes",
                                 verbose_name=_("特定個人情報ファイル"))
    changed_on = models.DateField(_("changed on"))
    description = models.TextField(_("description"), validators=[reject_my_number])
    reevaluated = models.BooleanField(_("re-evaluated"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    TENANT_PATH = "spi_file__municipality"

    class Meta:
        ordering = ["spi_file", "changed_on", "id"]

    def __str__(self) -> str:
        return f"{format_date(self.changed_on)} {self.description[:40]}"
