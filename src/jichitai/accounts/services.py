"""Login events in the audit log, and the user's own sessions. The only code of this app that writes.

A login event is recorded once for every municipality and every association the user belongs to, so each of
their admins sees it on their audit page; a user with no membership (or a username nobody has) gets one entry
for the whole installation. Passwords are never recorded; a username typed on a failed login may be anything
(a My Number, a password typed in the wrong field), so it goes through the My Number mask and is cut short.
"""

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from jichitai.audit.models import AuditEntry
from jichitai.audit.services import entry, record_many, record_operation
from jichitai.core.mynumber import mask_my_numbers
from jichitai.orgs.models import Membership

WEB = AuditEntry.Via.WEB
USERNAME_MAX = 150


def typed_username(value) -> str:
    return mask_my_numbers(str(value or ""))[:USERNAME_MAX]


def axes_username(request, credentials) -> str:
    """AXES_USERNAME_CALLABLE: the username of the attempt, as axes counts and stores it."""
    if credentials:
        return typed_username(credentials.get("username"))
    return typed_username(request.POST.get("username") if request is not None else "")


def client_address(request) -> str:
    if request is None:
        return ""
    return str(getattr(request, "axes_ip_address", "") or request.META.get("REMOTE_ADDR", ""))[:45]


def _scopes(user):
    """(municipality, association) pairs the user's memberships reach, without repeats."""
    seen = set()
    for membership in Membership.objects.filter(user=user).select_related("municipality", "association"):
        key = (membership.municipality_id, membership.association_id)
        if key not in seen and key != (None, None):
            seen.add(key)
            yield membership.municipality, membership.association


@transaction.atomic
def record_login_event(*, action: str, user=None, actor=None, request=None, details=None) -> int:
    """One entry per municipality and association of `user` (or one for the installation); how many written."""
    after = {"address": client_address(request), **(details or {})}
    scopes = list(_scopes(user)) if user is not None else []
    if not scopes:
        if user is not None:
            after.setdefault("username", user.get_username())
        record_operation(actor=actor, via=WEB, action=action, after=after)
        return 1
    record_many([entry(actor=actor, via=WEB, action=action, obj=user, after=after,
                       municipality=municipality, association=association)
                 for municipality, association in scopes])
    return len(scopes)


def login_succeeded(*, user, request, pending: str = "") -> None:
    """The password was right. `pending`: the two-factor step still owed ("verify" or "enrol"), if any."""
    record_login_event(action="login.success", user=user, actor=user, request=request,
                       details={"two_factor": pending} if pending else None)


def login_failed(*, username, request) -> None:
    """A wrong password, an unknown username, or any attempt on a locked account. Never the password."""
    name = typed_username(username)
    user = get_user_model().objects.filter(username=name).first() if name else None
    record_login_event(action="login.failure", user=user, request=request, details={"username": name})


def locked_out(*, username, request) -> None:
    name = typed_username(username)
    user = get_user_model().objects.filter(username=name).first() if name else None
    record_login_event(action="login.lockout", user=user, request=request, details={"username": name})


def logged_out(*, user, request) -> None:
    if user is not None:
        record_login_event(action="logout", user=user, actor=user, request=request)


def password_changed(*, user, request) -> None:
    record_login_event(action="password.change", user=user, actor=user, request=request)


# ---- Sessions -----------------------------------------------------------------------------------------------

def sessions_of(user) -> list[dict]:
    """The user's unexpired sessions (key, expiry, last activity), newest first. Sessions carry the user only
    inside their encoded data, so every live session is decoded: fine for the few hundred users of a town."""
    now = timezone.now()
    found = []
    for session in Session.objects.filter(expire_date__gt=now).only("session_key", "session_data", "expire_date"):
        data = session.get_decoded()
        if str(data.get("_auth_user_id", "")) == str(user.pk):
            found.append({"key": session.session_key, "expires": session.expire_date,
                          # every request renews the session: its last activity is its expiry less its age
                          "last_activity": session.expire_date - _session_age()})
    return sorted(found, key=lambda s: s["expires"], reverse=True)


def _session_age():
    from datetime import timedelta

    from django.conf import settings
    return timedelta(seconds=settings.SESSION_COOKIE_AGE)


@transaction.atomic
def log_out_other_sessions(*, user, current_key: str | None, request=None) -> int:
    """End every session of `user` except the current one; audited. How many were ended."""
    keys = [s["key"] for s in sessions_of(user) if s["key"] != current_key]
    if keys:
        Session.objects.filter(session_key__in=keys).delete()
    record_login_event(action="sessions.logout_others", user=user, actor=user, request=request,
                       details={"sessions": len(keys)})
    return len(keys)


@transaction.atomic
def change_password(*, form, request) -> None:
    """Save a valid PasswordChangeForm, keep the current session signed in (the others end, their hash no longer
    matches), and audit it."""
    from django.contrib.auth import update_session_auth_hash

    user = form.save()
    update_session_auth_hash(request, user)
    password_changed(user=user, request=request)
