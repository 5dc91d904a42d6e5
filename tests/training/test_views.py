import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from jichitai.core.codes import with_check_digit
from jichitai.core.wareki import fiscal_year, format_date
from jichitai.orgs.models import Municipality, Staff
from jichitai.processes.models import Process
from jichitai.training import services
from jichitai.training.models import Attendance, Course, TrainingPlan
from jichitai.training.rules import fiscal_year_bounds
from tests.training.conftest import attend, make_people

FAKE_MY_NUMBER = "123456789018"


def today():
    """Read at each use, not at import: a run may cross midnight in Asia/Tokyo (15:00 UTC)."""
    return timezone.localdate()


def days_ago(n: int) -> dt.date:
    return today() - dt.timedelta(days=n)


@pytest.fixture
def mixed(municipality, association, process, department, curriculum):
    """Three people: trained 100 days ago, due in ~20 days, lapsed; plus one never trained."""
    people = make_people(municipality, process, 4, department=department)
    joint = services.save_session(actor=None, via="command", organiser_association=association,
                                  participants=[municipality], course=curriculum["①-②"], held_on=days_ago(100),
                                  place="協会研修室", has_test=True, has_survey=True)
    attend(joint, people[:1], test_score=90, survey_submitted=True)
    soon = services.save_session(actor=None, via="command", organiser_municipality=municipality,
                                 course=curriculum["⑥"], held_on=days_ago(345), place="本庁舎")
    attend(soon, people[1:2])
    old = services.save_session(actor=None, via="command", organiser_municipality=municipality,
                                course=curriculum["⑥"], held_on=days_ago(500))
    attend(old, people[2:3])
    return people


def test_dashboard_lists_untrained_and_due_soon(client_for, admin_user, municipality, mixed):
    html = client_for(admin_user).get(f"/m/{municipality.code}/training/").content.decode()
    assert "No training plan for this fiscal year" in html
    untrained = html[html.index("未受講（2）"):html.index("Due within 60 days")]
    assert "P0002" in untrained and "P0003" in untrained and "never trained" in untrained
    assert untrained.index("P0003") < untrained.index("P0002")  # never trained sorts as the most overdue
    due = html[html.index("Due within 60 days（1）"):]
    assert "P0001" in due and "P0000" not in due.split("<h2>")[0]
    # The sessions section shows the fiscal year's sessions only.
    start = fiscal_year_bounds(fiscal_year(today()))[0]
    assert ("協会研修室" in html) == (days_ago(100) >= start)
    assert ("本庁舎" in html) == (days_ago(345) >= start)


def test_dashboard_sort_and_as_of(client_for, admin_user, municipality, mixed):
    client = client_for(admin_user)
    by_number = client.get(f"/m/{municipality.code}/training/?usort=staff_number").content.decode()
    section = by_number[by_number.index("未受講（2）"):]
    assert section.index("P0002") < section.index("P0003")
    # 200 days ago: P0000's session had not happened yet, P0002's (500 days ago) still counted.
    past = client.get(f"/m/{municipality.code}/training/?as_of={days_ago(200).isoformat()}").content.decode()
    section = past[past.index("未受講（2）"):past.index("Due within")]
    assert "P0000" in section and "P0003" in section and "P0002" not in section
    future = client.get(f"/m/{municipality.code}/training/?as_of={(today() + dt.timedelta(days=3)).isoformat()}")
    assert "The date must not be in the future." in future.content.decode()


def _sheet(response):
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(io.BytesIO(response.content)).active


def test_status_exports(client_for, admin_user, municipality, mixed):
    client = client_for(admin_user)
    sheet = _sheet(client.get(f"/m/{municipality.code}/training/status.xlsx?list=untrained&sort=staff_number"))
    assert sheet["A1"].value == "研修未受講者一覧"
    assert [c.value for c in sheet[4]][:3] == ["職員番号", "氏名", "所属"]
    assert [sheet.cell(row=r, column=1).value for r in (5, 6)] == ["P0002", "P0003"]
    assert sheet.cell(row=5, column=8).value == 500 - 365 - (1 if _leap_between(days_ago(500), today()) else 0)
    assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9
    due = _sheet(client.get(f"/m/{municipality.code}/training/status.xlsx?list=due_soon"))
    assert due["A1"].value == "研修期限間近の職員一覧" and due.cell(row=5, column=1).value == "P0001"
    assert due.cell(row=6, column=1).value is None
    assert client.get(f"/m/{municipality.code}/training/status.xlsx?list=bogus").status_code == 404


def _leap_between(start: dt.date, end: dt.date) -> bool:
    """Whether the 12-month window after `start` is 366 days (a 29 February inside it)."""
    from jichitai.training.rules import add_months

    return (add_months(start, 12) - start).days == 366


def test_session_list_filters_sorts_and_exports(client_for, admin_user, municipality, mixed, curriculum):
    client = client_for(admin_user)
    html = client.get(f"/m/{municipality.code}/training/sessions/?sort=held_on").content.decode()
    assert html.index(format_date(days_ago(500))) < html.index(format_date(days_ago(100)))
    only = client.get(f"/m/{municipality.code}/training/sessions/?course={curriculum['⑥'].pk}").content.decode()
    assert format_date(days_ago(100)) not in only and format_date(days_ago(345)) in only
    year = fiscal_year(days_ago(500))
    by_year = client.get(f"/m/{municipality.code}/training/sessions/?year={year}").content.decode()
    assert format_date(days_ago(500)) in by_year and format_date(days_ago(100)) not in by_year
    sheet = _sheet(client.get(f"/m/{municipality.code}/training/sessions.xlsx?sort=-held_on"))
    assert sheet["A1"].value == "研修実施記録"
    assert [sheet.cell(row=r, column=2).value for r in (5, 6, 7)] == ["①-②", "⑥", "⑥"]
    assert sheet.cell(row=5, column=4).value == "A県市町村振興協会" and sheet.cell(row=5, column=7).value == 1


def test_attendance_marking(client_for, admin_user, secretariat_user, municipality, process, association, statutory):
    person = make_people(municipality, process, 1)[0]
    make_people(municipality, process, 1, role="it", prefix="IT")  # not in ①-②'s audience: not listed
    session = services.save_session(actor=None, via="command", organiser_association=association,
                                    participants=[municipality], course=statutory, held_on=days_ago(10))
    path = f"/m/{municipality.code}/training/sessions/{session.pk}/attendance/"
    page = client_for(admin_user).get(path).content.decode()
    assert "P0000" in page and "IT0000" not in page
    response = client_for(admin_user).post(path, {f"attended_{person.pk}": "on", f"score_{person.pk}": "75",
                                                  f"survey_{person.pk}": "on"})
    assert response.status_code == 302
    row = Attendance.objects.get(session=session, staff=person)
    assert (row.attended, row.test_score, row.survey_submitted) == (True, 75, True)
    bad = client_for(admin_user).post(path, {f"attended_{person.pk}": "on", f"score_{person.pk}": "120"})
    assert bad.status_code == 200 and Attendance.objects.get(pk=row.pk).test_score == 75
    assert client_for(secretariat_user).post(path, {}).status_code == 403
    assert "75" in client_for(secretariat_user).get(path).content.decode()


def test_session_of_another_municipality_is_not_found(client_for, admin_user, municipality, other_municipality,
                                                      statutory):
    theirs = services.save_session(actor=None, via="command", organiser_municipality=other_municipality,
                                   course=statutory, held_on=days_ago(5))
    client = client_for(admin_user)
    assert client.get(f"/m/{municipality.code}/training/sessions/{theirs.pk}/attendance/").status_code == 404
    assert client.get(f"/m/{municipality.code}/training/sessions/{theirs.pk}/edit/").status_code == 404


def test_joint_session_cannot_be_edited_by_a_member(client_for, admin_user, municipality, association, statutory):
    joint = services.save_session(actor=None, via="command", organiser_association=association,
                                  participants=[municipality], course=statutory, held_on=days_ago(5))
    assert client_for(admin_user).get(f"/m/{municipality.code}/training/sessions/{joint.pk}/edit/").status_code == 404


def test_plan_created_from_the_curriculum(client_for, admin_user, municipality, association, curriculum):
    services.create_course(actor=None, via="command", association=association, code="協1", title="協議会研修")
    year = fiscal_year(today())
    client = client_for(admin_user)
    assert client.post(f"/m/{municipality.code}/training/plans/{year}/").status_code == 302
    plan = TrainingPlan.objects.get(municipality=municipality, fiscal_year=year)
    assert plan.items.count() == 11
    html = client.get(f"/m/{municipality.code}/training/").content.decode()
    assert "No training plan" not in html and "not scheduled" in html
    again = client.post(f"/m/{municipality.code}/training/plans/{year}/", follow=True).content.decode()
    assert "A plan for this fiscal year already exists." in again


def test_course_form_refuses_my_number_without_echo(client_for, admin_user, municipality, curriculum):
    response = client_for(admin_user).post(f"/m/{municipality.code}/training/courses/", {
        "code": "独1", "title": f"研修 {FAKE_MY_NUMBER}", "hours": "1"})
    html = response.content.decode()
    assert response.status_code == 200 and FAKE_MY_NUMBER not in html
    assert not Course.objects.filter(code="独1").exists()


def test_association_page_counts_members(client_for, secretariat_user, association, municipality, mixed):
    other = Municipality.objects.create(code=with_check_digit("99302"), name="二番町", association=association)
    make_people(other, Process.objects.create(municipality=other, name="事務"), 2, prefix="Z")
    TrainingPlan.objects.create(municipality=other, fiscal_year=fiscal_year(today()))
    html = client_for(secretariat_user).get(f"/a/{association.pk}/training/?sort=untrained").content.decode()
    rows = html[html.index("<tbody>"):]
    first = rows[:rows.index("</tr>")]
    assert municipality.name in first  # both have 2 untrained: the tie keeps code order
    assert '<td class="num">4</td><td class="num">1</td><td class="num">1</td>' in html
    assert "①-② 安全管理措置" in html and "協会研修室" in html


def test_settings_page_changes_the_window(client_for, secretariat_user, association, municipality, mixed):
    client = client_for(secretariat_user)
    assert client.post(f"/a/{association.pk}/training/settings/", {"window_months": 24,
                                                                   "due_soon_days": 60}).status_code == 302
    html = client.get(f"/m/{municipality.code}/training/").content.decode()
    assert "未受講（1）" in html  # only the person never trained; 500 days ago is within 24 months
    bad = client.post(f"/a/{association.pk}/training/settings/", {"window_months": 0, "due_soon_days": 60})
    assert bad.status_code == 200 and "error" in bad.content.decode()


def _grow(municipality, association, process, statutory, n: int, tag: str) -> None:
    people = make_people(municipality, process, n, prefix=tag)
    joint = services.save_session(actor=None, via="command", organiser_association=association,
                                  participants=[municipality], course=statutory, held_on=days_ago(20 + n))
    attend(joint, people[: n // 2], test_score=80)
    own = services.save_session(actor=None, via="command", organiser_municipality=municipality, course=statutory,
                                held_on=days_ago(40 + n))
    attend(own, people[n // 2:])


# Fixed budgets: session + user + scope checks + the menu's read of roles (pages) + data queries.
BUDGETS = {
    "/m/{code}/training/": 12,
    "/m/{code}/training/sessions/": 8,  # + the paginator's COUNT
    "/m/{code}/training/sessions.xlsx": 5,
    "/m/{code}/training/status.xlsx": 7,
    "/m/{code}/training/sessions/{session}/attendance/": 8,
    "/m/{code}/training/plans/{year}/": 7,
    "/m/{code}/training/courses/": 6,
    "/a/{association}/training/": 12,
}


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_query_count_is_constant(client_for, admin_user, secretariat_user, municipality, association, process,
                                 statutory, page):
    user = secretariat_user if page.startswith("/a/") else admin_user
    fixed = services.save_session(actor=None, via="command", organiser_association=association,
                                  participants=[municipality], course=statutory, held_on=days_ago(3))
    path = page.format(code=municipality.code, association=association.pk, session=fixed.pk, year=2099)
    counts = []
    for n, tag in ((10, "S"), (300, "L")):
        _grow(municipality, association, process, statutory, n, tag)
        attend(fixed, list(Staff.objects.filter(staff_number__startswith=tag)), test_score=70)
        services.create_course(actor=None, via="command", municipality=municipality, code=f"C{n}", title="独自")
        plan = TrainingPlan.objects.get_or_create(municipality=municipality, fiscal_year=2099)[0]
        for i in range(n):
            services.save_plan_item(actor=None, via="command", plan=plan, course=statutory, notes=f"{tag}{i}")
        client = client_for(user)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(path).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1] <= BUDGETS[page], counts
