import contextlib

from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.core.fields import WarekiDateField, harden
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.orgs.models import Department, Staff

from . import rules
from .models import Assessment

STATUS_CHOICES = [(code, label) for code, label in rules.STATUSES]


class AssessmentForm(NoEchoMyNumberMixin, forms.ModelForm):
    review_on = WarekiDateField(label=_("review date"), required=False)

    class Meta:
        model = Assessment
        fields = ["status", "evidence_note", "owner", "review_on"]
        widgets = {"evidence_note": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["owner"].queryset = Staff.objects.filter(municipality=municipality).select_related("department")
        self.fields["owner"].label_from_instance = lambda s: f"{s.name}（{s.department or '—'}）"
        self.fields["evidence_note"].help_text = _(
            "What shows the measure is in place: the rule, the record, the place it is kept.")


class MeasureFilterForm(NoEchoMyNumberMixin, forms.Form):
    SORT_CHOICES = [("position", _("Item order")), ("status", _("Status")), ("review_on", _("Review date")),
                    ("updated", _("Last updated")), ("department", _("Department"))]

    framework = forms.ChoiceField(label=_("Checklist"), required=False)
    category = forms.ChoiceField(label=_("区分"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—")] + STATUS_CHOICES, required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORT_CHOICES, required=False)

    def __init__(self, data, *, municipality, frameworks, categories):
        data = data.copy()
        if data.get("status"):
            # Accept what people type or link to: 未対応, 済, 完了, N/A … as well as the codes.
            # Unknown text is left as typed: the choice field reports it.
            with contextlib.suppress(rules.UnknownValue):
                data["status"] = rules.read_status(data["status"]).code
        super().__init__(data)
        self.fields["framework"].choices = [("", "—")] + [(f.code, f.name) for f in frameworks]
        self.fields["category"].choices = [("", "—")] + [(c, c) for c in categories]
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)

    def params(self) -> dict:
        """Cleaned filter values for queries.filter_slots; invalid parameters are ignored (the form shows them)."""
        data = self.cleaned_data if self.is_valid() else {}
        department = data.get("department")
        return {"status": data.get("status", ""), "category": data.get("category", ""),
                "framework": data.get("framework", ""), "department": department.id if department else None,
                "sort": data.get("sort") or "position"}
