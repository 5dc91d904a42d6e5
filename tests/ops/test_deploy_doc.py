"""docs/deploy.md is followed literally (issue 15): every `jichitai …` command line in it names a command that
exists and parses with that command's own options."""

import re
import shlex
from pathlib import Path

import pytest
from django.core.management import get_commands, load_command_class

DOC = Path(__file__).resolve().parents[2] / "docs" / "deploy.md"
# Command lines run as written (`sudo jichitai …`, `/opt/jichitai/bin/jichitai …`), up to a comment or quote, and
# commands named in the text (`jichitai backup`), whose options are not all written.
COMMAND = re.compile(r"(sudo |/opt/jichitai/bin/|`)jichitai ([^`#'\n]+)")
# The wrapper script passes its arguments on ("$@"); the text calls any command `sudo jichitai …`.
PLACEHOLDERS = {'"$@"', "…"}


def command_lines() -> list[str]:
    """Full command lines, and names alone (prefixed with "name:") for commands the text only names."""
    found = []
    for match in COMMAND.finditer(DOC.read_text(encoding="utf-8")):
        line = re.sub(r"\$\$\(date [^)]*\)", "20261205", match.group(2).strip())  # the backup unit's file name
        if line in PLACEHOLDERS:
            continue
        found.append(f"name:{line.split()[0]}" if match.group(1) == "`" else line)
    return found


def test_the_document_has_the_commands_of_the_issue():
    names = {shlex.split(line.removeprefix("name:"))[0] for line in command_lines()}
    assert {"migrate", "loadreference", "user", "serve", "upgrade", "backup", "restore", "check"} <= names


@pytest.mark.parametrize("line", sorted(set(command_lines())))
def test_every_command_line_exists_and_parses(line):
    name, *args = shlex.split(line.removeprefix("name:"))
    commands = get_commands()
    assert name in commands, f"docs/deploy.md: jichitai {name} does not exist"
    if line.startswith("name:") or args == ["--help"]:
        return
    command = load_command_class(commands[name], name)
    parser = command.create_parser("jichitai", name)
    args = ["FILE" if arg.startswith("ファイル") else arg for arg in args]
    parser.parse_args(args)  # exits (SystemExit) on an unknown option or a missing argument
