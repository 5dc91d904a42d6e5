"""The analysis page shows its handling table a page at a time (issue 16): 100 rows a page, read in the database,
filtered and sorted by GET parameters that the pagination links keep, in the same queries whatever the size of
the table and whichever page."""

import html as html_lib
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.handling import rules
from jichitai.handling.models import FlowStep, HandlingRow
from jichitai.processes.models import Process
from jichitai.risk.models import Countermeasure, RiskRow, RiskSettings
from tests.exchange.test_progress_import import FAKE_MY_NUMBER

LEVEL = 9  # the association's acceptance level: residuals 9 and 12 need attention, 0 3 6 do not
STAGES_BACKWARDS = tuple(reversed(rules.STAGE_KEYS))  # ids in the opposite order of the stages
KINDS = tuple(key for key, _ in rules.KINDS)


def _residual(i: int) -> Decimal:
    return Decimal((i % 5) * 3)


def _table(process, n: int) -> list[HandlingRow]:
    """n rows with many ties (stage, position, asset value, total), each analysed with one countermeasure."""
    rows = HandlingRow.objects.bulk_create(
        HandlingRow(process=process, row_id=f"{i // 10 + 1}-{i % 10 + 1}",
                    asset_name="申請書" if i % 4 == 0 else f"台帳{i}", kind=KINDS[i % 3],
                    stage=STAGES_BACKWARDS[i % 5], confidentiality=3, integrity=2, availability=2,
                    asset_value=2 + i % 3, position=i // 7) for i in range(n))
    risks = RiskRow.objects.bulk_create(
        RiskRow(handling_row=r, vulnerability_rating=2, threat_rating=2, total=r.asset_value * 4,
                residual=_residual(i)) for i, r in enumerate(rows))
    Countermeasure.objects.bulk_create(Countermeasure(risk_row=risk, text=f"対策{risk.pk}", reduction=Decimal("0.5"))
                                       for risk in risks)
    return rows


@pytest.fixture
def level(association):
    RiskSettings.objects.create(association=association, acceptance_level=LEVEL)
    return LEVEL


def _process(municipality, name, n):
    process = Process.objects.create(municipality=municipality, name=name)
    FlowStep.objects.create(process=process, order=1, lane="resident", action="申請書を提出する")
    return process, _table(process, n)


def _url(municipality, process):
    return f"/m/{municipality.code}/processes/{process.pk}/analysis/"


_ROW = re.compile(r'<tr( class="attention")?>\s*<td class="nowrap">[^<]*</td><td class="nowrap">([^<]+)</td>')


def _table_html(page: str) -> str:
    start = page.index('<table class="grid analysis">')
    return page[start:page.index("</table>", start)]


def shown(page: str) -> list[str]:
    """The row IDs the handling table shows, in order."""
    return [row_id for _attention, row_id in _ROW.findall(_table_html(page))]


def marked(page: str) -> set[str]:
    return {row_id for attention, row_id in _ROW.findall(_table_html(page)) if attention}


def pagination_links(page: str) -> list[dict[str, list[str]]]:
    navs = re.findall(r'<nav class="pagination">(.*?)</nav>', page, re.S)
    return [parse_qs(urlsplit(html_lib.unescape(href)).query) for nav in navs
            for href in re.findall(r'href="([^"]*)"', nav)]


def next_link(page: str) -> str | None:
    navs = re.findall(r'<nav class="pagination">(.*?)</nav>', page, re.S)
    found = re.search(r'href="([^"]*)">[^<]*→', navs[0]) if navs else None
    return html_lib.unescape(found.group(1)) if found else None


def walk(client, url, params: dict) -> list[str]:
    """Every row ID shown, following the pages' own 「次へ」 links from the first page to the last."""
    seen = []
    response = client.get(url, params)
    while True:
        assert response.status_code == 200
        page = response.content.decode()
        seen += shown(page)
        link = next_link(page)
        if link is None:
            return seen
        response = client.get(url + link)


def test_query_count_is_the_same_at_two_sizes_and_on_first_and_last_page(client_for, admin_user, municipality,
                                                                         beppyo, level):
    client = client_for(admin_user)
    small, _ = _process(municipality, "小さい事務", 30)
    large, _ = _process(municipality, "大きい事務", 250)
    counts = {}
    for process, pages in ((small, (1,)), (large, (1, 3))):
        for number in pages:
            for params in ({}, {"sort": "total", "kind": "paper", "q": "申請書"}, {"attention": "on", "sort": "id"}):
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(_url(municipality, process), {**params, "page": number})
                assert response.status_code == 200 and shown(response.content.decode())
                counts[(process.name, number, tuple(params))] = len(queries)
    assert len(set(counts.values())) == 1, counts
    assert set(counts.values()) <= {14}, counts  # the analysis page's 13 before pagination, and the COUNT


def test_a_page_shows_at_most_100_rows_and_says_which(client_for, admin_user, municipality, beppyo, level):
    process, _ = _process(municipality, "事務", 250)
    client = client_for(admin_user)
    first = client.get(_url(municipality, process)).content.decode()
    assert len(shown(first)) == 100 and "全 250 行中 1–100 行目" in first
    ids = re.findall(r' id="([^"]+)"', first)
    assert "rows_stage" in ids and len(ids) == len(set(ids))  # the filter's fields beside the step form's
    second = client.get(_url(municipality, process), {"page": 2}).content.decode()
    assert len(shown(second)) == 100 and "全 250 行中 101–200 行目" in second
    last = client.get(_url(municipality, process), {"page": 3}).content.decode()
    assert len(shown(last)) == 50 and "全 250 行中 201–250 行目" in last
    assert "申請書を提出する" in last  # the flow's steps are on every page
    assert "対策" in last and "△0.5" in last  # each row's countermeasures


@pytest.mark.parametrize("sort", ["", "stage", "id", "value", "total"])
def test_walking_all_pages_shows_every_row_once_in_order(client_for, admin_user, municipality, beppyo, level, sort):
    process, rows = _process(municipality, "事務", 250)
    seen = walk(client_for(admin_user), _url(municipality, process), {"sort": sort} if sort else {})
    assert len(seen) == 250 and sorted(seen) == sorted(r.row_id for r in rows)
    by_id = {r.row_id: r for r in rows}
    keys = {
        "": lambda r: (rules.STAGE_KEYS.index(r.stage), r.position, r.pk),
        "stage": lambda r: (rules.STAGE_KEYS.index(r.stage), r.position, r.pk),
        "id": lambda r: r.row_id,
        "value": lambda r: (-r.asset_value, rules.STAGE_KEYS.index(r.stage), r.position, r.pk),
        "total": lambda r: (-r.asset_value * 4, rules.STAGE_KEYS.index(r.stage), r.position, r.pk),
    }
    assert seen == [r.row_id for r in sorted(rows, key=keys[sort])]
    assert seen != [r.row_id for r in rows]  # the sort did something: ids are not in that order
    if sort in ("", "stage"):
        stages = [rules.STAGE_KEYS.index(by_id[row_id].stage) for row_id in seen]
        assert stages == sorted(stages) and stages[0] == 0 and stages[-1] == 4


def test_filters_and_counts(client_for, admin_user, municipality, beppyo, level):
    process, rows = _process(municipality, "事務", 250)
    client = client_for(admin_user)
    url = _url(municipality, process)

    def every(params):
        return sorted(walk(client, url, params))

    assert every({"stage": "store"}) == sorted(r.row_id for r in rows if r.stage == "store")
    assert every({"kind": "electronic"}) == sorted(r.row_id for r in rows if r.kind == "electronic")
    assert every({"q": "申請書"}) == sorted(r.row_id for r in rows if r.asset_name == "申請書")
    assert every({"q": "２５－"}) == sorted(r.row_id for r in rows if r.row_id.startswith("25-"))  # full-width
    needing = sorted(r.row_id for i, r in enumerate(rows) if _residual(i) >= LEVEL)
    assert every({"attention": "on"}) == needing and len(needing) == 100
    both = every({"attention": "on", "stage": "use", "kind": "paper"})
    assert both == sorted(r.row_id for i, r in enumerate(rows)
                          if _residual(i) >= LEVEL and r.stage == "use" and r.kind == "paper") and both
    page = client.get(url, {"stage": "store"}).content.decode()
    assert "全 50 行中 1–50 行目" in page and '<nav class="pagination">' not in page
    none = client.get(url, {"q": "ありえない名称"}).content.decode()
    assert shown(none) == [] and "全 0 行" in none and "条件に合う行はありません。" in none


def test_pagination_links_keep_filters_and_sort(client_for, admin_user, municipality, beppyo, level):
    process, _ = _process(municipality, "事務", 700)
    client = client_for(admin_user)
    params = {"sort": "value", "kind": "paper", "q": "台帳"}  # 700 × 3/4 台帳 × 1/3 paper: 175 rows, 2 pages
    first = client.get(_url(municipality, process), params).content.decode()
    links = pagination_links(first)
    assert links and all(link["page"] == ["2"] for link in links)
    for link in links:
        assert {k: v[0] for k, v in link.items() if k != "page"} == params
    second = client.get(_url(municipality, process), {**params, "page": 2}).content.decode()
    back = pagination_links(second)
    assert back and all(link["page"] == ["1"] and link["sort"] == ["value"] and link["q"] == ["台帳"]
                        for link in back)
    # the form shows what was asked, so a new filter keeps the sort
    assert '<option value="value" selected>' in first and 'value="台帳"' in first


def test_invalid_parameters_fall_back_to_defaults(client_for, admin_user, municipality, beppyo, level):
    process, _ = _process(municipality, "事務", 250)
    client = client_for(admin_user)
    url = _url(municipality, process)
    default = shown(client.get(url).content.decode())
    for params in ({"sort": "bogus"}, {"sort": "-id"}, {"page": "abc"}, {"page": ""}, {"stage": "moon"},
                   {"kind": ["paper", "<script>"]}, {"q": "x" * 500}, {"sort": "id; DROP TABLE x"},
                   {"stage": "", "kind": "", "q": "", "sort": ""}):
        response = client.get(url, params)
        assert response.status_code == 200, params
        assert shown(response.content.decode()) == default, params  # a repeated kind: its last value counts
    for number in ("999", "0", "-1"):  # out of range: the last page
        last = client.get(url, {"page": number})
        assert last.status_code == 200 and len(shown(last.content.decode())) == 50, number
    # an individual number in the search never reaches the page (the query-string guard answers 400)
    refused = client.get(url, {"q": FAKE_MY_NUMBER})
    assert refused.status_code == 400 and FAKE_MY_NUMBER not in refused.content.decode()


def test_attention_class_marks_the_rows_at_or_above_the_level(client_for, admin_user, municipality, beppyo, level):
    process, rows = _process(municipality, "事務", 250)
    client = client_for(admin_user)
    residual = {r.row_id: _residual(i) for i, r in enumerate(rows)}
    seen_marked = 0
    for number in (1, 2, 3):
        page = client.get(_url(municipality, process), {"page": number, "sort": "id"}).content.decode()
        ids = shown(page)
        assert marked(page) == {row_id for row_id in ids if residual[row_id] >= LEVEL}
        seen_marked += len(marked(page))
    assert seen_marked == 100  # residuals 9 and 12 with the association's level 9 (the default 12 marks 50)
    RiskSettings.objects.filter(association=municipality.association).delete()
    page = client.get(_url(municipality, process), {"sort": "id"}).content.decode()
    assert marked(page) == {row_id for row_id in shown(page) if residual[row_id] >= 12} and marked(page)
