"""The one way to write an audit entry. Called by every service inside its transaction.

Every entry is appended to its hash chain (audit/chain.py): the chain's lock is taken first, so two writers
never give two entries the same place; chains of different municipalities are locked separately.
"""

from dataclasses import dataclass

from django.conf import settings
from django.db import models, transaction

from jichitai.core.locks import AUDIT, lock_tenant

from . import chain
from .models import AuditEntry, DataHead

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
    _append([audit_entry])
    return audit_entry


def record_operation(*, actor, via: str, action: str, after: dict) -> AuditEntry:
    """An operator's action on the whole installation (a backup, a restore): no object, no tenant."""
    audit_entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_name=actor.get_username() if actor is not None and actor.is_authenticated else COMMAND_ACTOR,
        via=via, action=action, object_type="installation", after=after)
    _append([audit_entry])
    return audit_entry


def record_many(entries: list[AuditEntry]) -> None:
    """Save entries made with `entry`: a bulk service audits each object as its single-object twin does."""
    _append(entries)


# ---- The hash chain ---------------------------------------------------------------------------------------

def chain_secret() -> bytes:
    """The chain's HMAC key: from JICHITAI_AUDIT_KEY when configured, else from SECRET_KEY."""
    return chain.derive_key(getattr(settings, "JICHITAI_AUDIT_KEY", "") or settings.SECRET_KEY)


def _content(audit_entry: AuditEntry) -> dict:
    return {name: getattr(audit_entry, name) for name in chain.CONTENT_FIELDS}


def _append(entries: list[AuditEntry]) -> None:
    """Number, chain and save new entries, in order. Each chain's lock is held to the end of the transaction."""
    if not entries:
        return
    by_chain: dict[str, list[AuditEntry]] = {}
    for audit_entry in entries:
        audit_entry.chain = chain.chain_key(audit_entry.municipality_id, audit_entry.association_id)
        by_chain.setdefault(audit_entry.chain, []).append(audit_entry)
    key = chain_secret()
    with transaction.atomic():
        for name in sorted(by_chain):  # one order, so two writers never wait for each other
            lock_tenant(AUDIT, name)
        for name, items in by_chain.items():
            head = (AuditEntry.objects.filter(chain=name, seq__isnull=False).order_by("-seq")
                    .values_list("seq", "entry_hash").first()) or (0, "")
            for audit_entry, (seq, prev, digest) in zip(
                    items, chain.link(key, [_content(e) for e in items], *head), strict=True):
                audit_entry.seq, audit_entry.prev_hash, audit_entry.entry_hash = seq, prev, digest
        if len(entries) == 1:
            entries[0].save()
        else:
            AuditEntry.objects.bulk_create(entries, batch_size=1000)
        _move_data_heads(entries)


# Actions that change no tenant data (sign-ins, accounts and roles, the evaluation runs themselves): a summary read
# before them is still fresh. A new action that changes data needs nothing here.
NOT_DATA_CHANGES = ("login.", "logout", "password.", "two_factor.", "user.", "membership.", "apitoken.",
                    "members.evaluate")


def is_data_change(action: str) -> bool:
    return not action.startswith(NOT_DATA_CHANGES)


def _move_data_heads(entries: list[AuditEntry]) -> None:
    """Each tenant chain's DataHead to its last data change among these entries (the chain's lock is held, so the
    number only grows); one statement whatever the number of entries."""
    heads: dict[str, AuditEntry] = {}
    for audit_entry in entries:
        if audit_entry.chain != chain.INSTALLATION and is_data_change(audit_entry.action):
            heads[audit_entry.chain] = audit_entry  # entries are in seq order within a chain
    if heads:
        DataHead.objects.bulk_create(
            [DataHead(chain=name, municipality_id=e.municipality_id,
                      association_id=None if e.municipality_id else e.association_id, seq=e.seq)
             for name, e in heads.items()],
            update_conflicts=True, unique_fields=["chain"], update_fields=["seq"])


@dataclass(frozen=True)
class Break:
    """Where a chain is broken: the entry, why (chain.CHANGED / REMOVED / INSERTED) and a Japanese message."""

    entry: AuditEntry
    reason: str
    message: str


_VERIFY_FIELDS = ("id", "prev_hash", "entry_hash", *chain.CONTENT_FIELDS)


def _scope_of(name: str) -> dict:
    if name == chain.INSTALLATION:
        return {"municipality__isnull": True, "association__isnull": True}
    kind, _, pk = name.partition(":")
    if kind == "m":
        return {"municipality_id": int(pk)}
    return {"municipality__isnull": True, "association_id": int(pk)}


def chain_names() -> list[str]:
    """Every chain with entries, and the chains unchained rows would belong to."""
    names = set(AuditEntry.objects.exclude(chain="").values_list("chain", flat=True).distinct())
    for municipality_id, association_id in (AuditEntry.objects.filter(chain="")
                                            .values_list("municipality_id", "association_id").distinct()):
        names.add(chain.chain_key(municipality_id, association_id))
    return sorted(names)


def verify_chain(name: str) -> Break | None:
    """The first break of one chain (its entries by seq, then any unchained row of its scope), or None."""
    rows = list(AuditEntry.objects.filter(chain=name, seq__isnull=False).order_by("seq").values(*_VERIFY_FIELDS))
    rows += list(AuditEntry.objects.filter(chain="", **_scope_of(name)).order_by("id").values(*_VERIFY_FIELDS))
    rows += list(AuditEntry.objects.filter(chain=name, seq__isnull=True).order_by("id").values(*_VERIFY_FIELDS))
    found = chain.first_break(chain_secret(), rows)
    if found is None:
        return None
    item, reason, message = found
    return Break(AuditEntry.objects.get(pk=item["id"]), reason, message)


def verify(chain_name=None) -> Break | None:
    """The first break of the audit log (None when whole): of one chain — a chain name, or a municipality or an
    association object — or, without argument, of every chain (the break with the lowest entry id)."""
    if chain_name is None:
        breaks = [found for name in chain_names() if (found := verify_chain(name)) is not None]
        return min(breaks, key=lambda b: b.entry.pk, default=None)
    if isinstance(chain_name, models.Model):
        kind = "m" if chain_name._meta.model_name == "municipality" else "a"
        chain_name = f"{kind}:{chain_name.pk}"
    return verify_chain(chain_name)


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
                   municipality=None, association=None, check=None):
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
        record(actor=actor, via=via, action=action, obj=obj, municipality=municipality, association=association,
               before=before, after=after)
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
