"""The API takes dates as the forms do (issue 13): R8.12.3, 令和8年12月3日 and ISO, refused in Japanese."""

import datetime as dt
import importlib
import inspect
import json
import pkgutil
import typing

import pytest
from ninja import Schema

import jichitai.api
from jichitai.api.schemas import WarekiDate, WarekiDateTime
from jichitai.incidents.models import Incident

BODY = {"title": "通知書の誤送付", "persons_affected": 3, "kinds": ["leak"]}


def _bare_dates(annotation) -> bool:
    """Whether a date or date-time type appears in the annotation without the wareki validator."""
    if annotation in (WarekiDate, WarekiDateTime):
        return False
    if annotation in (dt.date, dt.datetime):
        return True
    return any(_bare_dates(arg) for arg in typing.get_args(annotation))


def _input_schemas() -> list[type[Schema]]:
    found = []
    for info in pkgutil.iter_modules(jichitai.api.__path__, "jichitai.api."):
        module = importlib.import_module(info.name)
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            # Input schemas forbid unknown keys (the API's convention); outputs are the server's own dates.
            if (issubclass(cls, Schema) and cls.__module__ == module.__name__
                    and cls.model_config.get("extra") == "forbid"):
                found.append(cls)
    return found


def test_every_date_an_api_schema_takes_goes_through_the_one_parser():
    schemas = _input_schemas()
    assert len(schemas) > 10
    ours = {typing.get_args(WarekiDate)[1], typing.get_args(WarekiDateTime)[1]}
    bare = [f"{cls.__module__}.{cls.__name__}.{name}" for cls in schemas
            for name, field in cls.model_fields.items()
            # pydantic keeps a top-level Annotated's validators in field.metadata, nested ones in the annotation
            if _bare_dates(field.annotation) and not ours & set(field.metadata)]
    assert not bare, "use api.schemas.WarekiDate / WarekiDateTime: " + ", ".join(bare)


def send(client, method, path, body):
    return getattr(client, method)(path, json.dumps(body), content_type="application/json")


def test_an_incident_sent_with_wareki_dates(client_for, admin_user, municipality):
    response = send(client_for(admin_user), "post", f"/api/v1/municipalities/{municipality.code}/incidents",
                    BODY | {"discovered_at": "R8.11.1 9:00", "known_at": "令和8年11月1日 10時00分",
                            "preliminary_sent_on": "R8.11.2", "final_sent_on": "令和8年11月3日",
                            "persons_notified_on": "２０２６年１１月４日"})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["known_at"].startswith("2026-11-01T10:00:00+09:00")
    incident = Incident.objects.get()
    assert (incident.preliminary_sent_on, incident.final_sent_on, incident.persons_notified_on) == (
        dt.date(2026, 11, 2), dt.date(2026, 11, 3), dt.date(2026, 11, 4))


@pytest.mark.parametrize(("value", "message"), [
    ("H31.5.1", "平成は平成元年1月8日から平成31年4月30日までです"),
    ("R8.13.1", "存在しない日付です"),
    ("そのうち", "日付として読めません"),
])
def test_a_wrong_date_is_refused_in_japanese(client_for, admin_user, municipality, value, message):
    response = send(client_for(admin_user), "post", f"/api/v1/municipalities/{municipality.code}/incidents",
                    BODY | {"discovered_at": "R8.11.1 9:00", "known_at": "R8.11.1 10:00", "final_sent_on": value})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert detail[0]["loc"][-1] == "final_sent_on" and message in detail[0]["msg"]
    assert not Incident.objects.exists()


def test_the_progress_as_of_takes_wareki(client_for, admin_user, municipality):
    client = client_for(admin_user)
    for value in ("R8.4.1", "令和8年4月1日", "2026-04-01"):
        response = client.get(f"/api/v1/municipalities/{municipality.code}/progress", {"as_of": value})
        assert response.status_code == 200, response.content
        assert response.json()["as_of"] == "2026-04-01"
