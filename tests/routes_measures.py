"""Persona table of the measures app (merged by tests/test_tenancy.py)."""

from tests.personas import MUNICIPAL_WRITE, Route

ROUTES = {
    "measures:municipality": Route("/m/{code}/measures/"),
    "measures:export": Route("/m/{code}/measures.xlsx"),
    "measures:edit": Route("/m/{code}/measures/items/{measure_item}/", expect=(200, 403, 404)),
    "measures:edit#post": Route("/m/{code}/measures/items/{measure_item}/", method="post",
                                data={"status": "done", "evidence_note": "基本方針を制定済み"}, expect=MUNICIPAL_WRITE),
    "measures:edit_department": Route("/m/{code}/measures/items/{measure_department_item}/departments/{department}/",
                                      expect=(200, 403, 404)),
    "measures:edit_department#post": Route(
        "/m/{code}/measures/items/{measure_department_item}/departments/{department}/", method="post",
        data={"status": "in_progress", "review_on": "R8.10.1"}, expect=MUNICIPAL_WRITE),
    "measures:association": Route("/a/{association}/measures/", expect=(404, 200, 404)),
}


def objects(municipality, process, association, department) -> dict:
    from jichitai.measures.models import Framework, FrameworkItem

    framework = Framework.objects.create(code="routes-test", name="安全管理措置（テスト）")
    whole = FrameworkItem.objects.create(framework=framework, item_id="A", category="基本方針", title="基本方針の策定")
    per_department = FrameworkItem.objects.create(framework=framework, item_id="B", category="取扱規程等",
                                                  title="取扱規程等の策定", departmental=True, position=1)
    return {"measure_item": whole.pk, "measure_department_item": per_department.pk}
