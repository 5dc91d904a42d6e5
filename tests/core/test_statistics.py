"""The planner's statistics are refreshed after an import on SQLite (left to autovacuum on PostgreSQL), and on
PostgreSQL after a large write that names its tables, the demo and a restore."""

from django.db import connection

from jichitai.core.statistics import refresh_planner_statistics
from jichitai.exchange.imports import run_import
from tests.helpers import progress_sheet


def _stat_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchall():
            return 0
        cursor.execute("SELECT count(*) FROM sqlite_stat1 WHERE tbl = 'processes_progresschange'")
        return cursor.fetchone()[0]


def test_refresh_runs_on_sqlite_and_on_named_postgresql_tables(db):
    from jichitai.orgs.models import Staff

    assert refresh_planner_statistics() is (connection.vendor == "sqlite")
    assert refresh_planner_statistics([Staff]) is True
    assert refresh_planner_statistics(everything=True) is True


def test_an_import_leaves_statistics_for_the_progress_history(municipality, process, admin_user):
    if connection.vendor != "sqlite":
        assert refresh_planner_statistics() is False
        return
    before = _stat_rows()
    report = run_import(progress_sheet([["児童手当事務", "〇", "△", "×", "-", "〇", "△"]]), actor=admin_user,
                        municipality=municipality)
    assert not report.errors, report.errors
    assert before == 0 and _stat_rows() > 0
