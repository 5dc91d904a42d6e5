"""National scale (issue 12): one association of N members (30, 300, 1,741) × every municipal 別表 item with a
year of progress history, on a fresh SQLite database (or, with --database-url, an empty PostgreSQL database
that it migrates and fills). Times the association page (first page, sorted, filtered), its .xlsx, the checklist
grid, one member's matrix and the API progress list (medians), on SQLite with and without the planner's
statistics (ANALYZE), and the build itself. With --staff S it then gives every member S more handlers assigned
to its processes and times `jichitai evaluate-members` over all of them (the checklist and the progress
summaries), in a separate process whose peak memory is reported.

    python bench/national.py --sizes 30,300 [--repeat 5] [--staff 2000] [--database-url postgres://…/bench]
"""

import argparse
import os
import platform
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from progress_pages import measure, setup_django  # noqa: E402


def drop_statistics() -> None:
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchall():
            cursor.execute("DROP TABLE sqlite_stat1")
    connection.close()  # the planner reads the statistics when a connection opens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="30,300")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", help="an empty PostgreSQL database (default: a fresh SQLite file)")
    parser.add_argument("--staff", type=int, default=0, help="handlers per member for the all-members evaluation")
    parser.add_argument("--existing", metavar="DATA_DIR",
                        help="measure the associations an earlier run left (its SQLite data directory, or the "
                             "database of --database-url: give any directory), migrated to this code; no build")
    args = parser.parse_args()
    data_dir = args.existing or tempfile.mkdtemp(prefix="jichitai-national-")
    setup_django(data_dir, args.database_url)

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from jichitai.core.statistics import refresh_planner_statistics
    from jichitai.demo.builder import build
    from jichitai.orgs.models import Membership
    from jichitai.processes.models import Process, ProgressChange

    if connection.vendor == "postgresql":
        version = connection.cursor().connection.info.server_version  # 150020 for 15.20
        database = f"PostgreSQL {version // 10000}.{version % 100}"
    else:
        database = f"SQLite {sqlite3.sqlite_version}"
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · {database}")
    print(f"{'members':>7} {'processes':>9} {'changes':>8}  {'route':<32} {'no ANALYZE ms':>13} {'ANALYZE ms':>10} "
          f"{'queries':>7}")
    first = 0
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        if args.existing:
            user = get_user_model().objects.get(username=f"national{size}")
            result = build(members=size, association_name=f"全国ベンチ{size}", with_users=False)  # finds it
            seconds, peak = evaluate_all(data_dir, args.database_url, result.association.pk)
            print(f"{size:>7} evaluate-members (as the earlier run left the handlers): {seconds:.1f} s, peak "
                  f"{peak:.0f} MB (command and workers)")
        else:
            result = build(members=size, association_name=f"全国ベンチ{size}", with_users=False,
                           first_code_index=first, seed=size)
            user = get_user_model().objects.create_user(f"national{size}")
            Membership.objects.create(user=user, role="secretariat", association=result.association)
        built = time.perf_counter() - started
        first += size
        members = result.municipalities
        processes = Process.objects.filter(municipality__in=members).count()
        changes = ProgressChange.objects.filter(process__municipality__in=members).count()
        code, association = members[0].code, result.association.pk
        routes = {"association page": f"/a/{association}/",
                  "association page, sorted": f"/a/{association}/?sort=overall&page=2",
                  "association page, filtered": f"/a/{association}/?prefecture={code[:2]}&q=市&sort=flow",
                  "association .xlsx": f"/a/{association}/progress.xlsx",
                  "checklist grid": f"/a/{association}/checklist/",
                  "matrix": f"/m/{code}/", "API progress": f"/api/v1/municipalities/{code}/progress"}
        times = {}
        for with_statistics in (False, True) if connection.vendor == "sqlite" else (True,):
            drop_statistics()
            if with_statistics:
                refresh_planner_statistics()
                connection.close()
            client = Client()
            client.force_login(user)
            for name, path in routes.items():
                times[(name, with_statistics)] = measure(client, path, args.repeat)
        for name in routes:
            (with_, queries) = times[(name, True)]
            # PostgreSQL analyses by itself: there is no "without" to show.
            without = f"{times[(name, False)][0]:.1f}" if (name, False) in times else "—"
            print(f"{size:>7} {processes:>9} {changes:>8}  {name:<32} {without:>13} {with_:>10.1f} {queries:>7}")
        print(f"{size:>7} {'summaries evaluated' if args.existing else 'built'} in {built:.0f} s; peak memory so far "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        sys.stdout.flush()
        if args.staff and not args.existing:
            add_handlers(members, args.staff)
            seconds, peak = evaluate_all(data_dir, args.database_url, association)
            print(f"{size:>7} evaluate-members, {args.staff:,} handlers each: {seconds:.1f} s, peak {peak:.0f} MB "
                  "(command and workers)")
            connection.close()
            client = Client()
            client.force_login(user)
            for name in ("association page", "checklist grid"):
                median, queries = measure(client, routes[name], args.repeat)
                print(f"{size:>7} {'':>9} {'':>8}  {name + ' (after)':<32} {'':>13} {median:>10.1f} {queries:>7}")
            sys.stdout.flush()


def add_handlers(members, per_member: int) -> None:
    """per_member handlers in each member, each assigned to one of its processes (round robin)."""
    import datetime as dt

    from django.db import transaction

    from jichitai.core.fast_insert import fast_insert
    from jichitai.core.statistics import refresh_planner_statistics
    from jichitai.orgs.models import Staff
    from jichitai.processes.models import Process, ProcessAssignment

    day = dt.date(2025, 4, 1)
    for member in members:
        with transaction.atomic():
            fast_insert(Staff, ["municipality", "department", "staff_number", "name", "role"],
                        ((member.pk, None, f"B{i:06d}", f"ベンチ職員{i}", "handler") for i in range(per_member)))
            staff = list(Staff.objects.filter(municipality=member, staff_number__startswith="B")
                         .order_by("pk").values_list("pk", flat=True))
            processes = list(Process.objects.filter(municipality=member).order_by("pk").values_list("pk", flat=True))
            fast_insert(ProcessAssignment, ["process", "staff", "assigned_on"],
                        ((processes[i % len(processes)], pk, day) for i, pk in enumerate(staff)))
    refresh_planner_statistics([Staff, ProcessAssignment])


def evaluate_all(data_dir: str, database_url: str | None, association: int) -> tuple[float, float]:
    """`jichitai evaluate-members` in its own process: (seconds, peak memory in MB of the command and its worker
    processes together, as proportional set size: pages the forked workers share are counted once)."""
    env = os.environ | {"JICHITAI_DATA_DIR": data_dir}
    if database_url:
        env["DATABASE_URL"] = database_url
    started = time.perf_counter()
    command = subprocess.Popen([sys.executable, "-m", "django", "evaluate-members", "--association",  # noqa: S603
                                str(association), "--format", "json"], env=env, stdout=subprocess.DEVNULL)
    peak = 0.0
    while command.poll() is None:
        peak = max(peak, tree_pss_mb(command.pid))
        time.sleep(0.2)
    seconds = time.perf_counter() - started
    if command.returncode:
        raise SystemExit(f"evaluate-members failed ({command.returncode})")
    return seconds, peak


def tree_pss_mb(pid: int) -> float:
    """The proportional set size of a process and its descendants, from /proc (Linux)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/smaps_rollup") as rollup:
                total += sum(int(line.split()[1]) for line in rollup if line.startswith("Pss:"))
            for task in os.listdir(f"/proc/{current}/task"):
                with open(f"/proc/{current}/task/{task}/children") as children:
                    pending += [int(child) for child in children.read().split()]
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return total / 1024


if __name__ == "__main__":
    main()
