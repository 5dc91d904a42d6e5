from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.validators import reject_my_number
from jichitai.orgs.models import Municipality, Staff
from jichitai.processes.models import Ordinance, Process

from . import rules

_TEXT = {"blank": True, "validators": [reject_my_number]}
_GUARD = {"validators": [reject_my_number]}  # choices and numbers refuse it too


class LinkageItem(models.Model):
    """One row of a process's 情報連携確認シート: a data item received (照会) or given (提供), and its basis."""

    process = models.ForeignKey(Process, on_delete=models.CASCADE, related_name="linkage_items")
    position = models.PositiveIntegerField(default=0, **_GUARD)
    data_item = models.CharField(_("連携項目"), max_length=200, validators=[reject_my_number])
    direction = models.CharField(_("照会/提供"), max_length=10, choices=rules.DIRECTIONS, **_GUARD)
    counterpart = models.CharField(_("相手先"), max_length=200, **_TEXT)
    counterpart_kind = models.CharField(_("相手先区分"), max_length=20, choices=rules.COUNTERPART_KINDS, **_GUARD)
    channel = models.CharField(_("経路"), max_length=20, choices=rules.CHANNELS, **_GUARD)
    legal_basis = models.TextField(_("根拠（主務省令等）"), **_TEXT)
    ordinance = models.ForeignKey(
        Ordinance, null=True, blank=True, on_delete=models.PROTECT, related_name="linkage_items",
        verbose_name=_("根拠条例"),
    )
    notes = models.TextField(_("備考"), **_TEXT)
    created_at = models.DateTimeField(default=timezone.now)

    TENANT_PATH = "process__municipality"

    class Meta:
        ordering = ["process", "position", "id"]

    def __str__(self) -> str:
        return f"{self.data_item}（{self.get_direction_display()}）"

    def facts(self) -> rules.ItemFacts:
        """Reads self.ordinance: select_related("ordinance") where many items are checked."""
        ordinance = self.ordinance if self.ordinance_id else None
        return rules.ItemFacts(channel=self.channel, counterpart_kind=self.counterpart_kind,
                               legal_basis=self.legal_basis,
                               ordinance_effective_on=ordinance.effective_on if ordinance else None,
                               has_ordinance=ordinance is not None)


class LinkageProfile(models.Model):
    """How a process that exchanges data is kept in practice (checklist 情報連携に係る業務の習熟)."""

    process = models.OneToOneField(Process, on_delete=models.CASCADE, related_name="linkage_profile")
    consistency_checker = models.ForeignKey(
        Staff, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("整合性確認担当者"),
    )
    trouble_procedure = models.TextField(_("システム障害時の手順"), **_TEXT)
    wrong_data_procedure = models.TextField(_("誤った情報を受けた場合の手順"), **_TEXT)
    updated_at = models.DateTimeField(auto_now=True)

    TENANT_PATH = "process__municipality"

    def __str__(self) -> str:
        return f"{self.process} 情報連携の運用"

    def facts(self) -> rules.ProfileFacts:
        return rules.ProfileFacts(self.consistency_checker_id is not None, self.trouble_procedure,
                                  self.wrong_data_procedure)


class NumberSystem(models.Model):
    """A system that stores individual numbers, and the processes it serves (seed checklist item 1:
    a package system may already use numbers for a process that has no legal basis)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.CASCADE, related_name="number_systems")
    name = models.CharField(_("system name"), max_length=200, validators=[reject_my_number])
    stores_numbers = models.BooleanField(_("stores individual numbers"), default=True)
    processes = models.ManyToManyField(Process, blank=True, related_name="number_systems",
                                       verbose_name=_("processes served"))
    notes = models.TextField(_("notes"), **_TEXT)

    TENANT_PATH = "municipality"

    class Meta:
        ordering = ["municipality", "name"]
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="number_system_name_unique")]

    def __str__(self) -> str:
        return self.name
