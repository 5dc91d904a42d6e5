"""The action plan's chart and export cover every action in force (issue 14): one FY2018 action does not push the
eight actions of 2026–27 off the 3カ年 window; long plans page by three years; 年度 is typed in 和暦 too."""

import io
import xml.etree.ElementTree as ET

import pytest
from django.utils import translation
from openpyxl import load_workbook

from jichitai.core.wareki import fiscal_year_label
from jichitai.planning import gantt, rules, services
from jichitai.planning.models import ActionItem, Issue, Workshop

SVG = "{http://www.w3.org/2000/svg}"
HALF = dict(rules.HALVES)  # first → 上期

RECENT = [(2026, "first", "研修計画の策定"), (2026, "second", "原課への研修"), (2027, "first", "マニュアル化をする"),
          (2027, "second", "業務の洗い出し"), (2026, "first", "規程の見直し"), (2026, "second", "勉強会の開催"),
          (2027, "first", "クラウド化計画の承認"), (2027, "second", "ＳＮＳ等の検討")]
OLD = (2018, "first", "セキュリティポリシーの更新")


@pytest.fixture(autouse=True)
def japanese():
    with translation.override("ja"):
        yield


@pytest.fixture
def workshop(association):
    workshop = Workshop.objects.create(association=association, name="課題分析ワークショップ", published=True)
    issues = [Issue.objects.create(workshop=workshop, position=n, title=title)
              for n, title in enumerate(("地域での課題解決", "庁内体制の整備"))]
    for n, (fy, half, text) in enumerate(RECENT):
        services.add_action_item(actor=None, via="test", issue=issues[n % 2], fiscal_year=fy, half=half, text=text)
    return workshop


def add(workshop, fy: int, half: str, text: str) -> ActionItem:
    return services.add_action_item(actor=None, via="test", issue=workshop.issues.first(), fiscal_year=fy, half=half,
                                    text=text)


def plan_url(workshop, suffix: str = "plan/") -> str:
    return f"/a/{workshop.association_id}/workshops/{workshop.pk}/{suffix}"


def svg_of(page: str) -> ET.Element:
    return ET.fromstring("<svg" + page.split("<svg", 1)[1].split("</svg>", 1)[0] + "</svg>")  # noqa: S314 — our own page


def chart_slots(svg: ET.Element) -> dict[str, tuple[str, str]]:
    """Each bar's full text (its <title>) → (the 年度 header above it, the 上期/下期 header above it)."""
    texts = list(svg.iter(f"{SVG}text"))
    years = [(float(t.get("x")), t.text) for t in texts if t.get("class") == "fy"]
    halves = {float(t.get("x")): t.text for t in texts if t.get("class") == "half"}
    found = {}
    for bar in svg.iter(f"{SVG}rect"):
        if bar.get("class") != "plan-bar":
            continue
        middle = float(bar.get("x")) + float(bar.get("width")) / 2
        year = min(years, key=lambda y, m=middle: abs(y[0] - m))
        assert abs(year[0] - middle) <= gantt.SLOT_W  # under the year's two halves
        found[bar.find(f"{SVG}title").text] = (year[1], halves[middle])
    return found


def sheet_slots(sheet) -> dict[str, tuple[str, str]]:
    """Each action cell's text → (the merged 年度 header above its half, the 上期/下期 header above it)."""
    found = {}
    for row in sheet.iter_rows(min_row=6, min_col=2):
        for cell in row:
            if cell.value:
                half = sheet.cell(5, cell.column).value
                year_column = cell.column if half == "上期" else cell.column - 1
                found[cell.value] = (sheet.cell(4, year_column).value, half)
    return found


def expected(items) -> dict[str, tuple[str, str]]:
    return {text: (fiscal_year_label(fy), HALF[half]) for fy, half, text in items}


def test_an_old_action_does_not_push_the_others_off_the_chart(client_for, secretariat_user, workshop):
    add(workshop, *OLD)
    client = client_for(secretariat_user)
    page = client.get(plan_url(workshop)).content.decode()
    chart = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    missing = [text for _fy, _h, text in [*RECENT, OLD] if text not in chart]
    assert missing == []
    assert chart_slots(svg_of(page)) == expected([*RECENT, OLD])
    # The chart runs from the oldest action to the newest: 平成30年度 … 令和9年度, ten years.
    years = [t.text for t in svg_of(page).iter(f"{SVG}text") if t.get("class") == "fy"]
    assert years == [fiscal_year_label(fy) for fy in range(2018, 2028)]


def test_an_old_action_does_not_push_the_others_off_the_export(client_for, secretariat_user, workshop):
    add(workshop, *OLD)
    response = client_for(secretariat_user).get(plan_url(workshop, "plan.xlsx"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet_slots(sheet) == expected([*RECENT, OLD])
    assert [sheet.cell(4, 2 + 2 * i).value for i in range(10)] == [fiscal_year_label(fy) for fy in range(2018, 2028)]
    assert [sheet.cell(5, c).value for c in range(2, 22)] == ["上期", "下期"] * 10
    assert sheet.cell(5, 22).value is None


# ---- the window's arithmetic (rules.plan_window, plan_pages, plan_page) -----------------------------------------


@pytest.mark.parametrize(("years", "window"), [
    ([], (2026, 2028)),  # no action: the workshop's year and the two after it
    ([2018], (2018, 2020)),  # one year: still the seed's three
    ([2026, 2027, 2028], (2026, 2028)),  # exactly three
    ([2028, 2026, 2029], (2026, 2029)),  # four: grows, from the earliest whatever the order
    ([2027, 2027], (2027, 2029)),
    ([2018, 2027], (2018, 2027)),  # the issue's case: ten years, the cap
    ([2018, 2028], (2018, 2028)),  # eleven
])
def test_plan_window_runs_from_the_earliest_action_to_the_latest_and_three_years_at_least(years, window):
    assert rules.plan_window(years, default_start=2026) == window
    assert rules.plan_window(iter(years), default_start=2026) == window  # any iterable


def test_plan_pages_show_up_to_the_cap_whole_and_longer_windows_three_years_a_page():
    assert rules.PLAN_YEARS == 3 and rules.PLAN_YEARS_MAX == 10
    assert rules.plan_pages(2026, 2028) == [(2026, 2028)]
    assert rules.plan_pages(2026, 2029) == [(2026, 2029)]
    assert rules.plan_pages(2018, 2027) == [(2018, 2027)]  # exactly the cap: one page
    assert rules.plan_pages(2018, 2028) == [(2018, 2020), (2021, 2023), (2024, 2026), (2027, 2029)]  # 11 years
    assert rules.plan_pages(2018, 2029) == [(2018, 2020), (2021, 2023), (2024, 2026), (2027, 2029)]  # 12
    assert rules.plan_pages(2018, 2030)[-1] == (2030, 2032)  # 13: a last page of its own, three years long
    pages = rules.plan_pages(1989, 2100)
    assert len(pages) == 38 and all(last - first == 2 for first, last in pages)
    assert pages[-1][0] <= 2100 <= pages[-1][1]


def test_plan_page_finds_the_page_of_a_year_and_clamps_the_others():
    pages = rules.plan_pages(2018, 2028)
    assert rules.plan_page(pages, None) == 0
    assert rules.plan_page(pages, 1989) == 0
    assert [rules.plan_page(pages, fy) for fy in (2018, 2020, 2021, 2023, 2024, 2029)] == [0, 0, 1, 1, 2, 3]
    assert rules.plan_page(pages, 2100) == 3
    assert rules.plan_page([(2026, 2028)], 2030) == 0


def test_a_workshop_without_actions_shows_three_years_from_its_own(client_for, secretariat_user, association):
    import datetime as dt

    workshop = Workshop.objects.create(association=association, name="平成30年度の会", held_on=dt.date(2019, 2, 1))
    Issue.objects.create(workshop=workshop, position=0, title="課題")
    client = client_for(secretariat_user)
    years = [t.text for t in svg_of(client.get(plan_url(workshop)).content.decode()).iter(f"{SVG}text")
             if t.get("class") == "fy"]
    assert years == [fiscal_year_label(fy) for fy in (2018, 2019, 2020)]  # held in February 2019: FY2018
    sheet = load_workbook(io.BytesIO(client.get(plan_url(workshop, "plan.xlsx")).content)).active
    assert sheet["A1"].value == "3カ年業務改善アクションプラン"
    assert [sheet.cell(4, c).value for c in (2, 4, 6, 8)] == [fiscal_year_label(fy) for fy in (2018, 2019, 2020)] \
        + [None]


# ---- a long plan: the chart pages by three years, the export holds every page --------------------------------


LATE = (2035, "second", "次期システムの本稼働")


def test_a_plan_longer_than_the_cap_is_paged_by_three_years(client_for, secretariat_user, workshop):
    add(workshop, *OLD)
    add(workshop, *LATE)  # 2018–2035: eighteen years
    client = client_for(secretariat_user)
    page = client.get(plan_url(workshop)).content.decode()
    assert [t.text for t in svg_of(page).iter(f"{SVG}text") if t.get("class") == "fy"] == [
        fiscal_year_label(fy) for fy in (2018, 2019, 2020)]
    assert chart_slots(svg_of(page)) == expected([OLD])
    assert "平成30年度〜令和2年度" in page and "平成30年度〜令和17年度" in page
    assert '<a href="?from=2021">' in page and "次の3年" in page and "前の3年" not in page

    seen = {}
    for start in range(2018, 2036, 3):
        page = client.get(plan_url(workshop) + f"?from={start}").content.decode()
        seen |= chart_slots(svg_of(page))
        assert ("前の3年" in page) == (start > 2018) and ("次の3年" in page) == (start < 2033)
    assert seen == expected([*RECENT, OLD, LATE])  # every action on some page, under its own year and half

    # A year inside a page shows that page; 和暦 is read; anything else is the first page, never an error.
    for wanted, first in (("2027", 2027), ("R8", 2024), ("令和9年度", 2027), ("2100", 2033), ("abc", 2018),
                          ("99999999", 2018), ("", 2018)):
        response = client.get(plan_url(workshop), {"from": wanted})
        assert response.status_code == 200
        years = [t.text for t in svg_of(response.content.decode()).iter(f"{SVG}text") if t.get("class") == "fy"]
        assert years[0] == fiscal_year_label(first), wanted


def test_the_export_of_a_long_plan_holds_every_page(client_for, secretariat_user, workshop):
    add(workshop, *OLD)
    add(workshop, *LATE)
    book = load_workbook(io.BytesIO(client_for(secretariat_user).get(plan_url(workshop, "plan.xlsx")).content))
    assert book.sheetnames == ["平成30年度〜令和2年度", "令和3年度〜令和5年度", "令和6年度〜令和8年度",
                               "令和9年度〜令和11年度", "令和12年度〜令和14年度", "令和15年度〜令和17年度"]
    found = {}
    for sheet in book.worksheets:
        assert sheet["A1"].value == "3カ年業務改善アクションプラン"
        assert [sheet.cell(5, c).value for c in range(2, 9)] == ["上期", "下期"] * 3 + [None]
        assert sheet.page_setup.orientation == "landscape"
        found |= sheet_slots(sheet)
    assert found == expected([*RECENT, OLD, LATE])


# ---- 年度 in 和暦 through the web forms ------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [("H30", 2018), ("平成30年度", 2018), ("R8", 2026), ("令和8年度", 2026),
                                               ("2026", 2026), ("２０２７", 2027), ("令和元年度", 2019)])
def test_the_plan_form_reads_wareki_fiscal_years(client_for, secretariat_user, workshop, typed, stored):
    issue = workshop.issues.first()
    response = client_for(secretariat_user).post(plan_url(workshop), {
        "issue": issue.pk, "fiscal_year": typed, "half": "first", "text": "和暦で入れた対応", "status": "not_started"})
    assert response.status_code == 302
    assert ActionItem.objects.get(text="和暦で入れた対応").fiscal_year == stored


@pytest.mark.parametrize("typed", ["abc", "令和", "H", "1900", "2101", "R200"])
def test_an_unreadable_fiscal_year_is_a_japanese_error_and_nothing_is_written(client_for, secretariat_user,
                                                                              workshop, typed):
    before = ActionItem.objects.count()
    response = client_for(secretariat_user).post(plan_url(workshop), {
        "issue": workshop.issues.first().pk, "fiscal_year": typed, "half": "first", "text": "読めない年度",
        "status": "not_started"})
    assert response.status_code == 200
    errors = response.context["form"].errors["fiscal_year"]
    assert errors and all("年度" in e for e in errors), errors
    assert ActionItem.objects.count() == before


def test_the_edit_form_shows_the_year_in_the_era_and_reads_wareki(client_for, secretariat_user, workshop):
    item = ActionItem.objects.get(text="研修計画の策定")
    client = client_for(secretariat_user)
    url = plan_url(workshop, f"actions/{item.pk}/")
    page = client.get(url).content.decode()
    assert 'value="令和8年度"' in page
    response = client.post(url, {"issue": item.issue_id, "fiscal_year": "abc", "half": "first",
                                 "text": item.text, "status": "not_started"})
    assert response.status_code == 200 and "年度として読めません" in response.content.decode()
    item.refresh_from_db()
    assert item.fiscal_year == 2026


def test_a_moved_action_moves_on_the_chart_and_in_the_export(client_for, secretariat_user, workshop):
    """Move to another issue, year (in 和暦) and half, change text, owner, status: the chart and the export follow;
    the plan's window follows too (the old window's last year is gone when nothing is left in it)."""
    item = ActionItem.objects.get(text="ＳＮＳ等の検討")  # 2027 下期, second issue
    target = workshop.issues.get(position=0)
    assert item.issue != target
    client = client_for(secretariat_user)
    response = client.post(plan_url(workshop, f"actions/{item.pk}/"), {
        "issue": target.pk, "fiscal_year": "令和10年度", "half": "first", "text": "ＳＮＳ等の試行",
        "owner": "広報課", "status": "in_progress"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.issue, item.fiscal_year, item.half, item.owner, item.status) == (
        target, 2028, "first", "広報課", "in_progress")

    moved = [*RECENT[:-1], (2028, "first", "ＳＮＳ等の試行")]
    svg = svg_of(client.get(plan_url(workshop)).content.decode())
    assert chart_slots(svg) == expected(moved)
    bar = next(b for b in svg.iter(f"{SVG}rect") if b.find(f"{SVG}title").text == "ＳＮＳ等の試行")
    assert bar.get("fill") == gantt.COLOURS["in_progress"]

    sheet = load_workbook(io.BytesIO(client.get(plan_url(workshop, "plan.xlsx")).content)).active
    shown = expected(moved) | {"ＳＮＳ等の試行（広報課）": expected(moved)["ＳＮＳ等の試行"]}
    del shown["ＳＮＳ等の試行"]
    assert sheet_slots(sheet) == shown
    # In the row of its new issue.
    rows = {cell.row: cell.value for cell in sheet["A"] if cell.value}
    moved_row = next(c.row for row in sheet.iter_rows(min_row=6) for c in row if c.value == "ＳＮＳ等の試行（広報課）")
    assert rows[max(r for r in rows if r <= moved_row)] == target.title

    # Retired: off the chart and the export (it stays in the table below).
    client.post(plan_url(workshop, f"actions/{item.pk}/retire/"), {"retired_on": "R8.7.1"})
    page = client.get(plan_url(workshop)).content.decode()
    assert "ＳＮＳ等の試行" not in chart_slots(svg_of(page)) and "ＳＮＳ等の試行" in page
    sheet = load_workbook(io.BytesIO(client.get(plan_url(workshop, "plan.xlsx")).content)).active
    assert "ＳＮＳ等の試行（広報課）" not in sheet_slots(sheet)
