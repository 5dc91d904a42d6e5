"""The one way to write an audit entry. Called by every service inside its transaction."""

from django.db import models

from .models import AuditEntry

COMMAND_ACTOR = "system"


def record(*, actor, via: str, action: str, obj: models.Model, before=None, after=None,
           municipality=None, association=None) -> AuditEntry:
    return AuditEntry.objects.create(
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


def snapshot(obj: models.Model, fields) -> dict:
    """A JSON-safe view of the named fields, for before/after."""
    result = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model) or value is not None and not isinstance(value, str | int | float | bool):
            value = str(value)
        result[name] = value
    return result
