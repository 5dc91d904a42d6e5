"""The cloud plan and KPI pages run a fixed number of queries: measured with 2 and 20 KPIs and changes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.cloud import services
from jichitai.cloud.models import CloudPlan

# session + user + scope checks + the page's reads (+ the menu's one read of the user's roles).
BUDGETS = {"plan": 7, "kpis": 9}  # plan: + the members' systems (is the plan still true?)


def count(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries)


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_kpi_pages_are_constant(client_for, secretariat_user, association, municipality, page):
    plan = CloudPlan.objects.create(association=association, name="住基クラウド", category="住基", start_fy=2029,
                                    result={"category": "住基", "start_fy": 2029, "members": []})
    plan.members.add(municipality)
    path = f"/a/{association.pk}/cloud/plans/{plan.pk}/" + ("kpis/" if page == "kpis" else "")
    client = client_for(secretariat_user)
    counts = []
    for size in (2, 20):  # as many KPIs, each saved once: as many changes in the history
        for n in range(size):
            kpis = [{"name": f"指標{i}", "target": str(i), "actual": ""} for i in range(n + 1)]
            services.save_kpis(actor=None, via="command", plan=plan, kpis=kpis)
        counts.append(count(client, path))
    assert counts[0] == counts[1], counts
    assert counts[0] <= BUDGETS[page], counts
