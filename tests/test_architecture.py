"""The shape of the code (docs/architecture.md), checked on every run.

Each rule is a check in tests/architecture.py, run here on the real tree and, to show that it can fail, on a
deliberately bad module written for the purpose.
"""

import textwrap

import pytest
from django.apps import apps

from tests import architecture as arch

# The fast path the services use for imports of tens of thousands of rows (see its docstring), and the tenant
# lock (PostgreSQL's advisory lock is taken with raw SQL; it writes nothing).
# Raw SQL that is not a domain write: the services' fast path, tenant locks, the planner's statistics (ANALYZE).
WRITE_ALLOWED = ("core/fast_insert.py", "core/locks.py", "core/statistics.py")


@pytest.fixture(scope="module")
def sources():
    return arch.tree_sources()


def bad(path: str, text: str) -> arch.Source:
    return arch.Source(path, textwrap.dedent(text))


def m2m_names() -> set[str]:
    return {f.name for m in apps.get_models() for f in m._meta.many_to_many}


def tenant_models() -> set[str]:
    return {m.__name__ for m in apps.get_models()
            if getattr(m, "TENANT_PATH", None) or getattr(m, "ASSOCIATION_PATH", None)}


# ---- the checks fail on bad modules ----


def test_a_loop_between_two_apps_is_found():
    edges = arch.import_edges([bad("pia/queries.py", "from jichitai.incidents.models import Incident\n"),
                               bad("incidents/views.py", "from jichitai.pia import queries\n")])
    assert arch.cycles(edges) == [["incidents", "pia"]]


def test_a_loop_through_three_apps_and_a_relative_import_is_found():
    edges = arch.import_edges([bad("pia/queries.py", "from jichitai.incidents import models\n"),
                               bad("incidents/views.py", "from jichitai.training.models import Session\n"),
                               bad("training/queries.py", "from ..pia.models import SpiFile\n")])
    assert arch.cycles(edges) == [["incidents", "pia", "training"]]


def test_a_lower_layer_importing_a_higher_one_is_found():
    edges = arch.import_edges([bad("processes/queries.py", "from jichitai.handling.queries import evidence\n"),
                               bad("core/commands.py", "def f():\n    from jichitai.orgs.models import Municipality\n")])
    problems = arch.layer_violations(edges)
    assert any("processes (layer 3) imports handling (layer 4)" in p for p in problems)
    assert any("core (layer 0) imports orgs (layer 2)" in p for p in problems)


def test_an_app_importing_project_glue_is_found():
    edges = arch.import_edges([bad("core/management/commands/x.py", "from jichitai import urls\n")])
    assert any("project glue" in p for p in arch.layer_violations(edges))


def test_rules_importing_django_or_models_are_found():
    problems = arch.impure_rules([
        bad("pia/rules.py", "from django.utils import timezone\n"),
        bad("risk/rules.py", "from jichitai.handling.models import HandlingRow\nfrom jichitai.core.wareki import fiscal_year\n"),
    ])
    assert len(problems) == 2
    assert "Django" in problems[0] and "handling.models" in problems[1]


@pytest.mark.parametrize("line", [
    "Process.objects.create(name='x')",
    "Process.objects.filter(pk=1).update(name='x')",
    "process.save()",
    "process.save(update_fields=['name'])",
    "process.delete()",
    "Row.objects.bulk_create(rows)",
    "Row.objects.bulk_update(rows, ['a'])",
    "Row.objects.get_or_create(a=1)",
    "system.processes.set(processes)",
    "session.participants.add(m)",
    "connection.cursor().execute('DELETE FROM x')",
])
def test_an_orm_write_outside_services_is_found(line):
    problems = arch.writes_outside_services([bad("handling/views.py", f"def f():\n    {line}\n")],
                                            {"processes", "participants"}, WRITE_ALLOWED)
    assert len(problems) == 1, problems


def test_file_saves_and_dict_updates_are_not_writes():
    text = "def f():\n    workbook.save(buffer)\n    document.save(buffer)\n    context.update(a=1)\n    seen.add(1)\n"
    assert arch.writes_outside_services([bad("pia/export.py", text)], {"processes"}, WRITE_ALLOWED) == []


def test_the_same_write_inside_services_is_allowed():
    assert arch.writes_outside_services([bad("handling/services.py", "def f():\n    row.save()\n")],
                                        set(), WRITE_ALLOWED) == []


def test_an_unscoped_tenant_query_in_a_view_is_found():
    text = """
        _ROWS = Row.objects.all()

        def get(request, pk):
            ok = get_visible_or_404(Process.objects.filter(a=1), request.user, pk=pk)
            also = visible(_ROWS, request.user)
            leak = Process.objects.filter(pk=pk)
            fine = LegalBasisItem.objects.all()
    """
    problems = arch.unscoped_reads([bad("processes/views.py", text)], {"Process", "Row"})
    assert problems == ["processes/views.py:7: Process.objects without the scoping helper"]


def test_a_named_queryset_used_once_outside_the_helper_is_found():
    text = "_ROWS = Row.objects.all()\n\ndef get(request):\n    return list(_ROWS)\n"
    assert len(arch.unscoped_reads([bad("api/rows.py", text)], {"Row"})) == 1


# ---- the real tree keeps the rules ----


def test_rules_modules_are_pure(sources):
    assert arch.impure_rules(sources) == []


def test_rules_may_import_other_rules_and_pure_helpers():
    text = "from jichitai.processes import rules\nfrom . import rules as own\nfrom jichitai.core.wareki import fiscal_year\n"
    assert arch.impure_rules([bad("checklist/rules.py", text)]) == []


def test_the_app_import_graph_has_no_cycle(sources):
    assert arch.cycles(arch.import_edges(sources)) == []


def test_apps_import_only_lower_layers(sources):
    assert arch.layer_violations(arch.import_edges(sources)) == []


def test_every_installed_app_of_the_project_has_a_layer():
    ours = {config.label for config in apps.get_app_configs() if config.name.startswith("jichitai.")}
    assert ours == set(arch.LAYER_OF)


OWNERSHIP = ("TENANT_PATH", "ASSOCIATION_PATH", "REFERENCE_DATA", "USER_PATH")


def test_every_model_declares_how_it_reaches_its_owner():
    undeclared = [m._meta.label for m in apps.get_models() if m.__module__.startswith("jichitai.")
                  and not any(getattr(m, name, None) for name in OWNERSHIP)]
    assert undeclared == []


def test_every_declared_path_resolves_to_a_municipality_or_an_association():
    from jichitai.orgs.models import Association, Municipality

    for model in apps.get_models():
        for attribute, target in (("TENANT_PATH", Municipality), ("ASSOCIATION_PATH", Association)):
            value = getattr(model, attribute, None) or ()
            for path in (value,) if isinstance(value, str) else value:
                current = model
                for name in path.split("__"):
                    field = current._meta.get_field(name)
                    current = field.related_model or current
                assert current is target, f"{model._meta.label}.{attribute} {path} reaches {current}"


def test_file_saves_and_downloads_outside_core_are_found():
    text = 'def f(response):\n    workbook.save(buffer)\n    response["Content-Disposition"] = "attachment"\n'
    assert len(arch.file_writes_outside_core([bad("pia/export.py", text)])) == 2
    assert arch.file_writes_outside_core([bad("core/sheets/writing.py", "def f():\n    workbook.save(buffer)\n"),
                                          bad("core/http.py", 'H = "Content-Disposition"\n')]) == []


def test_no_orm_write_outside_services(sources):
    assert arch.writes_outside_services(sources, m2m_names(), WRITE_ALLOWED) == []


def test_views_and_api_read_tenant_models_through_the_scoping_helper(sources):
    assert arch.unscoped_reads(sources, tenant_models()) == []


def test_workbooks_and_downloads_go_through_core(sources):
    assert arch.file_writes_outside_core(sources) == []


def test_every_form_refuses_and_never_echoes_an_individual_number():
    import importlib
    import inspect

    from django import forms

    from jichitai.core.forms import NoEchoMyNumberMixin

    missing = []
    for config in apps.get_app_configs():
        if not config.name.startswith("jichitai."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.forms")
        except ModuleNotFoundError:
            continue
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm)
                    and not issubclass(cls, NoEchoMyNumberMixin)):
                missing.append(f"{module.__name__}.{name}")
    assert missing == []
