"""View plumbing every app shares: forms that hand their data to a service."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, View


class ServiceFormView(FormView):
    """Form → service → message → redirect.

    Subclasses say what to save (`save(form)` calls one service and returns what it saved) and where to go next
    (`success_url_for(saved)`). A ValidationError raised by the service is shown on the form, like a field error,
    and nothing is saved (services are atomic).
    """

    success_message = _("Saved.")

    def save(self, form):
        raise NotImplementedError

    def success_url_for(self, saved) -> str:
        raise NotImplementedError

    def form_valid(self, form):
        try:
            saved = self.save(form)
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        if self.success_message:
            messages.success(self.request, self.success_message)
        return redirect(self.success_url_for(saved))


class ServiceButtonView(View):
    """A button's POST: one service call (`act()`), its refusal shown as a message, back to `redirect_url()`."""

    done_message = _("Saved.")

    def post(self, request, *args, **kwargs):
        try:
            self.act()
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, self.done_message)
        return redirect(self.redirect_url())
