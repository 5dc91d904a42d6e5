"""Persona table of やること (merged by tests/test_tenancy.py). The landing page "/" is the project's row "home":
each persona there has one membership or one association, so each is redirected (302) to their list."""

from tests.personas import Route

ASSOCIATION_PAGE = (404, 200, 404)

ROUTES = {
    "todo:municipality": Route("/m/{code}/todo/"),
    "todo:municipality_xlsx": Route("/m/{code}/todo.xlsx"),
    "todo:municipality_ics": Route("/m/{code}/todo.ics"),
    "todo:association": Route("/a/{association}/todo/", data={"kind": "approval", "sort": "kind"},
                              expect=ASSOCIATION_PAGE),
    "todo:association_xlsx": Route("/a/{association}/todo.xlsx", expect=ASSOCIATION_PAGE),
    "todo:association_ics": Route("/a/{association}/todo.ics", data={"member": "{code}"}, expect=ASSOCIATION_PAGE),
}
