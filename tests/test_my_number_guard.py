"""The My Number guard everywhere, proven by generated cases (issue 10).

Valid individual numbers (番号法施行令 第8条 check digit) are generated and written in generated formats: split
into groups anywhere, joined by any one separator of the detector's classes or by a run of whitespace, in ASCII,
full-width or mixed digits, bare or inside a sentence. They are sent to

- every field of every form of the project (every `forms.py` module, every Form/ModelForm class in it),
- every field of every model of the project (what the services' full_clean runs),
- every field, at any depth, of every body schema of every write operation of the API (enumerated from the
  NinjaAPI's routers), and
- every column of every import kind (`exchange.kinds.KINDS`), through `run_import`,

and must be refused with nothing stored, the number absent from the response (page, JSON, report), from the
audit log and from the captured log records. Generated near-misses (wrong check digit, 11 digits, 13 digits)
must be accepted by free-text fields. Everything is enumerated from the code: a new form, field, schema, route
or kind is covered the day it is added (and a new kind without a sample sheet fails `test_every_kind_has_a_sample`).
"""

import datetime as dt
import importlib
import io
import json
import logging
import pkgutil
import types
import typing
from decimal import Decimal

import pytest
from django import forms
from django.apps import apps
from django.db import models, transaction
from django.http import QueryDict
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ninja import Schema

from jichitai.api.api import api
from jichitai.audit.models import AuditEntry
from jichitai.cloud.models import BusinessSystem, CloudPlan
from jichitai.core.mynumber import INVISIBLE, MASK, SEPARATORS, WHITESPACE, contains_my_number, my_number_check_digit
from jichitai.exchange import imports
from jichitai.exchange.kinds import KINDS
from jichitai.exchange.kinds import analysis as analysis_kind
from jichitai.handling.models import FlowStep, HandlingRow
from jichitai.incidents.models import Incident, IncidentPhase
from jichitai.orgs.models import Membership, Staff
from jichitai.pia.models import Evaluation, SpiFile
from jichitai.planning.models import ActionItem, Issue, Workshop
from jichitai.processes.models import Process
from jichitai.training.models import Course
from tests import seed_sheets as seed
from tests.helpers import db_state, workbook_bytes

PROJECT_APPS = ("orgs", "processes", "audit", "handling", "risk", "training", "measures", "linkage", "checklist",
                "pia", "planning", "cloud", "incidents")
MY_NUMBER_TEXT = "個人番号"  # every refusal names the reason, never the value
# Example counts per test, chosen so that the file runs in about a minute on two cores.
_QUIET = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]
FEW = settings(max_examples=5, deadline=None, suppress_health_check=_QUIET)
SOME = settings(max_examples=10, deadline=None, suppress_health_check=_QUIET)
MANY = settings(max_examples=12, deadline=None, suppress_health_check=_QUIET)

# ---- Generated numbers and formats ----------------------------------------------------------------------

FULL_WIDTH = dict(zip("0123456789", "０１２３４５６７８９", strict=True))
# Workbooks cannot hold C0 control characters other than tab, newline and carriage return.
CELL_WHITESPACE = " \u3000\t\n\xa0\u2009\u202f\u200b"


def with_check_digit(first_eleven: str) -> str:
    return first_eleven + str(my_number_check_digit(first_eleven))


def with_wrong_check_digit(first_eleven: str) -> str:
    return first_eleven + str((my_number_check_digit(first_eleven) + 1) % 10)


ELEVEN = st.text(alphabet="0123456789", min_size=11, max_size=11)
VALID = ELEVEN.map(with_check_digit)
# As a number (a JSON number, a numeric cell) the first digit cannot be 0: 012345678901 is an 11-digit number.
VALID_INT = st.tuples(st.sampled_from("123456789"), st.text(alphabet="0123456789", min_size=10, max_size=10)).map(
    lambda t: int(with_check_digit(t[0] + t[1])))


@st.composite
def written(draw, digits_strategy, whitespace=WHITESPACE + INVISIBLE, context=True) -> str:
    """Digits written as people write them: groups cut anywhere, each gap one separator or a whitespace run,
    each digit ASCII or full-width, bare or inside a sentence."""
    digits = draw(digits_strategy)
    cuts = sorted(draw(st.sets(st.integers(1, len(digits) - 1), max_size=3)))
    width = draw(st.sampled_from(("ascii", "full", "mixed")))
    chars = []
    for position, digit in enumerate(digits):
        full = width == "full" or (width == "mixed" and draw(st.booleans()))
        chars.append(FULL_WIDTH[digit] if full else digit)
        if position + 1 in cuts:
            chars.append(draw(st.one_of(st.sampled_from(SEPARATORS),
                                        st.text(alphabet=whitespace, min_size=1, max_size=3))))
    text = "".join(chars)
    if context and draw(st.booleans()):
        before, after = draw(st.sampled_from((("番号 ", " です"), ("備考：", ""), ("ID ", " を確認"))))
        text = before + text + after
    return text


def my_numbers(whitespace=WHITESPACE + INVISIBLE, context=True):
    return written(VALID, whitespace, context)


def near_misses(whitespace=WHITESPACE + INVISIBLE):
    """Wrong check digit or 11 digits in any format; 13 digits in one unbroken run."""
    wrong = written(ELEVEN.map(with_wrong_check_digit), whitespace, context=False)
    eleven = written(ELEVEN, whitespace, context=False)
    thirteen = st.tuples(VALID, st.sampled_from("0123456789"), st.booleans(), st.booleans()).map(
        lambda t: "".join(FULL_WIDTH[d] if t[3] else d for d in (t[0] + t[1] if t[2] else t[1] + t[0])))
    return st.one_of(wrong, eleven, thirteen)


def digits_of(text: str) -> str:
    return "".join(str(int(c)) if c.isdigit() else "" for c in text)


def assert_not_leaked(text: str, sent: str, where: str) -> None:
    """Neither what was sent, nor its digits, nor anything the detector would find is in the text."""
    assert sent not in text, where
    assert digits_of(sent)[-12:] not in text, where
    assert not contains_my_number(text), where


def assert_logs_clean(caplog, sent: str) -> None:
    for record in caplog.records:
        line = record.getMessage() + (record.exc_text or "")
        if record.exc_info and record.exc_info[1] is not None:
            line += str(record.exc_info[1])
        assert_not_leaked(line, sent, f"log record {record.name}")


def audit_clean() -> None:
    for entry in AuditEntry.objects.all():
        text = json.dumps([entry.object_repr, entry.object_id, entry.before, entry.after], ensure_ascii=False)
        assert not contains_my_number(text), "an audit entry holds an individual number"


# ---- The world every test writes into -----------------------------------------------------------------


@pytest.fixture
def world(municipality, association, department, admin_user):
    """A municipality with a process analysed as the seed sheets are (flow, handling rows, risk rows), a
    protection officer, a specific personal information file with an evaluation, an incident with a phase, a
    workshop with an issue; the admin of the municipality who is also the association's secretariat."""
    from jichitai.exchange.imports import run_import

    Membership.objects.create(user=admin_user, role=Membership.Role.SECRETARIAT, association=association)
    process = Process.objects.create(municipality=municipality, name=seed.PROCESS, department=department)
    report = run_import(seed.seed_workbook(), actor=None, municipality=municipality)
    assert report.ok, report.errors
    FlowStep.objects.create(process=process, order=1, lane="resident", action="申請書を提出する")
    officer = Staff.objects.create(municipality=municipality, staff_number="S001", name="保護 責任者",
                                   role=Staff.Role.PROTECTION_OFFICER, department=department)
    spi_file = SpiFile.objects.create(municipality=municipality, name="軽自動車税ファイル", persons=5000, handlers=10)
    evaluation = Evaluation.objects.create(spi_file=spi_file, kind=Evaluation._meta.get_field("kind").choices[0][0])
    at = dt.datetime(2026, 3, 31, 12, 0, tzinfo=dt.UTC)
    incident = Incident.objects.create(municipality=municipality, title="誤送付", discovered_at=at, known_at=at)
    phase = IncidentPhase.objects.create(incident=incident, phase=IncidentPhase._meta.get_field("phase").choices[0][0],
                                         at=at)
    workshop = Workshop.objects.create(association=association, name="課題分析ワークショップ")
    issue = Issue.objects.create(workshop=workshop, title="職員研修の充実", position=1)
    action = ActionItem.objects.create(issue=issue, fiscal_year=2026, half="first", text="研修計画の策定")
    system = BusinessSystem.objects.create(municipality=municipality, name="住民記録システム", category="住基",
                                           contract_end_fy=2028)
    plan = CloudPlan.objects.create(association=association, name="住基クラウド", category="住基", start_fy=2029)
    return types.SimpleNamespace(
        municipality=municipality, association=association, department=department, process=process,
        row=HandlingRow.objects.filter(process=process).order_by("pk").first(),
        step=FlowStep.objects.get(process=process), officer=officer, spi_file=spi_file, evaluation=evaluation,
        incident=incident, phase=phase, workshop=workshop, issue=issue, action=action, system=system, plan=plan,
        user=admin_user)


def unchanged(before: dict) -> None:
    after = db_state()
    changed = [label for label in before if before[label] != after[label]]
    assert not changed, f"rows written: {changed}"


# ======================================================================================================
# Forms
# ======================================================================================================


def project_forms() -> list[type[forms.BaseForm]]:
    """Every Form and ModelForm class defined in a `forms.py` (or `…_forms.py`) module of the project."""
    found = []
    for config in apps.get_app_configs():
        if not config.name.startswith("jichitai."):
            continue
        names = [info.name for info in pkgutil.iter_modules(importlib.import_module(config.name).__path__)
                 if info.name == "forms" or info.name.endswith("_forms")]
        for name in names:
            module = importlib.import_module(f"{config.name}.{name}")
            found += [obj for obj in vars(module).values() if isinstance(obj, type)
                      and issubclass(obj, forms.BaseForm) and obj.__module__ == module.__name__]
    return sorted(found, key=lambda cls: f"{cls.__module__}.{cls.__name__}")


FORMS = project_forms()


def form_arguments(world) -> dict:
    """What the forms' constructors ask for, by name (a new argument name fails `test_every_form_is_built`)."""
    from jichitai.orgs.models import Municipality
    from jichitai.processes import rules as process_rules

    staff = Staff.objects.filter(municipality=world.municipality)
    return {
        "municipality": world.municipality, "process": world.process, "association": world.association,
        "staff": staff, "people": list(staff), "existing": {}, "courses": Course.objects.all(),
        "issues": Issue.objects.filter(workshop=world.workshop),
        "criteria": [{"name": "重要度", "weight": 1}, {"name": "緊急度", "weight": 1}],
        "members": Municipality.objects.filter(pk=world.municipality.pk), "categories": ["住民記録"],
        "column": process_rules.COLUMNS[0][0], "frameworks": [], "lead_time": 2,
        "roles": [("admin", "管理者"), ("editor", "編集者"), ("viewer", "閲覧者")],
    }


def build_form(form_class, world, data=None):
    import inspect

    wanted = set()
    for cls in form_class.__mro__:
        if "__init__" in vars(cls) and cls.__module__.startswith("jichitai."):
            wanted |= {name for name, p in inspect.signature(cls.__init__).parameters.items()
                       if p.kind == p.KEYWORD_ONLY}
    arguments = form_arguments(world)
    missing = wanted - set(arguments)
    assert not missing, f"{form_class.__name__} needs {missing}: add them to form_arguments"
    kwargs = {name: arguments[name] for name in wanted}
    if "data" in inspect.signature(form_class.__init__).parameters and data is None:
        data = QueryDict()
    return form_class(data, **kwargs) if data is not None else form_class(**kwargs)


def guarded_fields(form) -> list[str]:
    """Every field a person types or picks a value into: all but checkboxes and files."""
    return [name for name, field in form.fields.items()
            if not isinstance(field, forms.BooleanField | forms.FileField)]


def bound_data(form, name: str, value: str) -> QueryDict:
    data = QueryDict(mutable=True)
    widget = form.fields[name].widget
    key = form.add_prefix(name)
    if isinstance(widget, forms.MultiWidget):
        for suffix in widget.widgets_names:
            data[key + suffix] = value
    else:
        data.setlist(key, [value])
    return data


def is_free_text(field) -> bool:
    return (type(field) in (forms.CharField,) and not getattr(field, "choices", None)
            and (field.max_length is None or field.max_length >= 40))


def test_every_form_is_built(world):
    assert len(FORMS) >= 40
    for form_class in FORMS:
        form = build_form(form_class, world)
        assert guarded_fields(form) or form_class.__name__ in {"ImportForm"}, form_class.__name__


FORM_MODULES = sorted({cls.__module__ for cls in FORMS})


def bind_all(form, values: dict[str, str]) -> QueryDict:
    data = QueryDict(mutable=True)
    for name, value in values.items():
        data.update(bound_data(form, name, value))
    return data


@pytest.mark.parametrize("module", FORM_MODULES)
@SOME
@given(data=st.data())
def test_forms_refuse_every_written_number_in_every_field(module, world, caplog, data):
    """Each example writes a number, each in its own generated format, into every field of every form of the
    module at once: every field must carry exactly the My Number error and show neither the value nor the
    number; nothing is stored."""
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    before = db_state()
    for form_class in [cls for cls in FORMS if cls.__module__ == module]:
        empty = build_form(form_class, world)
        names = guarded_fields(empty)
        sent = {name: data.draw(my_numbers(), label=f"{form_class.__name__}.{name}") for name in names}
        form = build_form(form_class, world, bind_all(empty, sent))
        assert not form.is_valid() or not names
        errors = form.errors.as_data()
        for name in names:
            codes = [error.code for error in errors.get(name, ())]
            assert codes == ["my_number"], f"{form_class.__name__}.{name} ({sent[name]!r}): {codes}"
            shown = str(form[name]) + str(form[name].errors)
            assert MY_NUMBER_TEXT in shown
            assert_not_leaked(shown, sent[name], f"{form_class.__name__}.{name}")
        page = str(form.non_field_errors()) + json.dumps(form.errors.get_json_data(), ensure_ascii=False)
        for name in names:
            assert_not_leaked(page, sent[name], f"{form_class.__name__} errors")
            assert_logs_clean(caplog, sent[name])
    unchanged(before)


@pytest.mark.parametrize("module", FORM_MODULES)
@FEW
@given(data=st.data())
def test_forms_accept_near_misses_in_free_text(module, world, data):
    for form_class in [cls for cls in FORMS if cls.__module__ == module]:
        empty = build_form(form_class, world)
        names = [n for n in guarded_fields(empty) if is_free_text(empty.fields[n])]
        sent = {name: data.draw(near_misses(), label=f"{form_class.__name__}.{name}") for name in names}
        form = build_form(form_class, world, bind_all(empty, sent))
        form.is_valid()
        for name in names:
            codes = [error.code for error in form.errors.as_data().get(name, ())]
            assert "my_number" not in codes, f"{form_class.__name__}.{name} refused the near-miss {sent[name]!r}"


def test_fiscal_years_outside_1989_to_2100_are_refused_by_every_form(world):
    """Every form field that holds a fiscal year: 1 and 2101 refused, 2026 not refused for its range."""
    checked = 0
    for form_class in FORMS:
        form = build_form(form_class, world)
        for name in form.fields:
            if not (name.endswith("_fy") or "fiscal_year" in name):
                continue
            checked += 1
            for value, refused in (("1", True), ("1988", True), ("2101", True), ("99999", True), ("2026", False)):
                bound = build_form(form_class, world, bound_data(form, name, value))
                bound.is_valid()
                if refused:
                    assert name in bound.errors, f"{form_class.__name__}.{name}={value} accepted"
                else:
                    assert not any("1989" in str(e) for e in bound.errors.get(name, ())), f"{form_class.__name__}.{name}"
    assert checked >= 4


# ======================================================================================================
# Models: what every service's full_clean runs
# ======================================================================================================


def model_fields() -> list[tuple[str, str]]:
    found = []
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.concrete_fields:
            if field.is_relation or field.primary_key:
                continue
            if isinstance(field, models.CharField | models.TextField | models.IntegerField | models.DecimalField
                          | models.FloatField | models.JSONField):
                found.append((model._meta.label, field.name))
    return found


MODEL_FIELDS = model_fields()


@pytest.mark.parametrize(("label", "name"), MODEL_FIELDS, ids=[f"{m}.{f}" for m, f in MODEL_FIELDS])
@MANY
@given(sent=my_numbers(), number=VALID_INT, as_number=st.booleans())
def test_every_model_field_refuses_it(label, name, sent, number, as_number):
    """What every service's full_clean runs: the field refuses the number as text and (numbers, JSON) as a
    number. A text a number field reads as a smaller number (\"012345678901\" → 12345678901) holds no number
    once read; the forms, the API and the importer refuse it as sent."""
    from django.core.exceptions import ValidationError

    field = apps.get_model(label)._meta.get_field(name)
    numeric = isinstance(field, models.IntegerField | models.DecimalField | models.FloatField)
    if isinstance(field, models.JSONField):
        value = [number] if as_number else {"値": sent}
    else:
        value = number if numeric and as_number else sent
    try:
        cleaned = field.clean(value, None)
    except ValidationError as error:
        if not field.choices and isinstance(field, models.CharField | models.TextField):
            assert "my_number" in [e.code for e in error.error_list]
        return
    assert numeric and not as_number and not contains_my_number(cleaned), f"{label}.{name} accepted {value!r}"


# ======================================================================================================
# API: every body field of every write operation
# ======================================================================================================


def _unwrap(annotation):
    """(base type, is list): Optional, Annotated and list peeled off."""
    is_list = False
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            annotation = args[0]
        elif origin is list:
            is_list, annotation = True, typing.get_args(annotation)[0]
        else:
            return annotation, is_list


def schema_paths(schema, prefix=()) -> list[tuple[tuple, type]]:
    """Every leaf field of a schema as (path, type); a list of schemas is entered through its first item."""
    paths = []
    for name, info in schema.model_fields.items():
        base, is_list = _unwrap(info.annotation)
        path = (*prefix, name, 0) if is_list else (*prefix, name)
        if isinstance(base, type) and issubclass(base, Schema):
            paths += schema_paths(base, path)
        else:
            paths.append((path, base))
    return paths


def write_operations() -> list[tuple[str, str, type]]:
    """(method, path, body schema) for every operation of the API that takes a body."""
    found = []
    for _prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for model in operation.models:
                    if getattr(model, "__ninja_param_source__", None) != "body":
                        continue
                    for info in model.model_fields.values():
                        for method in operation.methods:
                            found.append((method, path, info.annotation))
    return found


OPERATIONS = write_operations()
API_CASES = [(method, path, schema, field_path, base)
             for method, path, schema in OPERATIONS for field_path, base in schema_paths(schema)]

# A valid body for each input schema (patch schemas: nothing). A new schema fails test_every_schema_has_a_body.
TIME = "2026-04-01T10:00:00+09:00"
BODIES = {
    "ProgressCellIn": lambda w: {"column": "業務フロー", "status": "done"},
    "FlowStepIn": lambda w: {"order": 2, "lane": "resident", "action": "窓口で受け付ける"},
    "HandlingRowIn": lambda w: {"row_id": "1-9", "asset_name": "減免申請書", "kind": "paper", "stage": "acquire",
                                "confidentiality": 3, "integrity": 2, "availability": 2},
    "RiskIn": lambda w: {"vulnerability": "施錠の不備", "vulnerability_rating": 2, "threat": "紛失",
                         "threat_rating": 2, "countermeasures": [{"text": "施錠する", "reduction": "0.5"}]},
    "ApproveIn": lambda w: {"officer_id": w.officer.pk, "note": "承認します"},
    "SpiFileIn": lambda w: {"name": "新しいファイル", "persons": 1200, "handlers": 5},
    "EvaluationIn": lambda w: {"kind": w.evaluation.kind, "notes": "見直し"},
    "IncidentIn": lambda w: {"title": "メール誤送信", "discovered_at": TIME, "known_at": TIME},
    "PhaseIn": lambda w: {"phase": w.phase.phase, "at": TIME, "note": "報告"},
    "DutyIn": lambda w: {"known_at": "2026-04-01", "persons": 10},
    "ActionIn": lambda w: {"issue_id": w.issue.pk, "fiscal_year": "R8", "half": "first", "text": "研修を行う"},
    "RetireIn": lambda w: {"retired_on": "R8.6.1"},
    "SystemIn": lambda w: {"name": "税務システム", "category": "税", "contract_end_fy": 2030, "annual_cost": 1000},
}


def api_path(path: str, world) -> str:
    return "/api/v1" + path.format(
        code=world.municipality.code, process_id=world.process.pk, step_id=world.step.pk, row_id=world.row.pk,
        file_id=world.spi_file.pk, incident_id=world.incident.pk, phase_id=world.phase.pk,
        association_id=world.association.pk, workshop_id=world.workshop.pk, item_id=world.action.pk,
        system_id=world.system.pk, plan_id=world.plan.pk)


def body_for(schema, world) -> dict:
    if schema.__name__.endswith("Patch"):
        return {}
    return BODIES[schema.__name__](world)


def put_at(body: dict, field_path: tuple, value) -> dict:
    body = json.loads(json.dumps(body))
    node = body
    for key, following in zip(field_path, field_path[1:], strict=False):
        if isinstance(key, int):
            while len(node) <= key:
                node.append({} if isinstance(following, str) else None)
        elif key not in node:
            node[key] = [] if isinstance(following, int) else {}
        node = node[key]
    last = field_path[-1]
    if isinstance(last, int):
        while len(node) <= last:
            node.append(None)
    node[last] = value
    return body


def send(client, method: str, path: str, body: dict):
    return client.generic(method, path, json.dumps(body, ensure_ascii=False), content_type="application/json")


def test_every_schema_has_a_body_and_every_base_body_is_accepted(world, client):
    client.force_login(world.user)
    schemas = {schema.__name__ for _m, _p, schema in OPERATIONS}
    assert not {s for s in schemas if not s.endswith("Patch")} - set(BODIES), "add a valid body to BODIES"
    for method, path, schema in OPERATIONS:
        with transaction.atomic():
            response = send(client, method, api_path(path, world), body_for(schema, world))
            assert response.status_code < 300, (method, path, response.content.decode())
            transaction.set_rollback(True)


@pytest.mark.parametrize(("method", "path", "schema"), OPERATIONS, ids=[f"{m} {p}" for m, p, _s in OPERATIONS])
@FEW
@given(data=st.data())
def test_api_refuses_every_written_number_in_every_body_field(method, path, schema, world, client, caplog, data):
    """One request per body field (at any depth), each with its own generated number: 400 or 422, nothing
    stored, and the number is neither in the answer nor in any log record."""
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    client.force_login(world.user)
    before = db_state()
    with transaction.atomic():
        for field_path, base in schema_paths(schema):
            where = ".".join(map(str, field_path))
            value = data.draw(my_numbers(), label=where)
            if base in (int, float, Decimal) and data.draw(st.booleans(), label=f"{where} as a JSON number"):
                value = data.draw(VALID_INT, label=where)
            response = send(client, method, api_path(path, world), put_at(body_for(schema, world), field_path, value))
            assert response.status_code in (400, 422), (where, response.status_code, response.content.decode())
            assert_not_leaked(response.content.decode(), str(value), f"response ({where})")
            assert_not_leaked(json.dumps(response.json(), ensure_ascii=False), str(value), f"response ({where})")
            assert_logs_clean(caplog, str(value))
        unchanged(before)
        transaction.set_rollback(True)


def free_text_names() -> set[str]:
    """Names of the project's free-text model fields (no choices, room for a sentence)."""
    names = set()
    for model in apps.get_models():
        if model._meta.app_label in PROJECT_APPS:
            names |= {f.name for f in model._meta.concrete_fields
                      if isinstance(f, models.CharField | models.TextField) and not f.choices
                      and (f.max_length is None or f.max_length >= 40)}
    return names


FREE_TEXT_CASES = [case for case in API_CASES if case[4] is str and case[3][-1] in free_text_names()]


@pytest.mark.parametrize(("method", "path", "schema"), OPERATIONS, ids=[f"{m} {p}" for m, p, _s in OPERATIONS])
@settings(FEW, max_examples=3)
@given(data=st.data())
def test_api_accepts_near_misses_in_free_text(method, path, schema, world, client, data):
    """Every free-text body field (a model's free text of the same name) takes a near-miss: 2xx."""
    client.force_login(world.user)
    for _m, _p, _s, field_path, _b in [case for case in FREE_TEXT_CASES if case[:3] == (method, path, schema)]:
        sent = data.draw(near_misses(), label=".".join(map(str, field_path)))
        with transaction.atomic():
            response = send(client, method, api_path(path, world), put_at(body_for(schema, world), field_path, sent))
            transaction.set_rollback(True)
        assert response.status_code < 300, (field_path, sent, response.content.decode())


def test_the_issue_case_handling_row_id(world, client):
    client.force_login(world.user)
    before = db_state()
    for row_id in ("123456789018", "1234 5678 9018", "1234-5678-9018", "1234.5678.9018", "1234ー5678ー9018",
                   "1234−5678−9018", "1234/5678/9018", "1234  5678  9018", "1234\n5678\n9018"):
        body = BODIES["HandlingRowIn"](world) | {"row_id": row_id}
        response = send(client, "POST", f"/api/v1/processes/{world.process.pk}/handling-rows", body)
        assert response.status_code in (400, 422), row_id
        assert "123456789018" not in response.content.decode() and "9018" not in response.content.decode()
    for field in ("persons", "handlers"):
        response = send(client, "POST", f"/api/v1/municipalities/{world.municipality.code}/spi-files",
                        BODIES["SpiFileIn"](world) | {field: 123456789018})
        assert response.status_code == 400 and "123456789018" not in response.content.decode()
        assert MY_NUMBER_TEXT in json.dumps(response.json(), ensure_ascii=False)
        # More people than Japan has: refused with the bound (the schema says it; the model says it too).
        response = send(client, "POST", f"/api/v1/municipalities/{world.municipality.code}/spi-files",
                        BODIES["SpiFileIn"](world) | {field: 130_000_001})
        assert response.status_code in (400, 422)
        assert "130000000" in response.content.decode() or "130,000,000" in response.content.decode()
    response = send(client, "POST", "/api/v1/incident-duty", {"known_at": "2026-04-01", "persons": 130_000_001})
    assert response.status_code == 422
    response = send(client, "GET", "/api/v1/pia/threshold?persons=1234-5678-9018&handlers=1", {})
    assert response.status_code == 400 and "9018" not in response.content.decode()
    response = client.generic("POST", f"/api/v1/processes/{world.process.pk}/flow", b"{not json",
                              content_type="application/json")
    assert response.status_code == 400 and response.json() == {"detail": "JSON として読めません。"}
    unchanged(before)


# ======================================================================================================
# Web: the row form of the issue, through the page
# ======================================================================================================


@FEW
@given(sent=my_numbers(context=False))
def test_the_row_page_refuses_and_never_shows_it(world, client, caplog, sent):
    caplog.set_level(logging.DEBUG)
    caplog.clear()
    client.force_login(world.user)
    url = reverse("handling:row_new", args=[world.municipality.code, world.process.pk])
    before = db_state()
    response = client.post(url, {"row_id": sent, "asset_name": "申請書", "kind": "paper", "stage": "acquire",
                                 "confidentiality": 3, "integrity": 2, "availability": 2, "notes": sent})
    assert response.status_code == 200  # the form again, with its errors
    page = response.content.decode()
    assert MY_NUMBER_TEXT in page
    assert_not_leaked(page, sent, "page")
    assert_logs_clean(caplog, sent)
    unchanged(before)


# ======================================================================================================
# Imports: every column of every kind
# ======================================================================================================


def _priorities(w):
    return [["課題分析表"], ["優先順位", "主要課題", "要点", "重要度", "緊急度", "総合"],
            [1, "職員研修の充実", "研修を増やす", 4, 3, 7]]


def _framework(w):
    return [["A市 セキュリティ強靱化チェックリスト"], [], ["ID", "区分", "項目", "解説", "課室単位"],
            ["1-1", "物理的セキュリティ", "サーバ室の入退室管理", "入退室を記録する。", ""]]


def _progress(w):
    from jichitai.processes import rules

    return [["〇〇市役所 業務フロー等進捗状況"], [], ["令和8年4月1日現在"], ["〇完了 △着手 ×未着手 -不要"],
            ["別表1事務"] + [name for _, name in rules.COLUMNS], [seed.PROCESS] + ["〇"] * len(rules.COLUMNS)]


def _linkage(w):
    from jichitai.linkage.sheet import COLUMNS

    return [[f"情報連携確認シート({seed.PROCESS})"], [], [label for _key, label in COLUMNS],
            ["住民票関係情報", "照会", "他市町村長", "他機関", "情報提供ネットワークシステム", "主務省令 第3条", "", ""]]


def _systems(w):
    from jichitai.cloud.export import INVENTORY_HEADERS

    values = {"name": "住民記録システム", "category": "住基", "contract_end_fy": "2030"}
    keys = [key for key in INVENTORY_HEADERS if key != "code"]  # a municipality's own list
    return [[INVENTORY_HEADERS[key] for key in keys], [values.get(key, "") for key in keys]]


def _attendance(w):
    return [["職員番号", "氏名", "研修コード", "受講日", "テスト点数", "アンケート"],
            ["S001", "保護 責任者", "X-1", "2026-04-01", 80, "済"]]


def _handling_records(w):
    from jichitai.handling.sheets import RECORD_COLUMNS

    values = {"process": seed.PROCESS, "row_id": "1-2", "asset_name": "減免申請書", "occurred_at": "R8.4.1 10:00",
              "action": "取得", "staff_number": "S001", "person_name": "保護 責任者", "medium": "紙", "count": 1,
              "purpose": "受付"}
    return [[label for _key, label, _width in RECORD_COLUMNS], [values.get(key, "") for key, _l, _w in RECORD_COLUMNS]]


SAMPLES = {
    "municipalities": (lambda w: [["団体コード", "団体名", "人口"], ["992011", "デモあおば市", 120000]], "association"),
    "roster": (lambda w: [["職員名簿"], ["職員番号", "氏名", "所属", "役割", "担当事務"],
                          ["S002", "山田 花子", w.department.name, "事務取扱担当者", seed.PROCESS]], "municipality"),
    "progress": (_progress, "municipality"),
    "analysis": (lambda w: seed.handling_sheet(), "municipality"),
    "linkage": (_linkage, "municipality"),
    "attendance": (_attendance, "municipality"),
    "systems": (_systems, "municipality"),
    "priorities": (_priorities, "association"),
    "framework": (_framework, "any"),
    "handling_records": (_handling_records, "municipality"),
}


def test_every_kind_has_a_sample_that_it_claims(world):
    assert {kind.KIND for kind in KINDS} == set(SAMPLES), "add a sample sheet for the new kind to SAMPLES"
    for kind in KINDS:
        rows = SAMPLES[kind.KIND][0](world)
        assert imports._claim(imports.Sheet("表", rows), KINDS) is kind, kind.KIND


def data_cells(rows) -> list[tuple[int, int]]:
    """Every cell of the sample's last row (its data row), and one cell past its end."""
    last = len(rows) - 1
    return [(last, c) for c in range(len(rows[last]) + 1)]


KIND_CASES = [kind.KIND for kind in KINDS]


def run_sample(world, kind_name: str, rows, sheet_name="表", as_csv=False):
    scope = SAMPLES[kind_name][1]
    if as_csv:
        import csv

        out = io.StringIO()
        csv.writer(out).writerows([["" if v is None else v for v in row] for row in rows])
        data = out.getvalue().encode("utf-8")
    else:
        data = workbook_bytes({sheet_name: rows})
    return imports.run_import(
        data, actor=world.user, kinds=(kind_name,),
        municipality=world.municipality if scope == "municipality" else None,
        association_name=world.association.name if scope == "association" else None)


@pytest.mark.parametrize("kind_name", KIND_CASES)
@SOME
@given(data=st.data())
def test_imports_refuse_every_written_number_in_every_cell(kind_name, world, caplog, data):
    """Each example writes a number, each in its own generated format (text or a numeric cell), into every cell
    of the sample's data row and one past its end, as a workbook or a CSV: every one of those cells is reported,
    nothing is stored, and neither the report nor any log record holds a number."""
    from jichitai.core.sheets.reading import cell_ref

    caplog.set_level(logging.DEBUG)
    caplog.clear()
    sample = SAMPLES[kind_name][0](world)
    cells = data_cells(sample)
    rows = [list(row) for row in sample]
    last = cells[-1][0]
    rows[last] = rows[last] + [""] * (len(cells) - len(rows[last]))
    sent = []
    for r, c in cells:
        text = data.draw(my_numbers(whitespace=CELL_WHITESPACE), label=f"cell {c}")
        rows[r][c] = data.draw(VALID_INT, label=f"cell {c}") if data.draw(st.booleans(), label="numeric") else text
        sent.append(str(rows[r][c]))
    before = db_state()
    report = run_sample(world, kind_name, rows, as_csv=data.draw(st.booleans(), label="csv"))
    assert not report.ok
    refused = {p.cell for p in report.errors if MY_NUMBER_TEXT in p.message}
    assert refused >= {cell_ref(r, c) for r, c in cells}, (refused, report.errors)
    shown = json.dumps(report.as_json(), ensure_ascii=False) + "\n".join(imports.report_lines(report))
    for value in sent:
        assert_not_leaked(shown, value, f"{kind_name} report")
        assert_logs_clean(caplog, value)
    unchanged(before)


@pytest.mark.parametrize("kind_name", KIND_CASES)
def test_every_sample_imports_without_the_guard(kind_name, world):
    """The samples are real sheets of their kind: nothing in them trips the guard."""
    report = run_sample(world, kind_name, SAMPLES[kind_name][0](world))
    assert not [p for p in report.errors if MY_NUMBER_TEXT in p.message], report.errors


@SOME
@given(sent=near_misses(whitespace=CELL_WHITESPACE))
def test_imports_accept_near_misses_in_free_text(world, sent):
    """The analysis sheet's 備考 (free text) takes any near-miss; the import succeeds (rolled back after)."""
    sheet = seed.handling_sheet()
    header = next(i for i, row in enumerate(sheet) if "備考" in [str(v) for v in row])
    column = [str(v) for v in sheet[header]].index("備考")
    sheet = [list(row) for row in sheet]
    sheet[header + 1][column] = sent
    with transaction.atomic():
        report = imports.run_import(workbook_bytes({"取扱手順表": sheet}), actor=world.user,
                                    municipality=world.municipality, kinds=(analysis_kind.KIND,))
        transaction.set_rollback(True)
    assert report.ok, report.errors


def test_a_sheet_named_with_a_number_is_masked_in_the_report(world, tmp_path):
    from django.core.management import call_command

    before = db_state()
    name = "123456789018"
    data = workbook_bytes({name: seed.handling_sheet()})
    report = imports.run_import(data, actor=world.user, municipality=world.municipality)
    shown = json.dumps(report.as_json(), ensure_ascii=False) + "\n".join(imports.report_lines(report))
    assert not report.ok and MASK in shown
    assert_not_leaked(shown, name, "report")
    unchanged(before)
    path = tmp_path / f"{name}.xlsx"
    path.write_bytes(data)
    for fmt in ("text", "json"):
        out, err = io.StringIO(), io.StringIO()
        with pytest.raises(SystemExit):
            call_command("import", str(path), "--municipality", world.municipality.code, "--format", fmt,
                         stdout=out, stderr=err)
        printed = out.getvalue() + err.getvalue()
        assert MASK in printed
        assert_not_leaked(printed, name, f"import --format {fmt}")
    unchanged(before)


def test_a_sheet_named_with_a_number_is_masked_on_the_upload_page(world, client):
    client.force_login(world.user)
    name = "1234-5678-9018"
    upload = io.BytesIO(workbook_bytes({name: _progress(world)}))
    upload.name = "取扱手順表.xlsx"
    before = db_state()
    url = reverse("exchange:import", args=[world.municipality.code])
    response = client.post(url, {"file": upload})
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert MASK in page
    assert_not_leaked(page, name, "upload page")
    unchanged(before)


# ======================================================================================================
# Logs: paths and query strings
# ======================================================================================================


def _capture_configured_handlers(logger_name: str) -> list[tuple[logging.Handler, io.StringIO]]:
    """Point every stream handler a record of `logger_name` reaches (as configured by settings.LOGGING) at a
    buffer."""
    captured = []
    logger = logging.getLogger(logger_name)
    while logger is not None:
        for handler in logger.handlers:
            if isinstance(handler, logging.StreamHandler):
                buffer = io.StringIO()
                captured.append((handler, handler.setStream(buffer), buffer))
        logger = logger.parent if logger.propagate else None
    assert captured, f"no handler for {logger_name}"
    return captured


@pytest.mark.parametrize("path", ["/m/123456789018/", "/m/1234-5678-9018/processes/", "/m/x/?q=1234%205678%209018",
                                  "/api/v1/municipalities/123456789018/processes"])
def test_a_number_in_a_url_is_masked_in_the_error_log(world, client, path):
    client.force_login(world.user)
    captured = _capture_configured_handlers("django.request")
    try:
        response = client.get(path)
    finally:
        for handler, stream, _buffer in captured:
            handler.setStream(stream)
    # In the query string it is refused before any view (core.middleware.QueryStringGuardMiddleware).
    assert response.status_code == (400 if "?" in path else 404)
    written = "".join(buffer.getvalue() for _h, _s, buffer in captured)
    assert "9018" not in written and not contains_my_number(written)
    if "?" not in path:
        assert MASK in written  # the line was logged, masked


def test_a_number_in_a_url_is_masked_in_the_server_log():
    """runserver's access log (django.server) goes through the mask like every other line."""
    captured = _capture_configured_handlers("django.server")
    try:
        logging.getLogger("django.server").info('"%s" %s %s', "GET /m/123456789018/ HTTP/1.1", "404", "179")
    finally:
        for handler, stream, _buffer in captured:
            handler.setStream(stream)
    written = "".join(buffer.getvalue() for _h, _s, buffer in captured)
    assert "GET /m/" in written and "123456789018" not in written


def test_the_filter_masks_messages_arguments_and_tracebacks():
    from jichitai.core.logging import MaskMyNumbers

    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(MaskMyNumbers())
    logger = logging.getLogger("jichitai.tests.guard")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("path %s", "/m/1234 5678 9018/")
        try:
            raise ValueError("番号 １２３４－５６７８－９０１８")
        except ValueError:
            logger.exception("failed")
        logger.error("stack", stack_info=True, extra={})
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    written = buffer.getvalue()
    assert written.count(MASK) >= 2  # the message, the exception's text (and its source line in the traceback)
    assert "9018" not in written and "９０１８" not in written and "ValueError" in written


# ======================================================================================================
# How much is covered
# ======================================================================================================


def test_coverage_counts(world, capsys):
    form_fields = sum(len(guarded_fields(build_form(cls, world))) for cls in FORMS)
    import_cells = sum(len(data_cells(SAMPLES[kind.KIND][0](world))) for kind in KINDS)
    counts = {"forms": len(FORMS), "form fields": form_fields, "model fields": len(MODEL_FIELDS),
              "API write operations": len(OPERATIONS), "API body fields": len(API_CASES),
              "API free-text fields (near-misses)": len(FREE_TEXT_CASES), "import kinds": len(KINDS),
              "import cells": import_cells}
    with capsys.disabled():
        print("\nMy Number guard coverage:", json.dumps(counts, ensure_ascii=False))
    assert form_fields >= 150 and len(MODEL_FIELDS) >= 150 and len(API_CASES) >= 90 and import_cells >= 40
