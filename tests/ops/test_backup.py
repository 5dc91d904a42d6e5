"""Backup and restore: every row back, refused into a database with data or from another schema."""

import json
import zipfile

import pytest
from django.core.management import CommandError, call_command

from jichitai.audit.models import AuditEntry
from jichitai.demo.builder import build
from jichitai.ops import services
from jichitai.processes.models import ProgressChange


def every_row() -> dict[str, list]:
    """Every backed-up row except the audit entries of the backup and restore themselves."""
    state = {}
    for model in services.backed_up_models():
        rows = model._base_manager.order_by("pk")
        if model is AuditEntry:
            rows = rows.exclude(action__startswith="backup.")
        state[model._meta.label] = list(rows.values_list())
    return state


def empty_the_database():
    for model in services.deletion_order():
        model._base_manager.all().delete()


@pytest.fixture
def demo(db):
    return build(members=2, seed=5)


def test_a_backup_restores_every_row_into_an_empty_database(demo, tmp_path):
    before = every_row()
    assert sum(len(rows) for rows in before.values()) > 2000
    manifest = services.backup(tmp_path / "b.zip")
    assert manifest["counts"]["processes.ProgressChange"] == ProgressChange.objects.count() > 0
    empty_the_database()
    assert sum(services.row_counts().values()) == 0
    result = services.restore(tmp_path / "b.zip")
    assert result["restored"] == result["expected"]
    assert every_row() == before
    assert AuditEntry.objects.filter(action="backup.restore").count() == 1


def test_a_database_with_data_is_refused_unless_replaced(demo, tmp_path):
    services.backup(tmp_path / "b.zip")
    before = every_row()
    with pytest.raises(services.BackupError, match="データがあります"):
        services.restore(tmp_path / "b.zip")
    ProgressChange.objects.all().delete()
    services.restore(tmp_path / "b.zip", replace=True)
    assert every_row() == before


def _rewrite_manifest(path, change):
    with zipfile.ZipFile(path) as archive:
        members = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(members["manifest.json"])
    change(manifest)
    members["manifest.json"] = json.dumps(manifest).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def test_a_backup_from_a_newer_or_older_schema_is_refused(db, tmp_path):
    path = tmp_path / "b.zip"
    services.backup(path)
    empty_the_database()
    _rewrite_manifest(path, lambda m: m["migrations"]["processes"].append("9999_from_the_future"))
    with pytest.raises(services.BackupError, match="新しい版"):
        services.restore(path)
    _rewrite_manifest(path, lambda m: (m["migrations"]["processes"].remove("9999_from_the_future"),
                                       m["migrations"]["audit"].pop()))
    with pytest.raises(services.BackupError, match="古い版"):
        services.restore(path)


def test_not_a_backup_is_refused(db, tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(b"PK not really")
    with pytest.raises(services.BackupError, match="バックアップファイルではありません"):
        services.restore(path)


def test_commands_print_counts_and_exit_2_when_refused(demo, tmp_path, capsys):
    path = tmp_path / "b.zip"
    call_command("backup", "-o", str(path), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["counts"]["orgs.Municipality"] == 2
    with pytest.raises(CommandError) as exc:
        call_command("restore", str(path), "--format", "json")
    assert exc.value.returncode == 2
    assert "データがあります" in json.loads(capsys.readouterr().out)["errors"][0]["message"]
    empty_the_database()
    call_command("restore", str(path), "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["restored"]["orgs.Municipality"] == 2


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_snapshot_comes_from_the_live_database(tmp_path):
    """The command's own path: SQLite's online backup API (or PostgreSQL's REPEATABLE READ), no open transaction."""
    build(members=1, seed=3)
    before = every_row()
    services.backup(tmp_path / "b.zip")
    empty_the_database()
    services.restore(tmp_path / "b.zip")
    assert every_row() == before
