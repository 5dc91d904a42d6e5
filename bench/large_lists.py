"""One process with 20,000 handling rows and 20,000 risk rows: what its lists cost, a page at a time.

Targets (issue 16, on the development machine): any API page under 200 ms and under 150 MB process peak; the
full .xlsx export of the 20,000 rows under 5 s and under 300 MB.

The database is built once (SQLite in a temporary directory): the rows are imported from the workbook that
bench/analysis_import.py generates (the seed's layout, realistic texts, one or two countermeasures a row). Each
scenario then runs in a fresh Python process, so that its peak memory (VmHWM: Django, the app and the
request, as a server worker would hold them) is its own: one warm-up request, then --repeat timed requests
through Django's test client (the median is reported), signed in as the municipality's admin.

  api first      GET /api/v1/processes/{id}/handling-rows             the first page (100 rows, the default)
  api last       … ?cursor=…                                          the last page, reached by its cursor
  api offset     … ?offset=19900                                      the last page, reached by offset
  api 1,000      … ?limit=1000                                        the largest page a client may ask for
  page first     GET /m/{code}/processes/{id}/analysis/               the analysis page's first screen (HTML)
  export         GET /m/{code}/processes/{id}/analysis.xlsx           both sheets, every row

Usage: .venv/bin/python bench/large_lists.py [--rows 20000] [--repeat 5]
"""

import argparse
import atexit
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
USERNAME = "bench_admin"
TARGETS = {"api": (200, 150), "page": (None, None), "export": (5000, 300)}  # ms, MB


def scenarios(process_id: int, code: str, last_cursor: str, rows: int) -> list[tuple[str, str, str]]:
    api = f"/api/v1/processes/{process_id}/handling-rows"
    return [
        ("api first", "api", api),
        ("api last", "api", f"{api}?cursor={last_cursor}"),
        ("api offset", "api", f"{api}?offset={max(rows - 100, 0)}"),
        ("api 1,000", "api", f"{api}?limit=1000"),
        ("page first", "page", f"/m/{code}/processes/{process_id}/analysis/"),
        ("export", "export", f"/m/{code}/processes/{process_id}/analysis.xlsx"),
    ]


def build(rows: int) -> tuple[int, str, str]:
    """The database: an association, a municipality, its admin and one process with `rows` imported rows."""
    from analysis_import import PROCESS, build_workbook
    from django.contrib.auth import get_user_model

    from jichitai.api.pagination import cursor_for
    from jichitai.core.codes import with_check_digit
    from jichitai.exchange.imports import run_import
    from jichitai.handling.models import HandlingRow
    from jichitai.orgs.models import Association, Membership, Municipality
    from jichitai.processes.models import Process
    from jichitai.processes.services import load_beppyo

    load_beppyo()
    association = Association.objects.create(name="ベンチ協議会")
    municipality = Municipality.objects.create(code=with_check_digit("99901"), name="ベンチ市", association=association)
    user = get_user_model().objects.create_user(USERNAME)
    Membership.objects.create(user=user, role="admin", municipality=municipality)
    process = Process.objects.create(municipality=municipality, name=PROCESS)
    data, _measures = build_workbook([PROCESS], rows)
    report = run_import(data, actor=None, municipality=municipality)
    assert report.ok, report.errors[:5]
    ids = list(HandlingRow.objects.filter(process=process).order_by("pk").values_list("pk", flat=True))
    assert len(ids) == rows, len(ids)
    return process.pk, municipality.code, cursor_for(ids[-101]) if rows > 100 else ""


def peak_mb() -> float:
    """This process's peak resident memory (VmHWM). Not ru_maxrss: a child started by fork and exec keeps its
    parent's high-water mark there, and the parent holds the 20,000 rows it built."""
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith("VmHWM:"))
    return int(line.split()[1]) / 1024


def child(path: str, repeat: int) -> dict:
    """In its own process: the request's median time, the process's peak memory and the answer's size."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    baseline = peak_mb()

    def fetch() -> int:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if path.startswith("/api/"):
            assert len(json.loads(body)["items"]) <= 1000
        return len(body)

    size = fetch()  # warm-up: URL resolver, templates, the first connection
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fetch()
        times.append((time.perf_counter() - start) * 1000)
    return {"median_ms": statistics.median(times), "peak_mb": peak_mb(),
            "baseline_mb": baseline, "bytes": size}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(HERE))
    from progress_pages import setup_django

    if args.child:
        setup_django(args.data_dir, migrate=False)  # built by the parent
        print(json.dumps(child(args.child, args.repeat)))
        return

    data_dir = tempfile.mkdtemp(prefix="jichitai-bench-")
    atexit.register(shutil.rmtree, data_dir, ignore_errors=True)
    setup_django(data_dir)
    start = time.perf_counter()
    process_id, code, last_cursor = build(args.rows)
    from django.db import connections

    connections.close_all()
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"SQLite {sqlite3.sqlite_version}")
    print(f"{args.rows:,} handling rows + {args.rows:,} risk rows in one process, built in "
          f"{time.perf_counter() - start:.0f} s; {args.repeat} timed requests per scenario (median), each scenario "
          f"in a fresh process (peak = its VmHWM)")
    print(f"{'scenario':<12} {'median':>10} {'peak':>9} {'(idle)':>8} {'answer':>10}  target")
    failed = []
    for label, kind, path in scenarios(process_id, code, last_cursor, args.rows):
        out = subprocess.run([sys.executable, __file__, "--child", path, "--data-dir", data_dir,  # noqa: S603 - ours
                              "--repeat", str(args.repeat)], capture_output=True, text=True, check=False)
        if out.returncode:
            sys.exit(f"{label}: {out.stderr[-2000:]}")
        result = json.loads(out.stdout.strip().splitlines()[-1])
        limit_ms, limit_mb = TARGETS[kind]
        ok = (limit_ms is None or result["median_ms"] < limit_ms) and (limit_mb is None or result["peak_mb"] < limit_mb)
        target = "—" if limit_ms is None else f"< {limit_ms:,} ms, < {limit_mb} MB: {'met' if ok else 'MISSED'}"
        if not ok:
            failed.append(label)
        print(f"{label:<12} {result['median_ms']:>7.0f} ms {result['peak_mb']:>6.0f} MB {result['baseline_mb']:>5.0f} MB "
              f"{result['bytes'] / 1024:>7.0f} KB  {target}", flush=True)
    if failed:
        print("targets missed: " + ", ".join(failed))


if __name__ == "__main__":
    main()
