"""The incident register pages through the incidents in SQL (50 a page): the same query count whatever the size
and page, every incident on exactly one page, filters and sort kept in the page links, and the SQL twins of the
rules (overdue, open, the 確報 due date) picking the same incidents and order as the rules do in Python."""

import datetime as dt
import html
import io
import itertools
import re

import pytest
from openpyxl import load_workbook

from jichitai.incidents import queries, rules
from jichitai.incidents.models import Incident, IncidentPhase
from tests.helpers import get_counting_queries, ids_in_table
from tests.incidents.conftest import KNOWN, make_incident

PER_PAGE = 50
KINDS = [["leak"], ["loss", "damage"], ["damage"], ["misuse", "leak"], ["improper_provision"], []]


def _populate(municipality, start, count):
    """Incidents start..start+count-1: two in three reportable (150 persons), kinds in turn, a day apart."""
    for i in range(start, start + count):
        known = KNOWN - dt.timedelta(days=i % 200, hours=i % 7)
        make_incident(municipality, title=f"事案{(i * 37) % 1000:03}", kinds=KINDS[i % len(KINDS)],
                      persons_affected=2 if i % 3 == 2 else 150, known_at=known,
                      discovered_at=known - dt.timedelta(hours=1))


def _get(client, url):
    return get_counting_queries(client, url)


def _ids(page: str) -> list[int]:
    return ids_in_table(page, r"/m/\d+/incidents/(\d+)/")


def _python_register(municipality, params, days=rules.DEFAULT_PRELIMINARY_DAYS, as_of=None):
    """The register as it was read before it paged: every incident assessed, then filtered and sorted in Python."""
    from django.utils import timezone

    as_of = as_of or timezone.localdate()
    rows = queries.register(Incident.objects.filter(municipality=municipality), {}, days, as_of)
    if params.get("kind"):
        rows = [i for i in rows if params["kind"] in i.kinds]
    if params.get("reportable"):
        rows = [i for i in rows if i.assessment.reportable == (params["reportable"] == "yes")]
    status = params.get("status")
    if status:
        rows = [i for i in rows if {"open": i.open, "closed": not i.open, "overdue": i.overdue}[status]]
    keys = {"-known_at": lambda i: (-i.known_at.timestamp(), i.pk), "known_at": lambda i: (i.known_at, i.pk),
            "final_due": lambda i: (i.assessment.final_due or dt.date.max, i.pk), "title": lambda i: (i.title, i.pk)}
    return sorted(rows, key=keys[params.get("sort") or "-known_at"])


def test_same_query_count_at_two_sizes_on_the_first_and_the_last_page(client_for, admin_user, municipality):
    client = client_for(admin_user)
    base = f"/m/{municipality.code}/incidents/?reportable=yes&sort=final_due"
    _populate(municipality, 0, 20)
    small, page = _get(client, base)
    assert len(_ids(page)) == 14 and "14件" in page
    _populate(municipality, 20, 160)
    first, page = _get(client, base)
    assert len(_ids(page)) == PER_PAGE and "120件" in page and "1 / 3" in page
    assert "120 incidents have an overdue report." in page  # over every page, not this one
    last, page = _get(client, base + "&page=3")
    assert len(_ids(page)) == 20 and "3 / 3" in page
    assert small == first == last, (small, first, last)


@pytest.mark.parametrize("query", ["", "?sort=title", "?sort=known_at&kind=leak", "?sort=final_due",
                                   "?reportable=no&sort=title", "?status=overdue"])
def test_walking_every_page_shows_every_incident_once_in_order(client_for, admin_user, municipality, query):
    _populate(municipality, 0, 130)
    client = client_for(admin_user)
    params = dict(pair.split("=") for pair in query.lstrip("?").split("&") if pair)
    expected = [i.pk for i in _python_register(municipality, params)]
    seen, number = [], 1
    while True:
        _n, page = _get(client, f"/m/{municipality.code}/incidents/?{query.lstrip('?')}&page={number}")
        ids = _ids(page)
        assert 0 < len(ids) <= PER_PAGE
        seen += ids
        if f"page={number + 1}" not in html.unescape(page):
            break
        number += 1
    assert len(expected) > 40 and seen == expected


def test_filters_and_sort_are_kept_in_the_page_links(client_for, admin_user, municipality):
    _populate(municipality, 0, 180)
    client = client_for(admin_user)
    _n, page = _get(client, f"/m/{municipality.code}/incidents/?kind=leak&reportable=yes&sort=title")
    links = [html.unescape(href) for href in re.findall(r'<nav class="pagination">.*?href="([^"]+)"', page, re.S)]
    assert links == ["?kind=leak&reportable=yes&sort=title&page=2"]
    _n, second = _get(client, f"/m/{municipality.code}/incidents/{links[0]}")
    assert "?kind=leak&reportable=yes&sort=title&page=1" in html.unescape(second)
    expected = [i.pk for i in _python_register(municipality, {"kind": "leak", "reportable": "yes", "sort": "title"})]
    assert _ids(page) + _ids(second) == expected and len(expected) == 60
    # the export link carries the filter and the export has every filtered incident (not one page)
    export = re.search(r'href="(/m/\d+/incidents\.xlsx\?[^"]+)"', page).group(1)
    sheet = load_workbook(io.BytesIO(client.get(html.unescape(export)).content)).active
    titles = [sheet.cell(row=r, column=1).value for r in range(4, sheet.max_row + 1)]
    assert len(titles) == 60 and titles == sorted(titles)


def test_invalid_page_and_sort_fall_back_to_the_defaults(client_for, admin_user, municipality):
    _populate(municipality, 0, 60)
    client = client_for(admin_user)
    base = f"/m/{municipality.code}/incidents/"
    _n, default = _get(client, base)
    assert len(_ids(default)) == PER_PAGE
    for query in ("?page=abc", "?page=1.5", "?page=", "?sort=bogus", "?sort=bogus&page=x", "?status=nonsense"):
        _n, page = _get(client, base + query)
        assert _ids(page) == _ids(default), query
    _n, last = _get(client, base + "?page=2")
    for query in ("?page=99", "?page=0", "?page=-3"):  # out of range: the last page (Paginator.get_page)
        _n, page = _get(client, base + query)
        assert _ids(page) == _ids(last) and len(_ids(page)) == 10, query
    _n, page = _get(client, base + "?sort=bogus&kind=loss")  # the valid filter still applies
    assert _ids(page) == [i.pk for i in _python_register(municipality, {"kind": "loss"})] and len(_ids(page)) == 10


AS_OF = dt.date(2025, 11, 15)


def test_sql_status_and_due_dates_agree_with_the_rules_at_every_boundary(municipality):
    """Known just before and just after Tokyo's midnight on the days where a 速報 (3 or 7 days), a 確報 (30 days)
    or a 不正の目的 確報 (60 days) turns overdue, sent or not, closed or not, reportable or not."""
    days = [AS_OF - dt.timedelta(days=n) for n in (3, 4, 7, 8, 30, 31, 60, 61)]
    times = [dt.time(0, 0), dt.time(23, 59)]
    sent = [(None, None), (AS_OF - dt.timedelta(days=1), None), (AS_OF - dt.timedelta(days=1), AS_OF)]
    for n, (day, time, improper, (preliminary, final), persons) in enumerate(
            itertools.product(days, times, (False, True), sent, (150, 2))):
        known = dt.datetime.combine(day, time, tzinfo=rules.TOKYO)
        incident = make_incident(municipality, title=f"境界{n:03}", known_at=known, improper_purpose=improper,
                                 discovered_at=known - dt.timedelta(minutes=1), persons_affected=persons,
                                 preliminary_sent_on=preliminary, final_sent_on=final, kinds=KINDS[n % len(KINDS)],
                                 encrypted_high_standard=n % 11 == 0)
        if n % 2:
            IncidentPhase.objects.create(incident=incident, phase=rules.CLOSING_PHASE, at=known)
    qs = Incident.objects.filter(municipality=municipality)
    for preliminary_days in (3, 7):
        rows = queries.register(qs, {}, preliminary_days, AS_OF)
        overdue = {i.pk for i in rows if i.overdue}
        assert 0 < len(overdue) < len(rows)
        assert queries.overdue_count(queries.register_queryset(qs, {}, preliminary_days, AS_OF),
                                     preliminary_days, AS_OF) == len(overdue)
        for status, expected in (("overdue", overdue), ("open", {i.pk for i in rows if i.open}),
                                 ("closed", {i.pk for i in rows if not i.open})):
            assert expected, status
            assert {i.pk for i in queries.register(qs, {"status": status}, preliminary_days, AS_OF)} == expected
        for kind, _label in rules.KINDS:
            assert [i.pk for i in queries.register(qs, {"kind": kind}, preliminary_days, AS_OF)] == [
                i.pk for i in rows if kind in i.kinds]
        by_due = queries.register(qs, {"sort": "final_due"}, preliminary_days, AS_OF)
        assert [i.pk for i in by_due] == [i.pk for i in sorted(
            rows, key=lambda i: (i.assessment.final_due or dt.date.max, i.pk))]
