from tests.personas import Route

ROUTES = {
    "checklist:municipality": Route("/m/{code}/checklist/"),
    "checklist:association": Route("/a/{association}/checklist/", expect=(404, 200, 404)),
    "checklist:association_export": Route("/a/{association}/checklist.xlsx", expect=(404, 200, 404)),
}
