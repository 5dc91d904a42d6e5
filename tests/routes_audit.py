"""Persona table of the audit pages above the municipality's own (merged by tests/test_tenancy.py).

The association's audit log is its secretariat's alone (the member, an admin of a member municipality, gets 404
like the outsider); the whole log is the operator's alone: none of the three personas is one, so all get 404.
"""

from tests.personas import Route

ROUTES = {
    "audit:association": Route("/a/{association}/audit/", expect=(404, 200, 404)),
    "audit:association_export": Route("/a/{association}/audit.xlsx", expect=(404, 200, 404)),
    "audit:operator": Route("/audit/", expect=(404, 404, 404)),
    "audit:operator_export": Route("/audit.xlsx", expect=(404, 404, 404)),
}
