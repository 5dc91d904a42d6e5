"""The crawler: every URL pattern (the persona table of tests/test_tenancy.py, which fails for a pattern without
an entry; test_every_pattern_is_crawled checks the resolver's patterns against it), as each persona — the
municipality's member, its association's secretariat, an outsider, and anonymous — with hostile parameters.
No answer may be a server error.

For each route and persona:
- the route as the persona table writes it, which is also the probe: the query string and the form carry a
  marker, and every key the request reads from request.GET, request.POST or request.FILES is recorded (forms,
  filters, `request.GET.get(...)`, pagination), so the parameters fuzzed are exactly those the view reads;
- each path placeholder replaced by a hostile value (ids that do not exist, 0, non-numeric, huge, 5,000
  characters, years 0 / 1 / 1900 / 99999);
- each parameter read from the query string, and each form field, with hostile values (dates 0001-01-01,
  1900-01-01, 9999-12-31, 和暦 nonsense, years 0 / 1 / 99999, ids, NUL, 5,000 characters), sampled per key
  (see values_for) and once with every field at once; API routes add the query parameters of their OpenAPI
  operation and fuzz every field of their JSON body (strings, numbers too big for the database, null, lists,
  objects, bodies that are not JSON);
- the other method (GET on a POST-only route, POST on a page).
The first persona who gets past the refusal gets every value; the others (and anonymous, who is sent to the
login page) the probe, a few path values and the other method: their answers are decided before any parameter
is read.

Allowed: 2xx, 3xx, 400, 403, 404, 405 (a method the route does not serve) and, on the API only, 401 (no
session or token) and 422 (django-ninja's answer to a request that does not fit the schema). Each request runs
in a savepoint that is rolled back, with the persona's cookies restored, so a write, a delete or a logout does
not change what the next request sees; an accepted write is followed by a read of the page it leads to.
CRAWLER_LOG=FILE writes the request count per route and the failures.
"""

import copy
import json
import logging
import os
import re
import sys
import traceback
from contextlib import contextmanager
from functools import cache
from unittest import mock
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import got_request_exception
from django.db import transaction
from django.http import QueryDict
from django.urls import get_resolver
from django.utils.datastructures import MultiValueDict

from jichitai.handling.models import FlowStep, HandlingRow, ProcessTemplate
from jichitai.orgs.models import Staff
from jichitai.processes.models import Ordinance
from tests.test_tenancy import OBJECT_BUILDERS, ROUTES, personas  # noqa: F401 - personas is a fixture

PERSONAS = ("member", "secretariat", "outsider", "anonymous")
LONG = "長" * 5_000
NUL = "a\x00b"
DATES = ["0001-01-01", "1900-01-01", "9999-12-31", "R99.13.40", "令和99年13月45日", "令和元年2月30日", "平成0年1月1日",
         "H0.1.1"]
YEARS = ["0", "1", "99999"]
# Query-string and form values, sampled per key so that a route stays at a few dozen requests (the whole crawl
# runs on both databases in every CI run):
# - every key: ALWAYS, and one of OTHERS chosen by the key's name (stable between runs, spread over the keys);
# - a key that names a date (as_of, held_on, discovered_at, …) also three of DATES, chosen by the key's name the
#   same way (every date form is still tried, on some key); one that names a year (fy, year, fiscal_year, …) also
#   YEARS;
# - and one request per value of TOGETHER with that value in every field at once (so every field gets each of
#   them too, with the others hostile).
ALWAYS = ["99999999999999999999", LONG]
OTHERS = ["-1", "999999", "abc", NUL, "R99.13.40", "平成0年1月1日", "0", "1", "99999", "0001-01-01"]
TOGETHER = ["0001-01-01", "9999-12-31", "令和99年13月45日", "-1", "99999999999999999999", NUL, LONG]
DATE_KEY = re.compile(r"(^|_)(on|at|as_of|date|from|to|since|until)($|_)|held|day")
YEAR_KEY = re.compile(r"year|(^|_)fy($|_)|fiscal")
DATES_PER_KEY = 3
# Path placeholders: ids that do not exist, non-numeric, huge, very long; a year placeholder also years out of
# range. The persona who may see the route gets all of them, the others SOME.
PATH_VALUES = ["0", "99999999999999999999", "abc", LONG]
PATH_YEARS = ["1900", "99999"]
SOME_PATH_VALUES = ["999999", "abc"]
# JSON body fields: as above, with JSON values.
JSON_ALWAYS = [None, 10**20, LONG, "0001-01-01"]
JSON_OTHERS = [0, -1, 99999, 1.5, "", "abc", NUL, "R99.13.40", [], {}]
JSON_DATES = ["1900-01-01", "9999-12-31", "令和99年13月45日"]
JSON_BODIES = ["not json", "[]", "null", json.dumps(LONG)]


def _rotated(values: list, key: str, count: int) -> list:
    """`count` of the values, starting at a place chosen by the key's name: stable between runs, and spread
    over the keys so that every value is tried on some key."""
    start = sum(map(ord, key)) % len(values)
    return [values[(start + i) % len(values)] for i in range(min(count, len(values)))]


def values_for(key: str, *, api: bool = False) -> list:
    always, others = (JSON_ALWAYS, JSON_OTHERS) if api else (ALWAYS, OTHERS)
    values = list(always) + _rotated(others, key, 1)
    if DATE_KEY.search(key):
        values += JSON_DATES if api else [d for d in _rotated(DATES, key, DATES_PER_KEY) if d not in values]
    if YEAR_KEY.search(key):
        values += [int(y) for y in YEARS] if api else [y for y in YEARS if y not in values]
    return values


def path_values(name: str) -> list[str]:
    return PATH_VALUES + (PATH_YEARS if YEAR_KEY.search(name) else [])


REFUSED = (403, 404)
MARK_GET, MARK_POST, MARK_FILE = "_crawl_get", "_crawl_post", "_crawl_file"


# ---- what a request reads ------------------------------------------------------------------------------------


@contextmanager
def recording():
    """Record the keys read from request.GET / request.POST (recognised by the marker) and request.FILES."""
    seen = {"GET": set(), "POST": set(), "FILES": set()}

    def note(data, key):
        if not isinstance(key, str):
            return
        if isinstance(data, QueryDict):
            if dict.__contains__(data, MARK_GET):
                seen["GET"].add(key)
            elif dict.__contains__(data, MARK_POST):
                seen["POST"].add(key)
        elif type(data) is MultiValueDict and dict.__contains__(data, MARK_FILE):
            # request.FILES (the probe sends a marker file): Django's URL resolver keeps MultiValueDicts too.
            seen["FILES"].add(key)

    original_get, original_getitem, original_getlist = (MultiValueDict.get, MultiValueDict.__getitem__,
                                                        MultiValueDict.getlist)

    def get(self, key, default=None):
        note(self, key)
        return original_get(self, key, default)

    def getitem(self, key):
        note(self, key)
        return original_getitem(self, key)

    def getlist(self, key, default=None):
        note(self, key)
        return original_getlist(self, key, default)

    def contains(self, key):
        note(self, key)
        return dict.__contains__(self, key)

    with mock.patch.multiple(MultiValueDict, get=get, __getitem__=getitem, getlist=getlist, __contains__=contains):
        yield seen
    for keys in seen.values():
        keys.discard(MARK_GET)
        keys.discard(MARK_POST)
        keys.discard(MARK_FILE)
        keys.discard("csrfmiddlewaretoken")


def _template(path: str) -> str:
    return re.sub(r"{[^}]*}", "{}", urlsplit(path).path)


@cache
def api_operations() -> dict:
    """(method, path template) → (query parameter names, JSON body field names), from the OpenAPI schema."""
    from jichitai.api.api import api

    schema = api.get_openapi_schema()
    components = schema.get("components", {}).get("schemas", {})
    operations = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            query = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
            body = operation.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema", {})
            if "$ref" in body:
                body = components.get(body["$ref"].rsplit("/", 1)[-1], {})
            operations[(method, _template(path))] = (query, set(body.get("properties", {})))
    return operations


# ---- requests --------------------------------------------------------------------------------------------------


class Crawl:
    def __init__(self, client, persona):
        self.client, self.persona = client, persona
        self.client.raise_request_exception = False
        self.failures: list[str] = []
        self.count = 0
        self.exceptions: list[str] = []

    def _caught(self, sender, request=None, **kwargs):
        exc = sys.exc_info()[1]
        where = traceback.extract_tb(exc.__traceback__)[-1] if exc and exc.__traceback__ else None
        self.exceptions.append(f"{type(exc).__name__}: {str(exc)[:160]}"
                               + (f" at {where.filename.rsplit('/src/', 1)[-1]}:{where.lineno}" if where else ""))

    def send(self, method, path, variant, *, data=None, body=None):
        """One request in a savepoint that is rolled back; the persona's cookies come back afterwards.

        A write that is accepted must leave the site working: the page it redirects to (a form) or the same path
        read back (the API) is requested too, before the rollback.
        """
        cookies = copy.deepcopy(self.client.cookies)
        if os.environ.get("CRAWLER_TRACE"):
            with open(os.environ["CRAWLER_TRACE"], "a") as trace:
                trace.write(f"{self.persona}\t{method}\t{path[:60]}\t{variant[:40]}\n")
        got_request_exception.connect(self._caught)
        try:
            with transaction.atomic():
                self.exceptions = []
                if body is not None:
                    response = getattr(self.client, method)(path, body, content_type="application/json")
                elif method == "get":
                    response = self.client.get(path)
                else:
                    response = getattr(self.client, method)(path, data or {})
                self.check(method, path, variant, response)
                if method != "get" and response.status_code < 400:
                    after = self.read_back(path, body is not None, response)
                    if after:
                        self.exceptions = []
                        self.check("get", after, f"{variant}, then reading {after[:60]}", self.client.get(after))
                transaction.set_rollback(True)
        finally:
            got_request_exception.disconnect(self._caught)
            self.client.cookies = cookies
        return response

    @staticmethod
    def read_back(path, api, response) -> str | None:
        if api:
            return urlsplit(path).path
        location = response.get("Location", "")
        return location if 300 <= response.status_code < 400 and location.startswith("/") else None

    def check(self, method, path, variant, response):
        self.count += 1
        status = response.status_code
        if not allowed(status, path):
            shown = path if len(path) < 160 else path[:150] + "…"
            detail = "; ".join(self.exceptions) or response.content[:200].decode(errors="replace")
            self.failures.append(f"{self.persona} {method.upper()} {shown} [{variant}] → {status}: {detail}")


def allowed(status: int, path: str) -> bool:
    if 200 <= status < 400 or status in (400, 403, 404, 405):
        return True
    # The API: 401 to a request without a session or token, 422 to one that does not fit the schema.
    return status in (401, 422) and urlsplit(path).path.startswith("/api/")


def with_query(path: str, **params) -> str:
    parts = urlsplit(path)
    query = dict(parse_qsl(parts.query, keep_blank_values=True)) | params
    return parts.path + ("?" + urlencode(query) if query else "")


def crawl_route(crawl: Crawl, route, ids: dict, *, full: bool) -> bool:
    """Crawl one route; `full`: every path value and every parameter, else the probe, a few path values and the
    other method. Returns whether the persona got past the refusal (then the next personas need not fuzz)."""
    placeholders = re.findall(r"{(\w+)}", route.path)
    path = route.path.format(**ids)
    data = {k: v.format(**ids) if isinstance(v, str) else v for k, v in route.data.items()}
    method = route.method
    json_body = route.json and method != "get"
    api_query, api_fields = api_operations().get((method, _template(route.path)), (set(), set()))

    # The route as written, probing what it reads.
    with recording() as seen:
        if json_body:
            probe = crawl.send(method, with_query(path, **{MARK_GET: "1"}), "as written", body=json.dumps(data))
        else:
            probe = crawl.send(method, with_query(path, **{MARK_GET: "1"}), "as written",
                               data=None if method == "get" else data | {
                                   MARK_POST: "1", MARK_FILE: SimpleUploadedFile("probe.txt", b"probe")})
    # Refused before reading anything (a page the persona may not see or change): only the path is worth varying.
    refused = probe.status_code in REFUSED

    def again(target, variant, *, form=None, payload=None):
        if json_body:
            crawl.send(method, target, variant, body=payload if payload is not None else json.dumps(data))
        else:
            crawl.send(method, target, variant, data=None if method == "get" else (data if form is None else form))

    fuzz = full and not refused

    # Path placeholders.
    for name in placeholders:
        for value in path_values(name) if fuzz else SOME_PATH_VALUES:
            hostile = route.path.format(**ids | {name: quote(value, safe="")})
            again(hostile, f"{{{name}}}={value[:20]}")

    # Query-string parameters the view read (and the API operation's).
    for key in sorted(seen["GET"] | api_query) if fuzz else ():
        for value in values_for(key):
            again(with_query(path, **{key: value}), f"?{key}={value[:20]!r}")

    # Form fields the view read, and files.
    if fuzz and not json_body and method != "get":
        for key in sorted(seen["POST"]):
            for value in values_for(key):
                again(path, f"{key}={value[:20]!r}", form=data | {key: value})
        if len(seen["POST"]) > 1:
            for value in TOGETHER:
                again(path, f"every field={value[:20]!r}", form=data | dict.fromkeys(seen["POST"], value))
        for key in sorted(seen["FILES"]):
            for name, content in (("x.xlsx", b"PK\x03\x04 not a workbook"), ("x.csv", b"\xff\xfe\x00garbage"),
                                  ("empty.xlsx", b"")):
                again(path, f"file {key}={name}", form=data | {key: SimpleUploadedFile(name, content)})

    # JSON body fields, and bodies that are not an object.
    if fuzz and json_body:
        for key in sorted(set(data) | api_fields):
            for value in values_for(key, api=True):
                shown = json.dumps(value, ensure_ascii=False)[:20]
                again(path, f"{key}={shown}", payload=json.dumps(data | {key: value}))
        for payload in JSON_BODIES:
            again(path, f"body {payload[:20]!r}", payload=payload)

    # The other method.
    if method == "get":
        crawl.send("post", path, "POST on a page", body="{}" if route.json else None, data={})
    else:
        crawl.send("get", path, "GET on a write route")
    return not refused


# ---- the test ---------------------------------------------------------------------------------------------------


@pytest.fixture
def world(municipality, process, association, department):
    """The objects of every route's placeholders, as tests/test_tenancy.py builds them."""
    Staff.objects.create(municipality=municipality, staff_number="S1", name="佐藤 花子", role="handler")
    Ordinance.objects.create(municipality=municipality, name="条例", article="第1条", effective_on="2016-01-01")
    step = FlowStep.objects.create(process=process, order=1, lane="resident", action="申請書を提出")
    row = HandlingRow.objects.create(process=process, row_id="1-2", asset_name="減免申請書", kind="paper",
                                     stage="acquire", confidentiality=3, integrity=2, availability=2, asset_value=4)
    template = ProcessTemplate.objects.create(association=association, name="ひな形", payload={"steps": [], "rows": []},
                                              published_by="secretariat")
    ids = {"code": municipality.code, "pk": process.pk, "association": association.pk, "step": step.pk,
           "row": row.pk, "template": template.pk, "department": department.pk}
    for build in OBJECT_BUILDERS:
        ids.update(build(municipality=municipality, process=process, association=association, department=department))
    return ids


@pytest.fixture
def quiet():
    """Refused and failed requests are the point here: keep django.request's log out of the output."""
    loggers = [logging.getLogger(name) for name in ("django.request", "django.security")]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    yield
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def _groups() -> dict[str, list[str]]:
    """Routes grouped by namespace (API routes by their first path word): one test builds the world once for
    a group, every request of the group runs in a rolled-back savepoint."""
    groups: dict[str, list[str]] = {}
    for name in sorted(ROUTES):
        group = name.split(":")[0] if ":" in name else "site"
        if group == "api":
            group += "-" + ROUTES[name].path.removeprefix("/api/v1/").split("/")[0].split("{")[0]
        groups.setdefault(group, []).append(name)
    return groups


GROUPS = _groups()


@pytest.mark.parametrize("group", sorted(GROUPS))
def test_no_server_error(client, personas, world, quiet, group):  # noqa: F811 - personas is the fixture imported above
    failures, total = [], 0
    for name in GROUPS[group]:
        seen_by_someone, count = False, 0
        for persona in PERSONAS:
            client.logout()
            if persona != "anonymous":
                client.force_login(personas[persona])
            crawl = Crawl(client, persona)
            seen_by_someone |= crawl_route(crawl, ROUTES[name], world, full=not seen_by_someone)
            failures += [f"{name}: {failure}" for failure in crawl.failures]
            count += crawl.count
        total += count
        if os.environ.get("CRAWLER_LOG"):
            with open(os.environ["CRAWLER_LOG"], "a") as log:
                log.write(f"{name}\t{count}\n")
    if os.environ.get("CRAWLER_LOG"):
        with open(os.environ["CRAWLER_LOG"], "a") as log:
            log.write("".join(f"  {f}\n" for f in failures))
    assert not failures, f"{group}: {len(failures)} of {total} requests failed:\n" + "\n".join(failures[:40])


def test_every_pattern_is_crawled():
    """The crawl covers every named URL pattern of the resolver (through the persona table)."""
    from tests.test_tenancy import _names

    crawled = {name.split("#")[0] for names in GROUPS.values() for name in names}
    assert set(_names(get_resolver().url_patterns)) <= crawled
