"""The one way to write an audit entry. Called by every service inside its transaction."""

from django.db import models

from .models import AuditEntry

COMMAND_ACTOR = "system"


def entry(*, actor, via: str, action: str, obj: models.Model, before=None, after=None,
          municipality=None, association=None) -> AuditEntry:
    """An audit entry not yet saved, for services that write many objects at once (record_many)."""
    return AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else COMMAND_ACTOR,
        via=via,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk or ""),
        object_repr=str(obj)[:300],
        before=before,
        after=after,
        municipality=municipality,
        association=association,
    )


def record(*, actor, via: str, action: str, obj: models.Model, before=None, after=None,
           municipality=None, association=None) -> AuditEntry:
    audit_entry = entry(actor=actor, via=via, action=action, obj=obj, before=before, after=after,
                        municipality=municipality, association=association)
    audit_entry.save()
    return audit_entry


def record_operation(*, actor, via: str, action: str, after: dict) -> AuditEntry:
    """An operator's action on the whole installation (a backup, a restore): no object, no tenant."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else COMMAND_ACTOR,
        via=via, action=action, object_type="installation", after=after)


def record_many(entries: list[AuditEntry]) -> None:
    """Save entries made with `entry`: a bulk service audits each object as its single-object twin does."""
    AuditEntry.objects.bulk_create(entries, batch_size=1000)


def snapshot(obj: models.Model, fields) -> dict:
    """A JSON-safe view of the named fields, for before/after."""
    result = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model) or value is not None and not isinstance(value, str | int | float | bool):
            value = str(value)
        result[name] = value
    return result


def create_audited(*, actor, via: str, obj: models.Model, fields, action: str, municipality=None):
    """Validate, save and audit a new object (call inside the service's transaction)."""
    obj.full_clean()
    obj.save()
    record(actor=actor, via=via, action=action, obj=obj, municipality=municipality, after=snapshot(obj, fields))
    return obj


def update_audited(*, actor, via: str, obj: models.Model, changes: dict, fields, action: str,
                   municipality=None, check=None):
    """Apply changes, validate (with an optional extra `check(obj)`), save, and audit what really changed."""
    before = snapshot(obj, fields)
    for name, value in changes.items():
        setattr(obj, name, value)
    if check is not None:
        check(obj)
    obj.full_clean()
    obj.save()
    after = snapshot(obj, fields)
    if after != before:
        record(actor=actor, via=via, action=action, obj=obj, municipality=municipality, before=before, after=after)
    return obj


def save_audited(*, actor, via: str, existing, build, changes: dict, fields, noun: str, municipality=None,
                 check=None):
    """Create `build()` (checked, then "<noun>.create") or apply `changes` to `existing` ("<noun>.update")."""
    if existing is None:
        new = build()
        if check is not None:
            check(new)
        return create_audited(actor=actor, via=via, obj=new, fields=fields, action=f"{noun}.create",
                              municipality=municipality)
    return update_audited(actor=actor, via=via, obj=existing, changes=changes, fields=fields,
                          action=f"{noun}.update", municipality=municipality, check=check)
