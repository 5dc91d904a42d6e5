"""Persona table of the association's settings page (和暦 or western dates; merged by tests/test_tenancy.py).

Only the association's secretariat reads and writes it; a member's user and the outsider get 404."""

from tests.personas import Route

ROUTES = {
    "orgs:association_settings": Route("/a/{association}/settings/", expect=(404, 200, 404)),
    "orgs:association_settings#post": Route("/a/{association}/settings/", method="post",
                                            data={"date_style": "western", "review_interval_months": 12, "record_window_months": 12,
                                                  "procurement_lead_years": 2}, expect=(404, 302, 404)),
}
