"""The helpers the journeys assert with can fail: a journey whose screen lacks the expected text fails, and axe-core
reports a page that breaks WCAG. (The journeys themselves are only as good as these.)"""

import pytest

from tests.browser.screen import axe_violations, describe, expect_text

BROKEN = """<!DOCTYPE html><html><head><title>壊れたページ</title></head><body><main>
<h1>進捗</h1><p style="color:#bbb;background:#fff">薄すぎる文字</p>
<form><input type="text" name="x"></form><img src="data:," ></main></body></html>"""


def test_expect_text_fails_when_the_text_is_missing(browser):
    page = browser.new_page()
    try:
        page.set_content("<main><p>取り込みました。</p></main>")
        expect_text(page, "取り込みました。", selector="main")
        with pytest.raises(AssertionError, match="「取込は行っていません」 is not on the screen") as failure:
            expect_text(page, "取込は行っていません", selector="main", timeout=300)
        assert "取り込みました。" in str(failure.value)  # the message shows what the screen holds instead
    finally:
        page.close()


def test_a_journey_fails_when_the_screen_is_wrong(page, login, viewer_user, municipality, process):
    """The viewer journey's first check, against a screen that does not show it: the journey fails."""
    login(viewer_user)
    page.goto(f"/m/{municipality.code}/")
    expect_text(page, "児童手当事務", selector="table.matrix")
    with pytest.raises(AssertionError, match="住民基本台帳事務"):
        expect_text(page, "住民基本台帳事務", selector="table.matrix", timeout=300)


def test_axe_finds_serious_violations_on_a_broken_page(browser):
    page = browser.new_page()
    try:
        page.set_content(BROKEN)
        found = {v["id"]: v["impact"] for v in axe_violations(page)}
        assert found.get("label") == "critical" and found.get("image-alt") == "critical"
        assert found.get("color-contrast") == "serious"
        assert "html-has-lang" in found  # no lang attribute
        text = describe(axe_violations(page), "about:blank")
        assert "[critical] label" in text and "input" in text
    finally:
        page.close()
