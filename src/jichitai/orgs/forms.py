
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.fields import WarekiDateField
from jichitai.core.forms import NoEchoMyNumberMixin

from .models import Association, DateStyle, Department, Membership, Municipality, Staff


class AssociationSettingsForm(NoEchoMyNumberMixin, forms.Form):
    """The association's settings for its members' daily work (services.update_association_settings)."""

    date_style = forms.ChoiceField(label=_("Dates on screens, exports and documents"), choices=DateStyle.choices,
                                   widget=forms.RadioSelect,
                                   help_text=_("和暦 (令和8年12月3日, 令和8年度) as municipal documents write them, or "
                                               "western (2026年12月3日, 2026年度). Inputs accept both."))

    review_interval_months = forms.IntegerField(
        label="取扱規程・取扱手順表・リスク分析の見直し間隔（月）", min_value=1, max_value=120,
        help_text="定期的な見直し（講義資料 2-3）の間隔。事務ごとに別の間隔を設定することもできます。")
    record_window_months = forms.IntegerField(
        label="取扱記録の確認期間（月）", min_value=1, max_value=120,
        help_text="取扱記録を残す定めの事務に、この期間の記録がなければ要確認とします。")
    procurement_lead_years = forms.IntegerField(
        label="調達の準備期間（年）", min_value=0, max_value=10,
        help_text="契約終了年度のこの年数前から調達を始めます（調達時期の整理、クラウド計画の準備期間）。")

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("date_style", "review_interval_months", "record_window_months", "procurement_lead_years"):
            self.initial.setdefault(name, getattr(association, name))


def _not_in_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError("将来の日付は指定できません。")
    return value


def _existing_departments(municipality):
    return Department.objects.filter(municipality=municipality).filter(
        Q(abolished_on__isnull=True) | Q(abolished_on__gt=timezone.localdate()))


class DepartmentForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = Department
        fields = ["name"]
        labels = {"name": "課室名"}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality


class DepartmentRenameForm(NoEchoMyNumberMixin, forms.Form):
    name = forms.CharField(label="新しい課室名", max_length=100)
    on = WarekiDateField(label="改称日（この日から新しい名称）")


class DepartmentMergeForm(NoEchoMyNumberMixin, forms.Form):
    into = forms.ModelChoiceField(label="統合先の課室", queryset=Department.objects.none())
    on = WarekiDateField(label="統合日（この日から統合先に所属）")

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = _existing_departments(municipality)

    def clean_on(self):
        return _not_in_future(self.cleaned_data.get("on"))


class DepartmentAbolishForm(NoEchoMyNumberMixin, forms.Form):
    on = WarekiDateField(label="廃止日（この日から存在しない）")


class StaffForm(NoEchoMyNumberMixin, forms.ModelForm):
    valid_from = WarekiDateField(label="配属日", required=False,
                                 help_text="空欄のときは「記録開始前から」として登録します。")

    class Meta:
        model = Staff
        fields = ["staff_number", "name", "department", "role"]
        labels = {"staff_number": "職員番号", "name": "氏名", "department": "所属課室", "role": "役割"}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality
        self.fields["department"].queryset = _existing_departments(municipality)

    def clean_valid_from(self):
        return _not_in_future(self.cleaned_data.get("valid_from"))


class StaffEditForm(NoEchoMyNumberMixin, forms.ModelForm):
    """Corrections of the person's number or name; department and role change with a date (StaffReassignForm)."""

    class Meta:
        model = Staff
        fields = ["staff_number", "name"]
        labels = {"staff_number": "職員番号", "name": "氏名"}

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.municipality = municipality


class StaffReassignForm(NoEchoMyNumberMixin, forms.Form):
    department = forms.ModelChoiceField(label="所属課室", queryset=Department.objects.none(), required=False)
    role = forms.ChoiceField(label="役割", choices=Staff.Role.choices)
    on = WarekiDateField(label="発令日（この日から新しい所属・役割）")

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _existing_departments(municipality)


class StaffRetireForm(NoEchoMyNumberMixin, forms.Form):
    on = WarekiDateField(label="退職日（最終在職日）")


class StaffFilterForm(NoEchoMyNumberMixin, forms.Form):
    SORTS = [("staff_number", "職員番号順"), ("name", "氏名順"), ("department", "所属順"), ("role", "役割順")]

    as_of = WarekiDateField(label="基準日", required=False)
    q = forms.CharField(label="検索（氏名・職員番号）", required=False, max_length=100)
    role = forms.ChoiceField(label="役割", choices=[("", "すべて"), *Staff.Role.choices], required=False)
    department = forms.IntegerField(label="所属課室", required=False, min_value=1, max_value=2**63 - 1,
                                    widget=forms.Select)
    retired = forms.BooleanField(label="退職者も表示", required=False)
    sort = forms.ChoiceField(label="並び順", choices=SORTS, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].widget.choices = [("", "すべて")]  # the page fills in the day's sections

    def clean_as_of(self):
        return _not_in_future(self.cleaned_data.get("as_of"))


class DepartmentFilterForm(NoEchoMyNumberMixin, forms.Form):
    as_of = WarekiDateField(label="基準日", required=False)
    abolished = forms.BooleanField(label="廃止された課室も表示", required=False)

    def clean_as_of(self):
        return _not_in_future(self.cleaned_data.get("as_of"))


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
