"""The query planner's statistics after large writes.

SQLite plans without statistics until ANALYZE has run, and Django never runs it: at national size (1,741
members) the association page took 31.7 s without them and 11.7 s with them (shared MEASUREMENTS.md). So
after an import, the demo and a restore, the statistics are refreshed. `analysis_limit` makes ANALYZE look at a
sample of each index (a bounded cost whatever the size; SQLite ≥ 3.32). PostgreSQL's autovacuum analyses by
itself, eventually, and not at all where it is turned off (as on the development machine's service): right
after a large write the planner guessed 4 million staff rows were a handful and one checklist batch took 10 s
instead of 0.1 s. So PostgreSQL runs ANALYZE too, on the tables a large write names (the bench's handlers) or
on all of them after the demo and a restore (each table sampled: default_statistics_target × 300 rows); an
import, small as a rule, leaves PostgreSQL to autovacuum.
"""

from django.db import connection

ANALYSIS_LIMIT = 1000  # rows sampled per index, as SQLite's documentation suggests for PRAGMA optimize


def refresh_planner_statistics(models=(), *, everything: bool = False) -> bool:
    """Refresh the statistics after a large write (on PostgreSQL: of `models`' tables, or `everything`); whether
    anything ran."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
            cursor.execute("ANALYZE")
            return True
        if connection.vendor == "postgresql" and (models or everything):
            tables = "" if everything else ", ".join(connection.ops.quote_name(m._meta.db_table) for m in models)
            cursor.execute(f"ANALYZE {tables}")  # identifiers from the models, quoted
            return True
    return False
