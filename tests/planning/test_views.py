import datetime as dt
import io
from decimal import Decimal as D

import pytest
from openpyxl import load_workbook

from jichitai.audit.models import AuditEntry
from jichitai.planning import demo, services
from jichitai.planning.models import Score, Workshop
from jichitai.planning.queries import issue_rows

TODAY = dt.date(2026, 6, 1)


@pytest.fixture
def workshop(association):
    return demo.populate(association, TODAY)


def test_demo_shows_the_seeds_numbers(workshop):
    rows = {r.issue.title: r for r in issue_rows(workshop)}
    assert len(rows) == 9
    assert (rows["原課に意識付けを行う"].shown_total, rows["原課に意識付けを行う"].rank) == (D("13.1"), 1)
    assert (rows["外部専門機関による支援の検討"].shown_total, rows["外部専門機関による支援の検討"].rank) == (D("6.3"), 9)
    assert workshop.published and workshop.issues.get(position=6).actions.count() == 3


def test_member_reads_the_table(client_for, admin_user, workshop):
    page = client_for(admin_user).get(f"/a/{workshop.association_id}/workshops/{workshop.pk}/").content.decode()
    assert "原課に意識付けを行う" in page and "<strong>13.1</strong>" in page
    assert "Add a participant" not in page  # read-only: no score form


def test_member_does_not_see_unpublished_workshops(client_for, admin_user, secretariat_user, association):
    draft = Workshop.objects.create(association=association, name="準備中の課題分析")
    assert client_for(admin_user).get(f"/a/{association.pk}/workshops/{draft.pk}/").status_code == 404
    assert "準備中の課題分析" not in client_for(admin_user).get(f"/a/{association.pk}/workshops/").content.decode()
    assert client_for(secretariat_user).get(f"/a/{association.pk}/workshops/{draft.pk}/").status_code == 200


def test_secretariat_adds_scores_and_the_table_recomputes(client_for, secretariat_user, workshop, municipality):
    issue = workshop.issues.get(position=9)  # imported 3.0 / 1.0 / 2.3
    client = client_for(secretariat_user)
    url = f"/a/{workshop.association_id}/workshops/{workshop.pk}/"
    for name, values in (("佐藤", ("4", "2", "3")), ("鈴木", ("5", "3", "3.5")), ("田中", ("5", "3", "3"))):
        data = {"participant": name, "municipality": municipality.pk} | {
            f"s-{issue.pk}-{i}": v for i, v in enumerate(values)}
        assert client.post(url, data).status_code == 302
    row = next(r for r in issue_rows(workshop) if r.issue == issue)
    assert row.shown == [D("4.7"), D("2.7"), D("3.2")]
    assert row.shown_total == D("10.5")  # 14/3 + 8/3 + 9.5/3 = 10.5, not 4.7 + 2.7 + 3.2 = 10.6
    assert row.participants == 3
    assert Score.objects.filter(issue=issue).count() == 9
    assert AuditEntry.objects.filter(action="scores.save").count() == 3


def test_score_out_of_range_is_a_form_error(client_for, secretariat_user, workshop):
    issue = workshop.issues.first()
    response = client_for(secretariat_user).post(f"/a/{workshop.association_id}/workshops/{workshop.pk}/",
                                                 {"participant": "佐藤", f"s-{issue.pk}-0": "5.5"})
    assert response.status_code == 200
    assert Score.objects.count() == 0


def test_save_scores_rejects_two_decimals(workshop):
    issue = workshop.issues.first()
    with pytest.raises(Exception, match="小数点以下1桁"):
        services.save_scores(actor=None, via="test", workshop=workshop, participant="佐藤",
                             scores={issue.pk: {"影響性": "4.25"}})


def test_plan_page_has_an_svg_gantt_with_wareki_years(client_for, admin_user, workshop):
    page = client_for(admin_user).get(f"/a/{workshop.association_id}/workshops/{workshop.pk}/plan/").content.decode()
    assert "<svg" in page and "<script" not in page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "令和8年度（2026年度）" in page and "令和10年度（2028年度）" in page
    assert page.count("<rect") == 8


def test_plan_export_in_the_seed_layout(client_for, admin_user, workshop):
    response = client_for(admin_user).get(f"/a/{workshop.association_id}/workshops/{workshop.pk}/plan.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A3"].value == "主要課題" and sheet["B3"].value == "ア ク シ ョ ン プ ラ ン"
    assert [sheet.cell(4, c).value for c in (2, 4, 6)] == ["令和8年度（2026年度）", "令和9年度（2027年度）",
                                                           "令和10年度（2028年度）"]
    assert [sheet.cell(5, c).value for c in range(2, 8)] == ["上期", "下期"] * 3
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
    first = next(r for r in values if r[0] == "原課に意識付けを行う")
    assert first[1:4] == ["原課への研修を行う（番号法29条関連研修）（事務局）", "研修計画の策定（事務局）",
                          "原課への研修（番号法29条関連）（事務局）"]
    assert sheet.page_setup.orientation == "landscape"


def test_secretariat_adds_an_action_item(client_for, secretariat_user, workshop):
    issue = workshop.issues.get(position=2)
    response = client_for(secretariat_user).post(
        f"/a/{workshop.association_id}/workshops/{workshop.pk}/plan/",
        {"issue": issue.pk, "fiscal_year": 2027, "half": "second", "text": "幹部会議での承認", "status": "not_started"})
    assert response.status_code == 302
    assert issue.actions.get().text == "幹部会議での承認"


def _grow(workshop, extra):
    """More workshops' worth of issues, scores and actions on one workshop."""
    for n in range(extra):
        issue = services.add_issue(actor=None, via="test", workshop=workshop, title=f"追加課題{n}")
        services.save_scores(actor=None, via="test", workshop=workshop, participant=f"参加者{n}",
                             scores={issue.pk: {"影響性": "4", "法令準拠": "3.5", "容易性": "2"}})
        services.add_action_item(actor=None, via="test", issue=issue, fiscal_year=2026, half="second", text="整理")


@pytest.mark.parametrize("page", ["", "{w}/", "{w}/plan/", "{w}/plan.xlsx"])
def test_pages_run_a_constant_number_of_queries(client_for, secretariat_user, association, page):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(secretariat_user)
    counts = []
    for size in (1, 4):
        Workshop.objects.all().delete()
        for _ in range(size):
            workshop = demo.populate(association, TODAY)
        _grow(workshop, 3 * size)
        url = f"/a/{association.pk}/workshops/" + page.format(w=workshop.pk)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]


def test_secretariat_sees_a_score_input_per_issue_and_criterion(client_for, secretariat_user, workshop):
    page = client_for(secretariat_user).get(f"/a/{workshop.association_id}/workshops/{workshop.pk}/").content.decode()
    assert page.count('name="s-') == 27
    assert 'name="participant"' in page
