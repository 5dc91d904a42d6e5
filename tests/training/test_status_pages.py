"""The training dashboard's 未受講 and 期限間近 lists a page at a time, each with its own page parameter (upage,
dpage) and its sort kept across pages, the totals over everybody; the sessions list paged in the database. The
same queries on every page and at any size."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jichitai.core.wareki import format_date
from jichitai.orgs.models import Staff
from jichitai.training import services
from jichitai.training.models import Session
from jichitai.training.views import PEOPLE_PER_PAGE, SESSIONS_PER_PAGE
from tests.training.conftest import attend, make_people


def days_ago(n: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=n)


def populate(municipality, process, statutory, *, untrained: int, due: int, trained: int = 0, tag: str = "") -> None:
    """`untrained` people never trained (prefix U), `due` trained 345 days ago (D: due in about 20 days), `trained`
    trained 100 days ago (T)."""
    make_people(municipality, process, untrained, prefix=f"U{tag}")
    for prefix, count, held in ((f"D{tag}", due, 345), (f"T{tag}", trained, 100)):
        if count:
            people = make_people(municipality, process, count, prefix=prefix)
            session = services.save_session(actor=None, via="command", organiser_municipality=municipality,
                                            course=statutory, held_on=days_ago(held))
            attend(session, people)


def dashboard(municipality, query: str = "") -> str:
    return f"/m/{municipality.code}/training/" + (f"?{query}" if query else "")


def section(response, which: str) -> str:
    body = response.content.decode()
    if which == "untrained":
        return body[body.index('id="untrained"'):body.index('id="due-soon"')]
    return body[body.index('id="due-soon"'):body.index("<h2>Sessions")]


def numbers(part: str) -> list[str]:
    """The staff numbers in a people table, in their order."""
    return re.findall(r"<tr><td>([UDT]\w*\d{4})</td>", part)


def next_link(part: str) -> str | None:
    found = re.search(r'<nav class="pagination"[^>]*>.*?<a href="(\?[^"]*)">[^<]*→', part, re.S)
    return html.unescape(found.group(1)) if found else None


def walk(client, municipality, query: str, which: str) -> list[list[str]]:
    """Every page of one list, following its rendered "next" links (which also carry the other list's state)."""
    pages, address = [], dashboard(municipality, query)
    while address is not None:
        response = client.get(address)
        assert response.status_code == 200
        part = section(response, which)
        pages.append(numbers(part))
        link = next_link(part)
        address = dashboard(municipality) + link.split("#")[0] if link else None
        assert len(pages) < 20
    return pages


def count_queries(client, address: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(address).status_code == 200
    return len(captured)


def test_dashboard_queries_are_the_same_at_two_sizes_on_the_first_and_the_last_pages(
        client_for, admin_user, municipality, process, statutory):
    client = client_for(admin_user)
    counts = {}
    untrained = due = 0
    for tag, more_untrained, more_due in (("a", 60, 55), ("b", 130, 75)):  # 60 and 55, then 190 and 130
        populate(municipality, process, statutory, untrained=more_untrained, due=more_due, tag=tag)
        untrained, due = untrained + more_untrained, due + more_due
        last_u, last_d = -(-untrained // PEOPLE_PER_PAGE), -(-due // PEOPLE_PER_PAGE)
        counts[(untrained, "first")] = count_queries(client, dashboard(municipality))
        counts[(untrained, "last")] = count_queries(client, dashboard(municipality, f"upage={last_u}&dpage={last_d}"))
        counts[(untrained, "sorted")] = count_queries(
            client, dashboard(municipality, f"upage={last_u}&usort=name&dsort=department"))
    assert len(set(counts.values())) == 1, counts


def test_each_list_pages_on_its_own_and_walking_shows_everybody_once(client_for, admin_user, municipality, process,
                                                                      statutory):
    populate(municipality, process, statutory, untrained=2 * PEOPLE_PER_PAGE + 7, due=PEOPLE_PER_PAGE + 3, trained=4)
    client = client_for(admin_user)
    untrained = walk(client, municipality, "dpage=2", "untrained")
    assert [len(p) for p in untrained] == [PEOPLE_PER_PAGE, PEOPLE_PER_PAGE, 7]
    flat = [n for page in untrained for n in page]
    assert sorted(flat) == [f"U{i:04d}" for i in range(2 * PEOPLE_PER_PAGE + 7)]  # each once, nobody else
    due = walk(client, municipality, "upage=3", "due")
    assert [len(p) for p in due] == [PEOPLE_PER_PAGE, 3]
    assert sorted(n for page in due for n in page) == [f"D{i:04d}" for i in range(PEOPLE_PER_PAGE + 3)]
    # Paging one list leaves the other where it was.
    response = client.get(dashboard(municipality, "upage=3&dpage=2"))
    assert numbers(section(response, "untrained")) == untrained[2]
    assert numbers(section(response, "due")) == due[1]
    link = next_link(section(client.get(dashboard(municipality, "dpage=2")), "untrained"))
    assert "upage=2" in link and "dpage=2" in link and link.endswith("#untrained")


def test_totals_count_everybody_not_only_the_page(client_for, admin_user, municipality, process, statutory):
    populate(municipality, process, statutory, untrained=130, due=70, trained=9)
    response = client_for(admin_user).get(dashboard(municipality, "upage=3&dpage=2"))
    body = response.content.decode()
    assert "Staff who must be trained（209）" in body
    assert re.search(r"受講済 <strong>9</strong> · 期限間近 <strong>70</strong> · 未受講 <strong[^>]*>130</strong>", body)
    assert "未受講（130）" in body and "Due within 60 days（70）" in body
    assert len(numbers(section(response, "untrained"))) == 30 and len(numbers(section(response, "due"))) == 20


def test_the_sort_holds_over_every_page_and_is_kept_in_the_links(client_for, admin_user, municipality, process,
                                                                  statutory):
    populate(municipality, process, statutory, untrained=120, due=60)
    client = client_for(admin_user)
    pages = walk(client, municipality, "usort=name&dsort=staff_number", "untrained")
    names = dict(Staff.objects.values_list("staff_number", "name"))
    flat = [n for page in pages for n in page]
    assert len(pages) == 3 and len(flat) == len(set(flat)) == 120
    # Names are not zero-padded (職員 U10 before 職員 U2): the name order is not the staff-number order.
    assert [names[n] for n in flat] == sorted(names[n] for n in flat) != [names[n] for n in sorted(flat)]
    link = next_link(section(client.get(dashboard(municipality, "usort=name&dsort=staff_number")), "untrained"))
    assert "usort=name" in link and "dsort=staff_number" in link and "upage=2" in link
    # A column heading sorts its list from its first page; the other list keeps its sort and its page.
    part = section(client.get(dashboard(municipality, "upage=2&dpage=2&dsort=days_left")), "untrained")
    heading = html.unescape(re.search(r'<th><a href="([^"]*usort=role[^"]*)"', part).group(1))
    assert "upage" not in heading and "dpage=2" in heading and "dsort=days_left" in heading and "as_of=" in heading


@pytest.mark.parametrize(("query", "upage", "dpage"), [
    ("upage=abc&dpage=x", 1, 1), ("upage=0&dpage=-3", 3, 2), ("upage=999&dpage=2", 3, 2), ("upage=2.5", 1, 1)])
def test_invalid_pages_fall_back(client_for, admin_user, municipality, process, statutory, query, upage, dpage):
    populate(municipality, process, statutory, untrained=2 * PEOPLE_PER_PAGE + 1, due=PEOPLE_PER_PAGE + 1)
    response = client_for(admin_user).get(dashboard(municipality, query))
    assert response.status_code == 200
    assert (response.context["untrained_page"].number, response.context["due_page"].number) == (upage, dpage)


def test_an_unknown_sort_falls_back_to_the_default(client_for, admin_user, municipality, process, statutory):
    populate(municipality, process, statutory, untrained=70, due=55)
    client = client_for(admin_user)
    response = client.get(dashboard(municipality, "usort=bogus&dsort=__class__&upage=2&dpage=2"))
    assert response.status_code == 200
    assert (response.context["usort"], response.context["dsort"]) == ("days_overdue", "days_left")
    # Nobody was ever trained, nobody differs in days left: the ties go by staff number.
    assert numbers(section(response, "untrained")) == [f"U{i:04d}" for i in range(PEOPLE_PER_PAGE, 70)]
    assert numbers(section(response, "due")) == [f"D{i:04d}" for i in range(PEOPLE_PER_PAGE, 55)]


# ---- sessions -------------------------------------------------------------------------------------------------


def add_sessions(municipality, courses, count: int, start: int = 0) -> None:
    for i in range(start, start + count):
        services.save_session(actor=None, via="command", organiser_municipality=municipality,
                              course=courses[i % len(courses)], held_on=days_ago(1 + i % 400), place=f"会場{i:04d}")


def session_places(response) -> list[str]:
    body = response.content.decode()
    return re.findall(r"<td>(会場\d{4})</td>", body[body.index("<tbody>"):body.index("</tbody>")])


def sessions_url(municipality, query: str = "") -> str:
    return f"/m/{municipality.code}/training/sessions/" + (f"?{query}" if query else "")


def test_sessions_list_same_queries_at_two_sizes_on_the_first_and_the_last_page(client_for, admin_user,
                                                                                  municipality, curriculum):
    client = client_for(admin_user)
    courses = [curriculum["①-②"], curriculum["⑥"]]
    counts = {}
    for start, size in ((0, 60), (60, 170)):
        add_sessions(municipality, courses, size - start, start)
        last = -(-size // SESSIONS_PER_PAGE)
        for page in (1, last):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(sessions_url(municipality, f"page={page}&sort=place"))
            assert response.status_code == 200 and len(session_places(response)) <= SESSIONS_PER_PAGE
            assert any(re.search(r"LIMIT \d+", q["sql"]) and "training_session" in q["sql"] for q in captured)
            counts[(size, page)] = len(captured)
    assert len(set(counts.values())) == 1, counts


def test_sessions_list_walks_every_session_once_with_the_filter_and_sort_kept(client_for, admin_user, municipality,
                                                                               curriculum):
    courses = [curriculum["①-②"], curriculum["⑥"], curriculum["⑥"]]
    add_sessions(municipality, courses, 3 * SESSIONS_PER_PAGE + 20)
    client = client_for(admin_user)
    six = curriculum["⑥"].pk
    address, pages = sessions_url(municipality, f"course={six}&sort=place"), []
    while address:
        response = client.get(address)
        assert response.status_code == 200
        pages.append(session_places(response))
        found = re.search(r'<nav class="pagination">.*?<a href="(\?[^"]*)">[^<]*→', response.content.decode(), re.S)
        address = sessions_url(municipality) + html.unescape(found.group(1)) if found else None
        if address:
            assert f"course={six}" in address and "sort=place" in address
    flat = [p for page in pages for p in page]
    expected = sorted(Session.objects.filter(course_id=six).values_list("place", flat=True))
    assert [len(p) for p in pages] == [SESSIONS_PER_PAGE, SESSIONS_PER_PAGE, 13] and flat == expected
    assert len(set(flat)) == 113


def test_sessions_list_invalid_page_and_sort(client_for, admin_user, municipality, curriculum):
    add_sessions(municipality, [curriculum["⑥"]], SESSIONS_PER_PAGE + 5)
    client = client_for(admin_user)
    for query, number in (("page=zz", 1), ("page=99", 2), ("page=2&sort=bogus", 2)):
        response = client.get(sessions_url(municipality, query))
        assert response.status_code == 200 and response.context["page_obj"].number == number
    # An unknown sort: newest first (held_on descending, then the newest id first).
    response = client.get(sessions_url(municipality, "sort=bogus"))
    held = [s.held_on for s in response.context["sessions"]]
    assert held == sorted(held, reverse=True) and len(held) == SESSIONS_PER_PAGE
    assert format_date(days_ago(1)) in response.content.decode()
