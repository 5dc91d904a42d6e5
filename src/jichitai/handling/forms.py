import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jichitai.core.fields import WarekiDateField, harden
from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.orgs.models import Staff
from jichitai.processes.models import Process
from jichitai.risk import rules as risk_rules
from jichitai.risk.models import RiskRow

from . import rules
from .models import FlowStep, HandlingRow

RATING_CHOICES = [(n, str(n)) for n in range(risk_rules.RATING_MIN, risk_rules.RATING_MAX + 1)]


class FlowStepForm(NoEchoMyNumberMixin, forms.ModelForm):
    class Meta:
        model = FlowStep
        fields = ["order", "lane", "action", "business_function", "stage", "assets"]


class HandlingRowForm(NoEchoMyNumberMixin, forms.ModelForm):
    confidentiality = forms.TypedChoiceField(label=_("機密性"), choices=RATING_CHOICES, coerce=int)
    integrity = forms.TypedChoiceField(label=_("完全性"), choices=RATING_CHOICES, coerce=int)
    availability = forms.TypedChoiceField(label=_("可用性"), choices=RATING_CHOICES, coerce=int)

    class Meta:
        model = HandlingRow
        fields = ["row_id", "asset_name", "kind", "stage", "method", "procedure", "business_function",
                  "responsible", "responsible_duty", "handler", "handler_duty", "notes", "confidentiality",
                  "integrity", "availability", "records_kept"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("method", "procedure", "notes")}

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.process = process

    def clean_row_id(self):
        from .rules import UnknownValue, read_row_id

        try:
            return read_row_id(self.cleaned_data["row_id"])
        except UnknownValue:
            raise forms.ValidationError(_("Write the ID like 1-2.")) from None


class RiskRowForm(NoEchoMyNumberMixin, forms.ModelForm):
    vulnerability_rating = forms.TypedChoiceField(label=_("脆弱性評価"), choices=RATING_CHOICES, coerce=int)
    threat_rating = forms.TypedChoiceField(label=_("脅威評価"), choices=RATING_CHOICES, coerce=int)

    class Meta:
        model = RiskRow
        fields = ["vulnerability", "vulnerability_rating", "threat", "threat_rating", "business_function",
                  "residual_risk"]
        widgets = {name: forms.Textarea(attrs={"rows": 2}) for name in ("vulnerability", "threat", "residual_risk")}


class CountermeasureForm(NoEchoMyNumberMixin, forms.Form):
    text = forms.CharField(label=_("対策"), widget=forms.Textarea(attrs={"rows": 2}))
    reduction = forms.DecimalField(label=_("reduction"), min_value=0, max_value=2, decimal_places=2, initial=0)
    factor = forms.ChoiceField(label=_("factor reduced"), choices=risk_rules.FACTORS, initial="vulnerability")
    category = forms.ChoiceField(label=_("category"), choices=[("", "—")] + list(risk_rules.CATEGORIES),
                                 required=False)

    def clean_text(self):
        from jichitai.core.validators import reject_my_number

        reject_my_number(self.cleaned_data["text"])
        return self.cleaned_data["text"]


CountermeasureFormSet = forms.formset_factory(CountermeasureForm, extra=2, can_delete=True)


class ApproveForm(NoEchoMyNumberMixin, forms.Form):
    officer = forms.ModelChoiceField(label=_("protection officer (保護責任者)"), queryset=Staff.objects.none(),
                                     required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Staff.objects.filter(
            municipality=municipality, role=Staff.Role.PROTECTION_OFFICER).select_related("department")
        self.fields["officer"].label_from_instance = lambda s: f"{s.department or ''} {s.name}"


# ---- 取扱記録 and reviews ----

def _staff_choices(field, municipality) -> None:
    field.queryset = Staff.objects.filter(municipality=municipality).select_related("department")
    field.label_from_instance = lambda s: f"{s.name}（{s.staff_number}）"


class HandlingRecordForm(NoEchoMyNumberMixin, forms.Form):
    handling_row = forms.ModelChoiceField(label="情報資産（取扱手順表の行）", queryset=HandlingRow.objects.none())
    occurred_on = WarekiDateField(label="日付")
    occurred_time = forms.TimeField(label="時刻", widget=forms.TimeInput(attrs={"placeholder": "14:30", "size": 6}))
    person = forms.ModelChoiceField(label="取扱者", queryset=Staff.objects.none())
    action = forms.ChoiceField(label="取扱区分", choices=rules.RECORD_ACTIONS)
    medium = forms.CharField(label="媒体", max_length=100, required=False,
                             help_text="紙、USBメモリ、電子メール、庁内システム など")
    count = forms.IntegerField(label="件数", min_value=1, max_value=rules.COUNT_MAX, initial=1)
    purpose = forms.CharField(label="目的", max_length=300, required=False)
    approver = forms.ModelChoiceField(label="承認者", queryset=Staff.objects.none(), required=False)
    disposal_method = forms.CharField(label="廃棄・消去の方法", max_length=200, required=False,
                                      help_text="廃棄・消去のときに必須（裁断、溶解、データ消去 など）")
    witness = forms.CharField(label="立会者", max_length=100, required=False, help_text="廃棄・消去のときに必須")

    def __init__(self, *args, process, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["handling_row"].queryset = HandlingRow.objects.filter(process=process)
        self.fields["handling_row"].label_from_instance = lambda r: f"{r.row_id} {r.asset_name}（{r.get_stage_display()}）"
        _staff_choices(self.fields["person"], process.municipality)
        _staff_choices(self.fields["approver"], process.municipality)
        if not self.is_bound:
            now = timezone.localtime()
            self.initial.setdefault("occurred_on", now.date())
            self.initial.setdefault("occurred_time", now.strftime("%H:%M"))

    def clean(self):
        data = super().clean()
        problems = rules.record_problems(data.get("action", ""), data.get("disposal_method", ""),
                                         data.get("witness", ""))
        for name, message in problems.items():
            self.add_error(name, message)
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        occurred_at = timezone.make_aware(dt.datetime.combine(data["occurred_on"], data["occurred_time"]))
        return {"handling_row": data["handling_row"], "occurred_at": occurred_at, "person": data["person"],
                "action": data["action"], "medium": data["medium"], "count": data["count"],
                "purpose": data["purpose"], "approver": data["approver"],
                "disposal_method": data["disposal_method"], "witness": data["witness"]}


class VoidForm(NoEchoMyNumberMixin, forms.Form):
    void_reason = forms.CharField(label="取消理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class ReviewForm(NoEchoMyNumberMixin, forms.Form):
    reviewed_on = WarekiDateField(label="見直し日")
    review_interval_months = forms.IntegerField(
        label="見直し間隔（月）", min_value=rules.INTERVAL_MIN, max_value=rules.INTERVAL_MAX, required=False,
        help_text="空欄なら協議会の設定（既定は12か月）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("reviewed_on", timezone.localdate())


class RecordFilterForm(NoEchoMyNumberMixin, forms.Form):
    STATES = [("", "すべて"), ("valid", "有効のみ"), ("void", "取消のみ")]
    SORTS = [("-occurred_at", "日時の新しい順"), ("occurred_at", "日時の古い順"), ("process", "事務・行の順"),
             ("person", "取扱者の順"), ("action", "取扱区分の順")]

    process = forms.ModelChoiceField(label="事務", queryset=None, required=False)
    row = forms.ModelChoiceField(label="情報資産", queryset=None, required=False)
    action = forms.ChoiceField(label="取扱区分", choices=[("", "すべて")] + list(rules.RECORD_ACTIONS), required=False)
    person = forms.ModelChoiceField(label="取扱者", queryset=None, required=False)
    date_from = WarekiDateField(label="期間（から）", required=False)
    date_to = WarekiDateField(label="期間（まで）", required=False)
    state = forms.ChoiceField(label="状態", choices=STATES, required=False)
    sort = forms.ChoiceField(label="並び順", choices=SORTS, required=False)

    def __init__(self, *args, municipality, **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["process"].queryset = Process.objects.filter(municipality=municipality).order_by("name")
        self.fields["row"].queryset = (HandlingRow.objects.filter(process__municipality=municipality)
                                       .select_related("process").order_by("process__name", "position", "id"))
        self.fields["row"].label_from_instance = lambda r: f"{r.process.name} {r.row_id} {r.asset_name}"
        _staff_choices(self.fields["person"], municipality)

    def params(self) -> dict:
        return self.cleaned_data if self.is_valid() else {}


class AnalysisRowFilterForm(NoEchoMyNumberMixin, forms.Form):
    """The analysis page's handling table: filter and sort (GET). A value that is not valid is left out of
    params(), so the page falls back to that field's default and still shows."""

    SORTS = [("stage", "段階順"), ("id", "ID順"), ("value", "資産価値の高い順"), ("total", "総合評価の高い順")]

    stage = forms.ChoiceField(label="取扱段階", choices=[("", "すべて"), *rules.STAGES], required=False)
    kind = forms.ChoiceField(label="種類", choices=[("", "すべて"), *rules.KINDS], required=False)
    q = forms.CharField(label="検索（ID・情報資産名称）", required=False, max_length=100)
    attention = forms.BooleanField(label="要対応のみ", required=False)
    sort = forms.ChoiceField(label="並び順", choices=SORTS, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "rows_%s")  # the page's step form has a 「stage」 too: ids stay unique
        super().__init__(*args, **kwargs)

    def params(self) -> dict:
        if not self.is_bound:
            return {}
        self.is_valid()
        return dict(self.cleaned_data)  # only the fields that were valid

    def filtering(self) -> bool:
        params = self.params()
        return any(params.get(name) for name in ("stage", "kind", "q", "attention"))
