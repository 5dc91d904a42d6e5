"""和暦 in exports and documents (issue 13): real date cells with the era format, the western switch, .docx text."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook

from jichitai.core.sheets.writing import WAREKI_DATE_FORMAT, WESTERN_DATE_FORMAT
from jichitai.exchange.imports import run_import
from jichitai.handling.models import FlowStep
from jichitai.handling.rules_draft import export_bytes
from jichitai.handling.services import approve
from jichitai.orgs.models import Association
from jichitai.processes.models import Process
from jichitai.training import services as training_services
from jichitai.training.models import Course
from tests import seed_sheets as seed
from tests.incidents.conftest import KNOWN, make_incident
from tests.pia.conftest import make_evaluation, make_file

ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _sheet(response):
    assert response.status_code == 200
    return load_workbook(io.BytesIO(response.content)).active


def _cells_of(sheet, value: dt.date) -> list:
    return [c for row in sheet.iter_rows() for c in row
            if isinstance(c.value, dt.datetime) and c.value.date() == value]


@pytest.fixture
def exported(municipality):
    make_incident(municipality, preliminary_sent_on=dt.date(2025, 10, 2))
    training_services.load_curriculum()
    course = Course.objects.get(code="①-②", association__isnull=True, municipality__isnull=True)
    training_services.save_session(actor=None, via="command", organiser_municipality=municipality, course=course,
                                   held_on=dt.date(2025, 6, 1), place="本庁舎")
    make_evaluation(make_file(municipality), submitted_on=dt.date(2025, 9, 1), published_on=dt.date(2025, 9, 1))
    code = municipality.code
    return {"incidents": (f"/m/{code}/incidents.xlsx", dt.date(2025, 10, 2)),
            "training": (f"/m/{code}/training/sessions.xlsx", dt.date(2025, 6, 1)),
            "pia": (f"/m/{code}/pia.xlsx", dt.date(2025, 9, 1))}


@pytest.mark.parametrize("kind", ["incidents", "training", "pia"])
def test_date_cells_are_real_dates_in_wareki(client_for, admin_user, exported, kind):
    path, day = exported[kind]
    sheet = _sheet(client_for(admin_user).get(path))
    cells = _cells_of(sheet, day)
    assert cells, f"no date cell for {day} in {path}"
    assert all(c.number_format == WAREKI_DATE_FORMAT for c in cells)
    assert all(sheet.column_dimensions[c.column_letter].width >= 15 for c in cells)  # no ####
    assert "令和" in str(sheet["A2"].value or "") or kind == "training"  # the 現在 line
    assert not any(isinstance(c.value, str) and ISO.search(c.value) for row in sheet.iter_rows() for c in row)


def test_the_incident_register_writes_the_moment_as_a_date_time_cell(client_for, admin_user, exported):
    sheet = _sheet(client_for(admin_user).get(exported["incidents"][0]))
    known = sheet.cell(row=4, column=2)
    assert known.value == KNOWN.replace(tzinfo=None) and known.number_format == WAREKI_DATE_FORMAT + " hh:mm"


@pytest.mark.parametrize("kind", ["incidents", "training", "pia"])
def test_the_western_style_writes_western_dates(client_for, admin_user, municipality, exported, kind):
    Association.objects.filter(pk=municipality.association_id).update(date_style="western")
    path, day = exported[kind]
    sheet = _sheet(client_for(admin_user).get(path))
    assert {c.number_format for c in _cells_of(sheet, day)} == {WESTERN_DATE_FORMAT}
    assert "令和" not in str(sheet["A2"].value or "")


def test_both_styles_on_one_page(client_for, admin_user, municipality, exported):
    client = client_for(admin_user)
    page = client.get(f"/m/{municipality.code}/incidents/").content.decode()
    assert "令和7年10月2日" in page and "令和7年10月1日 10:00" in page and "2025-10-0" not in page
    Association.objects.filter(pk=municipality.association_id).update(date_style="western")
    page = client.get(f"/m/{municipality.code}/incidents/").content.decode()
    assert "2025年10月2日" in page and "2025年10月1日 10:00" in page and "令和" not in page
    # The style is the page's: the next request of another association starts in 和暦 again.
    Association.objects.filter(pk=municipality.association_id).update(date_style="wareki")
    assert "令和7年10月2日" in client.get(f"/m/{municipality.code}/incidents/").content.decode()


def test_fiscal_years_on_a_page_follow_the_style(client_for, admin_user, municipality):
    training_services.load_curriculum()
    client = client_for(admin_user)
    html = client.get(f"/m/{municipality.code}/training/").content.decode()
    year = timezone.localdate().year if timezone.localdate().month >= 4 else timezone.localdate().year - 1
    assert f"令和{year - 2018}年度（{year}年度）" in html
    Association.objects.filter(pk=municipality.association_id).update(date_style="western")
    html = client.get(f"/m/{municipality.code}/training/").content.decode()
    assert f"{year}年度" in html and f"令和{year - 2018}年度" not in html


def test_the_handling_rules_draft_writes_wareki(municipality, beppyo, department):
    process = Process.objects.create(municipality=municipality, name=seed.PROCESS, department=department)
    assert run_import(seed.seed_workbook(), actor=None, municipality=municipality).ok
    FlowStep.objects.create(process=process, order=1, lane="resident", action="提出")
    approve(actor=None, via="command", process=process)
    text = "\n".join(p.text for p in Document(io.BytesIO(export_bytes(department))).paragraphs)
    assert "作成日: 令和" in text and "日付 平成30年1月10日" in text
    assert not ISO.search(text)
