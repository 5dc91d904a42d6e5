from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core import prefectures
from jichitai.core.validators import reject_my_number, validate_municipality_code, validate_person_count


class TwoFactorPolicy(models.TextChoices):
    """Who of a scope's users must use two-factor authentication (accounts.rules)."""

    NONE = "none", _("Not required")
    ADMINS = "admins", _("Required for administrators")
    EVERYONE = "everyone", _("Required for everyone")


class DateStyle(models.TextChoices):
    WAREKI = "wareki", _("Japanese era (和暦)")
    WESTERN = "western", _("Western (西暦)")


class Association(models.Model):
    """A regional association (協議会・振興協会) coordinating its member municipalities."""

    name = models.CharField(_("name"), max_length=200, unique=True, validators=[reject_my_number])
    # The prefecture it works within ("01" … "47", core/prefectures), blank for one spanning several.
    prefecture = models.CharField(_("prefecture"), max_length=2, blank=True, choices=prefectures.all_choices(),
                                  validators=[reject_my_number])
    two_factor_policy = models.CharField(_("two-factor authentication"), max_length=10,
                                         choices=TwoFactorPolicy.choices, default=TwoFactorPolicy.NONE,
                                         validators=[reject_my_number])
    # How its members' screens, exports and documents write dates: 和暦 as municipal documents do, or western.
    date_style = models.CharField(_("date style"), max_length=10, choices=DateStyle.choices,
                                  default=DateStyle.WAREKI, validators=[reject_my_number])
    # How often 取扱規程, handling tables and risk analyses are reviewed (seed 2-3: 定期的な見直し).
    review_interval_months = models.PositiveSmallIntegerField(
        _("review interval (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)])
    # A process whose handling table keeps records, with none in this many months, needs attention.
    record_window_months = models.PositiveSmallIntegerField(
        _("handling record window (months)"), default=12, validators=[MinValueValidator(1), MaxValueValidator(120)])
    # Years before a contract ends that its procurement starts (調達時期), and the alignment's default lead time.
    procurement_lead_years = models.PositiveSmallIntegerField(
        "調達の準備期間（年）", default=2, validators=[MaxValueValidator(10)])

    # Scoped by orgs.scoping.visible itself: only its secretariat sees an association as such.
    ASSOCIATION_PATH = "id"

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MunicipalityQuerySet(models.QuerySet):
    def members_of(self, association) -> "MunicipalityQuerySet":
        """The association's members: those whose own association it is, and those who joined it as well (a
        wide-area union, a cloud group: AssociationMember). Through a subquery, so each comes back once."""
        joined = AssociationMember.objects.filter(association=association).values("municipality_id")
        return self.filter(models.Q(association=association) | models.Q(pk__in=joined))

    def member_ids(self, association):
        """The same members as a subquery of ids, for filters on their data (municipality__in=…)."""
        return self.members_of(association).order_by().values("id")


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

    objects = MunicipalityQuerySet.as_manager()

    TENANT_PATH = "id"

    class Meta:
        verbose_name = _("municipality")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class AssociationMember(models.Model):
    """A municipality's membership of an association besides its own (Municipality.association, which manages
    it): a wide-area union or a cloud group it also belongs to. That association's secretariat reads the member as
    it reads its own members; the member's users see that association's shared objects."""

    class Kind(models.TextChoices):
        WIDE_AREA_UNION = "wide_area_union", _("Wide-area union (広域連合)")
        CLOUD_GROUP = "cloud_group", _("Cloud group (自治体クラウド)")
        OTHER = "other", _("Other association")

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="joined_members")
    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="joined_associations")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, validators=[reject_my_number])
    joined_on = models.DateField(_("joined on"), default=timezone.localdate)

    TENANT_PATH = "municipality"
    ASSOCIATION_PATH = "association"

    class Meta:
        ordering = ["association", "municipality__code"]
        constraints = [models.UniqueConstraint(fields=["association", "municipality"], name="association_member_unique")]

    def __str__(self) -> str:
        return f"{self.municipality} ∈ {self.association}"


class Department(models.Model):
    """A section (課室). Renamed (DepartmentName keeps the earlier names), merged into another or abolished with a
    date; never deleted, so the records that name it and a past as-of date stay right."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="departments")
    name = models.CharField(_("name"), max_length=100, validators=[reject_my_number])
    # 廃止日: from this day on the section no longer exists (a merger's or a reorganisation's effective date).
    abolished_on = models.DateField(_("abolished on"), null=True, blank=True)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged",
                                    verbose_name=_("merged into"))

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="department_unique")]
        verbose_name = _("department")

    def __str__(self) -> str:
        return self.name


class DepartmentName(models.Model):
    """One name a department bore from valid_from to valid_to (both inclusive; valid_to empty: its name today)."""

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="names")
    name = models.CharField(_("name"), max_length=100, validators=[reject_my_number])
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    TENANT_PATH = "department__municipality"

    class Meta:
        ordering = ["department", "valid_from", "id"]

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
    # The department and role today; StaffAssignment keeps what they were on each earlier day.
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="staff",
        verbose_name=_("department"),
    )
    staff_number = models.CharField(_("staff number"), max_length=20, validators=[reject_my_number])
    name = models.CharField(_("full name"), max_length=100, validators=[reject_my_number])
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, validators=[reject_my_number])
    # 退職日: the last day in office (a person retiring at the end of March has 3月31日).
    retired_on = models.DateField(_("retired on"), null=True, blank=True)

    TENANT_PATH = "municipality"

    class Meta:
        verbose_name = _("staff member")
        ordering = ["municipality", "department__name", "staff_number"]
        constraints = [
            models.UniqueConstraint(fields=["municipality", "staff_number"], name="staff_number_unique")
        ]

    def __str__(self) -> str:
        return self.name


class StaffAssignment(models.Model):
    """A person's department and role from valid_from to valid_to (both inclusive; valid_to empty: still so).
    A transfer or a role change closes the open row the day before and opens the next; retirement closes it on
    the last day in office. valid_from at rules.SINCE_RECORDS means "since before the records began"."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="history")
    department = models.ForeignKey(Department, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="staff_history")
    role = models.CharField(_("role"), max_length=20, choices=Staff.Role.choices, validators=[reject_my_number])
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    TENANT_PATH = "staff__municipality"

    class Meta:
        ordering = ["staff", "valid_from", "id"]
        indexes = [models.Index(fields=["staff", "valid_from"], name="staff_assignment_from")]

    def __str__(self) -> str:
        return f"{self.staff} {self.department} {self.role} {self.valid_from}"


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
