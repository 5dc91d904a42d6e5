"""Connections the development server leaves open on PostgreSQL (issue 10).

The development server answers each request on a new thread. A connection kept past its request
(CONN_MAX_AGE > 0) belongs to that thread and stays open, idle, after the thread has ended; after a few dozen
requests PostgreSQL refuses new clients ("too many clients") and every page answers 500. The settings close
each connection at the end of its request by default (JICHITAI_CONN_MAX_AGE unset, i.e. 0); this script shows
both.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres python bench/connections.py [--requests 200]

DATABASE_URL names a server and a database to connect to for administration; the script creates a scratch
database (--database, dropped at the end), migrates it, adds one municipality, one user and an API token, then
for each setting (the default, and JICHITAI_CONN_MAX_AGE=--compare for comparison) starts
`django runserver` (threaded, with the real settings), sends --requests API requests, --concurrency at a time,
and counts the scratch database's connections in pg_stat_activity: the most seen while the requests ran,
open after --idle seconds without requests, and after the server stopped.
"""

import argparse
import os
import platform
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent

SETUP = """
import django
django.setup()
from django.contrib.auth import get_user_model
from jichitai.core.codes import with_check_digit
from jichitai.orgs.models import Association, Membership, Municipality
from jichitai.orgs.services import create_api_token
association = Association.objects.create(name="ベンチ協議会")
municipality = Municipality.objects.create(code=with_check_digit("99201"), name="ベンチ市", association=association)
user = get_user_model().objects.create_user(username="bench", password="bench-only-password")
Membership.objects.create(user=user, role=Membership.Role.ADMIN, municipality=municipality)
print(municipality.code, create_api_token(actor=None, via="command", user=user))
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, token: str) -> int:
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - our server
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own server
            response.read()
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, ConnectionError):
        return 0


class Monitor:
    """Count the connections to one database (this monitor's own excluded), now and at most."""

    def __init__(self, admin_url: str, database: str):
        self.connection = psycopg.connect(admin_url, autocommit=True)
        self.database, self.peak, self._stop = database, 0, threading.Event()

    def count(self) -> int:
        return self.connection.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                                       "AND pid <> pg_backend_pid()", [self.database]).fetchone()[0]

    def watch(self):
        self._stop.clear()
        self.peak = 0

        def run():
            while not self._stop.is_set():
                self.peak = max(self.peak, self.count())
                time.sleep(0.05)

        thread = threading.Thread(target=run)
        thread.start()
        return thread

    def stop(self, thread) -> int:
        self._stop.set()
        thread.join()
        return self.peak


def run_server(env: dict, port: int, log) -> subprocess.Popen:
    command = [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload", "--skip-checks"]
    return subprocess.Popen(command, env=env, cwd=ROOT, stdout=log, stderr=log)  # noqa: S603 - our own command


def one_setting(label: str, env: dict, monitor: Monitor, paths: list[str], token: str, args, log) -> dict:
    port = free_port()
    server, base = run_server(env, port, log), f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while get(base + paths[0], token) != 200:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"the server did not start ({label}); see {log.name}")
            time.sleep(0.2)
        time.sleep(0.5)
        before = monitor.count()
        statuses, watcher, started = [], monitor.watch(), time.perf_counter()
        for first in range(0, args.requests, args.concurrency):
            batch = range(first, min(first + args.concurrency, args.requests))
            results = [0] * len(batch)

            def fetch(results, i, n):
                results[i] = get(base + paths[n % len(paths)], token)

            threads = [threading.Thread(target=fetch, args=(results, i, n)) for i, n in enumerate(batch)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            statuses += results
        elapsed = time.perf_counter() - started
        time.sleep(args.idle)
        peak, after_idle = monitor.stop(watcher), monitor.count()
    finally:
        server.terminate()
        server.wait(timeout=10)
    time.sleep(0.5)
    return {"setting": label, "requests": len(statuses), "2xx": sum(200 <= s < 300 for s in statuses),
            "5xx": sum(s >= 500 for s in statuses), "failed": sum(s == 0 for s in statuses),
            "seconds": round(elapsed, 1), "before": before, "peak": peak, "after_idle": after_idle,
            "after_stop": monitor.count()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--idle", type=float, default=2.0, help="seconds without requests before counting")
    parser.add_argument("--compare", type=int, default=60, help="JICHITAI_CONN_MAX_AGE to compare (0: none)")
    parser.add_argument("--database", default="jichitai_bench_connections")
    args = parser.parse_args()

    admin_url = os.environ.get("DATABASE_URL", "")
    if not admin_url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL server, e.g. postgres://postgres@127.0.0.1:5432/postgres")
    parts = urllib.parse.urlsplit(admin_url)
    bench_url = urllib.parse.urlunsplit(parts._replace(path="/" + args.database))

    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{args.database}"')
        server_version = admin.execute("SHOW server_version").fetchone()[0]
        max_connections = admin.execute("SHOW max_connections").fetchone()[0]
    data_dir = tempfile.mkdtemp(prefix="jichitai-bench-connections-")
    env = {key: value for key, value in os.environ.items() if key != "JICHITAI_CONN_MAX_AGE"} | {
        "DJANGO_SETTINGS_MODULE": "jichitai.settings", "DATABASE_URL": bench_url, "JICHITAI_DATA_DIR": data_dir,
        "JICHITAI_SECRET_KEY": "bench-only-secret-key-that-is-at-least-fifty-characters-long", "JICHITAI_DEBUG": "0", "PYTHONPATH": str(ROOT / "src")}
    monitor = None
    try:
        subprocess.run([sys.executable, "-m", "django", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
        code, token = subprocess.run([sys.executable, "-c", SETUP], env=env, cwd=ROOT, check=True,  # noqa: S603
                                     capture_output=True, text=True).stdout.split()
        paths = ["/api/v1/municipalities", f"/api/v1/municipalities/{code}/progress"]
        monitor = Monitor(admin_url, args.database)
        settings = [("default (JICHITAI_CONN_MAX_AGE unset)", env)]
        if args.compare:
            settings.append((f"JICHITAI_CONN_MAX_AGE={args.compare}", env | {"JICHITAI_CONN_MAX_AGE": str(args.compare)}))
        rows = []
        with open(Path(data_dir) / "server.log", "w") as log:
            for label, setting_env in settings:
                rows.append(one_setting(label, setting_env, monitor, paths, token, args, log))
    finally:
        if monitor is not None:
            monitor.connection.close()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{args.database}" WITH (FORCE)')

    print(f"Machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"PostgreSQL {server_version} (max_connections {max_connections}); django runserver (threaded); "
          f"{args.requests} GET requests, {args.concurrency} at a time; connections to the scratch database "
          f"in pg_stat_activity.")
    columns = ["setting", "requests", "2xx", "5xx", "failed", "seconds", "before", "peak", "after_idle",
               "after_stop"]
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[column]) for column in columns) + " |")


if __name__ == "__main__":
    main()
