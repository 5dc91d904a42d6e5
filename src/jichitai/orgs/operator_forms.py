"""The operator's pages (運用管理者, /operator/): their forms, and the organisation list they filter.

The reads are in operator_queries.
"""

from urllib.parse import urlencode

from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.core import prefectures
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.core.text import normalise
from jichitai.core.validators import validate_municipality_code

from .models import Association, AssociationMember, Municipality
from .operator_queries import OrganisationGroup, organisations


class OrganisationFilterForm(NoEchoMyNumberMixin, forms.Form):
    SORTS = [("code", _("Code")), ("name", _("Organisation name")), ("users", _("Number of users"))]

    q = forms.CharField(label=_("Search"), max_length=100, required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def params(self) -> dict:
        """The valid parameters (invalid ones are ignored; the form shows why)."""
        data = self.cleaned_data if self.is_valid() else {}
        return {"q": normalise(data.get("q", "")), "sort": data.get("sort") or "code"}

    def organisations(self) -> list[OrganisationGroup]:
        return organisations(**self.params())

    def query(self) -> str:
        """The same list's query string, for the export link (what was refused is not passed on)."""
        return urlencode({key: value for key, value in self.params().items() if value})


# ---------------------------------------------------------------------------------------------------------------
# Creating organisations. The services write and audit; these forms only check what was typed.


class AssociationCreateForm(NoEchoMyNumberMixin, forms.Form):
    name = forms.CharField(label=_("Association name"), max_length=200,
                           help_text=_("For example 「A県市町村振興協会」."))
    prefecture = forms.ChoiceField(label=_("Prefecture"), required=False,
                                   choices=[("", _("— Several prefectures —"))] + prefectures.all_choices())

    def clean_name(self):
        name = normalise(self.cleaned_data["name"])
        if Association.objects.filter(name=name).exists():
            raise forms.ValidationError(_("An association named “%(name)s” is already registered."),
                                        code="duplicate", params={"name": name})
        return name


class MunicipalityCreateForm(NoEchoMyNumberMixin, forms.Form):
    code = forms.CharField(label=_("Local government code"), max_length=6,
                           help_text=_("6 digits, the last one the check digit (全国地方公共団体コード)."))
    name = forms.CharField(label=_("Municipality name"), max_length=100)
    association = forms.ModelChoiceField(label=_("Parent association"), queryset=Association.objects.all(),
                                         required=False, empty_label=_("— In no association —"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["association"].error_messages["invalid_choice"] = _("Choose an association from the list.")

    def clean_code(self):
        code = normalise(self.cleaned_data["code"])
        validate_municipality_code(code)
        if Municipality.objects.filter(code=code).exists():
            raise forms.ValidationError(_("A municipality with the code %(code)s is already registered."),
                                        code="duplicate", params={"code": code})
        return code

    def clean_name(self):
        return normalise(self.cleaned_data["name"])




class JoinAssociationForm(NoEchoMyNumberMixin, forms.Form):
    """A municipality that also belongs to the association of the page (a wide-area union, a cloud group)."""

    code = forms.CharField(label=_("Local government code"), max_length=6)
    kind = forms.ChoiceField(label=_("Kind"), choices=AssociationMember.Kind.choices)

    def clean_code(self):
        code = normalise(self.cleaned_data["code"])
        municipality = Municipality.objects.filter(code=code).first()
        if municipality is None:
            raise forms.ValidationError(_("No municipality has the code %(code)s."), code="unknown",
                                        params={"code": code})
        return municipality
