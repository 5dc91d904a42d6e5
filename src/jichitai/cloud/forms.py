from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jichitai.core.fields import FiscalYearField, harden
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.core.validators import reject_my_number

from . import rules
from .models import BusinessSystem
from .services import SYSTEM_FIELDS


class SystemForm(NoEchoMyNumberMixin, forms.ModelForm):
    contract_start_fy = FiscalYearField(label=_("contract start (fiscal year)"), required=False)
    contract_end_fy = FiscalYearField(label=_("contract end (last fiscal year)"))

    class Meta:
        model = BusinessSystem
        fields = SYSTEM_FIELDS
        widgets = {"category": forms.TextInput(attrs={"list": "categories"})}

    def __init__(self, *args, municipality=None, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.instance.municipality = municipality
        if self.instance.pk:
            self.initial["contract_start_fy"] = self.instance.contract_start_fy
            self.initial["contract_end_fy"] = self.instance.contract_end_fy


class AlignForm(NoEchoMyNumberMixin, forms.Form):
    category = forms.ChoiceField(label=_("category (分類)"))
    members = forms.ModelMultipleChoiceField(label=_("members"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("None ticked: every member."))
    as_of_fy = FiscalYearField(label=_("current fiscal year"), required=False)
    lead_time = forms.IntegerField(label=_("lead time (years)"), min_value=0, max_value=10,
                                   initial=rules.DEFAULT_LEAD_TIME, required=False)
    interim_years = forms.IntegerField(label=_("interim contract (years)"), min_value=1, max_value=10,
                                       initial=rules.DEFAULT_INTERIM_YEARS, required=False)

    def __init__(self, *args, categories=(), members=None, lead_time: int = rules.DEFAULT_LEAD_TIME, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["lead_time"].initial = lead_time  # the association's 調達の準備期間
        self.fields["category"].choices = [(c, c) for c in categories]
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: f"{m.code} {m.name}"


class SavePlanForm(NoEchoMyNumberMixin, forms.Form):
    name = forms.CharField(label=_("group name"), max_length=200, validators=[reject_my_number])
    destination = forms.CharField(label=_("expected cloud destination (想定クラウド先)"), max_length=200,
                                  required=False, validators=[reject_my_number])


class PlanForm(NoEchoMyNumberMixin, forms.Form):
    name = forms.CharField(label=_("group name"), max_length=200, validators=[reject_my_number])
    destination = forms.CharField(label=_("expected cloud destination (想定クラウド先)"), max_length=200,
                                  required=False, validators=[reject_my_number])


class KpisForm(NoEchoMyNumberMixin, forms.Form):
    """The plan's KPIs, a row each (name, target, actual, remove), and EXTRA empty rows to add some.

    Rows come from `initial["kpis"]`, or, once posted, from the row numbers sent (at most MAX_KPIS + EXTRA)."""

    EXTRA = 3

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        kpis = self.initial.get("kpis") or []
        sent = [int(key[5:]) for key in self.data if key.startswith("name_") and key[5:].isdigit()]
        limit = rules.MAX_KPIS + self.EXTRA
        self.count = min(max([len(kpis) + self.EXTRA] + [n + 1 for n in sent]), limit)
        for n in range(self.count):
            current = kpis[n] if n < len(kpis) else {}
            self.fields[f"name_{n}"] = forms.CharField(label=_("KPI"), required=False,
                                                       max_length=rules.KPI_NAME_MAX, initial=current.get("name"))
            self.fields[f"target_{n}"] = forms.CharField(label=_("target"), required=False,
                                                         max_length=rules.KPI_VALUE_MAX, initial=current.get("target"))
            self.fields[f"actual_{n}"] = forms.CharField(label=_("actual"), required=False,
                                                         max_length=rules.KPI_VALUE_MAX, initial=current.get("actual"))
            self.fields[f"remove_{n}"] = forms.BooleanField(label=_("remove"), required=False)

    def rows(self):
        return [(self[f"name_{n}"], self[f"target_{n}"], self[f"actual_{n}"], self[f"remove_{n}"])
                for n in range(self.count)]

    def clean(self):
        data = super().clean()
        self.kpis = []
        for n in range(self.count):
            name = (data.get(f"name_{n}") or "").strip()
            target, actual = (data.get(f"target_{n}") or "").strip(), (data.get(f"actual_{n}") or "").strip()
            if data.get(f"remove_{n}") or not (name or target or actual):
                continue
            if not name:
                self.add_error(f"name_{n}", _("Enter the KPI's name."))
                continue
            self.kpis.append({"name": name, "target": target, "actual": actual})
        if len(self.kpis) > rules.MAX_KPIS:
            raise ValidationError(_("At most %(max)d KPIs.") % {"max": rules.MAX_KPIS})
        return data


class InventoryFilterForm(NoEchoMyNumberMixin, forms.Form):
    """The inventory page's filters and sort (GET). A value the form refuses is left out: its default applies."""

    SORTS = [("category", "分類・システム名順"), ("name", "システム名順"), ("contract_end_fy", "契約終了年度順"),
             ("vendor", "ベンダー順"), ("migration_status", "移行状況順")]

    q = forms.CharField(label="検索（システム名・ベンダー）", max_length=100, required=False)
    category = forms.ChoiceField(label="分類", required=False)
    hosting = forms.ChoiceField(label="稼働環境", choices=[("", "すべて"), *BusinessSystem.Hosting.choices],
                                required=False)
    migration_status = forms.ChoiceField(label="移行状況",
                                         choices=[("", "すべて"), *BusinessSystem.MigrationStatus.choices],
                                         required=False)
    sort = forms.ChoiceField(label="並び順", choices=SORTS, required=False)

    def __init__(self, *args, categories=(), **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["category"].choices = [("", "すべて")] + [(c, c) for c in categories]

    def params(self) -> dict:
        """cloud.queries.inventory's keyword arguments: the valid fields' values, None where empty or refused."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})  # an unbound form (no query string) has none
        return {name: cleaned.get(name) or None for name in self.fields}
