"""Every error the API answers carries a Japanese `detail` (issue 13): each operation of the ninja API (read from
the API itself, so a new route is covered without a line here) is sent invalid input — a body with every field of
the wrong type, an empty body, a body that is not JSON, query parameters that are not numbers or dates, ids that do
not exist or are not numbers — and asked by an anonymous client, a bad token, a reader who may not write, an
outsider, and with a method it does not serve. Every answer of 400 or more must be JSON whose `detail` holds
Japanese and no English sentence."""

import json
import re

import pytest

from jichitai.api.api import api
from tests.test_crawler import quiet, world  # noqa: F401 - fixtures
from tests.test_tenancy import ROUTES, personas  # noqa: F401 - fixtures

JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
ENGLISH_SENTENCE = re.compile(r"[A-Za-z]{2,}[ ,]+[A-Za-z]{2,}")
WRONG = {"integer": "abc", "number": "abc", "boolean": "maybe", "array": 5, "object": 5}
METHODS = ("get", "post", "put", "patch", "delete")


def operations() -> list[tuple[str, str, str]]:
    """(method, path template, operation id) of every operation of the API, from the API's own schema."""
    schema = api.get_openapi_schema()
    return [(method, path, spec["operationId"]) for path, methods in schema["paths"].items()
            for method, spec in methods.items()]


def _resolve(ref: str, schema: dict) -> dict:
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def wrong_body(spec: dict, schema: dict) -> dict:
    """Every field of the body's schema with a value of the wrong type (a date field gets a word)."""
    content = spec.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    if not content:
        return {}
    if "$ref" in content:
        content = _resolve(content["$ref"], schema)
    body = {}
    for name, field in content.get("properties", {}).items():
        options = field.get("anyOf") or [field]
        kind = next((o.get("type") for o in options if o.get("type") not in (None, "null")), "string")
        fmt = next((o.get("format") for o in options if o.get("format")), "")
        body[name] = "きのう" if fmt in ("date", "date-time") else WRONG.get(kind, {"a": 1})
    return body


def details(response) -> str:
    """The text of `detail`, whatever its shape (a sentence, a list of sentences, a list of pydantic errors)."""
    detail = response.json()["detail"]
    items = detail if isinstance(detail, list) else [detail]
    return "\n".join(item["msg"] if isinstance(item, dict) else str(item) for item in items)


def _check(response, what: str, failures: list) -> None:
    if response.status_code < 400:
        return
    try:
        text = details(response)
    except (ValueError, KeyError, TypeError):
        failures.append(f"{what}: {response.status_code} without a JSON detail: {response.content[:120]!r}")
        return
    if not JAPANESE.search(text) or ENGLISH_SENTENCE.search(text):
        failures.append(f"{what}: {response.status_code} {text[:160]}")


@pytest.fixture
def reader(viewer_user):
    return viewer_user


def test_every_api_error_is_in_japanese(client, personas, world, reader, quiet):  # noqa: F811
    schema = api.get_openapi_schema()
    ids = dict(world)
    failures, statuses = [], set()
    for method, template, operation_id in operations():
        spec = schema["paths"][template][method]
        route = ROUTES.get(f"api:{operation_id.rsplit('_api_', 1)[-1].split('_', 1)[-1]}")
        path = (route.path if route else template).format_map(_Ids(ids))
        query = {p["name"]: "abc" for p in spec.get("parameters", []) if p["in"] == "query"}
        wrong = [p for p in spec.get("parameters", []) if p["in"] == "path"]

        def send(user, target, *, body=None, raw=None, verb=method, params=None, **headers):
            client.logout()
            if user is not None:
                client.force_login(user)
            if verb == "get":
                return client.get(target, params or {}, **headers)
            payload = raw if raw is not None else json.dumps(body if body is not None else {})
            return getattr(client, verb)(target, payload, content_type="application/json", **headers)

        requests = [("query", personas["member"], path, {"params": query})]
        if method != "get":
            requests += [("wrong types", personas["member"], path, {"body": wrong_body(spec, schema)}),
                         ("empty body", personas["member"], path, {"body": {}}),
                         ("not JSON", personas["member"], path, {"raw": "{not json"}),
                         ("a list", personas["member"], path, {"raw": "[1, 2]"}),
                         ("reader", reader, path, {"body": {}})]
        for parameter in wrong:
            for value in ("999999", "abc", "9" * 25):
                requests.append((f"{parameter['name']}={value}", personas["member"],
                                 _replace_segment(path, template, parameter["name"], value), {}))
        requests += [("anonymous", None, path, {}), ("bad token", None, path, {"HTTP_AUTHORIZATION": "Bearer nope"}),
                     ("outsider", personas["outsider"], path, {}),
                     ("other method", personas["member"], path,
                      {"verb": next(m for m in METHODS if m not in schema["paths"][template])})]
        for what, user, target, options in requests:
            response = send(user, target, **options)
            statuses.add(response.status_code)
            _check(response, f"{method.upper()} {template} ({what})", failures)
    assert {400, 401, 403, 404, 405, 422} <= statuses
    assert not failures, f"{len(failures)} answers without a Japanese detail:\n" + "\n".join(failures)


class _Ids(dict):
    def __missing__(self, key):
        return "1"  # a placeholder no route table names


def _replace_segment(path: str, template: str, name: str, value: str) -> str:
    """The filled path with the segment of placeholder `name` replaced by `value`."""
    parts, slots = path.split("/"), template.split("/")
    return "/".join(value if slot == "{" + name + "}" else part for part, slot in zip(parts, slots, strict=True))


def test_a_validators_japanese_message_is_kept_and_the_field_named():
    from jichitai.api.api import _schema_error

    error = {"type": "value_error", "loc": ("body", "payload", "effective_on"),
             "ctx": {"error": ValueError("和暦の年が正しくありません。")}}
    assert _schema_error(error)["msg"].endswith("和暦の年が正しくありません。")
    english = {"type": "value_error", "loc": ("body", "payload", "zzz"), "ctx": {"error": ValueError("bad thing")}}
    assert _schema_error(english)["msg"] == "入力の形式が正しくありません。"
    missing = _schema_error({"type": "missing", "loc": ("body", "payload", "status")})
    assert missing["msg"] == "状態: 必須の項目です。" and missing["loc"] == ["body", "payload", "status"]
    choice = _schema_error({"type": "literal_error", "loc": ("body", "payload", "status"),
                            "ctx": {"expected": "'done', 'started' or 'not_needed'"}})
    assert choice["msg"] == "状態: 使える値: 'done'、'started'、'not_needed'"
