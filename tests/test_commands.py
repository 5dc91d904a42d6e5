"""The command contract of docs/architecture.md and the foundation issue: JSON shapes and exit codes."""

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from openpyxl import load_workbook

from jichitai.core.wareki import format_wareki
from jichitai.demo.builder import seed_workbook
from jichitai.processes.models import LegalBasisItem
from tests.helpers import db_state, progress_sheet


def run(capsys, *args):
    call_command(*args)
    return json.loads(capsys.readouterr().out)


def test_progress_json(capsys, municipality, process):
    data = run(capsys, "progress", "--municipality", municipality.code, "--format", "json")
    assert data["as_of"] == timezone.localdate().isoformat()
    assert data["rows"][0]["process"] == "児童手当事務" and data["rows"][0]["legal_basis"] == "別表81項"
    assert set(data["rows"][0]["cells"].values()) == {"not_started"}


def test_progress_rebuild_rebuilds_the_current_cells(capsys, municipality, process):
    from jichitai.processes.models import ProgressCell
    from jichitai.processes.services import set_progress

    set_progress(actor=None, via="command", process=process, column="ordinance", status="done")
    ProgressCell.objects.all().delete()
    assert run(capsys, "progress", "--rebuild", "--format", "json") == {"ok": True, "cells": 1}
    assert list(ProgressCell.objects.values_list("column", "status")) == [("ordinance", "done")]
    call_command("progress", "--rebuild")
    assert "再構築しました（1 セル）" in capsys.readouterr().out


def test_evaluate_members_updates_the_stored_summaries(capsys, association, municipality, process):
    from jichitai.checklist.models import MemberChecklist
    from jichitai.processes.models import MemberEvaluation, MemberProgress

    data = run(capsys, "evaluate-members", "--association", str(association.pk), "--workers", "1", "--format", "json")
    assert (data["ok"], data["state"], data["members"]) == (True, "done", 1)
    assert MemberProgress.objects.get(municipality=municipality).processes == 1
    assert MemberChecklist.objects.filter(municipality=municipality).exists()
    assert MemberEvaluation.objects.get(pk=data["run"]).association == association
    call_command("evaluate-members")  # two workers asked for, one used inside the test's transaction
    assert "1 団体の集計を更新しました" in capsys.readouterr().out
    with pytest.raises(CommandError) as exc:
        call_command("evaluate-members", "--association", "999999", "--format", "json")
    assert exc.value.returncode == 2


@pytest.mark.django_db(transaction=True)  # the worker processes read what the test wrote
def test_evaluate_members_in_two_processes_writes_every_summary(capsys, association, municipality, process):
    """Two forked processes on PostgreSQL; on the tests' in-memory SQLite (one process's memory) one process."""
    from jichitai.orgs.models import Municipality
    from jichitai.processes.models import MemberProgress, Process

    for i in range(5):
        member = Municipality.objects.create(code=f"99{300 + i}"[:5] + "0", name=f"並列{i}", association=association)
        Process.objects.create(municipality=member, name="事務")
    data = run(capsys, "evaluate-members", "--association", str(association.pk), "--workers", "2", "--format", "json")
    assert (data["ok"], data["members"]) == (True, 6)
    assert MemberProgress.objects.filter(municipality__association=association, processes=1).count() == 6


@pytest.mark.parametrize("args", [["--municipality", "131017"], ["--municipality", "992011", "--as-of", "2999-01-01"],
                                  ["--municipality", "992011", "--as-of", "いつか"]])
def test_progress_invalid_input_exits_2_with_json(capsys, municipality, args):
    with pytest.raises(CommandError) as exc:
        call_command("progress", *args, "--format", "json")
    assert exc.value.returncode == 2
    assert json.loads(capsys.readouterr().out)["ok"] is False


def test_import_json_success_and_dry_run(capsys, tmp_path, municipality, beppyo):
    path = tmp_path / "seed.xlsx"
    path.write_bytes(seed_workbook(dt.date(2025, 4, 1)))
    before = db_state()
    data = run(capsys, "import", str(path), "--municipality", municipality.code, "--dry-run", "--format", "json")
    assert data["ok"] is True and data["sheets"][0] | {} == {
        "sheet": "進捗状況", "kind": "progress", "rows": 12, "created": 12, "updated": 0}
    assert db_state() == before
    data = run(capsys, "import", str(path), "--municipality", municipality.code, "--format", "json")
    assert data["ok"] and data["errors"] == [] and len(data["warnings"]) >= 7


def test_import_with_errors_exits_2_and_writes_nothing(capsys, tmp_path, municipality, process):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(progress_sheet([["児童手当事務", "済", "", "", "", "", ""]]))
    before = db_state()
    with pytest.raises(SystemExit) as exc:
        call_command("import", str(path), "--municipality", municipality.code, "--format", "json")
    assert exc.value.code == 2
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["errors"][0]["cell"] == "B6"
    assert db_state() == before


def test_import_wrong_check_digit_municipality_exits_2(municipality, tmp_path):
    path = tmp_path / "x.xlsx"
    path.write_bytes(progress_sheet([]))
    with pytest.raises(CommandError) as exc:
        call_command("import", str(path), "--municipality", municipality.code[:5] + "0")
    assert exc.value.returncode == 2 and "チェックデジット" in str(exc.value)


def test_export_progress_reads_back_like_the_seed(tmp_path, municipality, process, capsys):
    out = tmp_path / "progress.xlsx"
    call_command("export", "progress", "--municipality", municipality.code, "-o", str(out))
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "テスト市 業務フロー等進捗状況"
    assert sheet["H2"].value == f"{format_wareki(timezone.localdate())}現在"
    assert sheet["H3"].value == "〇完了 △着手 ×未着手 -不要"
    assert [c.value for c in sheet[5]] == ["個人番号利用事務", "業務フロー", "特定個人情報", "リスク評価",
                                          "関連情報連携洗出", "条例案上程", "PIA提出", "法的根拠"]
    assert [c.value for c in sheet[6]] == ["児童手当事務", "×", "×", "×", "×", "×", "×", "別表81項"]
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.print_title_rows == "$5:$5"


def test_exported_sheet_imports_back_without_changes(tmp_path, municipality, process, capsys):
    out = tmp_path / "progress.xlsx"
    call_command("export", "progress", "--municipality", municipality.code, "-o", str(out))
    capsys.readouterr()
    before = db_state()
    data = run(capsys, "import", str(out), "--municipality", municipality.code, "--format", "json")
    assert data["ok"] and data["sheets"][0]["rows"] == 1 and data["sheets"][0]["updated"] == 0
    assert db_state() == before


def test_loadreference_is_idempotent(capsys, db):
    first = run(capsys, "loadreference", "--format", "json")["beppyo"]
    assert first["created"] == 220 and first["total"] == 220
    before = db_state()
    second = run(capsys, "loadreference", "--format", "json")["beppyo"]
    assert second["created"] == 0 and second["updated"] == 0
    assert db_state() == before
    assert LegalBasisItem.objects.get(item="二の二").item_arabic == "2-2"


def test_demo_contract_and_idempotence(capsys, db):
    data = run(capsys, "demo", "--no-server", "--format", "json")
    assert data["url"] == "http://127.0.0.1:8000/" and data["association"] == {"name": "A県市町村振興協会"}
    assert len(data["municipalities"]) == 29
    roles = {(u["role"], u["scope"]) for u in data["users"]}
    assert ("secretariat_admin", "A県市町村振興協会") in roles
    assert {"admin", "viewer"} <= {u["role"] for u in data["users"] if u["scope"] == data["municipalities"][1]["code"]}
    before = db_state()
    assert run(capsys, "demo", "--no-server", "--format", "json") == data
    assert db_state() == before


def test_real_cli_exit_codes(tmp_path):
    """The installed console script, in its own SQLite database: 0 on success, 2 on invalid input."""
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(JICHITAI_DEBUG="1", JICHITAI_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="jichitai.settings")
    cli = [sys.executable, "-m", "jichitai.cli"]
    demo = subprocess.run([*cli, "demo", "--no-server", "--format", "json"], env=env, capture_output=True, text=True,
                          check=False)
    assert demo.returncode == 0, demo.stderr
    code = json.loads(demo.stdout)["municipalities"][0]["code"]
    progress = subprocess.run([*cli, "progress", "--municipality", code, "--format", "json"], env=env,
                              capture_output=True, text=True, check=False)
    assert progress.returncode == 0 and json.loads(progress.stdout)["municipality"] == code
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"garbage")
    result = subprocess.run([*cli, "import", str(bad), "--municipality", code, "--format", "json"], env=env,
                            capture_output=True, text=True, check=False)
    assert result.returncode == 2 and json.loads(result.stdout)["ok"] is False
