from django import forms

from .models import RiskSettings


class RiskSettingsForm(forms.ModelForm):
    class Meta:
        model = RiskSettings
        fields = ["asset_value_method", "acceptance_level"]
