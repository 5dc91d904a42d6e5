"""The hash chain of the audit log (pure: plain values in, plain values out; no ORM).

Entries of one chain — a municipality ("m:<id>"), an association ("a:<id>") or the installation ("i") — are
numbered 1, 2, 3 … (`seq`). Each carries `prev_hash` (the `entry_hash` of the entry before it, "" for the
first) and `entry_hash` = HMAC-SHA256(key, prev_hash + canonical JSON of its content). The key is derived from
settings.JICHITAI_AUDIT_KEY when set, else from SECRET_KEY, so a person who can edit the database but not read
the server's configuration cannot forge a valid entry: a changed entry no longer matches its hash, a removed
one leaves a gap in `seq` (or a `prev_hash` that points at nothing), an inserted one has no valid hash.

The canonical form is the same before and after a round trip through SQLite or PostgreSQL: the time in UTC
ISO format with microseconds, JSON with sorted keys and no spaces, floats with no fractional part written as
integers (PostgreSQL's jsonb gives 1e20 back as an integer).
"""

import hashlib
import hmac
import json
from datetime import UTC, datetime

INSTALLATION = "i"

# The content an entry's hash covers, in this order. actor_id is left out on purpose: it is set to NULL
# when a user is deleted (actor_name keeps who it was).
CONTENT_FIELDS = ("chain", "seq", "at", "actor_name", "via", "municipality_id", "association_id", "action",
                  "object_type", "object_id", "object_repr", "before", "after")


def chain_key(municipality_id: int | None, association_id: int | None) -> str:
    """Which chain an entry belongs to: its municipality's, else its association's, else the installation's."""
    if municipality_id is not None:
        return f"m:{municipality_id}"
    if association_id is not None:
        return f"a:{association_id}"
    return INSTALLATION


def derive_key(secret: str) -> bytes:
    """The HMAC key of the chain, derived from the configured secret (never the secret itself)."""
    return hmac.new(secret.encode(), b"jichitai-audit-chain-v1", hashlib.sha256).digest()


def _json_value(value):
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e300:
        return int(value)
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    return value


def _timestamp(value) -> str:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            raise ValueError("audit times must be timezone-aware")
        return value.astimezone(UTC).isoformat(timespec="microseconds")
    return str(value)


def canonical(content: dict) -> str:
    """The canonical JSON of an entry's content (the fields of CONTENT_FIELDS)."""
    values = {name: content.get(name) for name in CONTENT_FIELDS}
    values["at"] = _timestamp(values["at"])
    values["before"] = _json_value(values["before"])
    values["after"] = _json_value(values["after"])
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(key: bytes, prev_hash: str, content: dict) -> str:
    """The hash of an entry: its content, chained to the hash of the entry before it."""
    message = (prev_hash or "") + "\n" + canonical(content)
    return hmac.new(key, message.encode(), hashlib.sha256).hexdigest()


def link(key: bytes, contents: list[dict], head_seq: int, head_hash: str) -> list[tuple[int, str, str]]:
    """(seq, prev_hash, entry_hash) for new entries appended, in order, after the chain's head (0, "" if empty).
    Each content must already carry its chain; its seq is set here."""
    links = []
    seq, prev = head_seq, head_hash
    for content in contents:
        seq += 1
        digest = entry_hash(key, prev, {**content, "seq": seq})
        links.append((seq, prev, digest))
        prev = digest
    return links


# Reasons a verification stops at an entry.
CHANGED = "changed"
REMOVED = "removed"
INSERTED = "inserted"


def first_break(key: bytes, entries: list[dict]) -> tuple[dict, str, str] | None:
    """The first entry of one chain where the chain is broken, with the reason and a Japanese explanation.

    `entries` are dicts with "id", "seq", "prev_hash", "entry_hash" and the CONTENT_FIELDS, of one chain,
    ordered by seq (unchained rows of that scope, seq None, come last). None when the chain is whole.
    """
    expected_seq, prev_hash, prev_id = 1, "", None
    for index, item in enumerate(entries):
        if item["seq"] is None or not item["chain"]:
            return item, INSERTED, "ハッシュチェーンに含まれない記録です（後から挿入された可能性があります）。"
        if item["seq"] > expected_seq:
            missing = (f"{expected_seq}" if item["seq"] - expected_seq == 1
                       else f"{expected_seq}〜{item['seq'] - 1}")
            return item, REMOVED, f"この記録の前の記録（連番 {missing}）が削除されています。"
        valid = hmac.compare_digest(entry_hash(key, item["prev_hash"], item), item["entry_hash"] or "")
        if not valid:
            following = entries[index + 1] if index + 1 < len(entries) else None
            out_of_order = (prev_id is not None and item["id"] < prev_id) or (
                following is not None and following["seq"] is not None and item["id"] > following["id"])
            if out_of_order:
                return item, INSERTED, "正しいハッシュを持たない記録が挿入されています。"
            return item, CHANGED, "記録の内容が記録時のハッシュと一致しません（改変されています）。"
        if item["prev_hash"] != prev_hash:
            return item, REMOVED, "直前の記録が削除または差し替えられています（前のハッシュが一致しません）。"
        expected_seq, prev_hash, prev_id = item["seq"] + 1, item["entry_hash"], item["id"]
    return None
