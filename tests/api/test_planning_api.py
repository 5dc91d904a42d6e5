"""The planning API (issue 14): workshops with their recomputed 課題分析 table, and action items written by the
secretariat through planning.services, as the pages allow."""

import json
from decimal import Decimal

import pytest
from django.utils import timezone

from jichitai.audit.models import AuditEntry
from jichitai.core.mynumber import my_number_check_digit
from jichitai.orgs.token_services import create_api_token
from jichitai.planning import services
from jichitai.planning.models import ActionItem, Issue, Workshop
from tests.helpers import db_state

MY_NUMBER = "12345678901" + str(my_number_check_digit("12345678901"))


def send(client, method, path, body=None, **headers):
    return getattr(client, method)(path, json.dumps(body if body is not None else {}), content_type="application/json",
                                   **headers)


@pytest.fixture
def workshop(association):
    workshop = Workshop.objects.create(association=association, name="第1回課題分析", published=True)
    Issue.objects.create(workshop=workshop, position=1, title="規程類の整理", summary="取扱規程が古い")
    Issue.objects.create(workshop=workshop, position=2, title="職員研修")
    return workshop


def issues(workshop) -> list[Issue]:
    return list(workshop.issues.order_by("position"))


def test_secretariat_creates_edits_moves_retires_and_reactivates_an_action(client_for, secretariat_user, workshop):
    first, second = issues(workshop)
    client = client_for(secretariat_user)
    created = send(client, "post", f"/api/v1/workshops/{workshop.pk}/actions",
                   {"issue_id": first.pk, "fiscal_year": "令和8年度", "half": "first", "text": "規程の見直し",
                    "owner": "事務局"})
    assert created.status_code == 201, created.content
    item = created.json()
    assert (item["fiscal_year"], item["fiscal_year_label"], item["half_label"], item["issue_title"], item["status"],
            item["retired"], item["workshop"]) == (2026, "令和8年度", "上期", "規程類の整理", "not_started", False,
                                                   workshop.pk)
    url = f"/api/v1/actions/{item['id']}"
    edited = send(client, "patch", url, {"text": "規程の全面改定", "owner": "A市 総務課", "status": "in_progress"}).json()
    assert (edited["text"], edited["owner"], edited["status_label"]) == ("規程の全面改定", "A市 総務課", "実施中")
    moved = send(client, "patch", url, {"issue_id": second.pk, "fiscal_year": "R9", "half": "second"}).json()
    assert (moved["issue_id"], moved["issue_title"], moved["fiscal_year"], moved["fiscal_year_label"],
            moved["half"]) == (second.pk, "職員研修", 2027, "令和9年度", "second")
    retired = send(client, "post", f"{url}/retire", {"retired_on": "R8.6.1"}).json()
    assert (retired["retired"], retired["retired_on"]) == (True, "2026-06-01")
    listed = client.get(f"/api/v1/workshops/{workshop.pk}/actions").json()
    assert listed["count"] == 1
    assert [(i["id"], i["issue_id"], i["fiscal_year"], i["half"], i["text"], i["retired_on"])
            for i in listed["items"]] == [(item["id"], second.pk, 2027, "second", "規程の全面改定", "2026-06-01")]
    back = send(client, "post", f"{url}/reactivate").json()
    assert back["retired"] is False and back["retired_on"] is None
    today = send(client, "post", f"{url}/retire", {}).json()  # no date: today, as on the page
    assert today["retired_on"] == timezone.localdate().isoformat()
    send(client, "post", f"{url}/reactivate")
    stored = ActionItem.objects.get()
    assert (stored.issue, stored.fiscal_year, stored.half, stored.retired_on) == (second, 2027, "second", None)
    assert list(AuditEntry.objects.filter(action__startswith="action_item").order_by("id").values_list(
        "action", "via")) == [("action_item.create", "api"), ("action_item.update", "api"),
                              ("action_item.update", "api"), ("action_item.retire", "api"),
                              ("action_item.reactivate", "api"), ("action_item.retire", "api"),
                              ("action_item.reactivate", "api")]


@pytest.mark.parametrize(("sent", "year"), [(2026, 2026), ("2026", 2026), ("R8", 2026), ("令和8年度", 2026),
                                            ("令８年度", 2026), ("H32", 2020), ("平成元年度", 1989), (2100, 2100)])
def test_fiscal_year_as_number_or_wareki(client_for, secretariat_user, workshop, sent, year):
    response = send(client_for(secretariat_user), "post", f"/api/v1/workshops/{workshop.pk}/actions",
                    {"issue_id": issues(workshop)[0].pk, "fiscal_year": sent, "half": "second", "text": "点検"})
    assert response.status_code == 201, response.content
    assert response.json()["fiscal_year"] == year and ActionItem.objects.get().fiscal_year == year


@pytest.mark.parametrize(("sent", "words"), [
    (1988, "1989年度から2100年度まで"), (2101, "1989年度から2100年度まで"), ("R99", "1989年度から2100年度まで"),
    ("らいねん", "年度として読めません"), ("R0", "元年"), (True, "年度は"), (None, "年度は"), (20.5, "年度は")])
def test_a_bad_fiscal_year_is_refused_in_japanese_and_nothing_written(client_for, secretariat_user, workshop, sent,
                                                                      words):
    before = db_state()
    response = send(client_for(secretariat_user), "post", f"/api/v1/workshops/{workshop.pk}/actions",
                    {"issue_id": issues(workshop)[0].pk, "fiscal_year": sent, "half": "first", "text": "点検"})
    assert response.status_code == 422
    message = response.json()["detail"][0]["msg"]
    assert message.startswith("年度: ") and words in message, message
    assert db_state() == before


def test_moving_to_a_bad_fiscal_year_is_refused(client_for, secretariat_user, workshop):
    item = ActionItem.objects.create(issue=issues(workshop)[0], fiscal_year=2026, half="first", text="点検")
    response = send(client_for(secretariat_user), "patch", f"/api/v1/actions/{item.pk}", {"fiscal_year": "R83"})
    assert response.status_code == 422 and "2100年度まで" in response.json()["detail"][0]["msg"]
    item.refresh_from_db()
    assert item.fiscal_year == 2026


def test_issues_of_another_workshop_or_retired_are_refused(client_for, secretariat_user, workshop, association):
    other = Workshop.objects.create(association=association, name="別の回")
    foreign = Issue.objects.create(workshop=other, title="よその課題")
    client = client_for(secretariat_user)
    url = f"/api/v1/workshops/{workshop.pk}/actions"
    body = {"fiscal_year": 2026, "half": "first", "text": "点検"}
    response = send(client, "post", url, body | {"issue_id": foreign.pk})
    assert response.status_code == 400
    assert response.json() == {"detail": ["課題はこのワークショップのものを指定してください。"]}
    first, second = issues(workshop)
    services.retire_issue(actor=None, via="command", issue=second)
    response = send(client, "post", url, body | {"issue_id": second.pk})
    assert response.status_code == 400 and "課題" in response.json()["detail"][0]
    item = ActionItem.objects.create(issue=first, fiscal_year=2026, half="first", text="点検")
    moved = send(client, "patch", f"/api/v1/actions/{item.pk}", {"issue_id": foreign.pk})
    assert moved.status_code == 400 and not ActionItem.objects.filter(issue=foreign).exists()
    assert ActionItem.objects.count() == 1


def test_a_member_reads_published_workshops_and_may_not_write(client_for, admin_user, secretariat_user, workshop,
                                                                association):
    draft = Workshop.objects.create(association=association, name="下書きの回", published=False)
    Issue.objects.create(workshop=draft, title="下書きの課題")
    item = ActionItem.objects.create(issue=issues(workshop)[0], fiscal_year=2026, half="first", text="点検")
    member = client_for(admin_user)
    listed = member.get(f"/api/v1/associations/{association.pk}/workshops").json()
    assert [w["name"] for w in listed["items"]] == ["第1回課題分析"] and listed["count"] == 1
    assert member.get(f"/api/v1/workshops/{draft.pk}").status_code == 404
    assert member.get(f"/api/v1/workshops/{draft.pk}/actions").status_code == 404
    assert member.get(f"/api/v1/workshops/{workshop.pk}/actions").json()["count"] == 1
    before = db_state()
    response = send(member, "post", f"/api/v1/workshops/{workshop.pk}/actions",
                    {"issue_id": issues(workshop)[0].pk, "fiscal_year": 2026, "half": "first", "text": "点検"})
    assert response.status_code == 403 and response.json() == {"detail": "この操作を行う権限がありません。"}
    assert send(member, "patch", f"/api/v1/actions/{item.pk}", {"text": "改めた"}).status_code == 403
    assert send(member, "post", f"/api/v1/actions/{item.pk}/retire").status_code == 403
    assert send(member, "post", f"/api/v1/actions/{item.pk}/reactivate").status_code == 403
    assert db_state() == before
    secretariat = client_for(secretariat_user).get(f"/api/v1/associations/{association.pk}/workshops").json()
    assert {w["name"]: w["issue_count"] for w in secretariat["items"]} == {"第1回課題分析": 2, "下書きの回": 1}


def test_an_action_of_a_draft_is_404_to_a_member(client_for, admin_user, association):
    draft = Workshop.objects.create(association=association, name="下書きの回", published=False)
    item = ActionItem.objects.create(issue=Issue.objects.create(workshop=draft, title="課題"), fiscal_year=2026,
                                     half="first", text="点検")
    assert send(client_for(admin_user), "patch", f"/api/v1/actions/{item.pk}", {"text": "x"}).status_code == 404


def test_the_outsider_gets_404_everywhere(client_for, outsider_user, workshop, association):
    item = ActionItem.objects.create(issue=issues(workshop)[0], fiscal_year=2026, half="first", text="点検")
    client = client_for(outsider_user)
    for path in (f"/api/v1/associations/{association.pk}/workshops", f"/api/v1/workshops/{workshop.pk}",
                 f"/api/v1/workshops/{workshop.pk}/actions"):
        response = client.get(path)
        assert response.status_code == 404 and "見つかりません" in response.json()["detail"], path
    assert send(client, "post", f"/api/v1/workshops/{workshop.pk}/actions",
                {"issue_id": issues(workshop)[0].pk, "fiscal_year": 2026, "half": "first", "text": "x"}
                ).status_code == 404
    for method, path in (("patch", f"/api/v1/actions/{item.pk}"), ("post", f"/api/v1/actions/{item.pk}/retire"),
                         ("post", f"/api/v1/actions/{item.pk}/reactivate")):
        assert send(client, method, path, {}).status_code == 404, path


def test_a_read_only_token_reads_but_cannot_write(client, secretariat_user, workshop):
    raw = create_api_token(actor=None, via="command", user=secretariat_user, read_only=True)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get(f"/api/v1/workshops/{workshop.pk}", **auth).status_code == 200
    response = send(client, "post", f"/api/v1/workshops/{workshop.pk}/actions",
                    {"issue_id": issues(workshop)[0].pk, "fiscal_year": 2026, "half": "first", "text": "点検"}, **auth)
    assert response.status_code == 403
    assert response.json()["detail"] == "読み取り専用のAPIトークンでは変更できません。"
    assert not ActionItem.objects.exists()
    writable = create_api_token(actor=None, via="command", user=secretariat_user)
    assert send(client, "post", f"/api/v1/workshops/{workshop.pk}/actions",
                {"issue_id": issues(workshop)[0].pk, "fiscal_year": 2026, "half": "first", "text": "点検"},
                HTTP_AUTHORIZATION=f"Bearer {writable}").status_code == 201


def test_a_my_number_in_text_is_refused_and_not_echoed(client_for, secretariat_user, workshop):
    item = ActionItem.objects.create(issue=issues(workshop)[0], fiscal_year=2026, half="first", text="点検")
    client = client_for(secretariat_user)
    before = db_state()
    for method, path, body in (
            ("post", f"/api/v1/workshops/{workshop.pk}/actions",
             {"issue_id": issues(workshop)[0].pk, "fiscal_year": 2026, "half": "first", "text": f"番号 {MY_NUMBER}"}),
            ("patch", f"/api/v1/actions/{item.pk}", {"owner": MY_NUMBER}),
            ("patch", f"/api/v1/actions/{item.pk}", {"fiscal_year": MY_NUMBER})):
        response = send(client, method, path, body)
        text = json.dumps(response.json(), ensure_ascii=False)
        assert response.status_code in (400, 422) and "個人番号" in text
        assert MY_NUMBER not in text and MY_NUMBER not in response.content.decode()
    assert db_state() == before


def test_workshop_shows_the_recomputed_table(client_for, admin_user, secretariat_user, workshop):
    first, second = issues(workshop)
    services.save_scores(actor=None, via="command", workshop=workshop, participant="A市 佐藤",
                         scores={first.pk: {"影響性": Decimal(4), "法令準拠": Decimal(5), "容易性": Decimal(3)},
                                 second.pk: {"影響性": Decimal(5), "法令準拠": Decimal(5), "容易性": Decimal(5)}})
    services.save_scores(actor=None, via="command", workshop=workshop, participant="B町 鈴木",
                         scores={first.pk: {"影響性": Decimal(5), "法令準拠": Decimal("4.5"), "容易性": Decimal(2)},
                                 second.pk: {"影響性": Decimal(2), "法令準拠": Decimal(1), "容易性": Decimal(1)}})
    services.save_criteria(actor=None, via="command", workshop=workshop, rows=[
        {"was": "影響性", "name": "影響性", "weight": Decimal(2)}, {"was": "法令準拠", "name": "法令準拠", "weight": 1},
        {"was": "容易性", "name": "容易性", "weight": 1, "retired": True}])
    data = client_for(admin_user).get(f"/api/v1/workshops/{workshop.pk}").json()
    assert [(c["name"], c["weight"], c["retired"]) for c in data["criteria"]] == [
        ("影響性", 2.0, False), ("法令準拠", 1.0, False), ("容易性", 1.0, True)]
    rows = {row["title"]: row for row in data["issues"]}
    # 規程類の整理: 影響性 4.5 × 2 + 法令準拠 4.75 = 13.75 (容易性 retired: shown, not counted).
    assert rows["規程類の整理"]["averages"] == {"影響性": 4.5, "法令準拠": 4.75, "容易性": 2.5}
    assert rows["規程類の整理"]["averages_shown"] == {"影響性": 4.5, "法令準拠": 4.8, "容易性": 2.5}
    assert (rows["規程類の整理"]["total"], rows["規程類の整理"]["total_shown"], rows["規程類の整理"]["rank"],
            rows["規程類の整理"]["participants"]) == (13.75, 13.8, 1, 2)
    assert (rows["職員研修"]["total"], rows["職員研修"]["rank"]) == (10.0, 2)
    services.retire_issue(actor=None, via="command", issue=first)
    rows = {row["title"]: row for row in client_for(secretariat_user).get(f"/api/v1/workshops/{workshop.pk}").json()
            ["issues"]}
    assert (rows["規程類の整理"]["retired"], rows["規程類の整理"]["rank"], rows["職員研修"]["rank"]) == (True, None, 1)
    assert rows["規程類の整理"]["summary"] == "取扱規程が古い"


def test_lists_are_paginated(client_for, secretariat_user, workshop):
    first = issues(workshop)[0]
    for n in range(5):
        ActionItem.objects.create(issue=first, fiscal_year=2026 + n, half="first", text=f"項目{n}")
    client = client_for(secretariat_user)
    page = client.get(f"/api/v1/workshops/{workshop.pk}/actions?limit=2&offset=3").json()
    assert page["count"] == 5 and [i["text"] for i in page["items"]] == ["項目3", "項目4"]
    for query in ("limit=0", "limit=1001", "offset=-1", "limit=abc", "offset=1000001"):
        response = client.get(f"/api/v1/workshops/{workshop.pk}/actions?{query}")
        assert response.status_code == 422, query
        assert any("\u3040" <= ch <= "\u9fff" for ch in response.json()["detail"][0]["msg"]), query


def _grow(association, workshop, n: int) -> None:
    """n more workshops and n more issues with an action and a participant's scores each."""
    for i in range(n):
        Workshop.objects.create(association=association, name=f"追加{workshop.pk}-{i}", published=True)
        issue = Issue.objects.create(workshop=workshop, position=10 + i, title=f"課題{i}")
        ActionItem.objects.create(issue=issue, fiscal_year=2027, half="second", text=f"対応{i}")
        services.save_scores(actor=None, via="command", workshop=workshop, participant=f"参加者{i}",
                             scores={issue.pk: {"影響性": Decimal(3)}})


@pytest.mark.parametrize(("path", "queries"), [
    # session, user, the association (as a reader), is-secretariat, count, page
    ("/api/v1/associations/{association}/workshops", 6),
    # session, user, the workshop, is-secretariat, published-or-secretariat check, count, page
    ("/api/v1/workshops/{workshop}/actions", 7),
    # session, user, the workshop, is-secretariat, published-or-secretariat check, issues, scores, averages
    ("/api/v1/workshops/{workshop}", 8),
])
@pytest.mark.parametrize("persona", ["admin_user", "secretariat_user"])
def test_reads_run_a_fixed_number_of_queries(client_for, request, django_assert_num_queries, association, workshop,
                                             path, queries, persona):
    client = client_for(request.getfixturevalue(persona))
    url = path.format(association=association.pk, workshop=workshop.pk)
    _grow(association, workshop, 1)
    with django_assert_num_queries(queries):
        small = client.get(url).json()
    _grow(association, workshop, 12)
    with django_assert_num_queries(queries):
        large = client.get(url).json()
    size = (lambda data: len(data["issues"])) if "issues" in small else (lambda data: data["count"])
    assert size(large) == size(small) + 12
