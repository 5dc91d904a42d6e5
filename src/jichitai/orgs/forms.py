from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.core.forms import NoEchoMyNumberMixin

from .models import Department, Membership, Municipality, Staff


class DepartmentForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name"]

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality


class StaffForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = Staff
        fields = ["staff_number", "name", "department", "role"]
        labels = {"name": _("Full name"), "department": _("Department")}  # a person's 氏名, not 名称

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["department"].queryset = Department.objects.filter(municipality=municipality)


class UserAddForm(NoEchoMyNumberMixin, forms.Form):
    """A new login: username, name, role (in the page's scope) and how the first password is given."""

    METHODS = [("link", _("One-time set-up link (valid 72 hours)")), ("password", _("Initial password shown once"))]

    username = forms.CharField(label=_("Username"), max_length=150)
    name = forms.CharField(label=_("Full name"), max_length=150, required=False)
    role = forms.ChoiceField(label=_("Role"))
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Municipality.objects.none(),
                                          required=False,
                                          help_text=_("Only for the first administrator of a member municipality."))
    method = forms.ChoiceField(label=_("First password"), choices=METHODS, initial="link", widget=forms.RadioSelect)

    def __init__(self, *args, roles, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles
        if members is None:
            del self.fields["municipality"]
        else:
            self.fields["municipality"].queryset = members

    def clean(self):
        data = super().clean()
        if "municipality" in self.fields:
            if data.get("role") == Membership.Role.ADMIN and not data.get("municipality"):
                self.add_error("municipality", _("Choose the member municipality."))
            if data.get("role") != Membership.Role.ADMIN:
                data["municipality"] = None
        return data


class RoleForm(NoEchoMyNumberMixin, forms.Form):
    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles


class SetupPasswordForm(NoEchoMyNumberMixin, forms.Form):
    password1 = forms.CharField(label=_("New password"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label=_("New password (again)"), strip=False, widget=forms.PasswordInput(
        attrs={"autocomplete": "new-password"}))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data
