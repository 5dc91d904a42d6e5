"""The commands speak Japanese (issue 13): each domain command is run in text mode on a small municipality and its
output (and the message of a refusal) may hold no English word outside the pages' allow-list, option names
(--dry-run) and file paths. With --format json the keys stay English (tests/test_commands.py checks the shapes)."""

import datetime as dt
import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from jichitai.audit.services import record
from jichitai.demo.builder import seed_workbook
from jichitai.orgs.services import ROLE_LABELS
from tests.test_japanese_pages import problems

OPTION_OR_PATH = re.compile(r"--?[a-z][a-z-]*|\S*/\S*|jt_\w+")


def run(*args) -> str:
    """The command's text output (stdout and stderr) and, when it refuses, its message."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        err.write(str(exc))
    except SystemExit:
        pass
    return out.getvalue() + "\n" + err.getvalue()


def english(text: str) -> list[str]:
    return problems(OPTION_OR_PATH.sub(" ", text))


@pytest.fixture
def commands(tmp_path, municipality, association, process, admin_user, department):
    seed = tmp_path / "seed.xlsx"
    seed.write_bytes(seed_workbook(dt.date(2025, 4, 1)))
    record(actor=None, via="command", action="municipality.update", obj=municipality, municipality=municipality)
    code = municipality.code
    return [
        ("progress", "--municipality", code), ("progress", "--rebuild"),
        ("checklist", "--municipality", code),
        ("import", str(seed), "--municipality", code, "--dry-run"),
        ("import", str(tmp_path / "missing.xlsx"), "--municipality", code),
        ("export", "progress", "--municipality", code, "-o", str(tmp_path / "p.xlsx")),
        ("risk", "--municipality", code),
        ("audit", "verify"), ("audit", "verify", "--municipality", code),
        ("apitoken", "admin"), ("apitoken", "--list", "admin"),
        ("user", "list", "--municipality", code),
        ("pia-threshold", "--persons", "1500", "--handlers", "30"),
        ("incident-duty", "--known-at", "2026-04-01", "--persons", "120"),
        ("priorities", "--association", association.name),
        ("cloud-align", "--association", association.name, "--category", "住基"),
        ("evaluate-members", "--association", str(association.pk), "--workers", "1"),
        ("backup", "-o", str(tmp_path / "backup.zip")),
        ("progress", "--municipality", "000000"),
    ]


def test_every_command_answers_in_japanese(commands, beppyo):
    failures = []
    for args in commands:
        text = run(*args)
        if found := english(text):
            failures.append(f"{' '.join(args)}: {found}\n{text[:300]}")
    assert not failures, "\n".join(failures)


def test_json_keys_stay_english(municipality, process):
    out = io.StringIO()
    call_command("progress", "--municipality", municipality.code, "--format", "json", stdout=out)
    assert {"municipality", "as_of", "rows"} <= set(json.loads(out.getvalue()))


def test_checklist_verdicts_are_bracketed_in_japanese(municipality, process, beppyo):
    text = run("checklist", "--municipality", municipality.code)
    assert "［△ 要確認］" in text and "[ATTENTION" not in text and "[OK" not in text


def test_demo_logins_name_the_roles_in_japanese():
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", label) for label in ROLE_LABELS.values())


DJANGO_OPTIONS = {"help", "version", "verbosity", "settings", "pythonpath", "traceback", "no_color", "force_color",
                  "skip_checks"}


def _own_commands() -> dict[str, str]:
    from django.core.management import get_commands

    return {name: app for name, app in get_commands().items() if app.startswith("jichitai")}


def test_every_command_explains_itself_in_japanese():
    """`jichitai <command> --help`: the command's description and each of its own options (Django's are its own)."""
    from django.core.management import load_command_class

    japanese = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
    missing = []
    for name, app in sorted(_own_commands().items()):
        command = load_command_class(app, name)
        if not japanese.search(command.help or ""):
            missing.append(f"{name}: help")
        parsers = [command.create_parser("jichitai", name)]
        for parser in parsers:
            for action in parser._actions:
                if getattr(action, "choices", None) and isinstance(action.choices, dict):  # sub-commands
                    parsers += list(action.choices.values())
                    continue
                if action.dest in DJANGO_OPTIONS:
                    continue
                if not japanese.search(action.help or ""):
                    missing.append(f"{name}: {'/'.join(action.option_strings) or action.dest}")
    assert not missing, missing
