"""Median render time of the progress pages and API lists, on a fresh SQLite database.

Dataset: one association of N municipalities (default 1 and 30) × every municipal 別表 item, each with a
year of progress history (jichitai.demo.builder.build). Run with `make bench`; results go to stdout as a table.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time


def setup_django(data_dir: str, database_url: str | None = None, *, migrate: bool = True) -> None:
    """Django on a fresh SQLite file in data_dir, or on the (empty) database at database_url."""
    os.environ.update(JICHITAI_DEBUG="0", JICHITAI_SECRET_KEY="bench-only-secret-key-that-is-at-least-fifty-characters-long", JICHITAI_DATA_DIR=data_dir,  # noqa: S106
                      JICHITAI_ALLOWED_HOSTS="testserver", JICHITAI_SECURE_COOKIES="0",
                      DJANGO_SETTINGS_MODULE="jichitai.settings")
    os.environ.pop("DATABASE_URL", None)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    import django

    django.setup()
    if not migrate:
        return
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def measure(client, path: str, repeat: int) -> tuple[float, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm caches (templates, URL resolver)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(path)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (path, response.status_code)
    reset_queries()  # request_started resets the log too; start from empty so the count is right
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return statistics.median(times), len(queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", default="1,30")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    setup_django(tempfile.mkdtemp(prefix="jichitai-bench-"))

    from django.contrib.auth import get_user_model
    from django.test import Client

    from jichitai.demo.builder import build
    from jichitai.orgs.models import Membership
    from jichitai.processes.models import Process, ProgressChange

    print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · SQLite")
    print(f"{'members':>7} {'processes':>9} {'changes':>8}  {'route':<42} {'median ms':>9} {'queries':>7}")
    for index, size in enumerate(int(s) for s in args.sizes.split(",")):
        result = build(members=size, association_name=f"ベンチ協議会{size}", with_users=False,
                       first_code_index=index * 100, seed=size)
        user = get_user_model().objects.create_user(f"bench{size}")
        Membership.objects.create(user=user, role="secretariat", association=result.association)
        client = Client()
        client.force_login(user)
        members = result.municipalities
        processes = Process.objects.filter(municipality__in=members).count()
        changes = ProgressChange.objects.filter(process__municipality__in=members).count()
        code = members[0].code
        routes = [f"/m/{code}/", f"/a/{result.association.pk}/", f"/api/v1/municipalities/{code}/processes",
                  f"/api/v1/municipalities/{code}/progress"]
        for path in routes:
            median, queries = measure(client, path, args.repeat)
            print(f"{size:>7} {processes:>9} {changes:>8}  {path:<42} {median:>9.1f} {queries:>7}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
