"""Login signals (Django's and django-axes') into the audit log, through services."""

from axes.helpers import get_failure_limit
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from . import services, two_factor_services
from .middleware import TWO_FACTOR_STEP, mark_seen


def _over_http(request) -> bool:
    """A login or logout made by a request someone sent. The test client's force_login and logout (and a shell)
    call login() with a bare HttpRequest that has no method: not a visit to the front door, not recorded."""
    return request is not None and request.method is not None


@receiver(user_logged_in, dispatch_uid="jichitai.accounts.logged_in")
def on_logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        mark_seen(request.session)
    if _over_http(request):
        # The password was right; a second step still owed is in the entry (its own entries follow).
        step = two_factor_services.step_after_password(user)
        services.login_succeeded(user=user, request=request, pending=step)
        if step:
            request.session[TWO_FACTOR_STEP] = step


@receiver(user_login_failed, dispatch_uid="jichitai.accounts.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs):
    # Django has already replaced the password with asterisks; only the username is read.
    services.login_failed(username=credentials.get("username", ""), request=request)


@receiver(user_locked_out, dispatch_uid="jichitai.accounts.locked_out")
def on_locked_out(sender, request, username=None, ip_address=None, **kwargs):
    # Axes signals again at every failure while locked (each one restarts the cool-off); those are already in
    # the log as failures, so the lockout is recorded once, at the failure that reaches the limit.
    failures = getattr(request, "axes_failures_since_start", None)
    if failures is None or failures == get_failure_limit(request, kwargs.get("credentials")):
        services.locked_out(username=username, request=request)


@receiver(user_logged_out, dispatch_uid="jichitai.accounts.logged_out")
def on_logged_out(sender, request, user, **kwargs):
    if _over_http(request):
        services.logged_out(user=user, request=request)
