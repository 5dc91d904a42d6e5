"""Persona table of the ops app (merged by tests/test_tenancy.py): `/healthz` answers everyone, signed in or not,
with nothing but its status (tests/ops/test_healthz.py)."""

from tests.personas import Route

ROUTES = {
    "healthz": Route("/healthz", expect=(200, 200, 200)),
}


def objects(municipality, process, association, department):
    return {}
