from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.core.fields import FiscalYearField, WarekiDateField, harden
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.core.validators import reject_my_number

from . import queries, rules
from .models import ActionItem, Issue, Workshop


class RetireForm(NoEchoMyNumberMixin, forms.Form):
    retired_on = WarekiDateField(label=_("retired on"), required=False,
                                 help_text=_("Empty: today. 和暦 (R8.4.1) or western dates."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)


class WorkshopForm(NoEchoMyNumberMixin, forms.ModelForm):
    held_on = WarekiDateField(label=_("held on"), required=False)

    class Meta:
        model = Workshop
        fields = ["name", "held_on", "published"]
        field_classes = {"held_on": WarekiDateField}

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
                if not rules.is_active(criterion):  # a retired criterion is shown, no longer scored
                    continue
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
    """Add an action (the plan page) or change one (its edit page): the same fields, 年度 typed as people write it
    (2026, R8, 令和8年度, H30, 平成30年度) and shown back as 令和8年度."""

    # 1989–2100 (FiscalYearField's validate_fiscal_year): the plan page labels it in the era.
    fiscal_year = FiscalYearField(label=_("fiscal year"), widget=forms.TextInput(
        attrs={"placeholder": "例: 令和8年度 / R8 / H30 / 2026", "autocomplete": "off", "size": 12}))

    class Meta:
        model = ActionItem
        fields = ["issue", "fiscal_year", "half", "text", "owner", "status"]
        labels = {"issue": _("Issue")}

    def __init__(self, *args, issues, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        # A new action is planned for an issue in use; an edited one keeps the issue it names.
        self.fields["issue"].queryset = queries.offered_issues(issues, self.instance.issue_id)


class IssueForm(NoEchoMyNumberMixin, forms.ModelForm):
    position = forms.IntegerField(label=_("position"), min_value=0, max_value=999, required=False)

    class Meta:
        model = Issue
        fields = ["title", "summary", "position"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def clean_position(self):
        return self.cleaned_data["position"] or 0


class CriteriaForm(NoEchoMyNumberMixin, forms.Form):
    """The workshop's criteria, a row each, and NEW_ROWS empty rows to add one: name, weight, retired, delete.
    Field names carry the row number; `was` holds the name a row had, so that a rename moves its scores."""

    NEW_ROWS = 2

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.count = min(len(criteria) + self.NEW_ROWS, rules.MAX_CRITERIA)
        for n in range(self.count):
            current = criteria[n] if n < len(criteria) else None
            self.fields[f"was_{n}"] = forms.CharField(required=False, widget=forms.HiddenInput,
                                                      max_length=rules.CRITERION_NAME_MAX,
                                                      initial=current["name"] if current else "")
            self.fields[f"name_{n}"] = forms.CharField(
                label=_("criterion"), required=False, max_length=rules.CRITERION_NAME_MAX,
                initial=current["name"] if current else "")
            self.fields[f"weight_{n}"] = forms.DecimalField(
                label=_("weight"), required=False, min_value=rules.WEIGHT_MIN, max_value=rules.WEIGHT_MAX,
                decimal_places=rules.WEIGHT_DECIMALS, max_digits=4,
                initial=current.get("weight", 1) if current else None)
            self.fields[f"retired_{n}"] = forms.BooleanField(
                label=_("retired"), required=False, initial=bool(current and not rules.is_active(current)))
            self.fields[f"delete_{n}"] = forms.BooleanField(label=_("delete"), required=False)

    def rows(self):
        """(row number, name, weight, retired, delete) bound fields for the template."""
        return [(n, self[f"was_{n}"], self[f"name_{n}"], self[f"weight_{n}"], self[f"retired_{n}"],
                 self[f"delete_{n}"]) for n in range(self.count)]

    def clean(self):
        data = super().clean()
        self.result = []
        for n in range(self.count):
            was, name = data.get(f"was_{n}") or None, (data.get(f"name_{n}") or "").strip()
            weight = data.get(f"weight_{n}")
            if was is None and not name:
                continue  # an empty new row
            if name and weight is None and not data.get(f"delete_{n}"):
                self.add_error(f"weight_{n}", _("Enter the weight."))
                continue
            self.result.append({"was": was, "name": name, "weight": weight, "retired": data.get(f"retired_{n}"),
                                "delete": data.get(f"delete_{n}")})
        return data
