"""No export writes a user's text as a formula.

Every text field of every row the demo builds is set to formula-like text (「=1+<pk>」, the shape of
「=HYPERLINK(…)」 in an incident title), then every download route of the persona tables is fetched and the
file read back: no cell of an .xlsx may be a formula, and the text must be there (as text), so that the
check really looked at user text. A new download route fails test_every_download_route_is_checked until
it is given the objects it needs below.
"""

import io

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat
from docx import Document
from openpyxl import load_workbook

from jichitai.cloud.models import CloudPlan
from jichitai.demo.builder import build
from jichitai.handling.models import HandlingRow, ProcessAnalysis
from jichitai.linkage.models import LinkageItem
from jichitai.pia.models import SpiFile
from jichitai.planning.models import Workshop
from tests.test_tenancy import ROUTES

DOWNLOAD_SUFFIXES = (".xlsx", ".docx", ".svg")
PREFIX = "=1+"
# Identifiers the pages look things up by; they are not free text.
IDENTIFIERS = {"code", "row_id", "item_id", "staff_number", "key_hash", "prefix", "item", "item_arabic", "object_id",
               "object_type", "actor_name", "by_name", "published_by", "participant", "criterion"}


def download_routes() -> dict[str, str]:
    return {name: route.path for name, route in ROUTES.items()
            if route.method == "get" and route.path.split("?")[0].endswith(DOWNLOAD_SUFFIXES)}


def poison_every_text_field() -> int:
    """Set every free-text column of the project's tables to 「=1+<pk>」 (unique, so constraints hold)."""
    changed = 0
    for model in apps.get_models():
        if not model.__module__.startswith("jichitai.") or getattr(model, "REFERENCE_DATA", False):
            continue
        fields = [f for f in model._meta.concrete_fields
                  if isinstance(f, models.CharField | models.TextField) and not f.choices and not f.primary_key
                  and f.name not in IDENTIFIERS]
        if fields:
            value = Concat(Value(PREFIX), Cast("pk", output_field=CharField()))
            changed += model.objects.update(**{f.name: value for f in fields})
    return changed


def ids_for(result) -> dict:
    first = result.municipalities[0]
    analysed = HandlingRow.objects.filter(process__municipality=first).values_list("process_id", flat=True).first()
    linked = LinkageItem.objects.filter(process__municipality=first).values_list("process_id", flat=True).first()
    approved = ProcessAnalysis.objects.filter(process__municipality=first, status="approved",
                                              process__department__isnull=False).first()
    spi_file = SpiFile.objects.filter(municipality=first, processes__isnull=False).first()
    return {"code": first.code, "association": result.association.pk, "pk": analysed, "linked": linked,
            "department": approved.process.department_id, "spi_file": spi_file.pk,
            "workshop": Workshop.objects.filter(association=result.association).first().pk,
            "cloud_plan": CloudPlan.objects.filter(association=result.association).first().pk}


def path_for(name: str, path: str, ids: dict) -> str:
    if name.startswith("linkage:") and "{pk}" in path:
        path = path.replace("{pk}", "{linked}")  # a process with linkage items
    return path.format(**ids)


def formula_cells(content: bytes) -> tuple[list[str], int]:
    """(cells that Excel would evaluate, cells holding the poisoned text)."""
    workbook = load_workbook(io.BytesIO(content))
    formulas, texts = [], 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    formulas.append(f"{sheet.title}!{cell.coordinate}={cell.value}")
                elif isinstance(cell.value, str) and PREFIX in cell.value:
                    texts += 1
    return formulas, texts


def document_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    return "\n".join([p.text for p in document.paragraphs] + cells)


def test_every_download_route_is_checked():
    from django.urls import URLPattern, URLResolver, get_resolver

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace
                                else namespace)
            elif isinstance(pattern, URLPattern) and str(pattern.pattern).endswith(DOWNLOAD_SUFFIXES):
                yield namespace + pattern.name

    assert set(walk(get_resolver().url_patterns)) <= set(download_routes())
    assert len(download_routes()) >= 16


@pytest.mark.django_db(transaction=False)
def test_no_export_writes_user_text_as_a_formula(client):
    result = build(members=2, seed=7)
    assert poison_every_text_field() > 1000
    ids = ids_for(result)
    member = get_user_model().objects.get(username="aoba_admin")  # the demo's admin of its first member
    secretariat = get_user_model().objects.get(username="kyogikai")
    operator = get_user_model().objects.create_user(username="operator", is_superuser=True)  # the whole audit log
    problems = []
    for name, path in sorted(download_routes().items()):
        client.force_login(operator if path.startswith(("/audit", "/operator")) else secretariat if path.startswith("/a/")
                           else member)
        response = client.get(path_for(name, path, ids), ROUTES[name].data)
        if response.status_code != 200:
            problems.append(f"{name}: status {response.status_code}")
            continue
        if path.endswith(".xlsx"):
            formulas, texts = formula_cells(response.content)
            if formulas:
                problems.append(f"{name}: formulas {formulas[:3]}")
            if not texts:
                problems.append(f"{name}: no user text reached the file")
        elif path.endswith(".docx") and PREFIX not in document_text(response.content):
            problems.append(f"{name}: no user text reached the document")
        elif path.endswith(".svg") and PREFIX not in response.content.decode():
            problems.append(f"{name}: no user text reached the drawing")
    assert problems == []
