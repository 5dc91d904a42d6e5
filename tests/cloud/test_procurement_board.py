"""The procurement-timing board (/a/{id}/cloud/timeline/) and its .xlsx: as-of year, filters, lead time, overdue
systems, and a fixed number of queries whatever the number of members."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from jichitai.cloud import procurement
from jichitai.cloud.models import BusinessSystem
from jichitai.core.codes import with_check_digit
from jichitai.core.wareki import fiscal_year
from jichitai.orgs.models import Municipality


@pytest.fixture
def second(association):
    return Municipality.objects.create(code=with_check_digit("99202"), name="隣の町", association=association)


@pytest.fixture
def systems(municipality, second, other_municipality):
    for owner, name, category, end in [(municipality, "住記", "住基", 2019), (municipality, "税務", "税", 2022),
                                       (municipality, "財務会計", "内部系", 2031), (second, "税務", "税", 2025),
                                       (other_municipality, "よその税務", "税", 2022)]:
        BusinessSystem.objects.create(municipality=owner, name=name, category=category, contract_end_fy=end)


def get(client, association, path="timeline/", **params):
    response = client.get(f"/a/{association.pk}/cloud/{path}", params)
    assert response.status_code == 200
    return response


def cells(board) -> dict:
    return {(row["municipality"].name, item["name"]): (n, item["year"], item["overdue"])
            for row in board["rows"] for n, cell in enumerate(row["cells"]) for item in cell}


def test_as_of_year_bands_and_overdue(client_for, secretariat_user, association, systems):
    response = get(client_for(secretariat_user), association, as_of="H30")
    board = response.context["board"]
    # procurement = contract end − 2: 住記 2017 (overdue), 税務 2020, 財務会計 2029 (a fourth band), 隣の町の税務 2023
    assert [(b["first"], b["last"]) for b in board["bands"]] == [(2018, 2020), (2021, 2023), (2024, 2026),
                                                                 (2027, None)]
    assert cells(board) == {("テスト市", "住記"): (0, 2017, True), ("テスト市", "税務"): (0, 2020, False),
                            ("テスト市", "財務会計"): (3, 2029, False), ("隣の町", "税務"): (1, 2023, False)}
    page = response.content.decode()
    assert "更新期限超過" in page and "平成29年度（2017年度）" in page and "令和9年度以降" in page
    assert "よその税務" not in page  # another association's member
    assert f'href="/a/{association.pk}/settings/"' in page and "調達の準備期間 2年" in page


def test_as_of_defaults_to_this_fiscal_year(client_for, secretariat_user, association, systems):
    board = get(client_for(secretariat_user), association).context["board"]
    assert board["as_of"] == board["bands"][0]["first"] == fiscal_year(timezone.localdate())


def test_the_lead_time_is_the_associations(client_for, secretariat_user, association, systems):
    association.procurement_lead_years = 5
    association.save()
    board = get(client_for(secretariat_user), association, as_of="2018").context["board"]
    assert board["lead_years"] == 5
    assert cells(board)[("テスト市", "税務")] == (0, 2017, True)  # 2022 − 5
    assert cells(board)[("隣の町", "税務")] == (0, 2020, False)


def test_filters_by_category_and_member(client_for, secretariat_user, association, municipality, second, systems):
    client = client_for(secretariat_user)
    board = get(client, association, as_of="H30", category="税").context["board"]
    assert set(cells(board)) == {("テスト市", "税務"), ("隣の町", "税務")}
    assert len(board["bands"]) == 3  # only 2020 and 2023 left to cover
    board = get(client, association, as_of="H30", member=second.code).context["board"]
    assert [row["municipality"].name for row in board["rows"]] == ["隣の町"] and set(cells(board)) == {("隣の町", "税務")}


def test_bad_filters_show_an_error_and_the_rest_still_applies(client_for, secretariat_user, association, systems):
    response = get(client_for(secretariat_user), association, as_of="来年", category="税", member="000000")
    assert response.context["form"].errors.keys() == {"as_of", "member"}
    board = response.context["board"]
    assert board["as_of"] == fiscal_year(timezone.localdate())
    assert {name for _, name in cells(board)} == {"税務"}
    assert "基準年度" in response.content.decode()


def test_export_has_the_same_filters(client_for, secretariat_user, association, systems):
    response = get(client_for(secretariat_user), association, "timeline.xlsx", as_of="H30", category="税")
    assert response["Content-Disposition"].endswith(f'procurement_timeline_{association.pk}.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "各団体の主なシステム調達時期の整理"
    assert "平成30年度（2018年度）時点" in sheet["A2"].value and "準備期間（2年）" in sheet["A2"].value
    assert "分類: 税" in sheet["A2"].value
    assert [c.value for c in sheet[3]] == ["団体", "平成30年度〜令和2年度", "令和3〜5年度", "令和6年度以降"]
    assert [[c.value for c in row] for row in sheet.iter_rows(min_row=4)] == [
        ["テスト市", "税務（令和2年度）", None, None], ["隣の町", None, "税務（令和5年度）", None]]
    assert sheet.print_title_rows == "$3:$3" and int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)
    assert sheet.page_setup.orientation == "landscape"


def test_export_marks_overdue_systems(client_for, secretariat_user, association, systems):
    response = get(client_for(secretariat_user), association, "timeline.xlsx", as_of="2018", category="住基")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["B4"].value == "住記（平成29年度・更新期限超過）"


def test_board_without_members_or_systems():
    board = procurement.board([], [], as_of_fy=2026, lead_years=2)
    assert board["rows"] == [] and len(board["bands"]) == 3 and board["systems"] == 0


def count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("path", ["timeline/?as_of=H30", "timeline.xlsx?as_of=H30",
                                  "timeline/?category=税&as_of=R8", "timeline.xlsx?member={code}"])
def test_board_and_export_run_a_fixed_number_of_queries(client_for, secretariat_user, association, municipality,
                                                        path):
    client = client_for(secretariat_user)
    url = f"/a/{association.pk}/cloud/" + path.format(code=municipality.code)
    counts = []
    members = [municipality]
    for size in (1, 25):
        while len(members) < size:
            members.append(Municipality.objects.create(code=with_check_digit(f"{99300 + len(members)}"),
                                                       name=f"町{len(members)}", association=association))
        for n, member in enumerate(members):
            for category, end in (("税", 2020 + n), ("住基", 2030 - n)):
                BusinessSystem.objects.get_or_create(municipality=member, name=f"{category}{size}",
                                                     defaults={"category": category, "contract_end_fy": end})
        counts.append(count(client, url))
    assert counts[0] == counts[1], counts
    assert counts[0] <= 9, counts  # session, user, scope checks, the menu, members, categories, systems
