"""「2段階認証」: enrolment with a QR code drawn here, recovery codes shown once, switching it off, and the
second step of a login. Every write is a call to two_factor_services (audited)."""

from base64 import b32encode

import segno
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from . import two_factor_services as services
from .forms import CodeForm
from .middleware import TWO_FACTOR_STEP


def _qr_svg(device) -> str:
    """The otpauth:// URL of the device as an inline SVG (segno, on the server: the secret goes nowhere)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, title=_("認証アプリで読み取る QR コード"))


def _base32(device) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


class TwoFactorView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/two_factor.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        device = services.pending_device(user)
        context.update(enabled=services.has_device(user), required=services.required_for(user),
                       codes_left=services.recovery_codes_left(user),
                       must_enrol=self.request.session.get(TWO_FACTOR_STEP) == "enrol", pending=device)
        if device is not None:
            context.update(qr_svg=_qr_svg(device), secret=_base32(device))
        context.setdefault("confirm_form", CodeForm(prefix="confirm"))
        context.setdefault("recovery_form", CodeForm(prefix="recovery"))
        context.setdefault("disable_form", CodeForm(prefix="disable"))
        return context


def _page(request, **context):
    view = TwoFactorView(request=request, kwargs={})
    return render(request, view.template_name, view.get_context_data(**context))


class EnrolView(LoginRequiredMixin, View):
    def post(self, request):
        services.begin_enrolment(user=request.user, request=request)
        return redirect("accounts:two_factor")


class _CodeAction(LoginRequiredMixin, View):
    """A POST with one code form: the service, then the page again (with its errors or the new codes)."""

    prefix = ""

    def post(self, request):
        form = CodeForm(request.POST, prefix=self.prefix)
        if form.is_valid():
            try:
                return self.done(self.act(form.cleaned_data["code"]))
            except ValidationError as exc:
                form.add_error("code", exc)
        return _page(self.request, **{f"{self.prefix}_form": form})


class ConfirmView(_CodeAction):
    prefix = "confirm"

    def act(self, code):
        return services.confirm_enrolment(user=self.request.user, code=code, request=self.request)

    def done(self, codes):
        # The code just given is this session's second factor too.
        self.request.session.pop(TWO_FACTOR_STEP, None)
        messages.success(self.request, _("2段階認証を有効にしました。"))
        return _page(self.request, new_codes=codes)


class RecoveryCodesView(_CodeAction):
    prefix = "recovery"

    def act(self, code):
        return services.regenerate_recovery_codes(user=self.request.user, code=code, request=self.request)

    def done(self, codes):
        return _page(self.request, new_codes=codes)


class DisableView(_CodeAction):
    prefix = "disable"

    def act(self, code):
        services.disable(user=self.request.user, code=code, request=self.request)

    def done(self, _result):
        messages.success(self.request, _("2段階認証を無効にしました。"))
        return redirect("accounts:two_factor")


class VerifyView(LoginRequiredMixin, View):
    """The second step of a login."""

    template_name = "accounts/two_factor_verify.html"

    def get(self, request):
        if request.session.get(TWO_FACTOR_STEP) != "verify":
            return redirect("home")
        return render(request, self.template_name, {"form": CodeForm()})

    def post(self, request):
        if request.session.get(TWO_FACTOR_STEP) != "verify":
            return redirect("home")
        form = CodeForm(request.POST)
        if form.is_valid():
            if services.verify_at_login(user=request.user, code=form.cleaned_data["code"], request=request):
                request.session.pop(TWO_FACTOR_STEP, None)
                request.session.cycle_key()
                return redirect("home")
            form.add_error("code", _("コードが正しくありません。しばらく待ってからもう一度お試しください。"))
        return render(request, self.template_name, {"form": form})
