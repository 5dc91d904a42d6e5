"""Persona rows of the municipality's checklist download (merged by tests/test_tenancy.py)."""

from tests.personas import Route

ROUTES = {
    "checklist:municipality_export": Route("/m/{code}/checklist.xlsx"),
}
