from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.fields import WarekiDateField, harden
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.orgs.models import Department

from . import rules
from .models import LegalBasisItem, Ordinance, OrdinanceAmendment, Process


class ProcessForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = Process
        fields = ["name", "department", "beppyo_item", "ordinance", "persons_count", "handlers_count",
                  "systems", "notes", "registered_on"]
        widgets = {
            "name": forms.Textarea(attrs={"rows": 2}),
            "systems": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        field_classes = {"registered_on": WarekiDateField}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.instance.municipality = municipality
        today = timezone.localdate()
        # Abolished sections and repealed ordinances are not offered, except the ones the process already names.
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality).filter(
            Q(abolished_on__isnull=True) | Q(abolished_on__gt=today) | Q(pk=self.instance.department_id))
        self.fields["ordinance"].queryset = Ordinance.objects.filter(municipality=municipality).filter(
            Q(repealed_on__isnull=True) | Q(repealed_on__gt=today) | Q(pk=self.instance.ordinance_id))
        self.fields["beppyo_item"].queryset = LegalBasisItem.objects.all()
        self.fields["beppyo_item"].label_from_instance = lambda item: f"{item.label} {item.process[:60]}"
        self.fields["beppyo_item"].help_text = _("Leave both empty if the process has no legal basis yet.")


class OrdinanceForm(NoEchoMyNumberMixin, forms.ModelForm):
    effective_on = WarekiDateField(label="施行日")

    class Meta:
        model = Ordinance
        fields = ["name", "article", "effective_on", "notes"]
        labels = {"name": "条例名", "article": "条項", "notes": "備考"}
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"effective_on": WarekiDateField}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.instance.municipality = municipality


class OrdinanceEditForm(OrdinanceForm):
    """Corrections of the ordinance as registered; a later amendment is recorded as such (OrdinanceAmendmentForm)."""

    repealed_on = WarekiDateField(label="廃止日（この日から効力なし）", required=False)

    class Meta(OrdinanceForm.Meta):
        fields = ["name", "article", "effective_on", "repealed_on", "notes"]


class OrdinanceAmendmentForm(NoEchoMyNumberMixin, forms.ModelForm):
    amended_on = WarekiDateField(label="改正の施行日")

    class Meta:
        model = OrdinanceAmendment
        fields = ["amended_on", "articles", "summary", "note"]
        labels = {"articles": "改正した条項", "summary": "改正の概要", "note": "備考"}
        widgets = {"summary": forms.Textarea(attrs={"rows": 3}), "note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)


class OrdinanceRepealForm(NoEchoMyNumberMixin, forms.Form):
    on = WarekiDateField(label="廃止日（この日から効力なし）")


class CellForm(NoEchoMyNumberMixin, forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[
        (code, f"{rules.STATUS_SYMBOL[code]} {rules.STATUS_LABEL[code]}") for code in rules.STATUS_CODES])

    def __init__(self, *args, column: str, **kwargs):
        super().__init__(*args, **kwargs)
        if column in rules.EVIDENCE_COLUMNS:
            self.fields["status"].choices = [(rules.FOLLOW_EVIDENCE, _("Follow the evidence"))] + list(
                self.fields["status"].choices)


class ImportForm(NoEchoMyNumberMixin, forms.Form):
    file = forms.FileField(label=_("Workbook (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Check only (write nothing)"), required=False)


class MatrixFilterForm(NoEchoMyNumberMixin, forms.Form):
    SORTS = [("basis", _("Legal basis")), ("name", _("Process name"))] + [
        (key, name) for key, name in rules.COLUMNS
    ]
    BASIS = [("", _("All")), ("beppyo", _("別表")), ("ordinance", _("Ordinance")), ("none", _("No legal basis"))]

    as_of = WarekiDateField(label=_("As of"), required=False)
    q = forms.CharField(label=_("Search"), required=False)
    department = forms.ModelChoiceField(label=_("Department"), queryset=Department.objects.none(), required=False)
    basis = forms.ChoiceField(label=_("Legal basis"), choices=BASIS, required=False)
    column = forms.ChoiceField(label=_("Column"), choices=[("", "—")] + list(rules.COLUMNS), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[("", "—")] + [
        (code, f"{rules.STATUS_SYMBOL[code]} {rules.STATUS_LABEL[code]}") for code in rules.STATUS_CODES
    ], required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)
    # The association page only: members of one prefecture (the first two digits of their 団体コード).
    prefecture = forms.RegexField(label=_("Prefecture"), regex=r"^\d{2}$", required=False)
    # …and members that also belong to another association (a wide-area union, a cloud group).
    group = forms.IntegerField(label=_("Association"), min_value=1, max_value=2**63 - 1, required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)

    def clean_as_of(self):
        from django.utils import timezone

        value = self.cleaned_data.get("as_of")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date must not be in the future."))
        return value
