from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from jichitai.core.fields import WarekiDateField, WarekiDateTimeField, harden
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.handling.models import HandlingRow
from jichitai.orgs.models import Department, Municipality, Staff
from jichitai.orgs.scoping import visible
from jichitai.processes.models import Process
from jichitai.training.models import Course

from . import rules
from .models import Drill, Incident, IncidentPhase, IncidentSettings, Measure

# Dates and times as people type them (R8.12.3 14:05, 令和8年12月3日): core.fields.
DATES = {"discovered_at": WarekiDateTimeField, "known_at": WarekiDateTimeField, "preliminary_sent_on": WarekiDateField,
         "final_sent_on": WarekiDateField, "persons_notified_on": WarekiDateField}
INCIDENT_FIELDS = ["title", "discovered_at", "known_at", "department", "processes", "kinds", "persons_affected",
                   "persons_unknown", "in_network_or_number_system", "improper_purpose", "public_exposure",
                   "encrypted_high_standard", "preliminary_sent_on", "final_sent_on", "persons_notified_on",
                   "root_cause", "notes"]


class IncidentForm(NoEchoMyNumberMixin, forms.ModelForm):
    kinds = forms.MultipleChoiceField(label=_("what happened"), choices=rules.KINDS, required=False,
                                      widget=forms.CheckboxSelectMultiple)
    # A plain integer field: a negative number gets the rules' Japanese message, not the model's.
    persons_affected = forms.IntegerField(label=_("persons affected"), required=False)

    class Meta:
        model = Incident
        fields = INCIDENT_FIELDS
        field_classes = DATES
        widgets = {"processes": forms.CheckboxSelectMultiple,
                   "root_cause": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "known_at": _("The 確報 is due 30 days (60 for 不正の目的) after the day of knowing (報告規則 第3条第2項)."),
            "encrypted_high_standard": _("Excludes every ground of 報告規則 第2条."),
            "persons_unknown": _("Treated as possibly more than 100 persons (報告規則 第2条第4号)."),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)
        self.fields["processes"].queryset = Process.objects.filter(municipality=municipality).order_by("name")

    def clean(self):
        data = super().clean()
        errors = rules.input_errors(discovered_at=data.get("discovered_at"), known_at=data.get("known_at"),
                                    persons=data.get("persons_affected"),
                                    persons_unknown=bool(data.get("persons_unknown")), now=timezone.now())
        for name, message in errors.items():
            self.add_error(name, message)
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data[name] for name in INCIDENT_FIELDS if name != "processes"}


class IncidentFilterForm(NoEchoMyNumberMixin, forms.Form):
    REPORTABLE = [("", _("All")), ("yes", _("Reportable")), ("no", _("Not reportable"))]
    STATUS = [("", _("All")), ("open", _("Open")), ("closed", _("Closed")), ("overdue", _("Report overdue"))]
    SORTS = [("-known_at", _("Newest first")), ("known_at", _("Oldest first")), ("final_due", _("確報 due")),
             ("title", pgettext_lazy("incident", "Subject"))]

    q = forms.CharField(label=_("Search"), required=False)
    kind = forms.ChoiceField(label=_("what happened"), choices=[("", _("All"))] + list(rules.KINDS), required=False)
    department = forms.ModelChoiceField(label=_("department"), queryset=Department.objects.none(), required=False)
    reportable = forms.ChoiceField(label=_("Reporting"), choices=REPORTABLE, required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)

    def params(self) -> dict:
        """The fields that are valid: an unknown sort or status falls back to the default, the others still apply."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return dict(self.cleaned_data)


class PhaseForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = IncidentPhase
        fields = ["phase", "at", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"at": WarekiDateTimeField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)


class MeasureForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = Measure
        fields = ["text", "done", "follow_up"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"follow_up": _("The handling rule (情報資産取扱手順表 row) to revise because of this measure.")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["follow_up"].queryset = HandlingRow.objects.filter(
            process__municipality=municipality).select_related("process").order_by("process__name", "position", "id")
        self.fields["follow_up"].label_from_instance = lambda r: f"{r.process.name} {r.row_id} {r.asset_name}"


class DrillForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = Drill
        fields = ["course", "held_on", "scenario", "lessons", "participants"]
        field_classes = {"held_on": WarekiDateField}
        widgets = {"participants": forms.CheckboxSelectMultiple,
                   "scenario": forms.Textarea(attrs={"rows": 3}), "lessons": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"participants": _("Each participant is recorded as having attended the training module.")}

    def __init__(self, *args, staff, municipality=None, association=None, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        if self.instance.pk is None:
            self.instance.municipality, self.instance.association = municipality, association
        self.fields["course"].queryset = Course.objects.filter(
            code__in=rules.DRILL_COURSE_CODES, association__isnull=True, municipality__isnull=True).order_by("code")
        self.fields["participants"].queryset = staff.select_related("municipality", "department")
        self.fields["participants"].label_from_instance = lambda s: f"{s.municipality.name} {s.department or ''} {s.name}"


class SettingsForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = IncidentSettings
        fields = ["preliminary_days"]
        help_texts = {"preliminary_days": _("報告規則 第3条第1項 says only 「速やかに」: this is a guidance target.")}


def drill_form_kwargs(user, municipality=None, association=None) -> dict:
    """Who may take part: the municipality's staff, or the staff of the association's members."""
    staff = Staff.objects.filter(municipality=municipality) if municipality is not None else Staff.objects.filter(
        municipality__in=Municipality.objects.member_ids(association))
    return {"staff": visible(staff, user), "municipality": municipality, "association": association}
