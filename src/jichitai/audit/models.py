from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number, reject_my_number_in_json
from jichitai.core.wareki import format_datetime

_GUARD = [reject_my_number]
_JSON_GUARD = [reject_my_number_in_json]


class AuditEntry(models.Model):
    """One write: who, when, through what, which object, before and after."""

    class Via(models.TextChoices):
        WEB = "web", _("Web")
        API = "api", _("API")
        IMPORT = "import", _("Import")
        COMMAND = "command", _("Command")
        DEMO = "demo", _("Demo data")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    actor_name = models.CharField(max_length=150, help_text="Kept when the user is deleted.", validators=_GUARD)
    via = models.CharField(max_length=10, choices=Via.choices, validators=_GUARD)
    # PROTECT: an audit trail outlives nothing it describes; a municipality with entries cannot be deleted.
    municipality = models.ForeignKey(
        "orgs.Municipality", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    association = models.ForeignKey(
        "orgs.Association", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=40, validators=_GUARD)
    object_type = models.CharField(max_length=60, validators=_GUARD)
    object_id = models.CharField(max_length=40, blank=True, validators=_GUARD)
    object_repr = models.CharField(max_length=300, blank=True, validators=_GUARD)
    before = models.JSONField(null=True, blank=True, validators=_JSON_GUARD)
    after = models.JSONField(null=True, blank=True, validators=_JSON_GUARD)
    # The hash chain (audit/chain.py): entries of one chain (a municipality, an association, the installation)
    # are numbered; each carries the HMAC of its content and of the previous entry's hash.
    chain = models.CharField(max_length=24, blank=True, default="", validators=_GUARD)
    seq = models.PositiveBigIntegerField(null=True, blank=True, validators=_GUARD)
    prev_hash = models.CharField(max_length=64, blank=True, default="", validators=_GUARD)
    entry_hash = models.CharField(max_length=64, blank=True, default="", validators=_GUARD)

    TENANT_PATH = "municipality"
    ASSOCIATION_PATH = "association"  # association-level entries: read by its secretariat (orgs/audit_views.py)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["municipality", "-at"])]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="audit_chain_seq_unique")]

    def __str__(self) -> str:
        return f"{format_datetime(timezone.localtime(self.at))} {self.actor_name} {self.action} {self.object_repr}"


class DataHead(models.Model):
    """The sequence number of the last data change in one tenant's chain (sign-ins, account and role changes left
    out: audit.services.NOT_DATA_CHANGES). Written by the audit service with the entries, so that the members'
    stored summaries find out whether they are stale with a join instead of a search through the log."""

    chain = models.CharField(max_length=24, primary_key=True, validators=_GUARD)
    municipality = models.OneToOneField("orgs.Municipality", null=True, blank=True, on_delete=models.CASCADE,
                                        related_name="data_head")
    association = models.OneToOneField("orgs.Association", null=True, blank=True, on_delete=models.CASCADE,
                                       related_name="data_head")
    seq = models.PositiveBigIntegerField(validators=_GUARD)

    TENANT_PATH = "municipality"
    ASSOCIATION_PATH = "association"

    class Meta:
        ordering = ["chain"]

    def __str__(self) -> str:
        return f"{self.chain} {self.seq}"
