"""The procurement-timing board's filters: 分類, member, and the fiscal year the board is drawn as of."""

from django import forms

from jichitai.core.fields import FiscalYearField, harden
from jichitai.core.forms import NoEchoMyNumberMixin


class TimelineFilterForm(NoEchoMyNumberMixin, forms.Form):
    category = forms.ChoiceField(label="分類", required=False)
    member = forms.ChoiceField(label="団体", required=False)
    as_of = FiscalYearField(label="基準年度", required=False,
                            widget=forms.TextInput(attrs={"placeholder": "例: H30、令和8年度", "size": 12, "maxlength": 20}),
                            help_text="空欄なら今年度。H30 と入れると平成30年度に描いた表として見られます。")

    def __init__(self, *args, categories=(), members=(), **kwargs):
        super().__init__(*args, **kwargs)
        harden(self)
        self.fields["category"].choices = [("", "全て")] + [(c, c) for c in categories]
        self.fields["member"].choices = [("", "全団体")] + [(m.code, f"{m.code} {m.name}") for m in members]
