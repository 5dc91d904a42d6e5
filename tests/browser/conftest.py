"""Real-browser tests: Playwright for Python driving the system's Chromium (Debian's package; never a browser
downloaded by Playwright) against pytest-django's live server.

Without Chromium (or without Playwright) the tests are skipped with the reason below, which `make test` prints
(-rs). CI sets JICHITAI_REQUIRE_BROWSER=1 so that a missing browser fails instead of skipping.
"""

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("JICHITAI_CHROMIUM", "/usr/bin/chromium")
PASSWORD = "pw-for-tests-only"  # tests/conftest.py's make_user
TIMEOUT_MS = 5_000  # a journey step that takes longer than this is a failure, not something to wait for
AXE = Path(__file__).parent / "vendor" / "axe.min.js"


def _unavailable() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    if not os.path.exists(CHROMIUM):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium fonts-ipafont-gothic)"
    return None


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="module")
def browser():
    reason = _unavailable()
    if reason:
        if os.environ.get("JICHITAI_REQUIRE_BROWSER") == "1":
            pytest.fail(f"browser tests required (JICHITAI_REQUIRE_BROWSER=1) but: {reason}", pytrace=False)
        pytest.skip(f"browser tests skipped: {reason}")
    # Playwright's sync API keeps an event loop running in this thread while the browser is up, so Django would take
    # the tests' ORM calls between browser steps for async code; they are synchronous and safe. Module scope: the
    # loop stops, and the setting is restored, before the worker runs other tests.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            yield chromium
            chromium.close()
    finally:
        if before is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def page(browser, live_server, settings):
    # The live server speaks plain HTTP; production cookies are Secure (settings.py when not debugging).
    settings.SESSION_COOKIE_SECURE = False
    settings.CSRF_COOKIE_SECURE = False
    context = browser.new_context(base_url=live_server.url, locale="ja-JP", accept_downloads=True,
                                  viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def login(page):
    """Log in through the real login page, as a person does (no second factor is required by default)."""

    def log_in(user):
        page.goto("/accounts/login/")
        page.get_by_label("ユーザー名").fill(user.get_username())
        page.get_by_label("パスワード").fill(PASSWORD)
        page.locator("main button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
        return page

    return log_in
