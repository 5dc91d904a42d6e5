"""The plan page and its export run a fixed number of queries whatever the plan's span (issue 14): measured with
actions spread over many fiscal years — a window of ten years (drawn whole) and one of decades (paged) — at two
sizes."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.planning.models import ActionItem, Issue, Workshop

# session + user + scope checks + the page's reads (+ the menu's one read of the user's roles); as
# tests/planning/test_edit_query_budget.py measures the plan page.
BUDGETS = {"plan/": 9, "plan/?from=2040": 9, "plan.xlsx": 7}


def grow(workshop, start: int, stop: int, span: int) -> None:
    """Issues (every third retired) with an action in each half of a year spread over `span` years (every fourth
    action retired)."""
    for n in range(start, stop):
        issue = Issue.objects.create(workshop=workshop, position=n, title=f"課題{n}",
                                     retired_on=dt.date(2026, 6, 1) if n % 3 == 0 else None)
        for k, half in enumerate(("first", "second")):
            ActionItem.objects.create(issue=issue, fiscal_year=2018 + (3 * n + k) % span, half=half,
                                      text=f"対応{n}-{half}",
                                      retired_on=dt.date(2026, 7, 1) if (n + k) % 4 == 0 else None)


@pytest.mark.parametrize("span", [10, 40])
@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_plan_and_export_are_constant_over_many_years(client_for, secretariat_user, association, page, span):
    workshop = Workshop.objects.create(association=association, name="課題分析", published=True)
    client = client_for(secretariat_user)
    counts, sizes = [], []
    for start, stop in ((0, 3), (3, 30)):
        grow(workshop, start, stop, span)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/a/{association.pk}/workshops/{workshop.pk}/{page}")
        assert response.status_code == 200
        counts.append(len(queries))
        sizes.append(len(response.content))
    assert sizes[1] > sizes[0]  # the second size really shows more
    assert counts[0] == counts[1], counts
    assert counts[0] <= BUDGETS[page], counts
