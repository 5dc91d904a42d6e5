"""The cloud model plan as the seed's B機関 plan draws it (issue 14): every path and phase of the demo plan on
screen and in the .xlsx, cell by cell; a plan that knows the inventory it was computed from."""

import datetime as dt
import io
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jichitai.audit.models import AuditEntry
from jichitai.cloud import demo, queries, rules, services
from jichitai.cloud.models import BusinessSystem, CloudPlan
from jichitai.orgs.scoping import COMMAND_LINE
from tests.cloud.test_command_and_pages import add_members

TODAY = dt.date(2026, 6, 1)  # 令和8年度


@pytest.fixture
def demo_plan(association, municipality):
    members = [municipality, *add_members(association, 4)]
    demo.populate(association, members, TODAY, random.Random(1))  # noqa: S311 - reproducible demo data
    return CloudPlan.objects.get(), members


def plan_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content))["クラウドモデルプラン"]
    return [[("" if v is None else v) for v in row] for row in sheet.iter_rows(values_only=True)]


def test_demo_plan_shows_every_path(demo_plan):
    plan, members = demo_plan
    paths = {(m["code"], m["system"]): m["path"] for m in plan.result["members"]}
    assert set(paths.values()) == set(rules.PATHS)
    assert paths[(members[0].code, "住民記録システム")] == rules.JOINED
    # Member 1 has three 住基 systems: a row each, with their own names.
    assert sorted(s for code, s in paths if code == members[1].code) == ["住民記録システム", "住登外管理システム",
                                                                          "印鑑登録システム"]
    assert plan.inventory and plan.parameters == {"as_of_fy": 2026, "lead_time": 2, "interim_years": 5}


def test_every_phase_on_screen_and_in_the_xlsx(client_for, secretariat_user, association, demo_plan):
    plan, _members = demo_plan
    client = client_for(secretariat_user)
    page = client.get(f"/a/{association.pk}/cloud/plans/{plan.pk}/").content.decode()
    rows = plan_rows(client.get(f"/a/{association.pk}/cloud/plans/{plan.pk}.xlsx").content)
    body = rows[4:next(i for i, row in enumerate(rows) if row[0] == "凡例")]  # the plan, not its legend
    cells = {value for row in body for value in row[5:]}
    for phase in rules.PHASES:
        assert f'">{phase}</td>' in page, phase
        assert phase in cells, phase
    assert "既加入（継続）" in page and "凡例" in page


def test_two_members_cell_by_cell(client_for, secretariat_user, association, demo_plan):
    plan, members = demo_plan
    content = client_for(secretariat_user).get(f"/a/{association.pk}/cloud/plans/{plan.pk}.xlsx").content
    rows = plan_rows(content)
    assert rows[0][0] == "クラウドモデルプラン　住基共同クラウド（住基）"
    assert rows[3][:9] == ["団体", "システム名", "想定クラウド先", "参加の形", "区分", "令和8年度（2026年度）",
                           "令和9年度（2027年度）", "令和10年度（2028年度）", "令和11年度（2029年度）"]
    start = plan.result["start_fy"]
    assert start == 2029

    def member_rows(code, system):
        first = next(i for i, row in enumerate(rows) if row[0].startswith(code) and row[1] == system)
        return rows[first], rows[first + 1]

    # Member 0 is already in the joint cloud: 継続 every year; it recruits while the newcomers prepare.
    state, work = member_rows(members[0].code, "住民記録システム")
    assert state[3].startswith("既加入（継続）") and state[4] == "状態" and work[4] == "推進作業"
    assert set(state[5:]) == {"継続"}
    assert work[5:10] == ["新規候補団体募集支援"] * 3 + ["", ""]
    # Member 2's contract ends 2027 with 3 re-lease years: it re-leases 2028 and joins at the start.
    state, work = member_rows(members[2].code, "住民記録システム")
    assert state[3] == "同時参加（再リースで調整）（新クラウド 令和11年度（2029年度））"
    assert state[5:11] == ["現行システム", "現行システム", "再リース", "新クラウド導入", "本稼動", "本稼動"]
    assert work[5:11] == ["業務整理・標準化整理", "仕様作成", "調達", "移行", "新規候補団体募集支援", ""]
    sheet = load_workbook(io.BytesIO(content))["クラウドモデルプラン"]
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A3) and sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows == "$4:$4"  # the year headers on every page
    fill = sheet.cell(row=rows.index(state) + 1, column=8).fill.fgColor.rgb
    assert fill.endswith("FFE7B3")  # 再リース's colour, as on screen


def test_a_changed_inventory_is_shown_and_recomputed(client_for, secretariat_user, association, demo_plan):
    plan, members = demo_plan
    client = client_for(secretariat_user)
    url = f"/a/{association.pk}/cloud/plans/{plan.pk}/"
    assert "システム一覧が計画の作成後に変わっています" not in client.get(url).content.decode()
    system = BusinessSystem.objects.get(municipality=members[2], name="住民記録システム")
    services.save_system(actor=None, via="command", municipality=members[2], system=system, contract_end_fy=2032,
                         re_lease_years=0)  # it now runs past the start: 後続参加
    page = client.get(url).content.decode()
    assert "システム一覧が計画の作成後に変わっています" in page
    assert "<td>契約終了年度</td><td>令和9年度（2027年度）</td><td>令和14年度（2032年度）</td>" in page
    assert "<td>参加の形</td><td>同時参加（再リースで調整）</td><td>後続参加</td>" in page
    before = plan.result
    response = client.post(f"{url}recompute/")
    assert response.status_code == 302
    plan.refresh_from_db()
    joined = {(m["code"], m["system"]): m for m in plan.result["members"]}
    assert joined[(members[2].code, "住民記録システム")]["join_fy"] == 2033 and plan.result != before
    entry = AuditEntry.objects.get(action="cloud_plan.recompute")
    assert entry.before["start_fy"] == 2029 and entry.via == "web"
    assert "システム一覧が計画の作成後に変わっています" not in client.get(url).content.decode()


def test_a_plan_saved_before_the_inventory_was_kept_says_so(client_for, secretariat_user, association, municipality):
    BusinessSystem.objects.create(municipality=municipality, name="住記", category="住基", contract_end_fy=2028)
    plan = CloudPlan.objects.create(association=association, name="旧計画", category="住基", start_fy=2029,
                                    result={"category": "住基", "start_fy": 2029, "members": []})
    plan.members.add(municipality)
    page = client_for(secretariat_user).get(f"/a/{association.pk}/cloud/plans/{plan.pk}/").content.decode()
    assert "作成時のシステム一覧を記録していません（要確認）" in page and "今のシステム一覧で再計算する" in page


def test_members_without_systems_cannot_recompute(client_for, secretariat_user, association, municipality):
    plan = CloudPlan.objects.create(association=association, name="空", category="住基", start_fy=2029,
                                    result={"category": "住基", "start_fy": 2029, "members": []})
    plan.members.add(municipality)
    client = client_for(secretariat_user)
    response = client.post(f"/a/{association.pk}/cloud/plans/{plan.pk}/recompute/", follow=True)
    assert "この分類のシステムがありません" in response.content.decode()
    assert not AuditEntry.objects.filter(action="cloud_plan.recompute").exists()


def test_plan_page_and_export_run_fixed_queries(client_for, secretariat_user, association, municipality):
    client = client_for(secretariat_user)
    counts = []
    for size, start in ((2, 400), (12, 420)):
        members = add_members(association, size, start=start)
        for m in members:
            for n in range(3):
                BusinessSystem.objects.create(municipality=m, name=f"住記{n}", category="住基",
                                              contract_end_fy=2027 + n)
        systems = queries.systems(COMMAND_LINE, municipalities=members, category="住基")
        result, inventory = queries.compute_alignment(systems, "住基", {"as_of_fy": 2026, "lead_time": 2,
                                                                       "interim_years": 5})
        plan = services.save_plan(actor=None, via="command", association=association, members=members,
                                  result=result, inventory=inventory, name=f"計画{size}", category="住基",
                                  start_fy=result["start_fy"])
        BusinessSystem.objects.filter(municipality=members[0]).update(contract_end_fy=2035)  # stale: changes shown
        measured = []
        for path in (f"/a/{association.pk}/cloud/plans/{plan.pk}/", f"/a/{association.pk}/cloud/plans/{plan.pk}.xlsx"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path).status_code == 200
            measured.append(len(captured))
        counts.append(measured)
    assert counts[0] == counts[1], counts


def test_the_plan_workbook_ends_with_its_cost_comparison(client_for, secretariat_user, association, demo_plan):
    plan, members = demo_plan
    content = client_for(secretariat_user).get(f"/a/{association.pk}/cloud/plans/{plan.pk}.xlsx").content
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["クラウドモデルプラン", "経費比較"]
    texts = {str(v) for row in book["経費比較"].iter_rows(values_only=True) for v in row if v is not None}
    assert all(any(m.name in t for t in texts) for m in members)
    assert any("均等割" in t for t in texts)  # the demo plan shares by 均等割と人口割の併用
