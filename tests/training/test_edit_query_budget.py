"""The list pages the edit and retire work changed run a fixed number of queries: measured at 2 and 20 rows."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.training import services
from jichitai.training.models import Course, PlanItem, Session, TrainingPlan

# session + user + scope checks + the page's reads (+ the menu's one read of the user's roles).
BUDGETS = {"courses": 6, "plan": 7, "association": 12}


def count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def grow(municipality, association, plan, start: int, stop: int) -> None:
    """Own and association courses, half of them retired; a plan item and a held session for each."""
    for n in range(start, stop):
        course = Course.objects.create(municipality=municipality, code=f"M{n}", title=f"研修{n}", audience=["handler"],
                                       retired_on=dt.date(2026, 1, 1) if n % 2 else None)
        Course.objects.create(association=association, code=f"A{n}", title=f"協議会研修{n}",
                              retired_on=dt.date(2026, 1, 1) if n % 2 else None)
        PlanItem.objects.create(plan=plan, course=course, planned_month=6, retired_on=dt.date(2026, 7, 1) if n % 2 else None)
        session = Session.objects.create(course=course, held_on=dt.date(2026, 6, 1), organiser_municipality=municipality)
        session.participants.add(municipality)


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_edit_pages_lists_are_constant(client_for, admin_user, secretariat_user, municipality, association, page):
    services.load_curriculum()
    plan = TrainingPlan.objects.create(municipality=municipality, fiscal_year=2026)
    path = {"courses": f"/m/{municipality.code}/training/courses/", "plan": f"/m/{municipality.code}/training/plans/2026/",
            "association": f"/a/{association.pk}/training/"}[page]
    client = client_for(secretariat_user if page == "association" else admin_user)
    counts = []
    for start, stop in ((0, 2), (2, 20)):
        grow(municipality, association, plan, start, stop)
        counts.append(count(client, path))
    assert counts[0] == counts[1], counts
    assert counts[0] <= BUDGETS[page], counts
