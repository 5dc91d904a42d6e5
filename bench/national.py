"""National scale (issue 12): one association of N members (30, 300, 1,741) × every municipal 別表 item with a
year of progress history, each size on a fresh SQLite database. Times the association page, its .xlsx, one
member's matrix and the API progress list (medians), with and without the planner's statistics (ANALYZE), and
the build itself. PostgreSQL is not covered yet.

    python bench/national.py --sizes 30,300 [--repeat 5]
"""

import argparse
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from progress_pages import measure, setup_django  # noqa: E402


def drop_statistics() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if cursor.fetchall():
            cursor.execute("DROP TABLE sqlite_stat1")
    connection.close()  # the planner reads the statistics when a connection opens


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="30,300")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="jichitai-national-"))

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client

    from jichitai.core.statistics import refresh_planner_statistics
    from jichitai.demo.builder import build
    from jichitai.orgs.models import Membership
    from jichitai.processes.models import Process, ProgressChange

    print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · "
          f"SQLite {sqlite3.sqlite_version}")
    print(f"{'members':>7} {'processes':>9} {'changes':>8}  {'route':<32} {'no ANALYZE ms':>13} {'ANALYZE ms':>10} "
          f"{'queries':>7}")
    first = 0
    for size in (int(s) for s in args.sizes.split(",")):
        started = time.perf_counter()
        result = build(members=size, association_name=f"全国ベンチ{size}", with_users=False,
                       first_code_index=first, seed=size)
        built = time.perf_counter() - started
        first += size
        user = get_user_model().objects.create_user(f"national{size}")
        Membership.objects.create(user=user, role="secretariat", association=result.association)
        members = result.municipalities
        processes = Process.objects.filter(municipality__in=members).count()
        changes = ProgressChange.objects.filter(process__municipality__in=members).count()
        code, association = members[0].code, result.association.pk
        routes = {"association page": f"/a/{association}/", "association .xlsx": f"/a/{association}/progress.xlsx",
                  "matrix": f"/m/{code}/", "API progress": f"/api/v1/municipalities/{code}/progress"}
        times = {}
        for with_statistics in (False, True):
            drop_statistics()
            if with_statistics:
                refresh_planner_statistics()
                connection.close()
            client = Client()
            client.force_login(user)
            for name, path in routes.items():
                times[(name, with_statistics)] = measure(client, path, args.repeat)
        for name in routes:
            (without, queries), (with_, _q) = times[(name, False)], times[(name, True)]
            print(f"{size:>7} {processes:>9} {changes:>8}  {name:<32} {without:>13.1f} {with_:>10.1f} {queries:>7}")
        print(f"{size:>7} built in {built:.0f} s; peak memory so far "
              f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
