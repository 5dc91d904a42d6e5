from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.core.fields import WarekiDateField, harden
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.processes.models import Process

from . import rules
from .models import Evaluation, ImportantChange, SpiFile

INCIDENT_CHOICES = [("", _("From the incident register")), ("yes", _("Yes (override)")), ("no", _("No (override)"))]
_INCIDENT_VALUE = {"": None, "yes": True, "no": False}


class SpiFileForm(NoEchoMyNumberMixin, forms.ModelForm):
    incident = forms.ChoiceField(label=_("Serious incident (重大事故) in the past year"), choices=INCIDENT_CHOICES,
                                 required=False)

    class Meta:
        model = SpiFile
        fields = ["name", "processes", "persons", "handlers", "staff_only", "systems", "notes"]
        widgets = {"processes": forms.CheckboxSelectMultiple, "systems": forms.Textarea(attrs={"rows": 2}),
                   "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "persons": _("The number of persons recorded in the file (対象人数)."),
            "handlers": _("Staff and contractors' staff who handle the file (取扱者数)."),
            "staff_only": _("A file of staff only (personnel, payroll, welfare) is exempt."),
        }
        error_messages = {
            "persons": {"invalid": "対象人数は0以上の整数で入力してください。",
                        "min_value": "対象人数は0以上の整数で入力してください。"},
            "handlers": {"invalid": "取扱者数は0以上の整数で入力してください。",
                         "min_value": "取扱者数は0以上の整数で入力してください。"},
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.instance.municipality = municipality
        self.fields["processes"].queryset = Process.objects.filter(municipality=municipality).order_by("name")
        override = self.instance.serious_incident_override
        self.fields["incident"].initial = {None: "", True: "yes", False: "no"}[override]
        self.fields["incident"].help_text = _("Derived from the incident register unless overridden here.")

    def fields_for_service(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name != "processes"}
        return data | {"serious_incident_override": _INCIDENT_VALUE[self.cleaned_data.get("incident") or ""]}


class EvaluationForm(NoEchoMyNumberMixin, forms.ModelForm):
    started_on = WarekiDateField(label=_("started on"), required=False)
    comment_from = WarekiDateField(label=_("public comment from"), required=False)
    comment_to = WarekiDateField(label=_("public comment to"), required=False)
    third_party_review_on = WarekiDateField(label=_("第三者点検"), required=False)
    submitted_on = WarekiDateField(label=_("submitted to the commission on"), required=False)
    published_on = WarekiDateField(label=_("published on"), required=False)
    last_reviewed_on = WarekiDateField(label=_("last yearly review (規則第14条)"), required=False)

    class Meta:
        model = Evaluation
        fields = ["kind", "started_on", "comment_from", "comment_to", "third_party_review_on", "submitted_on",
                  "published_on", "last_reviewed_on", "documents", "notes"]
        widgets = {"documents": forms.Textarea(attrs={"rows": 3}), "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"documents": _("Name each document and where it is kept (no upload: the originals stay "
                                     "in the document management system).")}

    def clean(self):
        data = super().clean()
        if not self.errors:
            check = rules.check_dates(data.get("kind"), **{name: data.get(name) for name in (
                "started_on", "comment_from", "comment_to", "third_party_review_on", "submitted_on",
                "published_on")})
            for name, messages in check.errors.items():
                for message in messages:
                    self.add_error(name, message)
        return data

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)


class ImportantChangeForm(NoEchoMyNumberMixin, forms.ModelForm):
    changed_on = WarekiDateField(label=_("changed on"))

    class Meta:
        model = ImportantChange
        fields = ["changed_on", "description", "reevaluated"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)


class PiaFilterForm(NoEchoMyNumberMixin, forms.Form):
    FLAGS = [("", _("All")), ("any", _("Any flag")), ("overdue", _("Overdue"))] + [
        (key, label) for key, label in rules.FLAG_LABEL.items()]
    SORTS = [("name", _("File name")), ("required", _("Required evaluation")), ("review_due", _("Review due")),
             ("reevaluation_due", _("Re-evaluation due")), ("flags", _("Most flags"))]

    q = forms.CharField(label=_("Search"), required=False)
    required = forms.ChoiceField(label=_("Required"), choices=[("", _("All"))] + list(rules.REQUIRED), required=False)
    flag = forms.ChoiceField(label=_("Flag"), choices=FLAGS, required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)

    def params(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        return {"q": data.get("q", ""), "required": data.get("required", ""), "flag": data.get("flag", ""),
                "sort": data.get("sort") or "name"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
