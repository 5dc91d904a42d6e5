from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number, validate_municipality_code, validate_person_count


class TwoFactorPolicy(models.TextChoices):
    """Who of a scope's users must use two-factor authentication (accounts.rules)."""

    NONE = "none", _("Not required")
    ADMINS = "admins", _("Required for administrators")
    EVERYONE = "everyone", _("Required for everyone")


class Association(models.Model):
    """A regional association (協議会・振興協会) coordinating its member municipalities."""

    name = models.CharField(_("name"), max_length=200, unique=True, validators=[reject_my_number])
    two_factor_policy = models.CharField(_("two-factor authentication"), max_length=10,
                                         choices=TwoFactorPolicy.choices, default=TwoFactorPolicy.NONE,
                                         validators=[reject_my_number])

    # Scoped by orgs.scoping.visible itself: only its secretariat sees an association as such.
    ASSOCIATION_PATH = "id"

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Municipality(models.Model):
    code = models.CharField(
        _("local government code"), max_length=6, unique=True, validators=[reject_my_number, validate_municipality_code]
    )
    name = models.CharField(_("name"), max_length=100, validators=[reject_my_number])
    population = models.PositiveIntegerField(_("population"), null=True, blank=True,
                                             validators=[validate_person_count])
    association = models.ForeignKey(
        Association, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    two_factor_policy = models.CharField(_("two-factor authentication"), max_length=10,
                                         choices=TwoFactorPolicy.choices, default=TwoFactorPolicy.NONE,
                                         validators=[reject_my_number])

    TENANT_PATH = "id"

    class Meta:
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    """A section (課室)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("name"), max_length=100, validators=[reject_my_number])

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="department_unique")]

    def __str__(self) -> str:
        return self.name


class Staff(models.Model):
    class Role(models.TextChoices):
        PROTECTION_OFFICER = "protection_officer", "保護責任者"
        HANDLER = "handler", "事務取扱担当者"
        LEGAL = "legal", "法務担当"
        IT = "it", "情報システム担当"
        COORDINATOR = "coordinator", "総括"

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="staff")
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff"
    )
    staff_number = models.CharField(_("staff number"), max_length=20, validators=[reject_my_number])
    name = models.CharField(_("name"), max_length=100, validators=[reject_my_number])
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, validators=[reject_my_number])

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality", "department__name", "staff_number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "staff_number"], name="staff_number_unique")
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A login user's access: a role in one municipality, or the secretariat of one association."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        EDITOR = "editor", _("Editor")
        VIEWER = "viewer", _("Viewer")
        SECRETARIAT = "secretariat", _("Association secretariat")
        SECRETARIAT_ADMIN = "secretariat_admin", _("Association secretariat administrator")
        OPERATOR = "operator", _("System operator")

    WRITE_ROLES = (Role.ADMIN, Role.EDITOR)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=20, choices=Role.choices, validators=[reject_my_number])
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )
    association = models.ForeignKey(
        Association, null=True, blank=True, on_delete=models.CASCADE, related_name="memberships"
    )

    TENANT_PATH = "municipality"
    ASSOCIATION_PATH = "association"

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="membership_scope_matches_role",
                condition=(
                    models.Q(role__in=["secretariat", "secretariat_admin"], association__isnull=False,
                             municipality__isnull=True)
                    | models.Q(role="operator", association__isnull=True, municipality__isnull=True)
                    | (
                        models.Q(role__in=["admin", "editor", "viewer"])
                        & models.Q(municipality__isnull=False, association__isnull=True)
                    )
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.role} {self.municipality or self.association}"


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored; the token is shown once when made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True, validators=[reject_my_number])
    prefix = models.CharField(max_length=8, validators=[reject_my_number])
    name = models.CharField(_("name"), max_length=100, blank=True, validators=[reject_my_number])
    read_only = models.BooleanField(_("read-only"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    # A digest of the user's password hash when the token was made: a changed password ends the token.
    password_fingerprint = models.CharField(max_length=64, blank=True, default="", validators=[reject_my_number])
    last_used_at = models.DateTimeField(null=True, blank=True)

    USER_PATH = "user"

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}…"
