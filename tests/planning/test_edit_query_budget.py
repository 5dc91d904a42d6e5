"""The planning pages the edit and retire work changed run a fixed number of queries: measured at 2 and 20 issues."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.planning.models import ActionItem, ImportedAverage, Issue, Score, Workshop

# session + user + scope checks + the page's reads (+ the menu's one read of the user's roles).
BUDGETS = {"workshop": 11, "plan": 9, "criteria": 8}


def count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


def grow(workshop, start: int, stop: int) -> None:
    """Issues (every third retired) with scores, imported averages and actions (every other one retired)."""
    for n in range(start, stop):
        issue = Issue.objects.create(workshop=workshop, position=n, title=f"課題{n}",
                                     retired_on=dt.date(2026, 6, 1) if n % 3 == 0 else None)
        Score.objects.create(issue=issue, participant="A市", criterion="影響性", value=Decimal(4))
        ImportedAverage.objects.create(issue=issue, criterion="容易性", value=Decimal("2.5"))
        for half in ("first", "second"):
            ActionItem.objects.create(issue=issue, fiscal_year=2026, half=half, text=f"対応{n}",
                                      retired_on=dt.date(2026, 7, 1) if half == "second" else None)


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_planning_pages_are_constant(client_for, secretariat_user, association, page):
    workshop = Workshop.objects.create(association=association, name="課題分析", published=True,
                                       criteria=[{"name": "影響性", "weight": 2}, {"name": "法令準拠", "weight": 1},
                                                 {"name": "容易性", "weight": "1.5", "retired_on": "2026-06-01"}])
    path = f"/a/{association.pk}/workshops/{workshop.pk}/" + {"workshop": "", "plan": "plan/",
                                                               "criteria": "criteria/"}[page]
    client = client_for(secretariat_user)
    counts = []
    for start, stop in ((0, 2), (2, 20)):
        grow(workshop, start, stop)
        counts.append(count(client, path))
    assert counts[0] == counts[1], counts
    assert counts[0] <= BUDGETS[page], counts
