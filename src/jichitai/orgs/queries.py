"""Read models of organisations and access: the user list of 利用者管理 in a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from django.apps import apps
from django.db.models import QuerySet

from .models import Membership
from .services import lockout_status

SORTS = {
    "username": ("user__username",),
    "name": ("user__first_name", "user__username"),
    "role": ("role", "user__username"),
    "last_login": ("-user__last_login", "user__username"),
    "municipality": ("municipality__code", "user__username"),
}


@dataclass
class UserRow:
    membership_id: int
    user_id: int
    username: str
    name: str
    role: str
    role_label: str
    scope: str  # the municipality or association the role is in
    last_login: datetime | None
    two_factor: bool | None  # None: two-factor authentication is not installed (shown 「未設定」)
    locked: bool | None  # None: no lockout library installed (shown 「—」)
    active: bool


def _two_factor(user_ids) -> dict[int, bool] | None:
    if not apps.is_installed("django_otp.plugins.otp_totp"):
        return None
    model = apps.get_model("otp_totp", "TOTPDevice")
    confirmed = set(model.objects.filter(user_id__in=user_ids, confirmed=True).values_list("user_id", flat=True))
    return {pk: pk in confirmed for pk in user_ids}


def user_rows(memberships: QuerySet, *, q: str = "", role: str = "", active: str = "", sort: str = "username"):
    """The memberships (already scoped by the caller) as rows: 3 queries at most whatever their number."""
    qs = memberships.select_related("user", "municipality", "association")
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(user__username__icontains=q) | Q(user__first_name__icontains=q)
                       | Q(user__last_name__icontains=q))
    if role:
        qs = qs.filter(role=role)
    if active in ("1", "0"):
        qs = qs.filter(user__is_active=active == "1")
    qs = qs.order_by(*SORTS.get(sort, SORTS["username"]), "pk")
    memberships = list(qs)
    users = {m.user_id: m.user for m in memberships}
    locked = lockout_status([u.username for u in users.values()]) if users else {}
    two_factor = _two_factor(list(users)) if users else {}
    return [UserRow(
        membership_id=m.pk, user_id=m.user_id, username=m.user.username,
        name=m.user.get_full_name(), role=m.role, role_label=str(Membership.Role(m.role).label),
        scope=str(m.municipality or m.association or ""), last_login=m.user.last_login,
        two_factor=None if two_factor is None else two_factor.get(m.user_id),
        locked=None if locked is None else locked.get(m.user.username), active=m.user.is_active,
    ) for m in memberships]
