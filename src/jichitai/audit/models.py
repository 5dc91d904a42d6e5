from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number, reject_my_number_in_json

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
    municipality = models.ForeignKey(
        "orgs.Municipality", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    association = models.ForeignKey(
        "orgs.Association", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(max_length=40, validators=_GUARD)
    object_type = models.CharField(max_length=60, validators=_GUARD)
    object_id = models.CharField(max_length=40, blank=True, validators=_GUARD)
    object_repr = models.CharField(max_length=300, blank=True, validators=_GUARD)
    before = models.JSONField(null=True, blank=True, validators=_JSON_GUARD)
    after = models.JSONField(null=True, blank=True, validators=_JSON_GUARD)

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["municipality", "-at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action} {self.object_repr}"
