from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.core.fields import harden
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.core.wareki import format_date
from jichitai.orgs.models import Staff
from jichitai.processes.models import Ordinance, Process

from .models import LinkageItem, LinkageProfile, NumberSystem


def _ordinance_label(ordinance: Ordinance) -> str:
    return f"{ordinance.name} {ordinance.article}（施行 {format_date(ordinance.effective_on)}）"


class LinkageItemForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = LinkageItem
        fields = ["data_item", "direction", "counterpart", "counterpart_kind", "channel", "legal_basis", "ordinance",
                  "notes"]
        widgets = {"legal_basis": forms.Textarea(attrs={"rows": 2}), "notes": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "legal_basis": _("The 主務省令 article (番号法 第19条第8号) or the 別表 item the linkage rests on."),
            "ordinance": _("Required for 庁内連携 with another organ of the municipality (番号法 第19条第11号) "
                           "and for 独自利用事務."),
        }

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ordinance"].queryset = Ordinance.objects.filter(municipality=municipality)
        self.fields["ordinance"].label_from_instance = _ordinance_label


class LinkageProfileForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = LinkageProfile
        fields = ["consistency_checker", "trouble_procedure", "wrong_data_procedure"]
        widgets = {"trouble_procedure": forms.Textarea(attrs={"rows": 3}),
                   "wrong_data_procedure": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"consistency_checker": _("Someone able to check that the data held is consistent.")}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["consistency_checker"].queryset = Staff.objects.filter(
            municipality=municipality).select_related("department")
        self.fields["consistency_checker"].label_from_instance = lambda s: f"{s.department or ''} {s.name}"


class NumberSystemForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = NumberSystem
        fields = ["name", "stores_numbers", "processes", "notes"]
        widgets = {"processes": forms.CheckboxSelectMultiple, "notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.instance.municipality = municipality
        self.fields["processes"].queryset = Process.objects.filter(municipality=municipality).order_by("name")


class SystemFilterForm(NoEchoMyNumberMixin, forms.Form):
    STORES = [("", _("All")), ("yes", _("Stores numbers")), ("no", _("Does not store numbers"))]
    SORTS = [("name", _("System name")), ("-processes", _("Most processes")),
             ("-unbased", _("Most processes without legal basis"))]

    q = forms.CharField(label=_("Search"), required=False)
    stores = forms.ChoiceField(label=_("Individual numbers"), choices=STORES, required=False)
    flagged = forms.BooleanField(label=_("Only systems serving a process without legal basis"), required=False)
    sort = forms.ChoiceField(label=_("Sort"), choices=SORTS, required=False)
