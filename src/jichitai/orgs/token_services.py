"""Personal API tokens: made, listed, revoked, and checked on every API request. Writes are atomic and audited.

A token is shown once when made; only its SHA-256 is kept, with an 8-character prefix that names it. It has a
name, an expiry (default 90 days, at most 365), a scope (read-only or read-write), a last-used time, and the
fingerprint of the user's password hash when it was made: a token ends when it is revoked, when it expires,
when its user is deactivated, or when the user's password changes.
"""

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from jichitai.audit.services import record

from .models import ApiToken, Membership

TOKEN_PREFIX = "jt_"  # noqa: S105 - a visible prefix, not a secret
PREFIX_LENGTH = 8
DEFAULT_EXPIRES_DAYS = 90
MAX_EXPIRES_DAYS = 365


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def password_fingerprint(user) -> str:
    """A digest of the user's password hash: changes whenever the password does."""
    return hashlib.sha256((user.password or "").encode()).hexdigest()


def _scopes(user) -> list[tuple]:
    """(municipality, association) of each of the user's memberships, so the entry shows on their audit pages."""
    scopes = []
    for membership in Membership.objects.filter(user=user).select_related("municipality", "association"):
        scope = (membership.municipality, None if membership.municipality_id else membership.association)
        if scope not in scopes and any(scope):
            scopes.append(scope)
    return scopes or [(None, None)]


def _audit(*, actor, via: str, action: str, api_token: ApiToken, after: dict) -> None:
    for municipality, association in _scopes(api_token.user):
        record(actor=actor, via=via, action=action, obj=api_token, municipality=municipality,
               association=association, after=after)


def _summary(api_token: ApiToken) -> dict:
    return {"user": api_token.user.get_username(), "name": api_token.name, "prefix": api_token.prefix,
            "read_only": api_token.read_only,
            "expires_at": api_token.expires_at.isoformat() if api_token.expires_at else None}


@transaction.atomic
def create_api_token(*, actor, via: str, user, name: str = "", expires_days: int = DEFAULT_EXPIRES_DAYS,
                     read_only: bool = False) -> str:
    """Make a personal token and return it; only its hash is kept, so it cannot be shown again."""
    if not isinstance(expires_days, int) or not 1 <= expires_days <= MAX_EXPIRES_DAYS:
        raise ValidationError(f"有効期間は1〜{MAX_EXPIRES_DAYS}日で指定してください。")
    if not user.is_active:
        raise ValidationError("無効化された利用者にはAPIトークンを発行できません。")
    while True:  # the prefix names the token (--revoke PREFIX): never two live tokens with one prefix
        token = TOKEN_PREFIX + secrets.token_urlsafe(32)
        if not ApiToken.objects.filter(prefix=token[:PREFIX_LENGTH]).exists():
            break
    api_token = ApiToken(user=user, key_hash=hash_token(token), prefix=token[:PREFIX_LENGTH], name=name.strip(),
                         read_only=bool(read_only), expires_at=timezone.now() + timedelta(days=expires_days),
                         password_fingerprint=password_fingerprint(user))
    # Hashes are random hex, not input: 12 of their digits may pass the check digit by chance.
    api_token.full_clean(exclude=["key_hash", "password_fingerprint"])
    api_token.save()
    _audit(actor=actor, via=via, action="apitoken.create", api_token=api_token, after=_summary(api_token))
    return token


@transaction.atomic
def revoke_api_token(*, actor, via: str, token: ApiToken) -> ApiToken:
    """End a token now. Revoking a revoked token changes nothing and records nothing."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    _audit(actor=actor, via=via, action="apitoken.revoke", api_token=token, after=_summary(token))
    return token


def tokens_of(user) -> list[ApiToken]:
    """The user's tokens, newest first (revoked and expired ones included: the list says which)."""
    return list(ApiToken.objects.filter(user=user).order_by("-created_at", "-id"))


def token_state(api_token: ApiToken, now=None) -> str:
    """"active", "revoked", "expired", "inactive_user" or "password_changed"."""
    now = now or timezone.now()
    if api_token.revoked_at is not None:
        return "revoked"
    if api_token.expires_at is None or api_token.expires_at <= now:
        return "expired"
    if not api_token.user.is_active:
        return "inactive_user"
    if not secrets.compare_digest(api_token.password_fingerprint, password_fingerprint(api_token.user)):
        return "password_changed"
    return "active"


STATE_LABELS = {"active": "有効", "revoked": "失効", "expired": "期限切れ", "inactive_user": "利用者無効",
                "password_changed": "パスワード変更により無効"}


def token_for(raw: str) -> ApiToken | None:
    """The live token with this value (its user at `.user`), its last-used time updated; None otherwise."""
    if not raw:
        return None
    api_token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(raw)).first()
    if api_token is None or token_state(api_token) != "active":
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
    api_token.last_used_at = now
    return api_token
