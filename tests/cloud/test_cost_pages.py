"""The 経費比較 page, its form and its sheet: values shown, the secretariat's save, query budgets at two sizes."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jichitai.audit.models import AuditEntry
from jichitai.cloud.models import CloudPlan
from jichitai.core.codes import with_check_digit
from jichitai.orgs.models import Municipality

# session + user + association + the plan + its members (+ the menu's read of the user's roles)
BUDGETS = {"page": 6, "export": 5}


def make_plan(association, members, **fields) -> CloudPlan:
    inventory, result = [], []
    for n, member in enumerate(members):
        inventory.append({"code": member.code, "name": "住民記録システム", "category": "住基", "contract_end_fy": 2027,
                          "re_lease_years": 2, "early_termination": False, "hosting": "on_premises",
                          "annual_cost": 8000 - 1000 * (n % 4), "initial_cost": 30000, "re_lease_annual_cost": None})
        result.append({"code": member.code, "system": "住民記録システム", "join_fy": 2029, "path": "aligned",
                       "re_lease_years": 1, "phases": {}})
    plan = CloudPlan.objects.create(association=association, name="住基クラウド", category="住基", start_fy=2029,
                                    result={"category": "住基", "start_fy": 2029, "members": result},
                                    inventory=inventory, **fields)
    plan.members.set(members)
    return plan


def add_members(association, count, start=400):
    return [Municipality.objects.create(code=with_check_digit(f"99{start + n:03d}"), name=f"町{n}",
                                        association=association, population=1000 * (n + 1)) for n in range(count)]


@pytest.fixture
def two(association, municipality):
    municipality.population = 30000
    municipality.save()
    second = Municipality.objects.create(code=with_check_digit("99202"), name="隣の町", association=association,
                                         population=10000)
    return [municipality, second]


def test_the_page_shows_shares_savings_and_the_chart(client_for, secretariat_user, association, two):
    plan = make_plan(association, two, joint_initial_cost=2000, joint_annual_cost=9000, share_rule="population")
    response = client_for(secretariat_user).get(f"/a/{association.pk}/cloud/plans/{plan.pk}/costs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "人口割（人口に比例）" in html
    assert "75.00％" in html and "25.00％" in html
    assert "6,750" in html and "2,250" in html  # annual shares 3 : 1
    assert "1,250" in html  # テスト市: 8,000 − 6,750
    assert "<svg" in html and "<script" not in html.split("<svg")[1].split("</svg>")[0]
    assert 'name="share_rule"' in html and 'type="radio"' in html
    # re-lease one year at the annual cost (8,000) against renewal 30,000 + 8,000
    assert "38,000" in html and "30,000" in html


def test_missing_data_is_shown_as_to_be_checked(client_for, secretariat_user, association, municipality):
    plan = CloudPlan.objects.create(association=association, name="古い計画", category="住基", start_fy=2029,
                                    share_rule="population", result={"members": []})
    plan.members.add(municipality)  # no population, no snapshot, no estimate
    html = client_for(secretariat_user).get(f"/a/{association.pk}/cloud/plans/{plan.pk}/costs/").content.decode()
    assert "要確認（経費データなし）" in html
    assert "人口が未登録です" in html and "共同クラウドの年間経費が未入力です" in html


def test_the_secretariat_saves_the_estimate(client_for, secretariat_user, association, two):
    plan = make_plan(association, two)
    client = client_for(secretariat_user)
    path = f"/a/{association.pk}/cloud/plans/{plan.pk}/costs/"
    response = client.post(path, {"joint_initial_cost": "1,000".replace(",", ""), "joint_annual_cost": "8000",
                                  "share_rule": "equal", "equal_share_percent": "50", "cost_years": "3"})
    assert response.status_code == 302 and response["Location"] == path
    plan.refresh_from_db()
    assert (plan.joint_initial_cost, plan.joint_annual_cost, plan.cost_years) == (1000, 8000, 3)
    assert AuditEntry.objects.filter(action="cloud_plan.costs", object_id=str(plan.pk)).count() == 1
    assert "4,000" in client.get(path).content.decode()  # 8,000 equally between two


@pytest.mark.parametrize("data, message", [
    ({"cost_years": "0"}, "比較期間（年）は1以上で入力してください。"),
    ({"cost_years": "21"}, "比較期間（年）は20以下で入力してください。"),
    ({"equal_share_percent": "101"}, "均等割の割合（％）は100以下で入力してください。"),
    ({"joint_annual_cost": "-5"}, "共同クラウドの年間経費（千円）は0以上で入力してください。"),
    ({"joint_annual_cost": "abc"}, "共同クラウドの年間経費（千円）は整数で入力してください。"),
    ({"joint_initial_cost": "99999999999999999999"}, "以下で入力してください。"),
    ({"share_rule": "other"}, "負担割合の決め方は一覧から選んでください。"),
])
def test_refused_values_are_japanese_form_errors(client_for, secretariat_user, association, two, data, message):
    plan = make_plan(association, two)
    valid = {"joint_initial_cost": "", "joint_annual_cost": "100", "share_rule": "equal", "equal_share_percent": "50",
             "cost_years": "5"}
    response = client_for(secretariat_user).post(f"/a/{association.pk}/cloud/plans/{plan.pk}/costs/", valid | data)
    assert response.status_code == 200
    assert message in response.content.decode()
    plan.refresh_from_db()
    assert plan.joint_annual_cost is None
    assert not AuditEntry.objects.filter(action="cloud_plan.costs").exists()


def test_the_export_has_the_sheet_with_two_members(client_for, secretariat_user, association, two):
    plan = make_plan(association, two, joint_initial_cost=2000, joint_annual_cost=9000, share_rule="mixed",
                     equal_share_percent=50)
    response = client_for(secretariat_user).get(f"/a/{association.pk}/cloud/plans/{plan.pk}/costs.xlsx")
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["経費比較"]
    sheet = workbook["経費比較"]
    assert sheet["A1"].value == "住基クラウド（住基） 経費比較"
    assert sheet["A2"].value == "負担割合の決め方: 均等割50％・人口割50％の併用"
    assert [c.value for c in sheet[5]][:9] == ["団体コード", "団体", "人口", "負担割合", "初期負担", "年間負担",
                                             "現行年額", "年間削減額", "期間削減額"]
    first, second, total = sheet[6], sheet[7], sheet[8]
    # 50 % equally + 50 % by population 3 : 1 → 5/8 and 3/8
    assert [c.value for c in first][:9] == [two[0].code, "テスト市", 30000, 0.625, 1250, 5625, 8000, 2375,
                                            5 * 2375 - 1250]
    assert [c.value for c in second][:9] == [two[1].code, "隣の町", 10000, 0.375, 750, 3375, 7000, 3625,
                                             5 * 3625 - 750]
    assert [c.value for c in total][:9] == ["合計", "2団体", 40000, 1, 2000, 9000, 15000, 6000, (5 * 2375 - 1250) + (5 * 3625 - 750)]
    assert first[4].number_format == "#,##0" and first[3].number_format == "0.00%"
    assert sheet.page_setup.orientation == "landscape"
    cells = {c.value for row in sheet.iter_rows() for c in row}
    assert "再リースと早期更新の比較（計画で再リースする年数の経費）" in cells


def test_the_export_writes_to_be_checked_not_zero(client_for, secretariat_user, association, municipality):
    plan = CloudPlan.objects.create(association=association, name="古い計画", category="住基", start_fy=2029,
                                    joint_annual_cost=100, result={"members": []})
    plan.members.add(municipality)
    sheet = load_workbook(io.BytesIO(client_for(secretariat_user).get(
        f"/a/{association.pk}/cloud/plans/{plan.pk}/costs.xlsx").content))["経費比較"]
    assert sheet["G6"].value == "要確認" and sheet["F6"].value == 100
    assert sheet["C6"].value == "未登録" and sheet["C7"].value == "—"  # the population, not needed by 均等割
    assert sheet["K6"].value == "要確認（経費データなし）"


def count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_pages_run_a_fixed_number_of_queries(client_for, secretariat_user, association, page):
    client = client_for(secretariat_user)
    counts = []
    for size, start in ((2, 500), (30, 600)):
        plan = make_plan(association, add_members(association, size, start), joint_initial_cost=1000,
                         joint_annual_cost=5000, share_rule="mixed")
        path = f"/a/{association.pk}/cloud/plans/{plan.pk}/costs" + ("/" if page == "page" else ".xlsx")
        counts.append(count(client, path))
    assert counts[0] == counts[1], counts
    assert counts[0] <= BUDGETS[page], counts
