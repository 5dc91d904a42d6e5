"""The audit log in words (audit/labels.py): every action written in the source has a Japanese name, and before/after
read as 「項目: 前 → 後」 with the fields' Japanese names, choices by label and yes/no for booleans."""

import ast
import itertools
import re
from pathlib import Path

from django.utils import translation

import jichitai
from jichitai.audit import labels
from jichitai.audit.models import AuditEntry
from jichitai.audit.services import record

SOURCE = Path(jichitai.__file__).parent
ACTION_CODE = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)*$")
DOTTED = re.compile(r"^[a-z][a-z_]*(\.[a-z][a-z_]*)+$")
NOT_ACTIONS = ("jichitai.", "django_otp.")
FILE_SUFFIXES = {"json", "xml", "xlsx", "csv", "zip", "docx", "ics", "txt", "html", "py", "gz", "sqlite3"}


def _strings(node) -> list[str]:
    """The strings an expression can be: a constant, either branch of `a if c else b`, an f-string of those."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _strings(node.body) + _strings(node.orelse)
    if isinstance(node, ast.JoinedStr):
        parts = []
        for value in node.values:
            options = [value.value] if isinstance(value, ast.Constant) else _strings(value.value)
            if not options:
                return []  # built from a variable: the strings its callers pass are collected where they are written
            parts.append(options)
        return ["".join(p) for p in itertools.product(*parts)]
    return []


def written_actions() -> dict[str, str]:
    """Every action string in the source: `action=` arguments (and `noun=` of save_audited, which appends .create
    and .update), and dotted lower-case strings passed positionally in services and demo modules (helpers such as
    planning's _created take the action as an argument)."""
    found = {}
    for path in SOURCE.rglob("*.py"):
        if "migrations" in path.parts or "tests" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        writer = path.name.endswith("services.py") or path.name in ("demo.py", "builder.py")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            if isinstance(node.func, ast.Attribute) and node.func.attr == "add_argument":
                continue  # argparse's action="store_true"
            if isinstance(node.func, ast.Attribute) and node.func.attr == "create_record":
                continue  # a handling record's action (取得・利用・提供…), a field of the record, not an audit action
            for keyword in node.keywords:
                if keyword.arg == "action":
                    found.update({s: str(path) for s in _strings(keyword.value) if ACTION_CODE.match(s)})
                elif keyword.arg == "noun":
                    found.update({f"{s}.{verb}": str(path) for s in _strings(keyword.value)
                                  for verb in ("create", "update")})
            if writer:
                for argument in node.args:
                    found.update({s: str(path) for s in _strings(argument)
                                  if DOTTED.match(s) and not s.startswith(NOT_ACTIONS)
                                  and s.rsplit(".", 1)[1] not in FILE_SUFFIXES})
    return found


def test_the_scan_finds_the_actions_written_in_every_way():
    actions = written_actions()
    assert {"membership.grant", "logout", "plan_item.update", "pia.file.create", "workshop.create",
            "handling.create"} <= set(actions)


def test_every_action_in_the_source_has_a_japanese_name():
    unnamed = {code: where for code, where in written_actions().items() if not labels.is_named(code)}
    assert not unnamed, f"add these to jichitai/audit/labels.py (ACTIONS, or SUBJECTS and VERBS): {unnamed}"


def test_names_and_filter_groups_are_japanese():
    assert labels.action_label("membership.grant") == "権限の付与"
    assert labels.action_label("staff.update") == "職員の変更"
    assert labels.action_label("pia.file.create") == "特定個人情報ファイルの登録"
    latin = re.compile(r"[A-Za-z]{2,}")
    for prefix, name in labels.action_groups():
        assert not latin.search(name.replace("API", "").replace("KPI", "").replace("PIA", "")), (prefix, name)


def test_changes_read_as_field_before_and_after(db, municipality, department):
    from jichitai.orgs.models import Staff

    staff = Staff.objects.create(municipality=municipality, staff_number="S1", name="佐藤 花子", role="handler")
    entry = record(actor=None, via="web", action="staff.update", obj=staff, municipality=municipality,
                   before={"name": "佐藤 花子", "role": "handler", "active": True, "department": None},
                   after={"name": "佐藤 花子", "role": "legal", "active": False, "department": str(department)})
    with translation.override("ja"):  # the labels as a Japanese page shows them, whatever an earlier test left active
        text = labels.changes_text(AuditEntry.objects.get(pk=entry.pk))
        role = Staff._meta.get_field("role")
        handler, manager = (str(dict(role.flatchoices)[code]) for code in ("handler", "legal"))
        assert f"{role.verbose_name}: {handler} → {manager}" in text
    assert "はい → いいえ" in text and f"（なし） → {department}" in text
    assert "佐藤" not in text  # unchanged fields are left out
    assert "{" not in text and "True" not in text and "None" not in text


def test_a_creation_lists_its_values_and_the_command_line_is_the_system(db, municipality):
    entry = record(actor=None, via="command", action="progress.set", obj=municipality, municipality=municipality,
                   before={"column": "業務フロー", "status": "not_started"},
                   after={"column": "業務フロー", "status": "done", "effective_on": "2026-04-01"})
    text = labels.changes_text(entry)
    assert "未着手 → 完了" in text and "令和8年4月1日" in text and "項目: 業務フロー\n" in text
    assert labels.actor_text(entry) == "システム"
    created = record(actor=None, via="web", action="backup.create", obj=municipality, after={"file": "a.zip"})
    assert labels.changes_text(created) == "ファイル: a.zip"


def test_fiscal_years_read_in_the_era_and_plain_numbers_stay_numbers():
    from jichitai.cloud.models import BusinessSystem, CloudPlan
    from jichitai.training.models import TrainingPlan

    assert labels.value_text(2026, BusinessSystem._meta.get_field("contract_end_fy")) == "令和8年度"
    assert labels.value_text(2020, CloudPlan._meta.get_field("start_fy")) == "令和2年度"
    assert labels.value_text(2018, TrainingPlan._meta.get_field("fiscal_year")) == "平成30年度"
    assert labels.value_text(2026, BusinessSystem._meta.get_field("re_lease_years")) == "2026"
