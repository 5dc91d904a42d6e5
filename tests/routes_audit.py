"""Persona table of the audit pages above the municipality's own, and of the CSV downloads (merged by
tests/test_tenancy.py).

The association's audit log is its secretariat's alone (the member, an admin of a member municipality, gets 404
like the outsider); the whole log is the operator's alone: none of the three personas is one, so all get 404.
The municipality's own log as CSV is read by whoever reads its page (/m/{code}/audit/: the member and the
secretariat).
"""

from tests.personas import Route

ROUTES = {
    "audit:association": Route("/a/{association}/audit/", expect=(404, 200, 404)),
    "audit:association_export": Route("/a/{association}/audit.xlsx", expect=(404, 200, 404)),
    "audit:association_csv": Route("/a/{association}/audit.csv", expect=(404, 200, 404)),
    "audit:municipality_csv": Route("/m/{code}/audit.csv"),
    "audit:operator": Route("/audit/", expect=(404, 404, 404)),
    "audit:operator_export": Route("/audit.xlsx", expect=(404, 404, 404)),
    "audit:operator_csv": Route("/audit.csv", expect=(404, 404, 404)),
}
