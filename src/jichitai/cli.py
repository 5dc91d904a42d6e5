"""`jichitai` console script: manage.py with the project's own commands.

On a database that has not been migrated (or lacks a later migration), every command says so in one Japanese
line and exits 2 instead of printing a traceback: it does not migrate by itself, so that a mistyped
JICHITAI_DATA_DIR or DATABASE_URL never silently creates an empty database (README, "Commands").
"""

import os
import re
import sys

EXIT_NOT_MIGRATED = 2
NOT_MIGRATED_MESSAGE = (
    "データベースが初期化されていません（または更新が必要です）。先に `jichitai migrate` を実行してください。"
)

# SQLite: "no such table: orgs_municipality", "no such column: …"; PostgreSQL: 'relation "…" does not exist',
# 'column "…" does not exist'.
_MISSING = re.compile(r"no such (table|column)|(relation|column) \S+ does not exist")


def is_missing_schema(exc: BaseException) -> bool:
    """The error of a query against tables or columns that migrate has not created yet."""
    from django.db import OperationalError, ProgrammingError

    while exc is not None:
        if isinstance(exc, OperationalError | ProgrammingError) and _MISSING.search(str(exc)):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jichitai.settings")
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(sys.argv)
    except Exception as exc:
        if not is_missing_schema(exc):
            raise
        sys.stdout.flush()
        print(NOT_MIGRATED_MESSAGE, file=sys.stderr)
        sys.exit(EXIT_NOT_MIGRATED)


if __name__ == "__main__":
    main()
