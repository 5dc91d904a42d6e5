"""Whether the database has every migration of this version (read only; `jichitai serve`, `/healthz`,
`jichitai upgrade`)."""

from django.db import DEFAULT_DB_ALIAS, connections


def pending_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The migrations this version has that the database lacks ("app.name"), in the order migrate applies them.
    Reads the migration files once per call and the django_migrations table with one query."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]
