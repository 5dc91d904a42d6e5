"""The pages of accounts and audit run a fixed number of queries whatever the number of users or entries: each
measured with a few and with many."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.audit.services import record, record_operation
from jichitai.orgs.models import Membership
from tests.conftest import make_user
from tests.helpers import enrol

PAGES = {
    # path, who reads it, budget
    "users": ("/m/{code}/users/?sort=last_login", "admin", 12),
    "users_export": ("/m/{code}/users.xlsx", "admin", 12),
    "association_users": ("/a/{association}/users/", "secretariat_admin", 12),
    "association_audit": ("/a/{association}/audit/", "secretariat_admin", 10),
    "operator_audit": ("/audit/", "operator", 10),
    "account": ("/account/", "admin", 10),
}


def _grow(size, municipality, association, admin, secretariat_admin):
    """`size` more users in the municipality and the association, half of them with an authenticator, and as
    many audit entries in the association and the installation."""
    for i in range(size):
        viewer = make_user(f"viewer{size}_{i}", Membership.Role.VIEWER, municipality=municipality)
        make_user(f"kyoku{size}_{i}", Membership.Role.SECRETARIAT, association=association)
        if i % 2:
            enrol(viewer)
        record(actor=secretariat_admin, via="web", action="course.create", obj=association, association=association)
        record_operation(actor=None, via="cli", action="backup", after={"n": i})
    return admin


@pytest.mark.parametrize("page", sorted(PAGES))
def test_page_queries_do_not_grow(client, page, municipality, association, admin_user, secretariat_admin_user,
                                  operator_user):
    path, who, budget = PAGES[page]
    reader = {"admin": admin_user, "secretariat_admin": secretariat_admin_user, "operator": operator_user}[who]
    counts = {}
    for size in (2, 40):
        _grow(size, municipality, association, admin_user, secretariat_admin_user)
        client.force_login(reader)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path.format(code=municipality.code, association=association.pk))
        assert response.status_code == 200, page
        counts[size] = len(queries)
        assert counts[size] <= budget, "\n".join(q["sql"] for q in queries.captured_queries)
    assert counts[2] == counts[40], counts
