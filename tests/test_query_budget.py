"""Pages and API lists run a fixed number of queries whatever the data size: measured at 1 and 30 members."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jichitai.demo.builder import build
from tests.conftest import make_user

# Fixed budgets: session + user + scope check + data queries (+ the menu's one read of the user's roles on pages;
# core.navigation, orgs.scoping.offers_*). Raise one only with a reason.
BUDGETS = {
    "matrix": ("/m/{code}/", 19),
    "matrix_export": ("/m/{code}/progress.xlsx", 16),
    "association": ("/a/{association}/", 17),
    "association_export": ("/a/{association}/progress.xlsx", 16),
    "api_processes": ("/api/v1/municipalities/{code}/processes", 5),  # … + the list's COUNT
    "api_progress": ("/api/v1/municipalities/{code}/progress", 15),
    "api_progress_rows": ("/api/v1/municipalities/{code}/progress/rows", 17),
    "api_municipalities": ("/api/v1/municipalities", 4),
    "audit": ("/m/{code}/audit/", 7),
    "staff": ("/m/{code}/staff/", 9),  # 100 a page: the COUNT of the filtered people, then the page (LIMIT)
    "risk": ("/m/{code}/risk/", 10),
    "association_risk": ("/a/{association}/risk/", 6),
    "templates": ("/a/{association}/templates/", 6),
    "member_templates": ("/m/{code}/templates/", 6),
    "measures": ("/m/{code}/measures/", 11),
    "measures_export": ("/m/{code}/measures.xlsx", 9),
    "association_measures": ("/a/{association}/measures/", 9),
    "training": ("/m/{code}/training/", 13),
    "association_training": ("/a/{association}/training/", 12),
    # Both association pages read the stored member summaries (processes.summary_queries).
    "association_checklist": ("/a/{association}/checklist/", 11),
    "association_checklist_export": ("/a/{association}/checklist.xlsx", 6),
}


def _count(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries), [q["sql"] for q in queries.captured_queries]


@pytest.fixture(scope="module")
def both_sizes(django_db_setup, django_db_blocker):
    """The demo at 1 and at 30 members, built once for every page of this module (building it takes seconds) in a
    transaction rolled back at the end; each test runs in a savepoint inside it."""
    with django_db_blocker.unblock(), transaction.atomic():
        sizes = {}
        for members in (1, 30):
            result = build(members=members, association_name=f"協議会{members}", with_users=False, seed=members,
                           first_code_index=0 if members == 1 else 100)
            user = make_user(f"sec{members}", "secretariat", association=result.association)
            sizes[members] = (result.municipalities[0].code, result.association.pk, user)
        yield sizes
        transaction.set_rollback(True)


@pytest.mark.parametrize("page", sorted(BUDGETS))
def test_query_count_is_constant(client, db, both_sizes, page):
    counts = {}
    for members, (code, association, user) in both_sizes.items():
        client.force_login(user)
        path, budget = BUDGETS[page]
        counts[members], sql = _count(client, path.format(code=code, association=association))
        assert counts[members] <= budget, "\n".join(sql)
    assert counts[1] == counts[30], counts


@pytest.mark.parametrize("page", ["association", "association_checklist"])
def test_stale_members_are_re_evaluated_in_a_fixed_number_of_queries(client, db, both_sizes, page):
    """A day later every summary is stale: up to INLINE_REFRESH members are evaluated while the page is asked for,
    in one batch whose queries do not depend on the number of members or processes."""
    import datetime as dt

    from jichitai.processes.models import MemberProgress
    from jichitai.processes.summary_views import INLINE_REFRESH

    counts = {}
    for members, (code, association, user) in both_sizes.items():
        assert members <= INLINE_REFRESH
        MemberProgress.objects.filter(municipality__association=association).update(as_of=dt.date(2000, 1, 1))
        client.force_login(user)
        path, budget = BUDGETS[page]
        counts[members], sql = _count(client, path.format(code=code, association=association))
        assert MemberProgress.objects.filter(municipality__association=association, as_of=dt.date(2000, 1, 1)
                                             ).count() == 0
    assert counts[1] == counts[30], counts
    assert counts[1] > BUDGETS[page][1]  # the evaluation ran inside the request
