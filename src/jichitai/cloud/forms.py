from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from jichitai.core.fields import harden
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.core.validators import reject_my_number, validate_fiscal_year
from jichitai.core.wareki import DateParseError, parse_fiscal_year

from . import rules
from .models import BusinessSystem
from .services import SYSTEM_FIELDS

KPI_SEPARATOR = "|"


class FiscalYearField(forms.CharField):
    """2026, R8, 令和8年度, H32 → 2020 (core.wareki); FISCAL_YEAR_MIN–FISCAL_YEAR_MAX (core.validators)."""

    default_validators = [validate_fiscal_year]

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            return parse_fiscal_year(value)
        except DateParseError as exc:
            raise ValidationError(str(exc)) from exc


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

    def __init__(self, *args, categories=(), members=None, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["category"].choices = [(c, c) for c in categories]
        self.fields["members"].queryset = members
        self.fields["members"].label_from_instance = lambda m: f"{m.code} {m.name}"


class SavePlanForm(NoEchoMyNumberMixin, forms.Form):
    name = forms.CharField(label=_("group name"), max_length=200, validators=[reject_my_number])
    destination = forms.CharField(label=_("expected cloud destination (想定クラウド先)"), max_length=200,
                                  required=False, validators=[reject_my_number])


def parse_kpis(text: str) -> list[dict]:
    kpis = []
    for n, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split(KPI_SEPARATOR)]
        if len(parts) > 3 or not parts[0]:
            raise ValidationError(_("Line %(n)d: write 名称 | 目標 | 実績.") % {"n": n})
        parts += [""] * (3 - len(parts))
        kpis.append({"name": parts[0], "target": parts[1], "actual": parts[2]})
    return kpis


def format_kpis(kpis: list[dict]) -> str:
    return "\n".join(f" {KPI_SEPARATOR} ".join([k.get("name", ""), k.get("target", ""), k.get("actual", "")])
                     for k in kpis)


class PlanForm(NoEchoMyNumberMixin, forms.Form):
    name = forms.CharField(label=_("group name"), max_length=200, validators=[reject_my_number])
    destination = forms.CharField(label=_("expected cloud destination (想定クラウド先)"), max_length=200,
                                  required=False, validators=[reject_my_number])
    kpis = forms.CharField(label=_("KPIs (one a line: 名称 | 目標 | 実績)"), required=False,
                           widget=forms.Textarea(attrs={"rows": 4}), validators=[reject_my_number])

    def clean_kpis(self):
        return parse_kpis(self.cleaned_data["kpis"])
