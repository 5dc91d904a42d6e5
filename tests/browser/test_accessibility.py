"""Accessibility (JIS X 8341-3 = WCAG 2.1 AA): axe-core on every main page of the demo, as each persona sees it,
must find no serious or critical violation; the navigation, a form and the matrix edit work with the keyboard
alone and show where the focus is."""

import pytest

from jichitai.cloud.models import CloudPlan
from jichitai.demo.builder import build
from jichitai.handling.models import ProcessAnalysis
from jichitai.incidents.models import Incident
from jichitai.orgs.models import Membership
from tests.browser.screen import axe_violations, describe, expect_text, htmx_settled
from tests.conftest import make_user


@pytest.fixture
def demo(transactional_db):
    result = build(members=2, with_users=False, seed=3)
    municipality = result.municipalities[0]
    return {
        "association": result.association, "municipality": municipality,
        "admin": make_user("a11y_admin", Membership.Role.ADMIN, municipality=municipality),
        "secretariat": make_user("a11y_secretariat", Membership.Role.SECRETARIAT, association=result.association),
    }


def municipal_pages(code: str) -> list[str]:
    incident = Incident.objects.filter(municipality__code=code).order_by("pk").first()
    analysed = ProcessAnalysis.objects.filter(process__municipality__code=code).order_by("pk").first()
    pages = ["/", f"/m/{code}/todo/", f"/m/{code}/", f"/m/{code}/checklist/", f"/m/{code}/incidents/",
             f"/m/{code}/incidents/new/", f"/m/{code}/import/", f"/m/{code}/cloud/systems/", f"/m/{code}/staff/"]
    if incident is not None:
        pages.append(f"/m/{code}/incidents/{incident.pk}/")
    if analysed is not None:
        pages.append(f"/m/{code}/processes/{analysed.process_id}/analysis/")
    return pages


def association_pages(pk: int) -> list[str]:
    plan = CloudPlan.objects.filter(association_id=pk).order_by("pk").first()
    pages = [f"/a/{pk}/todo/", f"/a/{pk}/", f"/a/{pk}/checklist/", f"/a/{pk}/cloud/timeline/",
             f"/a/{pk}/cloud/plans/"]
    if plan is not None:
        pages += [f"/a/{pk}/cloud/plans/{plan.pk}/", f"/a/{pk}/cloud/plans/{plan.pk}/costs/"]
    return pages


def audit(page, paths: list[str]) -> list[str]:
    """axe on each page; the readable report of every serious or critical violation (empty when clean)."""
    problems = []
    for path in paths:
        response = page.goto(path)
        assert response.status == 200, f"{path}: {response.status}"
        found = axe_violations(page)
        print(f"axe {path}: {len(found)} serious/critical", [v["id"] for v in found])
        if found:
            problems.append(describe(found, path))
    return problems


def test_main_pages_have_no_serious_or_critical_violations(page, login, demo):
    problems = audit(page, ["/accounts/login/"])
    login(demo["admin"])
    problems += audit(page, municipal_pages(demo["municipality"].code))
    page.context.clear_cookies()
    login(demo["secretariat"])
    problems += audit(page, association_pages(demo["association"].pk))
    assert not problems, "axe-core found serious or critical violations:\n" + "\n".join(problems)


def focus_style(page) -> dict:
    return page.evaluate("""() => { const e = document.activeElement; const s = getComputedStyle(e);
        return {tag: e.tagName, text: (e.innerText || e.value || e.getAttribute('aria-label') || '').trim(),
                outline: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; }""")


def assert_focus_visible(style: dict) -> None:
    shown = (style["outline"] != "none" and style["width"] > 0) or style["shadow"] != "none"
    assert shown, f"the focused {style['tag']} 「{style['text']}」 shows no focus (outline or box-shadow): {style}"


def test_keyboard_alone_reaches_the_navigation_and_a_form_with_visible_focus(page, login, admin_user,
                                                                             municipality, process):
    login(admin_user)
    page.goto(f"/m/{municipality.code}/incidents/new/")
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        style = focus_style(page)
        assert_focus_visible(style)
        seen.append((style["tag"], style["text"]))
        if style["tag"] == "INPUT" and page.evaluate("document.activeElement.name") == "title":
            break
    tags = [tag for tag, _ in seen]
    assert "A" in tags or "SUMMARY" in tags  # the navigation came first
    assert page.evaluate("document.activeElement.name") == "title", f"the form's first field was not reached: {seen}"
    page.keyboard.type("鍵盤だけで記録した事案")
    assert page.get_by_label("件名").input_value() == "鍵盤だけで記録した事案"


def test_the_matrix_edit_opens_and_saves_with_the_keyboard(page, login, admin_user, municipality, process):
    login(admin_user)
    page.goto(f"/m/{municipality.code}/")
    button = page.locator(f"#cell-{process.pk}-risk button")
    button.focus()
    assert_focus_visible(focus_style(page))
    page.keyboard.press("Enter")
    htmx_settled(page)
    select = page.locator(f"#cell-{process.pk}-risk select")
    select.wait_for()
    assert page.evaluate("document.activeElement.name") == "status"  # the picker took the focus
    assert_focus_visible(focus_style(page))
    page.keyboard.press("ArrowDown")  # keyboard choice on a closed <select> changes the value and fires change
    expect_text(page, "〇", selector=f"#cell-{process.pk}-risk")
    assert page.locator(f"#cell-{process.pk}-risk select").count() == 0
