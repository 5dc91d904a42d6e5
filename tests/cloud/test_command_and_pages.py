"""cloud-align command, the association pages (query budgets at two sizes), the data loader and the demo."""

import datetime as dt
import json
import random

import pytest
from django.core.management import CommandError, call_command

from jichitai.cloud import demo, services
from jichitai.cloud.models import BusinessSystem, CloudPlan, StandardArea
from jichitai.core.codes import with_check_digit
from jichitai.orgs.models import Municipality
from tests.conftest import make_user

CATEGORIES = [f"分類{n}" for n in range(15)]


def add_members(association, count, start=300):
    return [Municipality.objects.create(code=with_check_digit(f"99{start + n:03d}"), name=f"町{n}",
                                        association=association) for n in range(count)]


def add_systems(members, categories, area=None):
    BusinessSystem.objects.bulk_create(
        BusinessSystem(municipality=m, name=f"{c}システム", category=c, contract_end_fy=2026 + (i + j) % 6,
                       standard_area=area, migration_status="in_progress")
        for i, m in enumerate(members) for j, c in enumerate(categories))


def cloud_align(*args):
    return call_command("cloud-align", *args, "--format", "json")


def test_cloud_align_prints_the_contract(capsys, municipality, association):
    second = Municipality.objects.create(code=with_check_digit("99202"), name="隣の町", association=association)
    third = Municipality.objects.create(code=with_check_digit("99203"), name="奥の村", association=association)
    BusinessSystem.objects.create(municipality=municipality, name="住記", category="住基", contract_end_fy=2028)
    BusinessSystem.objects.create(municipality=second, name="住記", category="住基", contract_end_fy=2030)
    BusinessSystem.objects.create(municipality=third, name="住記", category="住基", contract_end_fy=2036,
                                  re_lease_years=0)
    cloud_align("--association", association.name, "--category", "住基", "--as-of-fy", "R8")
    out = json.loads(capsys.readouterr().out)
    assert out["category"] == "住基" and out["start_fy"] == 2031
    members = {m["code"]: m for m in out["members"]}
    assert (members[municipality.code]["path"], members[municipality.code]["re_lease_years"]) == ("aligned", 2)
    assert (members[second.code]["path"], members[second.code]["join_fy"]) == ("aligned", 2031)
    assert (members[third.code]["path"], members[third.code]["join_fy"]) == ("follower", 2037)
    # Each year: [the system's state, the 推進作業]; the third member's move in 2037 is on the plan too.
    assert members[second.code]["system"] == "住記"
    assert members[second.code]["phases"] == {
        "2026": ["現行システム", ""], "2027": ["現行システム", "業務整理・標準化整理"],
        "2028": ["現行システム", "業務整理・標準化整理"], "2029": ["現行システム", "仕様作成"],
        "2030": ["現行システム", "調達"], "2031": ["新クラウド導入", "移行"], "2032": ["本稼動", "新規候補団体募集支援"],
        **{str(y): ["本稼動", ""] for y in range(2033, 2039)}}
    assert members[third.code]["phases"]["2037"] == ["新クラウド導入", "移行"]
    cloud_align("--association", association.name, "--category", "住基", "--as-of-fy", "2026",
                "--members", f"{municipality.code},{third.code}")
    out = json.loads(capsys.readouterr().out)
    assert [m["code"] for m in out["members"]] == [municipality.code, third.code]


def test_cloud_align_exits_2_without_systems(capsys, municipality, association):
    BusinessSystem.objects.create(municipality=municipality, name="住記", category="住基", contract_end_fy=2028)
    with pytest.raises(CommandError) as exc:
        cloud_align("--association", association.name, "--category", "税")
    assert exc.value.returncode == 2 and "分類「税」" in str(exc.value)
    with pytest.raises(CommandError) as exc:
        cloud_align("--association", association.name, "--category", "住基", "--members", "999999")
    assert exc.value.returncode == 2
    with pytest.raises(CommandError) as exc:
        cloud_align("--association", "ない協議会", "--category", "住基")
    assert exc.value.returncode == 2


def test_load_standard_areas_is_idempotent(db):
    first = services.load_standard_areas()
    assert (first["created"], first["total"]) == (20, 20)
    again = services.load_standard_areas()
    assert (again["created"], again["updated"], again["total"]) == (0, 0, 20)
    assert StandardArea.objects.first().name == "住民基本台帳"
    assert StandardArea.objects.last().name == "子ども・子育て支援"


@pytest.mark.parametrize("url", ["timeline/", "standardisation/", "align/?category=分類1", "plans/"])
def test_association_pages_run_constant_queries(client_for, association, secretariat_user,
                                                django_assert_max_num_queries, url):
    services.load_standard_areas()
    area = StandardArea.objects.first()
    client = client_for(secretariat_user)
    add_systems(add_members(association, 3), CATEGORIES[:2], area)
    with django_assert_max_num_queries(20) as small:
        assert client.get(f"/a/{association.pk}/cloud/{url}").status_code == 200
    add_systems(add_members(association, 27, start=400), CATEGORIES, area)
    add_systems(Municipality.objects.filter(code__startswith="993"), CATEGORIES[2:])
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/a/{association.pk}/cloud/{url}")
    assert response.status_code == 200


def test_align_page_saves_a_plan_and_exports_it(client_for, association, municipality, secretariat_user):
    BusinessSystem.objects.create(municipality=municipality, name="住記", category="住基", contract_end_fy=2028)
    client = client_for(secretariat_user)
    page = client.get(f"/a/{association.pk}/cloud/align/", {"category": "住基", "as_of_fy": "2026"})
    assert page.context["result"]["start_fy"] == 2029
    response = client.post(f"/a/{association.pk}/cloud/align/", {"category": "住基", "as_of_fy": "2026",
                                                                  "name": "住基クラウド", "destination": "Aクラウド"})
    plan = CloudPlan.objects.get()
    assert response.status_code == 302 and (plan.start_fy, plan.category, plan.destination) == (2029, "住基", "Aクラウド")
    assert list(plan.members.values_list("code", flat=True)) == [municipality.code]
    client.post(f"/a/{association.pk}/cloud/plans/{plan.pk}/kpis/", {"name_0": "参加団体数", "target_0": "5", "actual_0": "1"})
    plan.refresh_from_db()
    assert plan.kpis == [{"name": "参加団体数", "target": "5", "actual": "1"}]
    from jichitai.core.sheets.reading import read_workbook

    rows = read_workbook(client.get(f"/a/{association.pk}/cloud/plans/{plan.pk}.xlsx").content)["クラウドモデルプラン"]
    assert rows[3][:6] == ["団体", "システム名", "想定クラウド先", "参加の形", "区分", "令和8年度（2026年度）"]
    assert rows[4][:9] == [f"{municipality.code} テスト市", "住記", "Aクラウド", "同時参加（再リースで調整）（新クラウド 令和11年度（2029年度））",
                           "状態", "現行システム", "現行システム", "現行システム", "新クラウド導入"]
    assert rows[5][4:10] == ["推進作業", "業務整理・標準化整理", "仕様作成", "調達", "移行", "新規候補団体募集支援"]


def test_member_sees_own_inventory_only(client_for, municipality, other_municipality, admin_user):
    BusinessSystem.objects.create(municipality=municipality, name="住記", category="住基", contract_end_fy=2028)
    BusinessSystem.objects.create(municipality=other_municipality, name="よその住記", category="住基",
                                  contract_end_fy=2028)
    client = client_for(admin_user)
    assert [s.name for s in client.get(f"/m/{municipality.code}/cloud/systems/").context["business_systems"]] == ["住記"]
    assert client.get(f"/m/{other_municipality.code}/cloud/systems/").status_code == 404
    response = client.post(f"/m/{municipality.code}/cloud/systems/new/", {
        "name": "税務", "category": "税", "contract_end_fy": "令和10年度", "re_lease_years": 2,
        "hosting": "on_premises", "migration_status": "not_started"})
    assert response.status_code == 302
    assert BusinessSystem.objects.get(name="税務").contract_end_fy == 2028


def test_inventory_list_constant_queries(client_for, municipality, admin_user, django_assert_max_num_queries):
    add_systems([municipality], CATEGORIES[:2])
    client = client_for(admin_user)
    with django_assert_max_num_queries(20) as small:
        client.get(f"/m/{municipality.code}/cloud/systems/")
    BusinessSystem.objects.all().delete()
    add_systems([municipality], CATEGORIES)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(f"/m/{municipality.code}/cloud/systems/")
    assert len(response.context["business_systems"]) == 15


def test_standardisation_dashboard_shows_status_and_target(client_for, association, municipality, secretariat_user):
    services.load_standard_areas()
    BusinessSystem.objects.create(municipality=municipality, name="生保", category="生保レセプト", contract_end_fy=2028,
                                  standard_area=StandardArea.objects.get(name="生活保護"),
                                  migration_status="special_support")
    response = client_for(secretariat_user).get(f"/a/{association.pk}/cloud/standardisation/")
    rows = {row["area"].name: row["cells"][0] for row in response.context["rows"]}
    assert len(rows) == 20
    assert rows["生活保護"]["label"] == "特定移行支援システム"
    assert rows["生活保護"]["target"]["deadline"] == "2031-03-31" and rows["生活保護"]["target"]["verified"] is False
    assert rows["戸籍"]["system"] is None


def test_demo_populates_members_and_a_plan(association, municipality):
    members = [municipality, *add_members(association, 4)]
    rng = random.Random(1)  # noqa: S311 - reproducible demo data, not security
    totals = demo.populate(association, members, dt.date(2026, 6, 1), rng)
    assert totals == {"systems": 5 * len(demo.SYSTEMS) + 2, "cloud_plans": 1}  # member 1 has three 住基 systems
    plan = CloudPlan.objects.get()
    assert plan.category == "住基" and plan.members.count() == 5 and plan.start_fy >= 2028
    assert demo.populate(association, members, dt.date(2026, 6, 1), rng) == {"systems": 0, "cloud_plans": 0}


def test_secretariat_reads_but_cannot_write_member_systems(client_for, municipality, secretariat_user):
    make_user("x", "viewer", municipality=municipality)
    client = client_for(secretariat_user)
    assert client.get(f"/m/{municipality.code}/cloud/systems/").status_code == 200
    assert client.post(f"/m/{municipality.code}/cloud/systems/new/", {"name": "x"}).status_code == 403
