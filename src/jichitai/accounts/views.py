"""The login page (throttled per address; a locked account looks like a wrong password) and 「アカウント」."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from jichitai.audit.models import AuditEntry
from jichitai.orgs import token_services as tokens

from . import services, two_factor_services
from .forms import TokenForm
from .throttle import address_allowed


class LoginView(auth_views.LoginView):
    def post(self, request, *args, **kwargs):
        if not address_allowed(services.client_address(request)):
            return HttpResponse(_("ログインの試行が多すぎます。しばらく待ってからもう一度お試しください。"),
                                status=429, content_type="text/plain; charset=utf-8")
        return super().post(request, *args, **kwargs)


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lockout response: the login page exactly as a wrong password draws it (the form has already
    been refused with the normal message), so nobody learns that the account exists or is locked."""
    if original_response is not None:
        return original_response
    return HttpResponseRedirect(reverse("login"))


class AccountView(LoginRequiredMixin, TemplateView):
    template_name = "accounts/account.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        current = self.request.session.session_key
        context["sessions"] = [dict(s, current=s["key"] == current) for s in services.sessions_of(user)]
        context["tokens"] = [(token, tokens.token_state(token)) for token in tokens.tokens_of(user)]
        context.setdefault("token_form", TokenForm())
        context["two_factor_enabled"] = two_factor_services.has_device(user)
        return context


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def form_valid(self, form):
        services.change_password(form=form, request=self.request)
        messages.success(self.request, _("パスワードを変更しました。"))
        return redirect(self.get_success_url())


class LogOutOtherSessionsView(LoginRequiredMixin, View):
    def post(self, request):
        ended = services.log_out_other_sessions(user=request.user, current_key=request.session.session_key,
                                                request=request)
        messages.success(request, _("ほかの端末のセッションを %(count)d 件終了しました。") % {"count": ended})
        return redirect("accounts:account")


class TokenCreateView(LoginRequiredMixin, View):
    def post(self, request):
        form = TokenForm(request.POST)
        view = AccountView(request=request, kwargs={})
        if not form.is_valid():
            return render(request, view.template_name, view.get_context_data(token_form=form))
        secret = tokens.create_api_token(actor=request.user, via=AuditEntry.Via.WEB, user=request.user,
                                         name=form.cleaned_data["name"],
                                         expires_days=form.cleaned_data["expires_days"],
                                         read_only=form.cleaned_data["read_only"])
        # Shown once, on this answer only: the token is stored as a hash.
        return render(request, view.template_name, view.get_context_data(new_token=secret))


class TokenRevokeView(LoginRequiredMixin, View):
    def post(self, request):
        prefix = request.POST.get("prefix", "")
        token = next((t for t in tokens.tokens_of(request.user) if t.prefix == prefix), None)
        if token is not None:
            tokens.revoke_api_token(actor=request.user, via=AuditEntry.Via.WEB, token=token)
            messages.success(request, _("APIトークンを失効させました。"))
        return redirect("accounts:account")
