"""scripts/screenshots.py and the pictures it wrote: every page it takes is in docs/screenshots/ and shown in the
README, nothing the README shows is missing, the files stay small, and without Chromium it says so and exits 2.
(Taking the pictures needs Chromium and a demo build: `make screenshots`, not part of the test suite.)"""

import importlib.util
import re
import struct
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "docs" / "screenshots"


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("screenshots_script", ROOT / "scripts" / "screenshots.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", head[16:24])


def test_every_page_has_its_picture_shown_in_the_readme(script):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = set(re.findall(r"docs/screenshots/([\w-]+)\.png", readme))
    taken = {page.name for page in script.PAGES if page.picture}
    assert len(taken) >= 10
    assert shown == taken
    for name in taken:
        assert png_size(SHOTS / f"{name}.png") == (script.WIDTH, script.HEIGHT)
    # Every image the README points at exists (the old docs/todo.png moved into docs/screenshots/).
    for target in re.findall(r"\]\((docs/[^)\s]+\.png)\)|src=\"(docs/[^\"]+\.png)\"", readme):
        path = next(p for p in target if p)
        assert (ROOT / path).is_file(), path


def test_pictures_stay_small():
    total = sum(path.stat().st_size for path in SHOTS.glob("*.png"))
    assert 0 < total < 5_000_000


def test_print_checked_pages_are_the_four_of_the_issue(script):
    printed = {page.path for page in script.PAGES if page.pdf}
    assert {"/m/{code}/", "/m/{code}/checklist/", "/m/{code}/todo/", "/m/{code}/incidents/"} <= printed


def test_without_chromium_it_says_so_and_exits_2(script, monkeypatch, capsys):
    monkeypatch.setenv("CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setattr("sys.argv", ["screenshots.py"])
    assert script.find_browser() is None
    assert script.main() == 2
    err = capsys.readouterr().err
    assert "Chromium が見つかりません" in err and "Chromium was not found" in err


def test_static_references_point_at_the_files(script):
    html = script.static_files('<link rel="stylesheet" href="/static/jichitai/print.css" media="print">'
                               '<script src="/static/jichitai/nope.js"></script>')
    assert 'href="file:///' in html and html.count("jichitai/print.css") == 1
    assert Path(re.search(r'href="file://([^"]+)"', html).group(1)).is_file()
    assert 'src="/static/jichitai/nope.js"' in html  # unknown files are left alone
