from django import forms

from jichitai.core.fields import harden
from jichitai.core.forms import NoEchoMyNumberMixin

from . import queries, rules


class TodoFilterForm(NoEchoMyNumberMixin, forms.Form):
    """The secretariat's combined list: one member, one kind, and the order. A value not offered is ignored."""

    member = forms.ChoiceField(label="団体", required=False)
    kind = forms.ChoiceField(label="種別", required=False, choices=[("", "すべて"), *rules.KINDS])
    state = forms.ChoiceField(label="状態", required=False, choices=[
        ("", "すべて"), (rules.OVERDUE, rules.STATE_LABEL[rules.OVERDUE]),
        (rules.DUE_SOON, rules.STATE_LABEL[rules.DUE_SOON])])
    sort = forms.ChoiceField(label="並び順", required=False, choices=[
        ("deadline", "期限の近い順"), ("municipality", "団体順"), ("kind", "種別順")])

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["member"].choices = [("", "すべて")] + [(m.code, f"{m.code} {m.name}") for m in members]

    def params(self) -> dict:
        data = self.cleaned_data if self.is_valid() else {}
        sort = data.get("sort") or "deadline"
        return {"member": data.get("member") or "", "kind": data.get("kind") or "", "state": data.get("state") or "",
                "sort": sort if sort in queries.SORTS else "deadline"}
