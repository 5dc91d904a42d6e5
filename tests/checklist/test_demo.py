"""The checklist on the demo: every member's counts are the same on the association grid, on its own page, in
the command and in the stored summary; the demo shows each state with a reason; the .xlsx files read back with
the seed's wording and a 和暦 date line; the pages run a fixed number of queries."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from jichitai.checklist import rules
from jichitai.checklist.models import MemberChecklist
from jichitai.core.wareki import format_wareki
from jichitai.demo.builder import build
from tests.conftest import make_user

MEMBERS = 7  # the seventh member has not started its self-assessment (measures.demo)
# session + user + scope + menu, then the evaluation's fixed set (processes, matrix cells and their evidence, PIA
# register, approvals, systems, linkage, staff and attendance, sessions, plan, framework and assessments).
BUDGETS = {"/m/{code}/checklist/": 43, "/m/{code}/checklist.xlsx": 42}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo, built once for the module in a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        result = build(members=MEMBERS, association_name="チェックリスト整合性協議会", with_users=False, seed=2018,
                       first_code_index=500)
        user = make_user("checklist-sec", "secretariat", association=result.association)
        yield result, user
        transaction.set_rollback(True)


def _counts(items) -> list[tuple[str, str, int]]:
    return [(i.id, i.status, len(i.findings)) for i in items]


def test_the_grid_the_member_page_the_command_and_the_summary_agree_for_every_member(client, db, demo, capsys):
    result, user = demo
    client.force_login(user)
    grid = {m.pk: items for m, items in client.get(f"/a/{result.association.pk}/checklist/").context["rows"]}
    assert set(grid) == {m.pk for m in result.municipalities}
    stored = {c.municipality_id: c.items for c in MemberChecklist.objects.filter(municipality__in=result.municipalities)}
    for member in result.municipalities:
        page = _counts(client.get(f"/m/{member.code}/checklist/").context["items"])
        with pytest.raises(SystemExit):  # the demo's members all have something to fix: exit 1
            call_command("checklist", "--municipality", member.code, "--format", "json")
        command = [(i["id"], i["status"], len(i["findings"])) for i in json.loads(capsys.readouterr().out)["items"]]
        assert grid[member.pk] == page == command == stored[member.pk], member.name


def test_the_demo_shows_each_state_with_a_reason(client, db, demo):
    result, user = demo
    client.force_login(user)
    items = [item for member in result.municipalities
             for item in client.get(f"/m/{member.code}/checklist/").context["items"]]
    assert any(i.status == rules.OK for i in items)
    assert any(i.status == rules.NG and all(f.breach for f in i.findings if f.breach) for i in items)
    missing = [i for i in items if i.status == rules.ATTENTION and i.findings
               and all(f.reason == rules.NO_RECORD for f in i.findings)]
    unfinished = [i for i in items if i.status == rules.ATTENTION and i.findings
                  and all(f.reason == rules.UNFINISHED for f in i.findings)]
    assert missing and unfinished
    assert all(f.link for i in items for f in i.findings if f.reason == rules.NO_RECORD)


def test_the_member_page_shows_the_seed_text_and_the_reasons(client, db, demo):
    result, user = demo
    client.force_login(user)
    html = client.get(f"/m/{result.municipalities[MEMBERS - 1].code}/checklist/").content.decode()
    for summary, check in rules.SEED_TEXT.values():
        assert summary in html and check in html
    assert "△ 要確認" in html and "記録なし" in html and "安全管理措置の点検記録がないため確認できません" in html
    assert "確認・修正" in html and f"{format_wareki(timezone.localdate())}現在" in html


def _sheet(content: bytes, name: str = "チェックリスト"):
    return load_workbook(io.BytesIO(content))[name]


def test_the_municipality_export_reads_back(client, db, demo):
    result, user = demo
    client.force_login(user)
    member = result.municipalities[0]
    page_items = client.get(f"/m/{member.code}/checklist/").context["items"]
    response = client.get(f"/m/{member.code}/checklist.xlsx")
    assert response.status_code == 200 and "checklist_" in response["Content-Disposition"]
    sheet = _sheet(response.content)
    assert sheet["A1"].value == f"{member.name} 情報連携後チェックリスト"
    assert sheet["A2"].value.startswith(f"{format_wareki(timezone.localdate())}現在")
    assert [c.value for c in sheet[4]] == ["項目", "概要", "対応チェック", "判定", "指摘"]
    rows = list(sheet.iter_rows(min_row=5, values_only=True))
    assert len(rows) == sum(max(1, len(i.findings)) for i in page_items)
    firsts = [r for r in rows if r[0]]
    assert [r[0] for r in firsts] == [title for _, title in rules.ITEMS]
    assert [(r[1], r[2]) for r in firsts] == [rules.SEED_TEXT[item] for item, _ in rules.ITEMS]
    assert [r[3] for r in firsts] == [rules.status_words(i.status) for i in page_items]
    messages = [r[4] for r in rows]
    first_finding = page_items[1].findings[0]
    assert f"［{first_finding.reason_label}］{first_finding.message}" in messages


def test_the_municipality_export_as_of_a_past_day(client, db, demo):
    result, user = demo
    client.force_login(user)
    response = client.get(f"/m/{result.municipalities[0].code}/checklist.xlsx?as_of=2026-04-01")
    assert _sheet(response.content)["A2"].value.startswith("令和8年4月1日現在")


def test_the_association_export_reads_back(client, db, demo):
    result, user = demo
    client.force_login(user)
    sheet_bytes = client.get(f"/a/{result.association.pk}/checklist.xlsx").content
    sheet = _sheet(sheet_bytes)
    assert sheet["A2"].value.startswith(f"{format_wareki(timezone.localdate())}現在")
    assert [c.value for c in sheet[4]] == ["団体コード", "団体名", *(title for _, title in rules.ITEMS)]
    stored = {c.municipality.code: c.items for c in MemberChecklist.objects.filter(
        municipality__in=result.municipalities).select_related("municipality")}
    for row in sheet.iter_rows(min_row=5, max_row=4 + MEMBERS, values_only=True):
        expected = [rules.status_words(s) + (f"（{n}）" if n else "") for _i, s, n in stored[row[0]]]
        assert list(row[2:]) == expected
    seed = _sheet(sheet_bytes, "項目")
    assert [c.value for c in seed[4]] == ["項目", "概要", "対応チェック"]
    assert [list(r) for r in seed.iter_rows(min_row=5, values_only=True)] == [
        [title, *rules.SEED_TEXT[item]] for item, title in rules.ITEMS]


@pytest.mark.parametrize("path", sorted(BUDGETS))
def test_member_pages_run_a_fixed_number_of_queries(client, db, demo, path):
    """The richest member (the seed's rows, the model process) and the smallest one."""
    result, user = demo
    client.force_login(user)
    counts = {}
    for member in (result.municipalities[0], result.municipalities[-1]):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path.format(code=member.code)).status_code == 200
        counts[member.code] = len(queries)
        assert len(queries) <= BUDGETS[path], "\n".join(q["sql"] for q in queries.captured_queries)
    assert len(set(counts.values())) == 1, counts
