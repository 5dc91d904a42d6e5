"""A roster re-import records its changes in the staff history; abolished departments are refused, a former
department name is read as the current one."""

import datetime as dt

from django.utils import timezone

from jichitai.exchange.imports import run_import
from jichitai.orgs import queries, services
from jichitai.orgs.models import Staff, StaffAssignment
from tests.exchange.test_roster_import import roster
from tests.helpers import db_state


def test_reimport_records_history_and_refuses_abolished_departments(municipality):
    run_import(roster(["T001", "佐藤 花子", "税務課", "事務取扱担当者", ""]), actor=None, municipality=municipality)
    person = Staff.objects.get(staff_number="T001")
    report = run_import(roster(["T001", "佐藤 花子", "情報政策課", "情報システム担当", ""]), actor=None,
                        municipality=municipality)
    assert report.ok, report.errors
    today = timezone.localdate()
    yesterday = {p.staff_number: p for p in queries.staff_as_of([municipality.pk], today - dt.timedelta(days=1))}
    now = {p.staff_number: p for p in queries.staff_as_of([municipality.pk], today)}
    assert (yesterday["T001"].department, yesterday["T001"].role) == ("税務課", "handler")
    assert (now["T001"].department, now["T001"].role) == ("情報政策課", "it")
    assert StaffAssignment.objects.filter(staff=person).count() == 2

    tax = person.municipality.departments.get(name="税務課")
    services.abolish_department(actor=None, via="web", department=tax, on=today)
    before = db_state()
    report = run_import(roster(["T001", "佐藤 花子", "税務課", "事務取扱担当者", ""]), actor=None,
                        municipality=municipality)
    assert not report.ok and report.errors[0].cell == "C3" and "廃止されています" in report.errors[0].message
    assert db_state() == before


def test_a_former_name_is_read_as_the_current_one(municipality):
    tax = services.create_department(actor=None, via="web", municipality=municipality, name="税務課")
    services.rename_department(actor=None, via="web", department=tax, name="課税課", on=dt.date(2025, 4, 1))
    report = run_import(roster(["T001", "佐藤 花子", "税務課", "事務取扱担当者", ""]), actor=None,
                        municipality=municipality)
    assert report.ok and "旧名称" in report.warnings[0].message
    assert Staff.objects.get(staff_number="T001").department == tax
