from django import forms

from jichitai.core.forms import NoEchoMyNumberMixin

from .models import RiskSettings


class RiskSettingsForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = RiskSettings
        fields = ["asset_value_method", "acceptance_level"]
