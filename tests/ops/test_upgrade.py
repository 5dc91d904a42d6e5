"""`jichitai upgrade` (issue 15): a backup of the database as it is, migrate, the audit chain verified; exit 1
when the chain is broken. The backup of a database that lacks this version's migrations is read through the
models of the migrations it has (the old version's schema), and the upgrade then applies them."""

import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from jichitai.audit.models import AuditEntry
from jichitai.audit.services import record
from jichitai.cloud.models import BusinessSystem
from jichitai.ops.schema import pending_migrations


def upgrade(capsys, *args) -> tuple[int, str]:
    try:
        call_command("upgrade", *args)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, capsys.readouterr().out


def manifest(path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


@pytest.mark.django_db
def test_an_upgrade_with_nothing_to_migrate_backs_up_and_verifies(capsys, tmp_path, municipality):
    record(actor=None, via="command", action="municipality.update", obj=municipality, municipality=municipality)
    code, out = upgrade(capsys, "-o", str(tmp_path / "before.zip"))
    assert code == 0, out
    assert manifest(tmp_path / "before.zip")["counts"]["orgs.Municipality"] == 1
    assert f"更新前のバックアップ: {tmp_path / 'before.zip'}" in out
    assert "移行: 適用する移行はありませんでした。" in out and "ハッシュチェーンは完全です" in out
    assert AuditEntry.objects.filter(action="backup.create").count() == 1


@pytest.mark.django_db
def test_a_broken_chain_exits_1_and_names_the_entry(capsys, tmp_path, municipality):
    entries = [record(actor=None, via="command", action="municipality.update", obj=municipality,
                      municipality=municipality, after={"n": n}) for n in range(3)]
    AuditEntry.objects.filter(pk=entries[1].pk).update(after={"n": "書き換え"})
    code, out = upgrade(capsys, "-o", str(tmp_path / "before.zip"), "--format", "json")
    assert code == 1
    answer = json.loads(out)
    assert (answer["ok"], answer["entry"]["id"], answer["reason"]) == (False, entries[1].pk, "changed")
    assert (tmp_path / "before.zip").is_file()
    code, out = upgrade(capsys, "-o", str(tmp_path / "again.zip"))
    assert code == 1 and "改ざんを検出しました（改変）" in out and f"#{entries[1].pk}" in out


@pytest.mark.django_db
def test_an_existing_file_or_a_missing_folder_is_refused(tmp_path):
    (tmp_path / "taken.zip").write_bytes(b"")
    for target in (tmp_path / "taken.zip", tmp_path / "no" / "such.zip"):
        with pytest.raises(CommandError) as refused:
            call_command("upgrade", "-o", str(target))
        assert refused.value.returncode == 2
    assert (tmp_path / "taken.zip").read_bytes() == b""


@pytest.mark.django_db
def test_the_default_file_is_in_the_data_folder(capsys, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    code, out = upgrade(capsys)
    assert code == 0
    [made] = (tmp_path / "backups").glob("jichitai-before-upgrade-*.zip")
    assert str(made) in out


@pytest.mark.django_db(transaction=True)
def test_a_database_of_the_previous_version_is_backed_up_as_it_is_then_migrated(capsys, tmp_path, municipality):
    BusinessSystem.objects.create(municipality=municipality, name="住民記録システム", category="住基",
                                  contract_end_fy=2028)
    call_command("migrate", "cloud", "0002", verbosity=0)  # the database of the version before cloud 0003
    try:
        assert "cloud.0003_planning_fidelity" in pending_migrations()
        with connection.cursor() as cursor:
            columns = [c.name for c in connection.introspection.get_table_description(cursor, "cloud_businesssystem")]
        assert "annual_cost" not in columns
        code, out = upgrade(capsys, "-o", str(tmp_path / "before.zip"))
    finally:
        call_command("migrate", verbosity=0)
    assert code == 0, out
    assert pending_migrations() == []
    assert "0003_planning_fidelity" not in manifest(tmp_path / "before.zip")["migrations"]["cloud"]
    with zipfile.ZipFile(tmp_path / "before.zip") as archive:
        [system] = [json.loads(line) for line in archive.read("data/cloud.BusinessSystem.jsonl").splitlines()]
    assert system["fields"]["name"] == "住民記録システム"
    assert "annual_cost" not in system["fields"]  # the old version's columns: its restore reads the file
    assert "移行: " in out and "件を適用しました。" in out and "ハッシュチェーンは完全です" in out
    assert ("cloud", "0003_planning_fidelity") in MigrationRecorder(connection).applied_migrations()
    assert AuditEntry.objects.filter(action="backup.create").count() == 1
