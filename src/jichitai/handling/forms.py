from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.orgs.models import Staff
from jichitai.risk import rules as risk_rules
from jichitai.risk.models import RiskRow

from .models import FlowStep, HandlingRow

RATING_CHOICES = [(n, str(n)) for n in range(risk_rules.RATING_MIN, risk_rules.RATING_MAX + 1)]


class FlowStepForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = FlowStep
        fields = ["order", "lane", "action", "business_function", "stage", "assets"]


class HandlingRowForm(NoEchoMyNumberMixin, forms.ModelForm):
    confidentiality = forms.TypedChoiceField(label=_("機密性"), choices=RATING_CHOICES, coerce=int)
    integrity = forms.TypedChoiceField(label=_("完全性"), choices=RATING_CHOICES, coerce=int)
    availability = forms.TypedChoiceField(label=_("可用性"), choices=RATING_CHOICES, coerce=int)

    class Meta:
        model = HandlingRow
        fields = ["row_id", "asset_name", "kind", "stage", "method", "procedure", "business_function",
                  "responsible", "responsible_duty", "handler", "handler_duty", "notes", "confidentiality",
                  "integrity", "availability"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("method", "procedure", "notes")}

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.process = process

    def clean_row_id(self):
        from .rules import UnknownValue, read_row_id

        try:
            return read_row_id(self.cleaned_data["row_id"])
        except UnknownValue:
            raise forms.ValidationError(_("Write the ID like 1-2.")) from None


class RiskRowForm(NoEchoMyNumberMixin, forms.ModelForm):
    vulnerability_rating = forms.TypedChoiceField(label=_("脆弱性評価"), choices=RATING_CHOICES, coerce=int)
    threat_rating = forms.TypedChoiceField(label=_("脅威評価"), choices=RATING_CHOICES, coerce=int)

    class Meta:
        model = RiskRow
        fields = ["vulnerability", "vulnerability_rating", "threat", "threat_rating", "business_function",
                  "residual_risk"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("vulnerability", "threat", "residual_risk")}


class CountermeasureForm(NoEchoMyNumberMixin, forms.Form):
    text = forms.CharField(label=_("対策"), widget=forms.Textarea(attrs={"rows": 2}))
    reduction = forms.DecimalField(label=_("reduction"), min_value=0, max_value=2, decimal_places=2, initial=0)
    factor = forms.ChoiceField(label=_("factor reduced"), choices=risk_rules.FACTORS, initial="vulnerability")
    category = forms.ChoiceField(label=_("category"), choices=[("", "—")] + list(risk_rules.CATEGORIES),
                                 required=False)

    def clean_text(self):
        from jichitai.core.validators import reject_my_number

        reject_my_number(self.cleaned_data["text"])
        return self.cleaned_data["text"]


CountermeasureFormSet = forms.formset_factory(CountermeasureForm, extra=2, can_delete=True)


class ApproveForm(NoEchoMyNumberMixin, forms.Form):
    officer = forms.ModelChoiceField(label=_("protection officer (保護責任者)"), queryset=Staff.objects.none(),
                                     required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Staff.objects.filter(
            municipality=municipality, role=Staff.Role.PROTECTION_OFFICER).select_related("department")
        self.fields["officer"].label_from_instance = lambda s: f"{s.department or ''} {s.name}"
