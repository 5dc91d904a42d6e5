"""Business systems, standard business areas and joint-cloud plans (DOMAIN.md §11, issue 6)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number, reject_my_number_in_json, validate_fiscal_year
from jichitai.orgs.models import Association, Municipality

from . import rules

_TEXT = {"blank": True, "validators": [reject_my_number]}
_GUARD = {"validators": [reject_my_number]}  # choices and numbers refuse it too
_FY = [validate_fiscal_year]  # 1989–2100
_COST = [MaxValueValidator(rules.COST_MAX), reject_my_number]  # 千円: up to 1兆円

# Suggestions for the free-text 分類 (the seed's procurement table); any other text is accepted.
CATEGORIES = ("住基", "税", "福祉", "内部系", "グループウェア", "LGWAN", "人事給与", "申告支援", "選挙", "生保レセプト",
              "住基ネット", "総合行政システム", "介護保険")


class StandardArea(models.Model):
    """One of the 20 標準化対象業務 (data/standard_business_areas.json)."""

    name = models.CharField(_("name"), max_length=50, unique=True, validators=[reject_my_number])
    position = models.PositiveSmallIntegerField(default=0, **_GUARD)

    REFERENCE_DATA = True  # the law's list, the same for every user

    class Meta:
        ordering = ("position", "id")

    def __str__(self) -> str:
        return self.name


class BusinessSystem(models.Model):
    class Hosting(models.TextChoices):
        ON_PREMISES = "on_premises", "オンプレミス"
        MUNICIPAL_CLOUD = "municipal_cloud", "自治体クラウド"
        GOV_CLOUD = "gov_cloud", "ガバメントクラウド"

    class MigrationStatus(models.TextChoices):
        NOT_STARTED = "not_started", "未着手"
        IN_PROGRESS = "in_progress", "移行中"
        STANDARD_CONFORMING = "standard_conforming", "標準準拠システム移行済"
        GOV_CLOUD = "gov_cloud", "ガバメントクラウド移行済"
        SPECIAL_SUPPORT = "special_support", "特定移行支援システム"

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="business_systems")
    name = models.CharField(_("system name"), max_length=200, validators=[reject_my_number])
    category = models.CharField(_("category (分類)"), max_length=50, validators=[reject_my_number])
    standard_area = models.ForeignKey(StandardArea, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="systems", verbose_name=_("standard business area"))
    vendor = models.CharField(_("vendor"), max_length=200, **_TEXT)
    contract_start_fy = models.PositiveSmallIntegerField(_("contract start (fiscal year)"), null=True, blank=True,
                                                         validators=_FY)
    contract_end_fy = models.PositiveSmallIntegerField(_("contract end (last fiscal year)"), validators=_FY)
    re_lease_years = models.PositiveSmallIntegerField(_("re-lease years"), default=rules.DEFAULT_RE_LEASE_YEARS,
                                                      validators=[MaxValueValidator(10)])
    early_termination = models.BooleanField(_("early termination allowed"), default=False)
    hosting = models.CharField(_("hosting"), max_length=20, choices=Hosting.choices, default=Hosting.ON_PREMISES,
                               **_GUARD)
    standard_conformance = models.BooleanField(_("standard-conforming"), default=False)
    migration_status = models.CharField(_("migration status"), max_length=20, choices=MigrationStatus.choices,
                                        default=MigrationStatus.NOT_STARTED, **_GUARD)
    # Costs in thousands of yen (千円) as municipal budgets state them; optional, compared in a plan's 経費比較.
    annual_cost = models.PositiveIntegerField("年間経費（千円）", null=True, blank=True, validators=_COST)
    initial_cost = models.PositiveIntegerField("初期経費（千円）", null=True, blank=True, validators=_COST)
    re_lease_annual_cost = models.PositiveIntegerField("再リース年間経費（千円）", null=True, blank=True,
                                                       validators=_COST)

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ("municipality__code", "category", "name", "id")
        constraints = [models.UniqueConstraint(fields=("municipality", "name"), name="cloud_system_unique_name")]

    def __str__(self) -> str:
        return f"{self.municipality_id}: {self.name}"

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.contract_start_fy and self.contract_end_fy and self.contract_start_fy > self.contract_end_fy:
            raise ValidationError({"contract_end_fy": _("The contract cannot end before it starts.")})


class CloudPlan(models.Model):
    """A saved alignment: a group of members moving one category of system to a joint cloud."""

    association = models.ForeignKey(Association, on_delete=models.CASCADE, related_name="cloud_plans")
    name = models.CharField(_("group name"), max_length=200, validators=[reject_my_number])
    category = models.CharField(_("category (分類)"), max_length=50, validators=[reject_my_number])
    destination = models.CharField(_("expected cloud destination (想定クラウド先)"), max_length=200, **_TEXT)
    members = models.ManyToManyField(Municipality, related_name="cloud_plans", verbose_name=_("members"))
    start_fy = models.PositiveSmallIntegerField(_("start (fiscal year)"), validators=_FY)
    kpis = models.JSONField(_("KPIs"), default=list, blank=True,  # [{name, target, actual}]
                            validators=[reject_my_number_in_json])
    result = models.JSONField(default=dict, blank=True,  # the alignment as computed when saved
                              validators=[reject_my_number_in_json])
    # What the alignment was computed from: the systems as they were ([{code, name, contract_end_fy, …}]) and
    # the parameters ({as_of_fy, lead_time, interim_years}); compared with the inventory to say a plan is stale.
    inventory = models.JSONField(default=list, blank=True, validators=[reject_my_number_in_json])
    parameters = models.JSONField(default=dict, blank=True, validators=[reject_my_number_in_json])
    # The secretariat's estimate of the joint cloud (千円) and how members share it (経費比較).
    joint_initial_cost = models.PositiveIntegerField("共同クラウド初期経費（千円）", null=True, blank=True,
                                                     validators=_COST)
    joint_annual_cost = models.PositiveIntegerField("共同クラウド年間経費（千円）", null=True, blank=True,
                                                    validators=_COST)
    share_rule = models.CharField("負担割合の決め方", max_length=12, choices=rules.SHARE_RULES,
                                  default=rules.SHARE_EQUAL, **_GUARD)
    # For the mixed rule: the percentage shared equally (均等割); the rest by population (人口割).
    equal_share_percent = models.PositiveSmallIntegerField("均等割の割合（％）", default=50,
                                                           validators=[MaxValueValidator(100), reject_my_number])
    cost_years = models.PositiveSmallIntegerField("比較期間（年）", default=5,
                                                  validators=[MinValueValidator(1), MaxValueValidator(20),
                                                              reject_my_number])
    created_at = models.DateTimeField(auto_now_add=True)

    ASSOCIATION_PATH = "association"

    class Meta:
        ordering = ("-start_fy", "name", "id")

    def __str__(self) -> str:
        return self.name
