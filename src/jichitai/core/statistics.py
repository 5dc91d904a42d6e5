"""The query planner's statistics after large writes.

SQLite plans without statistics until ANALYZE has run, and Django never runs it: at national size (1,741
members) the association page took 31.7 s without them and 11.7 s with them (shared MEASUREMENTS.md). So
after an import, the demo and a restore, the statistics are refreshed. `analysis_limit` makes ANALYZE look at a
sample of each index (a bounded cost whatever the size; SQLite ≥ 3.32). PostgreSQL's autovacuum analyses by
itself: nothing to do there.
"""

from django.db import connection

ANALYSIS_LIMIT = 1000  # rows sampled per index, as SQLite's documentation suggests for PRAGMA optimize


def refresh_planner_statistics() -> bool:
    """Refresh the statistics where the database needs it; whether anything ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
    return True
