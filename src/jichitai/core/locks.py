"""Locks that make writers wait for each other, held until their transaction ends.

A write that reads the current state and then writes on it (an import validating a workbook, a service
recording a status only when it changes) must not run alongside another such write: both would read the same
old state, and the result would be a mix of the two, or the same change recorded twice. Each first takes the
lock, inside its transaction, so the second waits and then reads what the first left:

- `lock_tenant` for a whole municipality or association (imports and other bulk writes);
- `lock_rows` for the rows one action depends on (a process whose progress cell is set).

PostgreSQL: a transaction-scoped advisory lock (`pg_advisory_xact_lock`), one key per tenant, derived from
the tenant's kind and identity (the same in every process). SQLite: the settings begin every transaction
IMMEDIATE, so a transaction holds the database's one write lock from its first statement and writers are
already serialised; nothing more is needed, but the setting is checked.
"""

import hashlib

from django.core.exceptions import ImproperlyConfigured
from django.db import connection

GLOBAL = "global"  # writes shared by every tenant (a shared checklist)
ASSOCIATION = "association"
MUNICIPALITY = "municipality"
AUDIT = "audit"  # one chain of the audit log (audit/chain.py): its writers append one after the other
_KINDS = (GLOBAL, ASSOCIATION, MUNICIPALITY, AUDIT)


def lock_key(kind: str, identity: object = "") -> int:
    """The advisory lock key of a tenant: a signed 64-bit number from its kind and identity (id or name)."""
    if kind not in _KINDS:
        raise ValueError(f"unknown tenant kind: {kind}")
    digest = hashlib.sha256(f"jichitai:{kind}:{identity}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def _require_transaction(what: str) -> None:
    if not connection.in_atomic_block:
        raise RuntimeError(f"{what} must be called inside transaction.atomic(): the lock ends with it")


def lock_rows(queryset) -> list:
    """Lock the rows of the queryset until the current transaction ends, in primary-key order (so that two
    callers never wait for each other); returns their primary keys. Call it before reading what the write
    depends on. PostgreSQL: SELECT … FOR UPDATE. SQLite: the transaction holds the write lock already (the
    settings begin it IMMEDIATE), and Django leaves FOR UPDATE out."""
    _require_transaction("lock_rows")
    return list(queryset.select_for_update().order_by("pk").values_list("pk", flat=True))


def lock_tenant(kind: str, identity: object = "") -> None:
    """Wait for, then hold until the end of the current transaction, the lock of one tenant.

    Call it inside `transaction.atomic()` before reading the state the write depends on. When one action
    takes several locks it takes them in one order (global, associations, municipalities by id), so that two
    actions never wait for each other.
    """
    _require_transaction("lock_tenant")
    key = lock_key(kind, identity)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
    elif connection.vendor == "sqlite":
        mode = (connection.settings_dict.get("OPTIONS") or {}).get("transaction_mode")
        if mode not in ("IMMEDIATE", "EXCLUSIVE"):
            raise ImproperlyConfigured("SQLite transactions must begin IMMEDIATE for writers to wait for each other "
                                       "(DATABASES OPTIONS transaction_mode, see settings.py)")
    else:
        raise ImproperlyConfigured(f"no tenant lock for the {connection.vendor} database")
