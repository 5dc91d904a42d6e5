"""Writes to organisations, people and access. Each action is atomic and audited."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from jichitai.audit.services import create_audited, record, snapshot

from .models import ApiToken, Association, Department, Membership, Municipality, Staff

MUNICIPALITY_FIELDS = ("code", "name", "population", "association")
TOKEN_PREFIX = "jt_"  # noqa: S105 - a visible prefix, not a secret


@transaction.atomic
def get_or_create_association(*, actor, via: str, name: str) -> tuple[Association, bool]:
    association = Association.objects.filter(name=name).first()
    if association is not None:
        return association, False
    association = Association(name=name)
    association.full_clean()
    association.save()
    record(actor=actor, via=via, action="association.create", obj=association, association=association,
           after={"name": name})
    return association, True


@transaction.atomic
def save_municipality(*, actor, via: str, code: str, **fields) -> tuple[Municipality, bool]:
    """Create the municipality with this code, or update its fields."""
    municipality = Municipality.objects.filter(code=code).first()
    created = municipality is None
    if created:
        municipality = Municipality(code=code)
        before = None
    else:
        before = snapshot(municipality, MUNICIPALITY_FIELDS)
    for name, value in fields.items():
        setattr(municipality, name, value)
    municipality.full_clean()
    municipality.save()
    after = snapshot(municipality, MUNICIPALITY_FIELDS)
    if after != before:
        record(actor=actor, via=via, action="municipality.create" if created else "municipality.update",
               obj=municipality, municipality=municipality, before=before, after=after)
    return municipality, created


@transaction.atomic
def create_department(*, actor, via: str, municipality: Municipality, name: str) -> Department:
    return create_audited(actor=actor, via=via, obj=Department(municipality=municipality, name=name),
                          fields=("name",), action="department.create", municipality=municipality)


@transaction.atomic
def create_staff(*, actor, via: str, municipality: Municipality, **fields) -> Staff:
    return create_audited(actor=actor, via=via, obj=Staff(municipality=municipality, **fields),
                          fields=("staff_number", "name", "role", "department"), action="staff.create",
                          municipality=municipality)


@transaction.atomic
def grant_membership(*, actor, via: str, user, role: str, municipality=None, association=None) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        user=user, role=role, municipality=municipality, association=association
    )
    record(actor=actor, via=via, action="membership.grant", obj=membership, municipality=municipality,
           association=association, after={"user": user.get_username(), "role": role})
    return membership


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def create_api_token(*, actor, via: str, user) -> str:
    """Make a personal token and return it; only its hash is kept, so it cannot be shown again."""
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    api_token = ApiToken.objects.create(user=user, key_hash=hash_token(token), prefix=token[:8])
    record(actor=actor, via=via, action="apitoken.create", obj=api_token, after={"user": user.get_username()})
    return token


def user_for_token(token: str):
    api_token = ApiToken.objects.select_related("user").filter(key_hash=hash_token(token)).first()
    if api_token is None or not api_token.user.is_active:
        return None
    # Usage time is bookkeeping, not a user action: no audit entry.
    ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=timezone.now())
    return api_token.user
