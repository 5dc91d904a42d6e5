"""What the browser tests assert with: text a person sees on the screen, axe-core's findings, the CSRF cookie."""

from tests.browser.conftest import AXE

# WCAG impacts that fail the suite (JIS X 8341-3 / WCAG 2.1 AA); "minor" and "moderate" are reported only.
BLOCKING = ("serious", "critical")


def visible_text(page, selector: str = "body") -> str:
    return page.locator(selector).inner_text()


def expect_text(page, *texts: str, selector: str = "body", timeout: int = 3_000) -> str:
    """Fail, naming the page and what it shows, unless every text is visible in `selector` (the body by default).

    Waits for the text (htmx swaps and navigation finish a moment after the click).
    """
    locator = page.locator(selector)
    shown = ""
    for text in texts:
        try:
            locator.get_by_text(text, exact=False).first.wait_for(state="visible", timeout=timeout)
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError; the message below says what is missing
            shown = locator.inner_text() if locator.count() else "(nothing matches the selector)"
            raise AssertionError(f"「{text}」 is not on the screen at {page.url} ({selector}). The screen shows:\n"
                                 f"{shown[:1500]}") from None
    return shown


def htmx_settled(page) -> None:
    """Wait until htmx has swapped, settled and wired the new content (its classes are gone)."""
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling, "
                           ".htmx-added')")


def csrf_token(page) -> str:
    return next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")


def axe_violations(page, impacts=BLOCKING) -> list[dict]:
    """axe-core (vendored from the npm registry, never a CDN) on the page as it is: WCAG 2.0/2.1 A and AA rules."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluate(), not a <script> tag: the site's Content-Security-Policy refuses inline scripts, as it should.
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("""() => axe.run(document, {
        runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}, resultTypes: ['violations']})""")
    return [v for v in result["violations"] if v["impact"] in impacts]


def describe(violations: list[dict], url: str = "") -> str:
    """Violations as a person reads them: rule, impact, help, and the first few elements with their summary."""
    lines = []
    for v in violations:
        lines.append(f"{url} [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for node in v["nodes"][:5]:
            lines.append(f"    {' '.join(node['target'])}: {node['html'][:160]}")
            summary = (node.get("failureSummary") or "").replace("\n", " ")
            if summary:
                lines.append(f"        {summary[:300]}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)
