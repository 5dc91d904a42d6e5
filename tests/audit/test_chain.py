"""The audit log's hash chain: the pure rules, and `jichitai audit verify` against rows changed, removed or
inserted directly in the database."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError

from jichitai.audit import chain
from jichitai.audit.models import AuditEntry
from jichitai.audit.services import entry, record, record_many, record_operation, verify
from jichitai.orgs.models import Department

KEY = chain.derive_key("k" * 50)
CONTENT = {"chain": "m:1", "at": dt.datetime(2026, 4, 1, 9, 0, tzinfo=dt.UTC), "actor_name": "admin", "via": "web",
           "municipality_id": 1, "association_id": None, "action": "x.create", "object_type": "orgs.Staff",
           "object_id": "1", "object_repr": "佐藤", "before": None, "after": {"b": 1.0, "a": [1, 2]}}


def test_chain_key_prefers_the_municipality():
    assert chain.chain_key(3, 7) == "m:3"
    assert chain.chain_key(None, 7) == "a:7"
    assert chain.chain_key(None, None) == "i"


def test_canonical_form_survives_a_database_round_trip():
    jst = dt.timezone(dt.timedelta(hours=9))
    back = {**CONTENT, "at": CONTENT["at"].astimezone(jst), "after": {"a": [1, 2], "b": 1}}  # jsonb: keys, 1.0
    assert chain.canonical(CONTENT) == chain.canonical(back)
    with pytest.raises(ValueError):
        chain.canonical({**CONTENT, "at": dt.datetime(2026, 4, 1, 9, 0)})  # noqa: DTZ001


def test_every_content_field_and_the_link_change_the_hash():
    base = chain.entry_hash(KEY, "", {**CONTENT, "seq": 1})
    assert base == chain.entry_hash(KEY, "", {**CONTENT, "seq": 1})
    for name, value in [("seq", 2), ("actor_name", "other"), ("municipality_id", 2), ("after", {"b": 2}),
                        ("at", CONTENT["at"] + dt.timedelta(microseconds=1)), ("object_repr", "佐藤 ")]:
        assert chain.entry_hash(KEY, "", {**CONTENT, "seq": 1, name: value}) != base, name
    assert chain.entry_hash(KEY, "0" * 64, {**CONTENT, "seq": 1}) != base
    assert chain.entry_hash(chain.derive_key("other" * 10), "", {**CONTENT, "seq": 1}) != base


def test_link_numbers_from_the_head():
    links = chain.link(KEY, [CONTENT, CONTENT], 5, "ab")
    assert [seq for seq, _, _ in links] == [6, 7]
    assert links[0][1] == "ab" and links[1][1] == links[0][2]


def _rows(n=3):
    rows = []
    for seq, prev, digest in chain.link(KEY, [CONTENT] * n, 0, ""):
        rows.append({**CONTENT, "id": seq * 10, "seq": seq, "prev_hash": prev, "entry_hash": digest})
    return rows


def test_first_break_rules():
    rows = _rows()
    assert chain.first_break(KEY, rows) is None
    assert chain.first_break(KEY, []) is None
    changed = [rows[0], {**rows[1], "action": "x.delete"}, rows[2]]
    assert chain.first_break(KEY, changed)[:2] == (changed[1], chain.CHANGED)
    assert chain.first_break(KEY, [rows[0], rows[2]])[:2] == (rows[2], chain.REMOVED)
    assert chain.first_break(KEY, rows[1:])[:2] == (rows[1], chain.REMOVED)  # the first one removed
    forged = {**rows[1], "id": 99, "action": "forged"}  # a new id between two older ones
    assert chain.first_break(KEY, [rows[0], forged, rows[2]])[1] == chain.INSERTED
    unchained = {**CONTENT, "id": 40, "seq": None, "chain": "", "prev_hash": "", "entry_hash": ""}
    assert chain.first_break(KEY, [*rows, unchained])[:2] == (unchained, chain.INSERTED)


# ---- In the database ----

@pytest.fixture
def log(admin_user, municipality, association):
    """Five entries of the municipality, two of the association, one of the installation."""
    departments = [Department.objects.create(municipality=municipality, name=f"課{i}") for i in range(5)]
    for d in departments[:2]:
        record(actor=admin_user, via="web", action="department.create", obj=d, municipality=municipality,
               after={"name": d.name, "n": 1.0})
    record_many([entry(actor=admin_user, via="import", action="department.create", obj=d, municipality=municipality,
                       after={"name": d.name}) for d in departments[2:]])
    record(actor=None, via="command", action="association.update", obj=association, association=association)
    record(actor=None, via="command", action="association.update", obj=association, association=association)
    record_operation(actor=None, via="command", action="backup.create", after={"file": "x"})
    return list(AuditEntry.objects.filter(municipality=municipality).order_by("seq"))


def _verify(capsys, *args):
    try:
        call_command("audit", "verify", *args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().out


def test_entries_are_numbered_per_chain(log, municipality, association):
    assert [(e.chain, e.seq) for e in log] == [(f"m:{municipality.pk}", n) for n in range(1, 6)]
    assert [e.prev_hash for e in log[1:]] == [e.entry_hash for e in log[:-1]]
    assert list(AuditEntry.objects.filter(association=association).values_list("seq", flat=True)) == [2, 1]
    assert AuditEntry.objects.get(action="backup.create").chain == "i"


def test_a_whole_chain_verifies(log, municipality, capsys):
    assert verify() is None
    assert verify(municipality) is None
    code, out = _verify(capsys)
    assert code == 0 and "完全" in out
    code, out = _verify(capsys, "--municipality", municipality.code, "--format", "json")
    assert code == 0 and json.loads(out)["ok"] is True


def test_a_row_changed_in_the_database_is_named(log, municipality, capsys):
    AuditEntry.objects.filter(pk=log[2].pk).update(after={"name": "書き換え"})
    found = verify(municipality)
    assert (found.entry.pk, found.reason) == (log[2].pk, chain.CHANGED)
    code, out = _verify(capsys, "--municipality", municipality.code)
    assert code == 1
    assert f"#{log[2].pk}" in out and "改変" in out and "課室の登録" in out
    code, out = _verify(capsys, "--format", "json")
    assert code == 1 and json.loads(out)["entry"]["id"] == log[2].pk


def test_a_time_changed_in_the_database_is_named(log, municipality):
    AuditEntry.objects.filter(pk=log[0].pk).update(at=log[0].at - dt.timedelta(days=1))
    assert verify(municipality).entry.pk == log[0].pk


def test_a_row_deleted_in_the_database_leaves_a_gap(log, municipality, capsys):
    AuditEntry.objects.filter(pk=log[1].pk).delete()
    found = verify(municipality)
    assert (found.entry.pk, found.reason) == (log[2].pk, chain.REMOVED)
    code, out = _verify(capsys)
    assert code == 1 and f"#{log[2].pk}" in out and "連番 2" in out


def test_a_forged_row_inserted_in_the_database_is_named(log, municipality, admin_user, capsys):
    last = log[-1]
    forged = AuditEntry.objects.bulk_create([AuditEntry(
        actor_name="admin", via="web", municipality=municipality, action="staff.delete", object_type="orgs.Staff",
        chain=last.chain, seq=last.seq + 1, prev_hash=last.entry_hash, entry_hash="0" * 64)])[0]
    code, out = _verify(capsys, "--municipality", municipality.code)
    assert code == 1 and f"#{forged.pk}" in out
    AuditEntry.objects.filter(pk=forged.pk).delete()
    unchained = AuditEntry.objects.bulk_create([AuditEntry(
        actor_name="admin", via="web", municipality=municipality, action="staff.delete", object_type="orgs.Staff")])[0]
    found = verify(municipality)
    assert (found.entry.pk, found.reason) == (unchained.pk, chain.INSERTED)
    assert _verify(capsys)[0] == 1


def test_writes_after_a_break_do_not_hide_it(log, municipality, admin_user):
    AuditEntry.objects.filter(pk=log[0].pk).update(action="forged")
    record(actor=admin_user, via="web", action="department.create", obj=log[0], municipality=municipality)
    assert verify(municipality).entry.pk == log[0].pk


def test_unknown_municipality_is_exit_2(db, capsys):
    with pytest.raises(Exception) as exc:
        call_command("audit", "verify", "--municipality", "000000")
    assert getattr(exc.value, "returncode", None) == 2


def test_a_municipality_with_audit_entries_cannot_be_deleted(log, municipality, association):
    with pytest.raises(ProtectedError):
        municipality.delete()
    with pytest.raises(ProtectedError):
        association.delete()
    assert AuditEntry.objects.filter(municipality=municipality).count() == 5


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_do_not_fork_a_chain(municipality):
    """PostgreSQL: two threads appending to one chain at once still give 1..n, each linked to the one before."""
    import threading

    from django.db import connection, connections, transaction
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers already (IMMEDIATE transactions)")
    department = Department.objects.create(municipality=municipality, name="課")
    barrier = threading.Barrier(2)

    def write():
        try:
            barrier.wait()
            for _ in range(10):
                with transaction.atomic():
                    record(actor=None, via="command", action="x", obj=department, municipality=municipality)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert list(AuditEntry.objects.filter(action="x").order_by("seq").values_list("seq", flat=True)) == \
        list(range(1, 21))
    assert verify(municipality) is None
