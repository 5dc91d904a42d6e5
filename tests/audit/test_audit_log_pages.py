"""The audit log's pages (the municipality's, the association's, the operator's): filters and sort kept across
pages, a fixed number of queries on the first and the last page at two sizes; and its CSV download, streamed."""

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.http import StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jichitai.audit.export import CSV_HEADERS
from jichitai.audit.models import AuditEntry
from jichitai.audit.services import entry, record_many
from jichitai.orgs.models import Membership

START = dt.datetime(2026, 12, 3, 9, 0, 0, tzinfo=timezone.get_default_timezone())
PAGE = 100


@pytest.fixture
def operator(db):
    user = get_user_model().objects.create_user(username="ops", password="pw-for-tests-only")
    Membership.objects.create(user=user, role=Membership.Role.OPERATOR)
    return user


def add_entries(count: int, *, municipality=None, association=None, start: int = 0) -> None:
    """`count` entries a minute apart from START; every third is a login failure by 佐藤, the rest settings
    changes by 鈴木 and 田中 in turn (so a filter keeps some, and a sort by user reorders)."""
    target = municipality or association
    entries = []
    for i in range(start, start + count):
        action, actor = ("login.failure", "佐藤") if i % 3 == 0 else ("risk.settings", ("鈴木", "田中")[i % 2])
        e = entry(actor=None, via="web", action=action, obj=target, municipality=municipality,
                  association=association)
        e.actor_name, e.at = actor, START + dt.timedelta(minutes=i)
        entries.append(e)
    record_many(entries)


def page_ids(client, path: str, params: dict) -> list[int]:
    """Every entry the pages list, following the 「次へ」 link from page 1 (so the link must keep the filters)."""
    ids, url, seen = [], path + "?" + "&".join(f"{k}={v}" for k, v in params.items()), 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        ids += [e.pk for e in response.context["page_obj"].object_list]
        seen += 1
        following = re.search(r'<a href="([^"]+)">次へ', response.content.decode())
        url = path + following.group(1).replace("&amp;", "&") if following else None
    assert seen > 1, "the test needs more than one page"
    return ids


CASES = {
    # page, who reads it, filters the page offers (with the sort where it has one), what the filter keeps
    "municipality": ("/m/{code}/audit/", "admin", {"action": "risk", "actor": "鈴"}, None),
    "association": ("/a/{association}/audit/", "secretariat", {"action": "risk", "actor": "鈴", "sort": "at"}, "at"),
    "operator": ("/audit/", "operator", {"action": "risk", "actor": "鈴", "sort": "at"}, "at"),
}


def _setup(case, municipality, association, admin_user, secretariat_user, operator, count):
    path, who, params, sort = CASES[case]
    if case == "association":
        add_entries(count, association=association)
        own = AuditEntry.objects.filter(association=association)
    else:
        add_entries(count, municipality=municipality)
        own = AuditEntry.objects.filter(municipality=municipality)
    user = {"admin": admin_user, "secretariat": secretariat_user, "operator": operator}[who]
    return path.format(code=municipality.code, association=association.pk), user, params, sort, own


@pytest.mark.parametrize("case", sorted(CASES))
def test_filters_and_sort_are_kept_across_pages(case, client, municipality, association, admin_user,
                                               secretariat_user, operator):
    path, user, params, sort, own = _setup(case, municipality, association, admin_user, secretariat_user,
                                           operator, 600)
    client.force_login(user)
    expected = list(own.filter(action__startswith="risk", actor_name__icontains="鈴")
                    .order_by(*(("at", "id") if sort == "at" else ("-at", "-id"))).values_list("pk", flat=True))
    assert len(expected) == 200  # i odd and not a multiple of 3: 2 pages
    assert page_ids(client, path, params) == expected


@pytest.mark.parametrize("case", sorted(CASES))
def test_first_and_last_page_run_the_same_queries_at_two_sizes(case, client, municipality, association,
                                                               admin_user, secretariat_user, operator):
    path, user, _params, _sort, _own = _setup(case, municipality, association, admin_user, secretariat_user,
                                              operator, 150)
    client.force_login(user)
    client.get(path)  # caches (sessions, labels) warmed
    counts = []
    for size in (150, 450):
        if size == 450:
            add_entries(300, start=150, **({"association": association} if case == "association"
                                           else {"municipality": municipality}))
        last = -(-size // PAGE)
        for page in (1, last):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(path, {"page": page})
            assert response.status_code == 200 and response.context["page_obj"].number == page
            assert len(response.context["page_obj"].object_list) == (PAGE if page < last else size - PAGE * (last - 1))
            counts.append(len(queries))
    assert len(set(counts)) == 1, counts


# ---- CSV -------------------------------------------------------------------------------------------------------

def read_csv(response) -> list[list[str]]:
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode())  # the BOM: Excel reads UTF-8
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_association_csv_is_the_filtered_log_in_the_page_order(client_for, secretariat_user, association):
    add_entries(450, association=association)
    client = client_for(secretariat_user)
    params = {"action": "risk", "sort": "at"}
    response = client.get(f"/a/{association.pk}/audit.csv", params)
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"] and ".csv" in response["Content-Disposition"]
    rows = read_csv(response)
    assert rows[0] == CSV_HEADERS == ["日時", "利用者", "経路", "団体", "連合会", "操作", "対象",
                                      "内容（項目: 変更前 → 変更後）", "連番"]
    filtered = AuditEntry.objects.filter(association=association, action__startswith="risk").order_by("at", "id")
    assert len(rows) - 1 == filtered.count() == 300
    first = filtered.first()
    assert rows[1][0] == "令和8年12月3日 09:01:00"  # as the page shows it (wareki_seconds)
    assert rows[1][1:3] == ["田中", "画面"] and rows[1][5] == "リスク評価の設定変更" and rows[1][8] == str(first.seq)
    assert rows[1][4] == association.name
    assert [r[0] for r in rows[1:4]] == ["令和8年12月3日 09:01:00", "令和8年12月3日 09:02:00",
                                         "令和8年12月3日 09:04:00"]
    page = client.get(f"/a/{association.pk}/audit/", params).content.decode()
    assert "令和8年12月3日 09:01:00" in page


def test_csv_dates_follow_the_association_style_and_formula_text_stays_text(client_for, admin_user, municipality):
    municipality.association.date_style = "western"
    municipality.association.save()
    add_entries(4, municipality=municipality)
    AuditEntry.objects.filter(municipality=municipality).update(object_repr="=HYPERLINK(\"http://x\")")
    rows = read_csv(client_for(admin_user).get(f"/m/{municipality.code}/audit.csv", {"actor": "佐藤"}))
    assert len(rows) == 1 + 2  # entries 0 and 3 are 佐藤's
    assert [r[0] for r in rows[1:]] == ["2026年12月3日 09:03:00", "2026年12月3日 09:00:00"]  # newest first
    assert {r[6] for r in rows[1:]} == {"'=HYPERLINK(\"http://x\")"}
    assert {r[5] for r in rows[1:]} == {"ログインの失敗"}


def test_operator_csv_lists_every_tenant_and_reads_in_chunks(client, operator, municipality, association):
    add_entries(2500, municipality=municipality)
    add_entries(10, association=association)
    client.force_login(operator)
    with CaptureQueriesContext(connection) as queries:
        rows = read_csv(client.get("/audit.csv"))
    assert len(rows) == 1 + 2510
    assert {r[3] for r in rows[1:]} == {municipality.name, ""}
    entry_reads = [q["sql"] for q in queries.captured_queries if 'FROM "audit_auditentry"' in q["sql"]]
    assert len(entry_reads) == 1  # one query, fetched 2,000 rows at a time (iterator), never a list of them all


def test_municipality_page_links_its_csv_with_the_filters(client_for, admin_user, municipality):
    body = client_for(admin_user).get(f"/m/{municipality.code}/audit/", {"action": "login"}).content.decode()
    assert f'href="/m/{municipality.code}/audit.csv?action=login"' in body
