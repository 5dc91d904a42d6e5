"""Writers at the same time: two imports of one municipality, twenty identical PATCHes of one progress cell.

The races are made certain instead of being left to timing: a hook holds each writer, once it has read the
state it is about to write on, until a second writer has read it too (or a short wait runs out). Without a
lock both read the same old state, and the test sees what a real race does (a mix of two workbooks, an
error, duplicated history rows); with the lock the first writer waits alone, the wait runs out, and the next
writer reads what the first left.

PostgreSQL: real threads against the test database, each with its own connection (closed when it ends).
SQLite: the pytest-django database is in memory and shared by threads, which hides the problem, so the
SQLite test copies it to a file and runs the development server on that file in a subprocess, with the real
settings (`jichitai.settings`: IMMEDIATE transactions, a 30 s wait, WAL).
"""

import contextlib
import importlib.util
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.utils import timezone

from jichitai import settings as jichitai_settings
from jichitai.audit.models import AuditEntry
from jichitai.core import locks
from jichitai.core.codes import with_check_digit
from jichitai.demo.seed_sheets import workbook_bytes
from jichitai.exchange.imports import run_import
from jichitai.exchange.kinds import progress as progress_kind
from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import COMMAND_LINE
from jichitai.orgs.token_services import create_api_token
from jichitai.processes import rules
from jichitai.processes import services as process_services
from jichitai.processes.models import Process, ProgressChange
from jichitai.processes.queries import progress_matrix
from tests.helpers import progress_sheet

ENGINE = settings.DATABASES["default"]["ENGINE"]
postgres_only = pytest.mark.skipif(ENGINE != "django.db.backends.postgresql", reason="PostgreSQL only")
sqlite_only = pytest.mark.skipif(ENGINE != "django.db.backends.sqlite3", reason="SQLite only")

NAMES = ["テスト事務一", "テスト事務二", "テスト事務三", "テスト事務四"]
NEW = "別表81項"  # a process the register does not have: both imports would create it
KEYS = [key for key, _name in rules.COLUMNS]
PATIENCE = 0.5  # seconds a writer that has read waits for another to read too


class BothRead:
    """Hold a caller that has read until a second caller has read too, or PATIENCE has passed."""

    def __init__(self):
        self.barrier = threading.Barrier(2, timeout=PATIENCE)

    def __call__(self):
        # Alone: the other writer is waiting for the lock (and once broken, every later wait returns at once).
        with contextlib.suppress(threading.BrokenBarrierError):
            self.barrier.wait()


def at_once(*calls):
    """Run each call on its own thread, all released together; each thread closes its database connection.
    Returns each call's result, or the exception it raised."""
    start = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            start.wait()
            results[index] = call()
        except Exception as exc:  # noqa: BLE001 - reported by the test
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def progress_book(symbol_for, with_new: bool) -> bytes:
    rows = [[name] + [symbol_for(i, j) for j in range(len(KEYS))] for i, name in enumerate(NAMES)]
    if with_new:
        rows.append([NEW] + [symbol_for(len(NAMES), j) for j in range(len(KEYS))])
    return progress_sheet(rows, "令和8年4月1日現在")


def cells(municipality) -> dict[str, tuple]:
    matrix = progress_matrix(COMMAND_LINE, municipality, timezone.localdate())
    return {row.process.name: tuple(row.cells[key] for key in KEYS) for row in matrix.rows}


@pytest.fixture
def registered(municipality, beppyo):
    for name, item in zip(NAMES, ("8", "9", "10", "20"), strict=True):
        Process.objects.create(municipality=municipality, name=name, beppyo_item=beppyo[item])
    return municipality


def two_imports_at_once(municipality, with_new: bool) -> dict:
    """Import two workbooks of the municipality at once (one all 〇, one all △), each import held after its
    validation until the other has validated too. Returns what each import raised or reported as errors, the
    processes of the register and the cells of the matrix."""
    # Every cell starts as neither workbook says, half of them as each: a mix would show.
    start = run_import(progress_book(lambda i, j: "〇" if (i + j) % 2 else "△", with_new=False), actor=None,
                       municipality=municipality)
    assert start.ok, start.errors
    done, started = progress_book(lambda i, j: "〇", with_new), progress_book(lambda i, j: "△", with_new)
    parse, both_read = progress_kind.parse, BothRead()

    def parse_then_wait(sheets, context):
        parsed = parse(sheets, context)
        both_read()
        return parsed

    progress_kind.parse = parse_then_wait
    try:
        reports = at_once(lambda: run_import(done, actor=None, municipality=municipality),
                          lambda: run_import(started, actor=None, municipality=municipality))
    finally:
        progress_kind.parse = parse
    return {"errors": [[str(e) for e in r.errors] if hasattr(r, "errors") else repr(r) for r in reports],
            "processes": sorted(Process.objects.filter(municipality=municipality).values_list("name", flat=True)),
            "cells": {name: list(row) for name, row in cells(municipality).items()}}


def one_workbook_or_the_other(with_new: bool) -> list[dict]:
    names = sorted([*NAMES, NEW] if with_new else NAMES)
    return [{"errors": [[], []], "processes": names, "cells": {name: [status] * len(KEYS) for name in names}}
            for status in ("done", "started")]


# ---- PostgreSQL: threads on the test database ----


@postgres_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("with_new", [False, True], ids=["registered-processes", "a-process-both-create"])
def test_two_imports_of_one_municipality_at_once_give_one_workbook_or_the_other(registered, with_new):
    assert two_imports_at_once(registered, with_new) in one_workbook_or_the_other(with_new)


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_twenty_identical_patches_at_once_record_one_change(process, admin_user, monkeypatch):
    token = create_api_token(actor=None, via="command", user=admin_user)
    read, both_read = process_services.recorded_as_of, BothRead()

    def read_then_wait(*args, **kwargs):
        value = read(*args, **kwargs)
        both_read()
        return value

    monkeypatch.setattr(process_services, "recorded_as_of", read_then_wait)

    def patch():
        return Client().patch(f"/api/v1/processes/{process.pk}/progress",
                              data=json.dumps({"column": "業務フロー", "status": "done"}),
                              content_type="application/json", headers={"authorization": f"Bearer {token}"})

    responses = at_once(*[patch] * 20)

    assert [getattr(r, "status_code", r) for r in responses] == [200] * 20
    assert list(ProgressChange.objects.filter(process=process).values_list("column", "status")) == [("flow", "done")]
    assert AuditEntry.objects.filter(action="progress.set").count() == 1


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_a_tenant_lock_is_held_until_the_transaction_ends(municipality):
    key = locks.lock_key(locks.MUNICIPALITY, municipality.pk)

    def try_lock():
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [key])
            return cursor.fetchone()[0]

    with transaction.atomic():
        locks.lock_tenant(locks.MUNICIPALITY, municipality.pk)
        assert at_once(try_lock) == [False]
    assert at_once(try_lock) == [True]


# ---- the development server, in a subprocess ----


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def call(url: str, token: str, method: str = "GET", body: dict | None = None) -> int:
    data = json.dumps(body).encode() if body else None
    headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    request = urllib.request.Request(url, method=method, data=data, headers=headers)  # noqa: S310 - our server
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own server
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def real_settings(directory, **env) -> dict:
    """The environment of a process using the real settings (`jichitai.settings`), not the test settings; no
    JICHITAI_CONN_MAX_AGE, so its default applies."""
    inherited = {key: value for key, value in os.environ.items()
                 if key not in ("DATABASE_URL", "JICHITAI_CONN_MAX_AGE")}
    return inherited | {"DJANGO_SETTINGS_MODULE": "jichitai.settings", "JICHITAI_DATA_DIR": str(directory),
                        "JICHITAI_SECRET_KEY": "test-only-secret-key-that-is-at-least-fifty-characters-long", "JICHITAI_DEBUG": "0"} | env


def on_a_file(directory) -> dict:
    """Copy the test database (migrated, with the test's rows) to directory/jichitai.sqlite3, the file the real
    settings open with JICHITAI_DATA_DIR=directory; return the environment of a process using it."""
    with sqlite3.connect(directory / "jichitai.sqlite3") as target:
        connection.ensure_connection()
        connection.connection.backup(target)
    target.close()
    return real_settings(directory)


def on_the_test_database(directory, **env) -> dict:
    """The environment of a process using the PostgreSQL test database (rows a transactional test committed)."""
    db = connection.settings_dict
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return real_settings(directory, DATABASE_URL=url, **env)


@pytest.fixture
def runserver(tmp_path):
    """Start the development server (threaded, as `jichitai demo` runs it) with the given environment; wait
    until it answers; return its address."""
    servers = []

    def start(env: dict, probe: str, token: str) -> str:
        port = free_port()
        log = (tmp_path / "server.log").open("w")
        servers.append(subprocess.Popen(
            [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"],
            env=env, cwd=tmp_path, stdout=log, stderr=log))
        base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 30
        while True:
            try:
                assert call(base + probe, token) == 200
                return base
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, (tmp_path / "server.log").read_text()
                time.sleep(0.1)

    yield start
    for server in servers:
        server.terminate()
        server.wait(timeout=10)


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_twenty_identical_patches_through_the_server_on_sqlite(process, admin_user, runserver, tmp_path):
    token = create_api_token(actor=None, via="command", user=admin_user)
    base = runserver(on_a_file(tmp_path), f"/api/v1/processes/{process.pk}", token)

    statuses = []
    for status in ("done", "started"):  # two rounds: the cell changes each time
        statuses += at_once(*[lambda status=status: call(f"{base}/api/v1/processes/{process.pk}/progress", token,
                                                         "PATCH", {"column": "flow", "status": status})] * 20)

    assert statuses == [200] * 40, (tmp_path / "server.log").read_text()[-3000:]
    with sqlite3.connect(tmp_path / "jichitai.sqlite3") as db:
        changes = db.execute('SELECT "column", status FROM processes_progresschange WHERE process_id = ? '
                             "ORDER BY id", [process.pk]).fetchall()
        audited = db.execute("SELECT count(*) FROM audit_auditentry WHERE action = 'progress.set'").fetchone()[0]
    db.close()
    assert changes == [("flow", "done"), ("flow", "started")]
    assert audited == 2


def server_connections() -> int:
    """Connections to the test database other than this process's."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                       "AND pid <> pg_backend_pid()")
        return cursor.fetchone()[0]


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_the_development_server_leaves_no_connection_open(process, admin_user, runserver, tmp_path):
    """Each request of the threaded development server runs on a new thread; a connection kept past the
    request (CONN_MAX_AGE > 0) stays open after its thread ends, until PostgreSQL runs out of connections."""
    token = create_api_token(actor=None, via="command", user=admin_user)
    base = runserver(on_the_test_database(tmp_path), f"/api/v1/processes/{process.pk}", token)

    statuses = []
    for _round in range(3):
        statuses += at_once(*[lambda: call(f"{base}/api/v1/processes/{process.pk}", token)] * 20)
    deadline = time.monotonic() + 5  # a connection closes when its response has been sent
    while (left := server_connections()) and time.monotonic() < deadline:
        time.sleep(0.1)

    assert statuses == [200] * 60, (tmp_path / "server.log").read_text()[-3000:]
    assert left == 0


def test_connections_are_closed_after_each_request_by_default(monkeypatch):
    """The real settings, without JICHITAI_CONN_MAX_AGE: no persistent connection, checked before reuse."""
    monkeypatch.delenv("JICHITAI_CONN_MAX_AGE", raising=False)
    for url in ("postgres://u@127.0.0.1:5432/jichitai", "sqlite:////tmp/jichitai.sqlite3"):
        monkeypatch.setenv("DATABASE_URL", url)
        spec = importlib.util.spec_from_file_location("fresh_settings", jichitai_settings.__file__)
        fresh = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(fresh)
        assert (fresh.DATABASES["default"]["CONN_MAX_AGE"], fresh.DATABASES["default"]["CONN_HEALTH_CHECKS"]) \
            == (0, True), url


# ---- the status a cell already has (any database) ----


def test_setting_a_cell_to_the_status_it_has_records_nothing(process, admin_user):
    def set_flow():
        return process_services.set_progress(actor=admin_user, via="web", process=process, column="flow",
                                             status="done")

    assert set_flow() is not None
    assert set_flow() is None
    assert list(ProgressChange.objects.filter(process=process).values_list("column", "status")) == [("flow", "done")]
    assert AuditEntry.objects.filter(action="progress.set").count() == 1


def test_a_cell_never_recorded_is_already_not_started(process, admin_user):
    """Not an evidence column: the matrix shows 未着手, so setting 未着手 changes nothing. (An evidence column
    never recorded follows the evidence, and any status set on it is an override, recorded.)"""
    assert "ordinance" not in rules.EVIDENCE_COLUMNS
    assert process_services.set_progress(actor=admin_user, via="web", process=process, column="ordinance",
                                         status=rules.DEFAULT_STATUS) is None
    assert not ProgressChange.objects.exists()
    assert not AuditEntry.objects.filter(action="progress.set").exists()


def test_patching_a_cell_to_the_status_it_has_records_nothing(process, admin_user):
    token = create_api_token(actor=None, via="command", user=admin_user)

    def patch(column, status):
        return Client().patch(f"/api/v1/processes/{process.pk}/progress",
                              data=json.dumps({"column": column, "status": status}),
                              content_type="application/json", headers={"authorization": f"Bearer {token}"})

    responses = [patch("業務フロー", "done"), patch("flow", "done"), patch("条例案上程", "not_started")]

    assert [r.status_code for r in responses] == [200, 200, 200]
    assert responses[1].json() == responses[0].json()
    assert list(ProgressChange.objects.filter(process=process).values_list("column", "status")) == [("flow", "done")]
    assert AuditEntry.objects.filter(action="progress.set").count() == 1


# ---- which lock an import takes (any database) ----


@pytest.fixture
def taken(monkeypatch):
    calls = []
    monkeypatch.setattr(locks, "lock_tenant", lambda kind, identity="": calls.append((kind, identity)))
    return calls


def test_an_import_locks_its_municipality_dry_run_included(registered, taken):
    report = run_import(progress_book(lambda i, j: "〇", with_new=True), actor=None, municipality=registered,
                        dry_run=True)
    assert report.ok, report.errors
    assert taken == [(locks.MUNICIPALITY, registered.pk)]
    assert not ProgressChange.objects.exists()


def test_an_association_import_locks_the_association_then_each_member(association, municipality, taken):
    other = Municipality.objects.create(code=with_check_digit("99203"), name="もう一つの市", association=association)
    sheet = workbook_bytes({"団体一覧": [["団体コード", "団体名", "人口"], [municipality.code, "テスト市", 1000]]})
    report = run_import(sheet, actor=None, association_name=association.name)
    assert report.ok, report.errors
    assert taken == [(locks.ASSOCIATION, association.name),
                     *sorted((locks.MUNICIPALITY, pk) for pk in (municipality.pk, other.pk))]


def test_an_import_naming_no_tenant_takes_the_global_lock(db, taken):
    run_import(b"not a workbook", actor=None)
    assert taken == []  # nothing readable: nothing to lock
    sheet = workbook_bytes({"団体一覧": [["団体コード", "団体名"], ["992011", "デモ市"]]})
    report = run_import(sheet, actor=None)
    assert not report.ok  # 団体一覧 needs --association: refused, but read under the global lock
    assert taken == [(locks.GLOBAL, "")]


def test_a_tenant_lock_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError, match="inside transaction.atomic"):
        locks.lock_tenant(locks.MUNICIPALITY, 1)


def test_lock_keys_are_fixed_per_tenant():
    assert locks.lock_key(locks.MUNICIPALITY, 12) == locks.lock_key(locks.MUNICIPALITY, 12)
    assert len({locks.lock_key(locks.MUNICIPALITY, 12), locks.lock_key(locks.ASSOCIATION, 12),
                locks.lock_key(locks.MUNICIPALITY, 13), locks.lock_key(locks.GLOBAL)}) == 4
    assert -(2**63) <= locks.lock_key(locks.ASSOCIATION, "A県協議会") < 2**63



SQLITE_IMPORTS = """
import json, sys
import django
django.setup()
from jichitai.orgs.models import Municipality
from tests.test_concurrency import two_imports_at_once
municipality = Municipality.objects.get(pk=int(sys.argv[1]))
print(json.dumps([two_imports_at_once(municipality, with_new) for with_new in (False, True)]))
"""


@sqlite_only
@pytest.mark.django_db(transaction=True)
def test_two_imports_of_one_municipality_at_once_on_sqlite(registered, tmp_path):
    """The same race as on PostgreSQL, in a process of its own on a file database (threads on the in-memory
    test database would share its cache, whose locks fail at once instead of waiting)."""
    done = subprocess.run([sys.executable, "-c", SQLITE_IMPORTS, str(registered.pk)], env=on_a_file(tmp_path),
                          cwd=Path(__file__).resolve().parent.parent, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    registered_only, both_create = json.loads(done.stdout.strip().splitlines()[-1])
    assert registered_only in one_workbook_or_the_other(False)
    assert both_create in one_workbook_or_the_other(True)
