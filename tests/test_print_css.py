"""The print stylesheet (static/jichitai/print.css): linked from every page for print only, A4 landscape, no
navigation or controls, header rows repeated. A cheap guard: the layout itself was checked by printing the
matrix, checklist, やること and incident pages to PDF in Chromium (scripts/screenshots.py --pdf DIR)."""

import re
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

PRINT_CSS = Path(finders.find("jichitai/print.css") or "print.css-not-found")


def rules(css: str) -> dict[str, str]:
    """selector → declarations of the plain rules (the blocks without nested braces), comments removed;
    a selector list is split so each selector maps to its block."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    found = {}
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        for selector in selectors.split(","):
            found[" ".join(selector.split())] = found.get(" ".join(selector.split()), "") + body
    return found


def declares(body: str, prop: str, value: str) -> bool:
    return re.search(rf"(^|;)\s*{re.escape(prop)}\s*:\s*{re.escape(value)}\s*(!important)?\s*(;|$)", body) is not None


@pytest.fixture(scope="module")
def css():
    assert PRINT_CSS.is_file(), "static/jichitai/print.css is missing"
    return PRINT_CSS.read_text(encoding="utf-8")


def test_helpers_read_rules():
    parsed = rules("/* x */ a, .b .c { display: none !important; } @page { size: A4 landscape; }")
    assert declares(parsed["a"], "display", "none")
    assert declares(parsed[".b .c"], "display", "none")
    assert not declares(parsed["a"], "display", "block")
    assert declares(parsed["@page"], "size", "A4 landscape")


def test_page_is_a4_landscape(css):
    assert declares(rules(css)["@page"], "size", "A4 landscape")


def test_navigation_and_controls_are_hidden(css):
    parsed = rules(css)
    for selector in (".menu .groups", ".topbar .brand", ".topbar .user", ".actions", "form.filters"):
        assert declares(parsed.get(selector, ""), "display", "none"), f"{selector} is printed"


def test_tables_repeat_their_header_and_keep_rows_whole(css):
    parsed = rules(css)
    assert declares(parsed["thead"], "display", "table-header-group")
    assert declares(parsed["tr"], "break-inside", "avoid")
    assert declares(parsed["html"], "print-color-adjust", "exact")  # the status colours


def test_urls_are_not_printed_after_links(css):
    assert "attr(href)" not in css
    assert declares(rules(css)["a[href]::after"], "content", "none")


@pytest.mark.django_db
def test_every_page_links_it_for_print_only(client):
    html = client.get("/accounts/login/").content.decode()
    links = re.findall(r"<link [^>]*>", html)
    printed = [link for link in links if "jichitai/print.css" in link]
    assert len(printed) == 1, links
    assert 'media="print"' in printed[0]
    screen = [link for link in links if "jichitai/app.css" in link]
    assert screen and "media=" not in screen[0]
