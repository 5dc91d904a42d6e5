"""The staff list pages through the people in SQL (100 a page): the same query count whatever the size and page,
every person on exactly one page, filters and sort kept in the page links, and the same people, positions and
order as staff_as_of (the history read in Python) gives."""

import datetime as dt
import html
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from jichitai.orgs import queries, services
from jichitai.orgs.models import Department
from tests.helpers import get_counting_queries, ids_in_table

D = dt.date
PER_PAGE = 100


def _populate(municipality, start, count):
    """People numbered start..start+count-1: a third moved to another section and role in 2024, a third retired
    at the end of March 2025; one section renamed in 2024."""
    departments = list(Department.objects.filter(municipality=municipality).order_by("pk"))
    if not departments:
        departments = [services.create_department(actor=None, via="command", municipality=municipality,
                                                  name=name) for name in ("総務課", "税務課", "福祉課", "住民課")]
        services.rename_department(actor=None, via="command", department=departments[3], name="市民課",
                                   on=D(2024, 4, 1))
    for i in range(start, start + count):
        person = services.create_staff(actor=None, via="command", municipality=municipality,
                                       staff_number=f"S{i:04}", name=f"職員 {(i * 37) % 1000:03}",
                                       role=["handler", "it", "legal"][i % 3], department=departments[i % 4],
                                       valid_from=D(2020, 4, 1))
        if i % 3 == 1:
            services.reassign_staff(actor=None, via="command", staff=person, department=departments[(i + 1) % 4],
                                    role="protection_officer", on=D(2024, 4, 1))
        elif i % 3 == 2:
            services.retire_staff(actor=None, via="command", staff=person, on=D(2025, 3, 31))


def _get(client, url):
    return get_counting_queries(client, url)


def _ids(page: str) -> list[int]:
    return ids_in_table(page, r"/m/\d+/staff/(\d+)/")


def test_same_query_count_at_two_sizes_on_the_first_and_the_last_page(client_for, admin_user, municipality):
    client = client_for(admin_user)
    base = f"/m/{municipality.code}/staff/?as_of=R7.4.1&retired=on&sort=department"
    _populate(municipality, 0, 20)
    small, page = _get(client, base)
    assert len(_ids(page)) == 20 and "20人" in page
    _populate(municipality, 20, 160)
    first, page = _get(client, base)
    assert len(_ids(page)) == PER_PAGE and "180人" in page and "1 / 2" in page
    last, page = _get(client, base + "&page=2")
    assert len(_ids(page)) == 80 and "2 / 2" in page
    assert small == first == last, (small, first, last)


def test_walking_every_page_shows_every_person_once_in_order(client_for, admin_user, municipality):
    _populate(municipality, 0, 250)
    client = client_for(admin_user)
    expected = queries.staff_as_of([municipality.pk], D(2025, 4, 1), include_retired=True)
    assert len(expected) == 250
    for sort, key in (("name", lambda p: (p.name, p.staff_number)), ("staff_number", lambda p: p.staff_number),
                      ("role", lambda p: (p.role, p.staff_number)),
                      ("department", lambda p: (p.department, p.staff_number))):
        seen = []
        for number in (1, 2, 3):
            _n, page = _get(client, f"/m/{municipality.code}/staff/?as_of=R7.4.1&retired=on&sort={sort}&page={number}")
            ids = _ids(page)
            assert 0 < len(ids) <= PER_PAGE
            seen += ids
        assert seen == [p.staff_id for p in sorted(expected, key=key)], sort


def test_filters_and_sort_are_kept_in_the_page_links(client_for, admin_user, municipality):
    _populate(municipality, 0, 330)
    client = client_for(admin_user)
    # in office on R7.4.1: the 220 not retired; handlers of them (i % 3 == 0): 110, on two pages
    _n, page = _get(client, f"/m/{municipality.code}/staff/?as_of=R7.4.1&role=handler&sort=name")
    assert "110人" in page and len(_ids(page)) == PER_PAGE
    links = [html.unescape(href) for href in re.findall(r'<nav class="pagination">.*?href="([^"]+)"', page, re.S)]
    assert links == ["?as_of=R7.4.1&role=handler&sort=name&page=2"]
    _n, second = _get(client, f"/m/{municipality.code}/staff/{links[0]}")
    assert len(_ids(second)) == 10
    assert "?as_of=R7.4.1&role=handler&sort=name&page=1" in html.unescape(second)
    # the export link carries the filter, and the export has every filtered person (not one page)
    export = re.search(r'href="(/m/\d+/staff\.xlsx\?[^"]+)"', page).group(1)
    sheet = load_workbook(io.BytesIO(client.get(html.unescape(export)).content)).active
    names = [sheet.cell(row=r, column=2).value for r in range(5, sheet.max_row + 1)]
    assert len(names) == 110 and names == sorted(names)


def test_invalid_page_and_sort_fall_back_to_the_defaults(client_for, admin_user, municipality):
    _populate(municipality, 0, 150)  # 100 in office today
    client = client_for(admin_user)
    base = f"/m/{municipality.code}/staff/"
    _n, default = _get(client, base)
    for query in ("?page=abc", "?page=", "?sort=bogus", "?sort=bogus&page=x", "?page=1.5"):
        _n, page = _get(client, base + query)
        assert _ids(page) == _ids(default), query
    _n, last = _get(client, base + "?retired=on&page=2")
    assert len(_ids(last)) == 50
    for query in ("?retired=on&page=99&sort=bogus", "?retired=on&page=0", "?retired=on&page=-1"):
        _n, page = _get(client, base + query)  # out of range: the last page (Paginator.get_page)
        assert _ids(page) == _ids(last), query
    # an invalid field does not drop the valid ones
    _n, page = _get(client, base + "?sort=bogus&role=handler")
    assert len(_ids(page)) == 50 and "50人" in page


def test_staff_list_is_staff_as_of_in_sql(municipality):
    """Every day around the changes, with and without the retired: the same people with the same positions."""
    _populate(municipality, 0, 24)
    tax = Department.objects.get(municipality=municipality, name="税務課")
    unrecorded = services.create_staff(actor=None, via="command", municipality=municipality, staff_number="U1",
                                       name="履歴なし 退職", role="it", department=tax)
    unrecorded.history.all().delete()  # registered before the history was kept
    type(unrecorded).objects.filter(pk=unrecorded.pk).update(retired_on=D(2023, 3, 31))
    services.create_staff(actor=None, via="command", municipality=municipality, staff_number="L1",
                          name="後から 着任", role="handler", department=tax, valid_from=D(2025, 10, 1))
    for day in (D(2019, 1, 1), D(2023, 3, 31), D(2023, 4, 1), D(2024, 3, 31), D(2024, 4, 1), D(2025, 3, 31),
                D(2025, 4, 1), D(2025, 10, 1), timezone.localdate()):
        departments = queries.departments_on([municipality.pk], day)
        for retired in (False, True):
            expected = queries.staff_as_of([municipality.pk], day, include_retired=retired)
            got = list(queries.staff_list([municipality.pk], day, departments, include_retired=retired))
            assert got == expected, (day, retired)
    day = D(2025, 4, 1)
    departments = queries.departments_on([municipality.pk], day)
    listed = queries.staff_list([municipality.pk], day, departments, include_retired=True, role="protection_officer")
    assert {p.role for p in listed} == {"protection_officer"} and len(list(listed)) == 8
    city = Department.objects.get(municipality=municipality, name="市民課")
    listed = list(queries.staff_list([municipality.pk], D(2024, 3, 1),
                                     queries.departments_on([municipality.pk], D(2024, 3, 1)), department=city.pk))
    assert listed and {p.department for p in listed} == {"住民課"}  # the name it bore that day


@pytest.mark.parametrize("words, found", [("職員 037", ["S0001"]), ("職員　037", ["S0001"]), ("Ｓ０００１", ["S0001"]),
                                          ("全角　空白", ["Z1"]), ("全角 空白", ["Z1"]), ("該当なし", [])])
def test_search_normalises_the_words(municipality, words, found):
    _populate(municipality, 0, 3)
    services.create_staff(actor=None, via="command", municipality=municipality, staff_number="Z1",
                          name="全角　空白", role="it")
    day = timezone.localdate()
    listed = queries.staff_list([municipality.pk], day, queries.departments_on([municipality.pk], day), q=words)
    assert [p.staff_number for p in listed] == found
