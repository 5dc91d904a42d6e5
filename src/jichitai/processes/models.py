from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number, validate_person_count
from jichitai.core.wareki import format_date
from jichitai.orgs.models import Association, Department, Municipality

from . import rules


class LegalBasisItem(models.Model):
    """One item of 番号法 別表 (第9条第1項), loaded from data/beppyo.tsv."""

    seq = models.PositiveIntegerField(unique=True, validators=[reject_my_number])
    item = models.CharField(max_length=20, unique=True, validators=[reject_my_number])  # 二の二
    item_arabic = models.CharField(max_length=20, unique=True, validators=[reject_my_number])  # 2-2
    implementer = models.TextField(validators=[reject_my_number])
    process = models.TextField(validators=[reject_my_number])
    revision = models.CharField(max_length=80, validators=[reject_my_number])

    REFERENCE_DATA = True  # public law, the same for every user

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return rules.format_item_label(self.item_arabic)

    @property
    def is_municipal(self) -> bool:
        return rules.is_municipal_implementer(self.implementer)


class Ordinance(models.Model):
    """An ordinance (条例) article that authorises an independent use (第9条第2項) in one municipality."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="ordinances")
    name = models.CharField(_("ordinance name"), max_length=200, validators=[reject_my_number])
    article = models.CharField(_("article"), max_length=50, validators=[reject_my_number])
    effective_on = models.DateField(_("effective date"))
    # 廃止日: the first day the article is no longer in force (the repealing ordinance's 施行日).
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True, validators=[reject_my_number])

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality", "name", "article"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name", "article"], name="ordinance_unique")
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.article}"

    def in_force(self, day) -> bool:
        return rules.ordinance_in_force(self.effective_on, self.repealed_on, day)


class OrdinanceAmendment(models.Model):
    """One amendment (一部改正) of an ordinance: when it took effect, which articles it changed and how."""

    ordinance = models.ForeignKey(Ordinance, on_delete=models.CASCADE, related_name="amendments")
    amended_on = models.DateField(_("amended on"))
    articles = models.CharField(_("amended articles"), max_length=200, validators=[reject_my_number])
    summary = models.TextField(_("summary of the amendment"), validators=[reject_my_number])
    note = models.TextField(_("notes"), blank=True, validators=[reject_my_number])

    TENANT_PATH = "ordinance__municipality"

    class Meta:
        ordering = ["ordinance", "amended_on", "id"]

    def __str__(self) -> str:
        return f"{self.ordinance} {self.amended_on}"


class Process(models.Model):
    """A process that uses individual numbers (個人番号利用事務) in one municipality."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="processes")
    name = models.CharField(_("process name"), max_length=500, validators=[reject_my_number])
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="processes",
        verbose_name=_("department"),
    )
    beppyo_item = models.ForeignKey(
        LegalBasisItem, null=True, blank=True, on_delete=models.PROTECT, related_name="processes",
        verbose_name=_("別表 item"),
    )
    ordinance = models.ForeignKey(
        Ordinance, null=True, blank=True, on_delete=models.PROTECT, related_name="processes",
        verbose_name=_("ordinance"),
    )
    persons_count = models.PositiveIntegerField(_("persons in its files"), null=True, blank=True,
                                                validators=[validate_person_count])
    handlers_count = models.PositiveIntegerField(_("handlers"), null=True, blank=True,
                                                 validators=[validate_person_count])
    systems = models.TextField(_("systems used"), blank=True, validators=[reject_my_number])
    notes = models.TextField(_("notes"), blank=True, validators=[reject_my_number])
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality", "beppyo_item__seq", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="process_name_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def legal_basis_label(self) -> str | None:
        if self.beppyo_item_id:
            return self.beppyo_item.label
        if self.ordinance_id:
            return f"条例: {self.ordinance}"
        return None


# What a cell may record: a status of the seed's legend, or 「証跡に従う」 (an override dropped).
RECORDED_STATUSES = [(c, rules.STATUS_LABEL[c]) for c in rules.STATUS_CODES] + [(rules.FOLLOW_EVIDENCE, "証跡に従う")]


class ProgressChange(models.Model):
    """One change of one progress cell. The matrix as of a date is the latest change on or before it."""

    class Source(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        IMPORT = "import", _("Import")
        COMMAND = "command", _("Command")
        DEMO = "demo", _("Demo data")

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="progress_changes")
    column = models.CharField(max_length=20, choices=rules.COLUMNS, validators=[reject_my_number])
    status = models.CharField(max_length=20, choices=RECORDED_STATUSES, validators=[reject_my_number])
    effective_on = models.DateField()
    recorded_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    source = models.CharField(max_length=10, choices=Source.choices, validators=[reject_my_number])

    TENANT_PATH = "process__municipality"

    class Meta:
        ordering = ["effective_on", "id"]
        indexes = [models.Index(fields=["process", "effective_on"]),
                   # The latest change per cell on a past date (queries.recorded_state) reads this index.
                   models.Index(fields=["process", "column", "effective_on", "id"], name="progress_change_cell")]

    def __str__(self) -> str:
        return f"{self.process} {self.column}={self.status} ({format_date(self.effective_on)})"


class ProgressCell(models.Model):
    """The current recorded value of one cell: its latest change by (effective_on, id). A read model next to the
    history, written by the services in the transaction that writes the change, so that "today" never reads the
    whole history; `jichitai progress --rebuild` rebuilds it from the history."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="current_cells")
    column = models.CharField(max_length=20, choices=rules.COLUMNS, validators=[reject_my_number])
    status = models.CharField(max_length=20, choices=RECORDED_STATUSES, validators=[reject_my_number])
    change = models.OneToOneField(ProgressChange, on_delete=models.CASCADE, related_name="+")

    TENANT_PATH = "process__municipality"

    class Meta:
        ordering = ["process", "column"]
        constraints = [models.UniqueConstraint(fields=["process", "column"], name="progress_cell_unique")]

    def __str__(self) -> str:
        return f"{self.process} {self.column}={self.status}"


class ProcessAssignment(models.Model):
    """A person assigned to a process (the roster's 担当事務): who must be trained (施行令 第32条)."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="assignments")
    staff = models.ForeignKey("orgs.Staff", on_delete=models.CASCADE, related_name="assignments")
    assigned_on = models.DateField(default=timezone.localdate)

    TENANT_PATH = "process__municipality"

    class Meta:
        ordering = ["process", "staff"]
        constraints = [models.UniqueConstraint(fields=["process", "staff"], name="assignment_unique")]

    def __str__(self) -> str:
        return f"{self.staff} → {self.process}"


class MemberProgress(models.Model):
    """One municipality's matrix counted, as last evaluated (the association page's read model): how many cells of
    each column have each status, with the audit chain heads it was evaluated at. Stale once a head has moved on or
    the day has changed; the association page re-evaluates a few stale members itself and leaves many to a
    MemberEvaluation. Fields `<column>_<status>` are added below, one per pair."""

    municipality = models.OneToOneField(Municipality, on_delete=models.CASCADE, primary_key=True,
                                        related_name="progress_summary")
    as_of = models.DateField()
    evaluated_at = models.DateTimeField()
    municipality_seq = models.PositiveBigIntegerField(default=0, validators=[reject_my_number])
    association_seq = models.PositiveBigIntegerField(default=0, validators=[reject_my_number])
    processes = models.PositiveIntegerField(default=0, validators=[reject_my_number])

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality__code"]

    def __str__(self) -> str:
        return f"{self.municipality} {format_date(self.as_of)}"

    @staticmethod
    def count_field(column: str, status: str) -> str:
        return f"{column}_{status}"

    @property
    def totals(self) -> dict[str, dict[str, int]]:
        return {key: {code: getattr(self, self.count_field(key, code)) for code in rules.STATUS_CODES}
                for key in rules.COLUMN_KEYS}


for _column in rules.COLUMN_KEYS:
    for _status in rules.STATUS_CODES:
        MemberProgress.add_to_class(MemberProgress.count_field(_column, _status),
                                    models.PositiveIntegerField(default=0, validators=[reject_my_number]))


class MemberEvaluation(models.Model):
    """One run evaluating the members' summaries (progress, checklist) in the background; its progress lives here,
    not in a process's memory, so any app server shows it and a run whose server died is seen as interrupted."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    association = models.ForeignKey(Association, null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="evaluations")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    as_of = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(default=0, validators=[reject_my_number])
    done = models.PositiveIntegerField(default=0, validators=[reject_my_number])
    created_at = models.DateTimeField(default=timezone.now)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    message = models.TextField(blank=True, validators=[reject_my_number])

    ASSOCIATION_PATH = "association"

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.association} {self.state} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 * self.done // self.total if self.total else 0

    @property
    def interrupted(self) -> bool:
        """A run whose server stopped: no progress noted for ten minutes (a batch takes seconds)."""
        if self.state not in (self.State.QUEUED, self.State.RUNNING):
            return False
        return (timezone.now() - (self.heartbeat_at or self.created_at)).total_seconds() > 600
