from django import forms
from django.utils.translation import gettext_lazy as _

from jichitai.core.forms import NoEchoMyNumberMixin
from jichitai.orgs.models import TwoFactorPolicy

MAX_EXPIRY_DAYS = 365


class TokenForm(NoEchoMyNumberMixin, forms.Form):
    name = forms.CharField(label=_("トークンの名前"), max_length=100, required=False)
    expires_days = forms.IntegerField(label=_("有効期間（日）"), min_value=1, max_value=MAX_EXPIRY_DAYS, initial=90)
    read_only = forms.BooleanField(label=_("読み取り専用"), required=False, initial=True)


class CodeForm(NoEchoMyNumberMixin, forms.Form):
    """A code from the authenticator app (6 digits) or a recovery code."""

    code = forms.CharField(label=_("確認コード"), max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}))


class PolicyForm(NoEchoMyNumberMixin, forms.Form):
    """Who of a municipality's or an association's users must use two-factor authentication."""

    policy = forms.ChoiceField(label=_("2段階認証"), choices=TwoFactorPolicy.choices)
