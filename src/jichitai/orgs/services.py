"""Writes to organisations, people and access. Each action is atomic and audited."""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from jichitai.audit.services import create_audited, entry, record, record_many, snapshot, update_audited

from .models import ApiToken, Association, Department, Membership, Municipality, Staff

MUNICIPALITY_FIELDS = ("code", "name", "population", "association")
STAFF_FIELDS = ("staff_number", "name", "role", "department")
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
def ensure_departments(*, actor, via: str, municipality: Municipality, names) -> dict[str, Department]:
    """The municipality's departments by name, creating (and auditing as department.create) the missing ones."""
    departments = {d.name: d for d in Department.objects.filter(municipality=municipality)}
    missing = [Department(municipality=municipality, name=name) for name in dict.fromkeys(names)
               if name and name not in departments]
    for department in missing:
        department.full_clean(exclude=["municipality"], validate_unique=False, validate_constraints=False)
    Department.objects.bulk_create(missing)
    record_many([entry(actor=actor, via=via, action="department.create", obj=d, municipality=municipality,
                       after={"name": d.name}) for d in missing])
    return departments | {d.name: d for d in missing}


@transaction.atomic
def create_staff(*, actor, via: str, municipality: Municipality, **fields) -> Staff:
    return create_audited(actor=actor, via=via, obj=Staff(municipality=municipality, **fields),
                          fields=STAFF_FIELDS, action="staff.create", municipality=municipality)


@transaction.atomic
def update_staff(*, actor, via: str, staff: Staff, **fields) -> Staff:
    return update_audited(actor=actor, via=via, obj=staff, changes=fields, fields=STAFF_FIELDS,
                          action="staff.update", municipality=staff.municipality)


@transaction.atomic
def save_staff_bulk(*, actor, via: str, municipality: Municipality, people: list[dict]) -> dict:
    """Create or update many people by staff number (a roster import, the demo).

    Each dict has staff_number, name, role and department (a name; missing departments are created). Audited
    per person as staff.create or staff.update, like the single-person services; an unchanged person is
    neither written nor audited. Returns {"staff": {number: Staff}, "created": {numbers}, "updated": {numbers}}.
    """
    departments = ensure_departments(actor=actor, via=via, municipality=municipality,
                                     names=[p["department"] for p in people if p.get("department")])
    existing = {s.staff_number: s for s in Staff.objects.filter(municipality=municipality)
                .select_related("department")}
    new, changed, entries = [], [], []
    for person in people:
        values = {"name": person["name"], "role": person["role"],
                  "department": departments.get(person.get("department") or "")}
        member = existing.get(person["staff_number"])
        if member is None:
            member = Staff(municipality=municipality, staff_number=person["staff_number"], **values)
            member.full_clean(exclude=["municipality", "department"], validate_unique=False, validate_constraints=False)
            new.append(member)
            existing[member.staff_number] = member
            continue
        before = snapshot(member, STAFF_FIELDS)
        for name, value in values.items():
            setattr(member, name, value)
        after = snapshot(member, STAFF_FIELDS)
        if after != before:
            member.full_clean(validate_unique=False)
            changed.append(member)
            entries.append(entry(actor=actor, via=via, action="staff.update", obj=member, municipality=municipality,
                                 before=before, after=after))
    Staff.objects.bulk_create(new, batch_size=1000)
    Staff.objects.bulk_update(changed, ["name", "role", "department"], batch_size=1000)
    entries += [entry(actor=actor, via=via, action="staff.create", obj=m, municipality=municipality,
                      after=snapshot(m, STAFF_FIELDS)) for m in new]
    record_many(entries)
    return {"staff": existing, "created": {m.staff_number for m in new}, "updated": {m.staff_number for m in changed}}


@transaction.atomic
def grant_membership(*, actor, via: str, user, role: str, municipality=None, association=None) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        user=user, role=role, municipality=municipality, association=association
    )
    record(actor=actor, via=via, action="membership.grant", obj=membership, municipality=municipality,
           association=association, after={"user": user.get_username(), "role": role})
    return membership


@transaction.atomic
def save_user(*, actor, via: str, username: str, password: str):
    """Create a login, or set a new password for an existing one (the demo's users). Audited."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(username=username).first()
    created = user is None
    if created:
        user = get_user_model()(username=username)
    user.set_password(password)
    user.save()
    record(actor=actor, via=via, action="user.create" if created else "user.password", obj=user,
           after={"user": username})
    return user


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
