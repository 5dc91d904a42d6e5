"""Sessions end after SESSION_COOKIE_AGE without activity.

Django renews a session's expiry (in the database and the cookie) whenever the session is saved. Saving it on
every request (SESSION_SAVE_EVERY_REQUEST) would cost every page three more queries; instead a signed-in
session records when it was last seen, at most once a minute, and that change saves (and so renews) it. A
session is therefore dropped between SESSION_COOKIE_AGE and SESSION_COOKIE_AGE + 1 minute after its last
request.
"""

import time

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
