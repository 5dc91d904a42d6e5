"""Backup and restore of every row of the project, in one portable file (the only code here that writes).

A backup is a ZIP: `manifest.json` (format, the database it came from, the migrations applied per app, the
row count per table) and one JSON Lines file per model, in Django's serialisation, so that it restores
into SQLite or PostgreSQL alike. It is a consistent snapshot while the server runs: on SQLite it is read
from a copy made with SQLite's online backup API; on PostgreSQL inside one REPEATABLE READ, read-only
transaction. (pg_dump's custom format would restore only into PostgreSQL; one portable format serves both,
and a municipality can move from one database to the other with it.)
"""

import datetime as dt
import io
import json
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from jichitai.audit.services import record_operation

FORMAT = "jichitai-backup"
VERSION = 1
# Django's own tables that migrations fill (content types, permissions) or that hold nothing to keep (sessions).
SKIPPED_APPS = {"contenttypes", "sessions", "admin", "messages", "staticfiles"}
SKIPPED_MODELS = {"auth.Permission"}


class BackupError(ValueError):
    """The file cannot be restored here; nothing was written. The message says why, in Japanese."""


def backed_up_models(registry=None) -> list:
    """Every model whose rows a backup keeps, in an order where a row's foreign keys come before it; of the
    project's models, or of `registry` (the historical models of the migrations applied: `jichitai upgrade`)."""
    chosen = [m for m in (registry or apps).get_models() if m._meta.app_label not in SKIPPED_APPS
              and m._meta.label not in SKIPPED_MODELS and not m._meta.proxy and m._meta.managed]
    return serializers.sort_dependencies([(None, chosen)], allow_cycles=True)


def deletion_order() -> list:
    """backed_up_models reversed, the audit log first: it PROTECTs the municipalities and associations it
    describes, which other deletions would otherwise cascade to."""
    return sorted(reversed(backed_up_models()), key=lambda m: m._meta.label != "audit.AuditEntry")


def applied_migrations(using: str = DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    applied: dict[str, list[str]] = {}
    for app, name in sorted(MigrationRecorder(connections[using]).applied_migrations()):
        applied.setdefault(app, []).append(name)
    return applied


def _rows_from_copy(copy: Path, model) -> Iterator:
    """The model's rows read from an SQLite copy, as instances, converted as Django converts a fetched row."""
    import sqlite3

    connection = connections[DEFAULT_DB_ALIAS]
    fields = list(model._meta.concrete_fields)
    converters = []
    for field in fields:
        column = field.get_col(model._meta.db_table)
        converters.append(connection.ops.get_db_converters(column) + field.get_db_converters(connection))
    quote = connection.ops.quote_name
    # Identifiers come from the model and are quoted.
    sql = (f"SELECT {', '.join(quote(f.column) for f in fields)} FROM {quote(model._meta.db_table)} "  # noqa: S608
           f"ORDER BY {quote(model._meta.pk.column)}")
    source = sqlite3.connect(copy)
    try:
        for raw in source.execute(sql):
            values = []
            for value, field, field_converters in zip(raw, fields, converters, strict=True):
                for convert in field_converters:
                    value = convert(value, field.get_col(model._meta.db_table), connection)
                values.append(value)
            yield model.from_db(DEFAULT_DB_ALIAS, [f.attname for f in fields], values)
    finally:
        source.close()


@contextmanager
def _snapshot() -> Iterator:
    """A function model → rows, every call reading the same consistent snapshot of the live database."""
    connection = connections[DEFAULT_DB_ALIAS]
    if connection.in_atomic_block:  # already inside one transaction: its reads are one snapshot
        yield lambda model: model._base_manager.order_by("pk").iterator(chunk_size=2000)
    elif connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            copy = Path(folder) / "snapshot.sqlite3"
            connection.ensure_connection()
            import sqlite3

            target = sqlite3.connect(copy)
            connection.connection.backup(target)  # SQLite's online backup API: writers are not stopped
            target.close()
            yield lambda model: _rows_from_copy(copy, model)
    else:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield lambda model: model._base_manager.order_by("pk").iterator(chunk_size=2000)


def backup(path: Path, *, actor=None, via: str = "command", registry=None) -> dict:
    """Write the backup file; returns its manifest (tables and counts). With `registry` (the models as the
    applied migrations left them, for a database an upgrade has not migrated yet) the caller audits the backup
    once the audit log's table is current."""
    counts = {}
    with _snapshot() as rows_of, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for model in backed_up_models(registry):
            counter = _Counter(rows_of(model))
            with archive.open(f"data/{model._meta.label}.jsonl", "w") as member, \
                    io.TextIOWrapper(member, encoding="utf-8") as text:
                serializers.serialize("jsonl", counter, stream=text, cls=_LosslessEncoder)
            counts[model._meta.label] = counter.count
        migrations = applied_migrations()
    manifest = {"format": FORMAT, "version": VERSION, "created_at": timezone.now().isoformat(),
                "database": connections[DEFAULT_DB_ALIAS].vendor, "migrations": migrations, "counts": counts}
    with zipfile.ZipFile(path, "a") as archive:
        archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1))
    if registry is None:
        record_operation(actor=actor, via=via, action="backup.create",
                         after={"file": path.name, "rows": sum(counts.values())})
    return manifest


class _LosslessEncoder(DjangoJSONEncoder):
    """Django's encoder cuts datetimes to milliseconds; a backup keeps every microsecond."""

    def default(self, o):
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class _Counter:
    """Passes rows through, counting them (the serializer consumes them once)."""

    def __init__(self, rows):
        self.rows, self.count = rows, 0

    def __iter__(self):
        for row in self.rows:
            self.count += 1
            yield row


def read_manifest(path: Path) -> dict:
    try:
        with zipfile.ZipFile(path) as archive:
            manifest = json.loads(archive.read("manifest.json"))
    except (zipfile.BadZipFile, KeyError, json.JSONDecodeError, OSError) as exc:
        raise BackupError(f"{path.name} は Jichitai のバックアップファイルではありません。") from exc
    if manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
        raise BackupError(f"{path.name} は Jichitai のバックアップファイル（{FORMAT} 第{VERSION}版）ではありません。")
    return manifest


def schema_problem(manifest: dict) -> str | None:
    """Why the file's schema does not match this database's (None when it does)."""
    ours = applied_migrations()
    theirs = manifest["migrations"]
    newer = sorted(f"{app}.{name}" for app, names in theirs.items() for name in names
                   if name not in ours.get(app, []))
    if newer:
        return (f"このバックアップは新しい版の Jichitai で作られています（この版にない移行: {', '.join(newer[:5])}）。"
                "同じ版以降の Jichitai で復元してください。")
    older = sorted(f"{app}.{name}" for app, names in ours.items() for name in names
                   if name not in theirs.get(app, []))
    if older:
        return (f"このバックアップは古い版の Jichitai で作られています（その後の移行: {', '.join(older[:5])}）。"
                "作成した版の Jichitai に復元してから更新してください。")
    return None


def row_counts() -> dict[str, int]:
    return {model._meta.label: model._base_manager.count() for model in backed_up_models()}


@transaction.atomic
def restore(path: Path, *, replace: bool = False, actor=None, via: str = "command") -> dict:
    """Load every row of the file into this database; refuses a database holding data (unless `replace`) and a
    file from another schema. Returns {"expected": counts in the file, "restored": counts after}."""
    manifest = read_manifest(path)
    if problem := schema_problem(manifest):
        raise BackupError(problem)
    models = backed_up_models()
    present = {label: n for label, n in row_counts().items() if n}
    if present and not replace:
        raise BackupError("復元先のデータベースにデータがあります（" + "、".join(f"{k} {v}件" for k, v in list(present.items())[:3])
                          + "）。空のデータベースに復元するか、置き換える場合は --replace を指定してください。")
    connection = connections[DEFAULT_DB_ALIAS]
    if present:
        for model in deletion_order():
            model._base_manager.all().delete()
    with zipfile.ZipFile(path) as archive, connection.constraint_checks_disabled():
        for model in models:
            name = f"data/{model._meta.label}.jsonl"
            if name not in archive.namelist():
                continue
            with archive.open(name) as member, io.TextIOWrapper(member, encoding="utf-8") as text:
                for item in serializers.deserialize("jsonl", text, ignorenonexistent=False):
                    item.save()
    connection.check_constraints(table_names=[m._meta.db_table for m in models])
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    restored = row_counts()
    expected = manifest["counts"]
    if any(restored.get(label, 0) != count for label, count in expected.items()):
        raise BackupError("復元した行数がバックアップと一致しません。何も復元していません。")
    record_operation(actor=actor, via=via, action="backup.restore",
                     after={"file": path.name, "rows": sum(expected.values()), "created_at": manifest["created_at"]})
    return {"expected": expected, "restored": restored, "created_at": manifest["created_at"]}
