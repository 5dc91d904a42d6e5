"""The systems inventory a page at a time: filtered and sorted in the database, the filters and the sort kept in
the page links, the same queries on every page and at any size, and the export still the whole filtered set."""

import html
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jichitai.cloud.export import INVENTORY_HEADERS
from jichitai.cloud.models import BusinessSystem
from jichitai.cloud.views import InventoryView

PER_PAGE = InventoryView.PER_PAGE
CATEGORIES = ["住基", "税", "福祉", "内部系", "選挙"]
VENDORS = ["富士通", "日立システムズ", "NEC", "TKC"]
HOSTINGS = ["on_premises", "municipal_cloud", "gov_cloud"]


def add_systems(municipality, count: int, start: int = 0) -> None:
    """`count` systems whose category, vendor, hosting and contract end cycle, so that every sort has ties."""
    BusinessSystem.objects.bulk_create(
        BusinessSystem(municipality=municipality, name=f"システム{n:04d}", category=CATEGORIES[n % 5],
                       vendor=VENDORS[n % 4], hosting=HOSTINGS[n % 3], contract_end_fy=2026 + n % 7)
        for n in range(start, start + count))


def url(municipality, **params) -> str:
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return f"/m/{municipality.code}/cloud/systems/" + (f"?{query}" if query else "")


def rows(response) -> list[str]:
    """The system names in the page's table, in their order (the rendered HTML, not the context)."""
    body = response.content.decode()
    body = body[body.index("<tbody>"):body.index("</tbody>")]
    return re.findall(r">(システム\d{4})<", body)


def next_link(response) -> str | None:
    found = re.search(r'<nav class="pagination">.*?<a href="(\?[^"]*)">[^<]*→', response.content.decode(), re.S)
    return html.unescape(found.group(1)) if found else None


def walk(client, first: str) -> list[list[str]]:
    """Every page's rows, following the rendered "next" links from `first`."""
    pages, address = [], first
    while address is not None:
        response = client.get(address)
        assert response.status_code == 200
        pages.append(rows(response))
        link = next_link(response)
        address = first.split("?")[0] + link if link else None
        assert len(pages) < 20
    return pages


def count_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    # The page is cut in the database (LIMIT), not from every system read into Python.
    assert any(re.search(r"LIMIT \d+", q["sql"]) and "cloud_businesssystem" in q["sql"] for q in captured), address
    return len(captured)


def test_same_queries_at_two_sizes_on_the_first_and_the_last_page(client_for, municipality, admin_user):
    client = client_for(admin_user)
    counts = {}
    for size in (150, 420):
        BusinessSystem.objects.all().delete()
        add_systems(municipality, size)
        last = -(-size // PER_PAGE)
        for page in (1, last):
            counts[(size, page)] = count_queries(client, url(municipality, page=page))
            counts[(size, page, "filtered")] = count_queries(
                client, url(municipality, page=page, hosting="gov_cloud", sort="contract_end_fy", q="システム"))
    assert len(set(counts.values())) == 1, counts
    assert counts[(150, 1)] <= 10, counts  # session, user, scope checks, the menu, categories, COUNT, the page


def test_no_page_shows_more_than_its_size_and_walking_shows_every_system_once(client_for, municipality, admin_user):
    add_systems(municipality, 2 * PER_PAGE + 37)
    pages = walk(client_for(admin_user), url(municipality))
    assert [len(p) for p in pages] == [PER_PAGE, PER_PAGE, 37]
    names = [name for page in pages for name in page]
    assert sorted(names) == sorted(BusinessSystem.objects.values_list("name", flat=True)) and len(set(names)) == 237
    # The default order, 分類 then name, runs on across the page boundaries.
    by_name = {s.name: s for s in BusinessSystem.objects.all()}
    assert names == sorted(names, key=lambda n: (by_name[n].category, n))


def test_filters_and_sort_are_kept_across_pages(client_for, municipality, admin_user):
    add_systems(municipality, 700)
    client = client_for(admin_user)
    first = url(municipality, hosting="municipal_cloud", q="システム", sort="contract_end_fy")
    response = client.get(first)
    link = next_link(response)
    assert "hosting=municipal_cloud" in link and "sort=contract_end_fy" in link and "page=2" in link
    assert "q=" in link
    pages = walk(client, first)
    names = [name for page in pages for name in page]
    wanted = BusinessSystem.objects.filter(hosting="municipal_cloud")
    assert len(pages) == 3 and all(len(p) <= PER_PAGE for p in pages)
    assert sorted(names) == sorted(wanted.values_list("name", flat=True)) and len(names) == len(set(names)) == 233
    keys = {s.name: (s.contract_end_fy, s.category, s.name) for s in wanted}
    assert [keys[n] for n in names] == sorted(keys[n] for n in names)  # the sort holds over every page
    # A category and a text search (a vendor) together, again over pages.
    category = walk(client, url(municipality, category="税", q="日立", sort="name"))
    expected = sorted(BusinessSystem.objects.filter(category="税", vendor__contains="日立")
                      .values_list("name", flat=True))
    assert [n for page in category for n in page] == expected and len(expected) == 35


def test_search_matches_the_name_or_the_vendor(client_for, municipality, admin_user):
    add_systems(municipality, 12)
    client = client_for(admin_user)
    assert rows(client.get(url(municipality, q="システム0007"))) == ["システム0007"]
    assert rows(client.get(url(municipality, q="TKC", sort="name"))) == ["システム0003", "システム0007", "システム0011"]
    response = client.get(url(municipality, q="ない名前"))
    assert rows(response) == [] and "条件に合うシステムはありません。" in response.content.decode()


@pytest.mark.parametrize(("query", "number"), [("page=abc", 1), ("page=0", 3), ("page=999", 3), ("page=-1", 3),
                                               ("page=2&sort=bogus", 2), ("hosting=bogus&page=1", 1)])
def test_invalid_page_or_sort_falls_back_to_defaults(client_for, municipality, admin_user, query, number):
    add_systems(municipality, 2 * PER_PAGE + 5)
    response = client_for(admin_user).get(url(municipality) + "?" + query)
    assert response.status_code == 200
    assert response.context["page_obj"].number == number
    names = rows(response)
    by_name = {s.name: s for s in BusinessSystem.objects.all()}
    default = sorted(by_name, key=lambda n: (by_name[n].category, n))  # an unknown sort: 分類 then name
    assert names == default[(number - 1) * PER_PAGE:number * PER_PAGE]


def test_export_keeps_the_whole_filtered_set_in_the_page_order(client_for, municipality, admin_user):
    add_systems(municipality, 3 * PER_PAGE + 60)
    client = client_for(admin_user)
    page = client.get(url(municipality, hosting="on_premises", sort="vendor", page=2))
    export = page.content.decode()
    found = re.search(r'href="(/m/[^"]*/cloud/systems\.xlsx\?[^"]*)"', export)
    address = html.unescape(found.group(1))
    assert "page=" not in address and "hosting=on_premises" in address and "sort=vendor" in address
    sheet = load_workbook(io.BytesIO(client.get(address).content)).active
    header = [c.value for c in sheet[1]]
    column = header.index(INVENTORY_HEADERS["name"])
    exported = [row[column] for row in sheet.iter_rows(min_row=2, values_only=True)]
    wanted = BusinessSystem.objects.filter(hosting="on_premises").order_by("vendor", "name", "id")
    assert exported == list(wanted.values_list("name", flat=True)) and len(exported) == 120
