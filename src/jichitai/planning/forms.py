from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.core.fields import harden
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.core.validators import reject_my_number, validate_fiscal_year

from . import rules
from .models import ActionItem, Workshop


class WorkshopForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = Workshop
        fields = ["name", "held_on", "published"]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)


class ScoresForm(NoEchoMyNumberMixin, forms.Form):
    """One participant's scores: a field per issue and criterion, named s-<issue id>-<criterion index>."""

    participant = forms.CharField(label=_("participant"), max_length=100, validators=[reject_my_number])
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=None, required=False)

    def __init__(self, *args, issues, criteria, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = members
        self.cells = {}
        for issue in issues:
            for i, criterion in enumerate(criteria):
                name = f"s-{issue.pk}-{i}"
                self.fields[name] = forms.DecimalField(
                    label=f"{issue.title} {criterion['name']}", required=False, min_value=rules.SCORE_MIN,
                    max_value=rules.SCORE_MAX, decimal_places=1, max_digits=2)
                self.cells[name] = (issue.pk, criterion["name"])

    def scores(self) -> dict[int, dict]:
        result = {}
        for name, (issue_id, criterion) in self.cells.items():
            if self.cleaned_data.get(name) is not None:
                result.setdefault(issue_id, {})[criterion] = self.cleaned_data[name]
        return result


class ActionItemForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = ActionItem
        fields = ["issue", "fiscal_year", "half", "text", "owner", "status"]
        labels = {"issue": _("Issue")}

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["issue"].queryset = issues
        self.fields["fiscal_year"].validators.append(validate_fiscal_year)  # 1989–2100: the plan page labels it
