"""Whether the database has every migration of this version (read only; `jichitai serve`, `/healthz`,
`jichitai upgrade`)."""

from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections

from jichitai.core.commands import InvalidInput
from jichitai.core.mynumber import mask_my_numbers


def pending_migrations(using: str = DEFAULT_DB_ALIAS) -> list[str]:
    """The migrations this version has that the database lacks ("app.name"), in the order migrate applies them.
    Reads the migration files once per call and the django_migrations table with one query."""
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connections[using])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _backwards in plan]


def pending_migrations_of_a_reachable_database() -> list[str]:
    """`pending_migrations` for a command: a database that does not answer stops it with a Japanese message."""
    try:
        return pending_migrations()
    except DatabaseError as exc:
        raise InvalidInput(f"データベースに接続できません（{mask_my_numbers(str(exc)).strip()}）。"
                           "DATABASE_URL とデータベースの状態を確認してください。") from exc
