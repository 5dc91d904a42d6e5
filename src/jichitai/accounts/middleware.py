"""Sessions end after SESSION_COOKIE_AGE without activity.

Django renews a session's expiry (in the database and the cookie) whenever the session is saved. Saving it on
every request (SESSION_SAVE_EVERY_REQUEST) would cost every page three more queries; instead a signed-in
session records when it was last seen, at most once a minute, and that change saves (and so renews) it. A
session is therefore dropped between SESSION_COOKIE_AGE and SESSION_COOKIE_AGE + 1 minute after its last
request.
"""

import time

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SEEN = "_jichitai_seen"
RENEW_AFTER_SECONDS = 60


def mark_seen(session) -> None:
    session[SEEN] = int(time.time())


class IdleTimeoutMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # Only a session that is already loaded (every signed-in page loads it) and still signed in.
        if session is not None and getattr(session, "_session_cache", None) is not None \
                and "_auth_user_id" in session and time.time() - session.get(SEEN, 0) >= RENEW_AFTER_SECONDS:
            mark_seen(session)
        return response


# The step a signed-in session must take before anything else (accounts.rules), set at login from the user's
# devices and policies. Kept in the session so that the gate costs no query: a policy changed later applies from
# the user's next login.
TWO_FACTOR_STEP = "_jichitai_two_factor_step"


class TwoFactorGateMiddleware:
    """A session that still owes its second factor (or its enrolment) reaches only the pages that settle it, the
    logout and the static files; other pages send it there, the API answers 401."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        step = session.get(TWO_FACTOR_STEP) if session is not None and "_auth_user_id" in session else None
        if step:
            response = self._gate(request, step)
            if response is not None:
                return response
        return self.get_response(request)

    @staticmethod
    def _gate(request, step):
        allowed = {reverse("logout"), reverse("set_language")}
        target = reverse("accounts:two_factor_verify" if step == "verify" else "accounts:two_factor")
        allowed.add(target)
        if step == "enrol":
            allowed |= {reverse("accounts:two_factor_enrol"), reverse("accounts:two_factor_confirm")}
        path = request.path
        if path in allowed or path.startswith("/" + settings.STATIC_URL.lstrip("/")):
            return None
        if path.startswith("/api/"):
            return JsonResponse({"detail": _("2段階認証を済ませてからご利用ください。")}, status=401)
        return redirect(target)
