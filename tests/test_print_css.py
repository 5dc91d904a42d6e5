"""The print stylesheet (static/jichitai/print.css): linked from every page for print only, A4 landscape, no
navigation or controls, header rows repeated. A cheap guard: the layout itself was checked by printing the
matrix, checklist, やること and incident pages to PDF in Chromium (scripts/screenshots.py --pdf DIR)."""

import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders

ROOT = Path(__file__).resolve().parent.parent
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


BROWSER = next((shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome") if shutil.which(name)),
               None)


@pytest.mark.skipif(BROWSER is None, reason="Chromium がないため印刷の確認を省略します (no Chromium: print check skipped)")
def test_matrix_prints_on_a4_landscape_pages(client_for, admin_user, municipality, department, beppyo, tmp_path):
    """Chromium prints a long matrix through print.css onto several A4 landscape pages (841.92 × 594.96 pt)."""
    from jichitai.processes.models import Process

    Process.objects.bulk_create(Process(municipality=municipality, name=f"テスト事務{i:02d}", department=department,
                                        beppyo_item=beppyo["81"]) for i in range(60))
    spec = importlib.util.spec_from_file_location("screenshots_script", ROOT / "scripts" / "screenshots.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    html = client_for(admin_user).get(f"/m/{municipality.code}/").content.decode()
    assert "テスト事務59" in html
    page = tmp_path / "matrix.html"
    page.write_text(script.static_files(html), encoding="utf-8")
    assert "file:///" in page.read_text(encoding="utf-8")  # print.css is loaded from disk
    pdf = tmp_path / "matrix.pdf"
    script.chromium(BROWSER, "--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri())
    data = pdf.read_bytes()
    boxes = [tuple(float(v) for v in box.split()) for box in re.findall(rb"/MediaBox \[([^\]]+)\]", data)]
    pages = int(re.search(rb"/Type /Pages\b.*?/Count (\d+)", data, re.S).group(1))
    assert pages >= 2
    assert len(boxes) == pages
    for _, _, width, height in boxes:
        assert abs(width - 841.92) < 1 and abs(height - 594.96) < 1  # A4 landscape, not portrait or Letter
