"""Workshop criteria and weights, issues and actions are edited and retired, never deleted once used (issue 13)."""

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from openpyxl import load_workbook

from jichitai.audit.models import AuditEntry
from jichitai.orgs.models import Municipality
from jichitai.planning import demo, rules, services
from jichitai.planning.forms import ActionItemForm, ScoresForm
from jichitai.planning.models import ActionItem, ImportedAverage, Issue, Score, Workshop
from jichitai.planning.queries import issue_rows
from tests.helpers import db_state

TODAY = dt.date(2026, 6, 1)


@pytest.fixture(autouse=True)
def japanese():
    """Messages in Japanese whatever language an earlier test's request left active in this thread."""
    with translation.override("ja"):
        yield


@pytest.fixture
def workshop(association):
    return demo.populate(association, TODAY)


def rows_of(workshop) -> list[dict]:
    """The form's rows for the stored criteria, unchanged."""
    return [{"was": c["name"], "name": c["name"], "weight": D(str(c["weight"])), "retired": not rules.is_active(c),
             "delete": False} for c in workshop.criteria]


def ranking(workshop) -> dict[str, int | None]:
    return {r.issue.title: r.rank for r in issue_rows(workshop)}


def test_a_weight_change_re_ranks_the_issues_as_the_rule_says(workshop):
    assert ranking(workshop)["他市町村と情報共有共同対応の可能性を探る"] == 7
    rows = rows_of(workshop)
    rows[1]["weight"] = D(0)  # 法令準拠 no longer weighs
    services.save_criteria(actor=None, via="command", workshop=workshop, rows=rows)
    workshop.refresh_from_db()
    computed = issue_rows(workshop)
    # What rules.total and rules.ranks give from the same averages with the new weights.
    totals = [sum(D(str(c["weight"])) * r.averages[c["name"]] for c in workshop.criteria) for r in computed]
    assert [r.total for r in computed] == totals
    assert [r.rank for r in computed] == rules.ranks(totals)
    ranks = ranking(workshop)
    assert ranks["原課に意識付けを行う"] == 1  # 4.8 + 3.3 = 8.1
    assert ranks["他市町村と情報共有共同対応の可能性を探る"] == 2  # 4.8 + 3.2 = 8.0, was 7th
    assert ranks["業務の洗い出し、整理"] == 7  # 5 + 1.5 = 6.5, was 4th
    entry = AuditEntry.objects.get(action="workshop.criteria")
    assert entry.before["criteria"][1] == {"name": "法令準拠", "weight": 1}
    assert entry.after["criteria"][1] == {"name": "法令準拠", "weight": 0}
    assert entry.association == workshop.association


def test_a_retired_criterion_is_shown_but_no_longer_counts_or_is_scored(workshop, association):
    rows = rows_of(workshop)
    rows[1]["retired"] = True
    services.save_criteria(actor=None, via="command", workshop=workshop, rows=rows)
    workshop.refresh_from_db()
    assert workshop.criteria[1]["retired_on"]
    by_title = {r.issue.title: r for r in issue_rows(workshop)}
    row = by_title["他市町村と情報共有共同対応の可能性を探る"]
    assert row.averages["法令準拠"] == D("1.2")  # still shown
    assert row.total == D("4.8") + D("3.2") and row.rank == 2  # as with weight 0
    form = ScoresForm(issues=list(workshop.issues.all()), criteria=workshop.criteria,
                      members=Municipality.objects.none())
    assert {criterion for _issue, criterion in form.cells.values()} == {"影響性", "容易性"}
    with pytest.raises(ValidationError):
        services.save_scores(actor=None, via="command", workshop=workshop, participant="A市",
                             scores={workshop.issues.first().pk: {"法令準拠": D(4)}})
    # Unticking restores it with its weight; re-saving a retired one keeps its date.
    rows = rows_of(workshop)
    retired_on = workshop.criteria[1]["retired_on"]
    services.save_criteria(actor=None, via="command", workshop=workshop, rows=rows)
    workshop.refresh_from_db()
    assert workshop.criteria[1]["retired_on"] == retired_on
    rows[1]["retired"] = False
    services.save_criteria(actor=None, via="command", workshop=workshop, rows=rows)
    workshop.refresh_from_db()
    assert rules.is_active(workshop.criteria[1]) and ranking(workshop)["他市町村と情報共有共同対応の可能性を探る"] == 7


def test_a_renamed_criterion_keeps_its_scores_even_when_names_are_swapped(workshop):
    issue = workshop.issues.get(position=1)
    services.save_scores(actor=None, via="command", workshop=workshop, participant="A市 佐藤",
                         scores={issue.pk: {"影響性": D(5), "容易性": D(1)}})
    rows = rows_of(workshop)
    rows[0]["name"], rows[2]["name"] = "容易性", "影響性"
    services.save_criteria(actor=None, via="command", workshop=workshop, rows=rows)
    workshop.refresh_from_db()
    assert [c["name"] for c in workshop.criteria] == ["容易性", "法令準拠", "影響性"]
    assert dict(Score.objects.filter(issue=issue).values_list("criterion", "value")) == {"容易性": 5, "影響性": 1}
    assert ImportedAverage.objects.get(issue=issue, criterion="容易性").value == D(5)
    entry = AuditEntry.objects.get(action="workshop.criteria")
    assert entry.after["renamed"] == {"影響性": "容易性", "容易性": "影響性"}


def test_a_scored_criterion_is_not_deleted_an_unscored_one_is(workshop):
    rows = rows_of(workshop) + [{"was": None, "name": "緊急性", "weight": D("1.5"), "retired": False, "delete": False}]
    services.save_criteria(actor=None, via="command", workshop=workshop, rows=rows)
    workshop.refresh_from_db()
    assert workshop.criteria[3] == {"name": "緊急性", "weight": "1.5"}
    before = db_state()
    rows = rows_of(workshop)
    rows[0]["delete"] = True
    with pytest.raises(ValidationError) as exc:
        services.save_criteria(actor=None, via="command", workshop=workshop, rows=rows)
    assert exc.value.messages == ["採点のある評価基準は削除できません。廃止してください: 影響性"]
    assert db_state() == before
    rows = rows_of(workshop)
    rows[3]["delete"] = True
    services.save_criteria(actor=None, via="command", workshop=workshop, rows=rows)
    workshop.refresh_from_db()
    assert [c["name"] for c in workshop.criteria] == ["影響性", "法令準拠", "容易性"]


@pytest.mark.parametrize(("change", "message"), [
    (lambda rows: rows[1].update(name="影響性"), "2行目: 評価基準「影響性」が重複しています。"),
    (lambda rows: rows[0].update(name=" "), "1行目: 評価基準の名称を入力してください。"),
    (lambda rows: rows[0].update(name="長" * 51), "1行目: 評価基準の名称は50文字以内にしてください。"),
    (lambda rows: rows[2].update(weight=D(11)), "3行目: 重みは0〜10（小数第2位まで）で入力してください。"),
    (lambda rows: rows[2].update(weight=D("0.125")), "3行目: 重みは0〜10（小数第2位まで）で入力してください。"),
    (lambda rows: [row.update(retired=True) for row in rows], "使用中の評価基準が少なくとも1件必要です。"),
    (lambda rows: rows.extend({"was": None, "name": f"基準{n}", "weight": D(1)} for n in range(8)),
     "評価基準は10件までです。"),
])
def test_criteria_are_checked_in_japanese_and_nothing_is_written(workshop, change, message):
    rows = rows_of(workshop)
    change(rows)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        services.save_criteria(actor=None, via="command", workshop=workshop, rows=rows)
    assert message in exc.value.messages
    assert db_state() == before


def test_a_retired_issue_keeps_its_scores_and_actions_but_is_not_ranked_or_planned(workshop):
    issue = workshop.issues.get(title="原課に意識付けを行う")
    services.retire_issue(actor=None, via="command", issue=issue, on=TODAY)
    rows = {r.issue.title: r for r in issue_rows(workshop)}
    assert rows["原課に意識付けを行う"].rank is None and rows["原課に意識付けを行う"].total == D("13.1")
    assert rows["全庁的な課題の整理"].rank == 1  # 12.5 now leads
    assert AuditEntry.objects.get(action="issue.retire").after["retired_on"] == "2026-06-01"
    issues = Issue.objects.filter(workshop=workshop)
    assert issue not in ActionItemForm(issues=issues).fields["issue"].queryset
    kept = issue.actions.first()
    assert issue in ActionItemForm(issues=issues, instance=kept).fields["issue"].queryset
    with pytest.raises(ValidationError) as exc:
        services.add_action_item(actor=None, via="command", issue=issue, fiscal_year=2026, half="first", text="研修")
    assert exc.value.messages == ["この課題は廃止されているため、新しいアクションを登録できません。"]
    other = ActionItem.objects.exclude(issue=issue).first()
    with pytest.raises(ValidationError):
        services.update_action_item(actor=None, via="command", item=other, issue=issue)
    services.update_action_item(actor=None, via="command", item=kept, text="研修の実施（改）")  # its own issue stays
    services.reactivate_issue(actor=None, via="command", issue=issue)
    assert ranking(workshop)["原課に意識付けを行う"] == 1


def test_an_issue_is_deleted_only_when_nothing_names_it(workshop):
    used = workshop.issues.get(position=1)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        services.delete_issue(actor=None, via="command", issue=used)
    assert "廃止してください" in exc.value.messages[0]
    assert db_state() == before
    fresh = services.add_issue(actor=None, via="command", workshop=workshop, title="新しい課題")
    services.update_issue(actor=None, via="command", issue=fresh, title="改めた課題", summary="要点")
    assert AuditEntry.objects.get(action="issue.update", object_id=str(fresh.pk)).after["title"] == "改めた課題"
    services.delete_issue(actor=None, via="command", issue=fresh)
    assert not Issue.objects.filter(pk=fresh.pk).exists()
    assert AuditEntry.objects.get(action="issue.delete").before["title"] == "改めた課題"


def test_actions_are_edited_done_and_retired_off_the_chart_and_the_export(workshop, client_for, secretariat_user):
    item = ActionItem.objects.get(text="研修計画の策定")
    services.update_action_item(actor=None, via="command", item=item, status="done", owner="人事課")
    entry = AuditEntry.objects.get(action="action_item.update")
    assert (entry.before["status"], entry.after["status"]) == ("in_progress", "done")
    assert (entry.before["owner"], entry.after["owner"]) == ("事務局", "人事課")
    services.retire_action_item(actor=None, via="command", item=item)
    assert AuditEntry.objects.filter(action="action_item.retire").count() == 1
    client = client_for(secretariat_user)
    base = f"/a/{workshop.association_id}/workshops/{workshop.pk}"
    page = client.get(f"{base}/plan/")
    assert "研修計画の策定" in page.content.decode()  # the table keeps it
    assert "研修計画の策定" not in str(page.context["chart"])
    book = load_workbook(io.BytesIO(client.get(f"{base}/plan.xlsx").content))
    assert not any("研修計画の策定" in str(c.value) for row in book.active.iter_rows() for c in row)
    services.reactivate_action_item(actor=None, via="command", item=item)
    assert "研修計画の策定" in str(client.get(f"{base}/plan/").context["chart"])


# ---- pages ----------------------------------------------------------------------------------------------------


def test_the_criteria_page_changes_a_weight_and_the_table_follows(workshop, client_for, secretariat_user):
    client = client_for(secretariat_user)
    base = f"/a/{workshop.association_id}/workshops/{workshop.pk}"
    assert client.get(f"{base}/criteria/").status_code == 200
    data = {"was_0": "影響性", "name_0": "影響性", "weight_0": "1", "was_1": "法令準拠", "name_1": "法令準拠",
            "weight_1": "0", "was_2": "容易性", "name_2": "容易性", "weight_2": "1"}
    assert client.post(f"{base}/criteria/", data).status_code == 302
    rows = client.get(f"{base}/").context["rows"]
    assert [r.issue.title for r in rows][:2] == ["原課に意識付けを行う", "他市町村と情報共有共同対応の可能性を探る"]
    refused = client.post(f"{base}/criteria/", data | {"weight_1": "", "name_3": "新基準"})
    assert refused.status_code == 200
    assert "重みを入力してください。" in refused.content.decode() or "Enter the weight." in refused.content.decode()


def test_the_workshop_and_issue_pages_take_wareki_and_members_cannot_write(workshop, client_for, secretariat_user,
                                                                          admin_user):
    base = f"/a/{workshop.association_id}/workshops/{workshop.pk}"
    client = client_for(secretariat_user)
    response = client.post(f"{base}/edit/", {"name": workshop.name, "held_on": "令和8年5月10日", "published": "on"})
    assert response.status_code == 302
    workshop.refresh_from_db()
    assert workshop.held_on == dt.date(2026, 5, 10)
    issue = workshop.issues.get(position=9)
    assert client.post(f"{base}/issues/{issue.pk}/retire/", {"retired_on": "R8.6.2"}).status_code == 302
    issue.refresh_from_db()
    assert issue.retired_on == dt.date(2026, 6, 2)
    member = client_for(admin_user)
    assert member.get(f"{base}/issues/{issue.pk}/").status_code == 403
    assert member.post(f"{base}/issues/{issue.pk}/reactivate/").status_code == 403
    assert "令和8年6月2日" in member.get(f"{base}/").content.decode()  # read: the retired issue, marked


def test_a_draft_workshop_stays_hidden_from_members_on_the_edit_pages(association, client_for, admin_user):
    draft = Workshop.objects.create(association=association, name="準備中")
    assert client_for(admin_user).get(f"/a/{association.pk}/workshops/{draft.pk}/criteria/").status_code in (403, 404)
