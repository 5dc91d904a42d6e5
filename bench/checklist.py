"""Median time and query count of the five-item checklist: one municipality with 100 processes and 2,000
staff, and an association of 30 such municipalities evaluated in one pass (fresh SQLite database)."""

import datetime as dt
import os
import platform
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from progress_pages import setup_django  # noqa: E402


def build(association, index: int, processes: int, staff: int):
    from jichitai.core.codes import with_check_digit
    from jichitai.orgs.models import Municipality, Staff
    from jichitai.processes.models import Process, ProcessAssignment

    municipality = Municipality.objects.create(code=with_check_digit(f"98{100 + index:03d}"), name=f"ベンチ{index}",
                                               association=association)
    made = Process.objects.bulk_create(Process(municipality=municipality, name=f"事務{i}",
                                               registered_on=dt.date(2025, 4, 1)) for i in range(processes))
    people = Staff.objects.bulk_create(Staff(municipality=municipality, staff_number=f"S{i:05d}", name=f"職員{i}",
                                             role="handler") for i in range(staff))
    ProcessAssignment.objects.bulk_create(ProcessAssignment(process=made[i % processes], staff=person,
                                                            assigned_on=dt.date(2025, 4, 1))
                                          for i, person in enumerate(people))
    return municipality


def measure(members, repeat: int) -> tuple[float, int]:
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from jichitai.checklist.queries import evaluate
    from jichitai.orgs.scoping import COMMAND_LINE

    today = timezone.localdate()
    evaluate(COMMAND_LINE, members, today)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        evaluate(COMMAND_LINE, members, today)
        times.append((time.perf_counter() - start) * 1000)
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        evaluate(COMMAND_LINE, members, today)
    return statistics.median(times), len(queries)


def main() -> None:
    setup_django(tempfile.mkdtemp(prefix="jichitai-bench-"))
    from jichitai.measures.services import load_default_framework
    from jichitai.orgs.models import Association
    from jichitai.training.services import load_curriculum

    load_curriculum()
    load_default_framework()
    association = Association.objects.create(name="ベンチ協議会")
    members = [build(association, i, 100, 2000) for i in range(30)]
    print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()} · SQLite")
    for label, subset, repeat in (("1 municipality (100 processes, 2,000 staff)", members[:1], 10),
                                  ("30 municipalities, one pass (3,000 processes, 60,000 staff)", members, 3)):
        median, queries = measure(subset, repeat)
        print(f"{label:<62} median {median:8.1f} ms   {queries} queries")


if __name__ == "__main__":
    main()
