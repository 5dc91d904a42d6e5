"""Japanese everywhere a user looks (issue 13): every page (each GET route of the persona table of
tests/test_tenancy.py that answers HTML) as each persona — the municipality's member, its association's secretariat,
the outsider, and for the operator's pages the operator — with the objects of every route table and a few writes
that fill the audit log and the progress history. The text a person reads (tags, scripts, styles and attribute
values left out; the titles, placeholders and labels read by screen readers kept) may hold no English word outside
ALLOWED and no developer note; the refusals (403, 404) are read as well.

One test builds the world once and renders every page (a test per route would build it a few hundred times).
"""

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from jichitai.orgs.models import Membership
from jichitai.processes.services import set_progress
from tests.test_crawler import quiet, world  # noqa: F401 - fixtures: quiet logs, the objects of every route's placeholders
from tests.test_tenancy import ROUTES, personas  # noqa: F401 - personas is a fixture

# Latin words a Japanese municipal page may show, each for a reason:
ALLOWED = {
    "Jichitai",  # the product's name
    # codes and abbreviations written in Latin letters in Japanese administration and on the seed's sheets
    "PIA", "KPI", "ID", "API", "URL", "PDF", "OK", "NG", "CSV", "Excel", "xlsx", "docx", "ics", "csv", "svg",
    "UTF", "CP", "JSON", "SVG", "LGWAN", "ISMAP", "QR", "Web", "IT", "USB", "CSIRT",
    "Word",  # Microsoft Word, the format of the generated drafts (as Excel)
    "Gov",  # e-Gov, the government's law database the 別表 comes from
    "APPLIC",  # 全国地域情報化推進協会, named by the curriculum
    # the personas' login names (tests/conftest.py) and the route tables' users, shown as who is signed in
    "admin", "secretariat", "outsider", "operator", "staff_viewer", "staff_secretary", "setup_person",
}
DEVELOPER_NOTES = ("README", "TODO", "FIXME", "XXX", "TBD", "DOMAIN.md", "docs/", "未確認", "未実装", "Traceback",
                   "None", "True", "False")  # notes to developers, and Python's own words (a value shown raw)
WORD = re.compile(r"(?<![A-Za-z0-9_])[A-Za-z][A-Za-z_]+(?![A-Za-z0-9_])")  # codes mixing digits (425AC0000000027) are codes
READ_ATTRIBUTES = ("title", "placeholder", "alt", "aria-label")
NOT_PAGES = (".xlsx", ".docx", ".svg", ".ics", ".csv", ".json", "/docs")


class VisibleText(HTMLParser):
    """The text of a page as a person reads it."""

    def __init__(self):
        super().__init__()
        self.parts, self.skipping = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "template"):
            self.skipping += 1
        self.parts += [value for name, value in attrs if name in READ_ATTRIBUTES and value]

    def handle_endtag(self, tag):
        if tag in ("script", "style", "template"):
            self.skipping = max(0, self.skipping - 1)

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def problems(text: str) -> list[str]:
    found = [word for word in WORD.findall(text) if word not in ALLOWED]
    found += [note for note in DEVELOPER_NOTES if note in text]
    return sorted(set(found))


def _in_context(text: str, word: str) -> str:
    at = text.find(word)
    return f"{word} in 「{' '.join(text[max(0, at - 20):at + len(word) + 20].split())}」"


def page_routes() -> list[str]:
    return sorted(name for name, route in ROUTES.items()
                  if route.method == "get" and not route.json and not route.path.split("?")[0].endswith(NOT_PAGES))


def test_the_text_check_finds_english_and_notes():
    html = ('<p title="Edit">氏名 Department<script>var x = "ok";</script></p><input placeholder="YYYY" value="abc">'
            "<p>データのREADMEを参照（未確認） PIA R8.4.1</p>")
    assert problems(visible_text(html)) == ["Department", "Edit", "README", "YYYY", "未確認"]


@pytest.fixture
def filled(world, admin_user, municipality, process):  # noqa: F811 - world is the fixture imported above
    """Writes that put words on the pages: progress history, the audit log, the operator."""
    set_progress(actor=admin_user, via="web", process=process, column="flow", status="done",
                 effective_on=timezone.localdate())
    set_progress(actor=None, via="command", process=process, column="pia", status="not_needed",
                 effective_on=timezone.localdate())
    operator = get_user_model().objects.create_user(username="operator", password="pw-for-tests-only")
    Membership.objects.create(user=operator, role=Membership.Role.OPERATOR)
    return world | {"operator": operator}


def test_every_page_is_in_japanese(client, personas, filled, quiet):  # noqa: F811 - personas is the fixture imported above
    failures, rendered = [], 0
    ids = {key: value for key, value in filled.items() if key != "operator"}
    for name in page_routes():
        route = ROUTES[name]
        users = dict(personas)
        if all(status == 404 for status in route.expect):  # the operator's pages: no persona sees them
            users = {"operator": filled["operator"]}
        path = route.path.format(**ids)
        data = {k: v.format(**ids) if isinstance(v, str) else v for k, v in route.data.items()}
        for persona, user in users.items():
            client.force_login(user)
            response = client.get(path, data)
            if not response.content or not response["Content-Type"].startswith("text/html"):
                continue  # a redirect or a download; the refusals (403, 404) are pages too
            rendered += 1
            text = visible_text(response.content.decode())
            if found := problems(text):
                failures.append(f"{name} ({persona}, {path}): " + ", ".join(_in_context(text, word) for word in found))
    assert rendered > 100
    assert not failures, f"{len(failures)} of {rendered} pages show English or a developer note:\n" + "\n".join(failures)
