"""Departments and staff over time: every dated change audited, the history exact for a past date, and the
refusals in Japanese."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jichitai.audit.models import AuditEntry
from jichitai.orgs import queries, rules, services
from jichitai.orgs.models import Department, DepartmentName, Staff, StaffAssignment
from jichitai.processes.models import Process

D = dt.date


def _actions(municipality):
    return list(AuditEntry.objects.filter(municipality=municipality).order_by("id").values_list("action", flat=True))


@pytest.fixture
def tax(municipality):
    return services.create_department(actor=None, via="command", municipality=municipality, name="税務課")


@pytest.fixture
def person(municipality, tax):
    return services.create_staff(actor=None, via="command", municipality=municipality, staff_number="A1",
                                 name="山田 花子", role="handler", department=tax, valid_from=D(2020, 4, 1))


def _on(municipality, day, **kwargs):
    return {p.staff_number: p for p in queries.staff_as_of([municipality.pk], day, **kwargs)}


def test_rules_at_the_boundaries():
    assert rules.covers(D(2025, 4, 1), D(2026, 3, 31), D(2025, 4, 1))
    assert rules.covers(D(2025, 4, 1), D(2026, 3, 31), D(2026, 3, 31))
    assert not rules.covers(D(2025, 4, 1), D(2026, 3, 31), D(2026, 4, 1))
    assert rules.in_office(D(2026, 3, 31), D(2026, 3, 31)) and not rules.in_office(D(2026, 3, 31), D(2026, 4, 1))
    assert rules.department_exists(D(2026, 4, 1), D(2026, 3, 31))
    assert not rules.department_exists(D(2026, 4, 1), D(2026, 4, 1))
    names = [("市民課", D(1868, 1, 1), D(2025, 3, 31)), ("市民窓口課", D(2025, 4, 1), None)]
    assert rules.name_on(names, D(2025, 3, 31), "市民窓口課") == "市民課"
    assert rules.name_on(names, D(2025, 4, 1), "市民窓口課") == "市民窓口課"
    assert "将来" in rules.change_date_problem(D(2027, 1, 1), None, D(2026, 12, 1))
    assert "より後" in rules.change_date_problem(D(2020, 4, 1), D(2020, 4, 1), D(2026, 12, 1))


def test_transfer_role_change_and_retirement_are_exact_on_past_dates(municipality, tax, person):
    welfare = services.create_department(actor=None, via="web", municipality=municipality, name="福祉課")
    services.reassign_staff(actor=None, via="web", staff=person, department=welfare, role="handler",
                            on=D(2024, 4, 1))
    services.reassign_staff(actor=None, via="web", staff=person, department=welfare, role="protection_officer",
                            on=D(2025, 4, 1))
    services.retire_staff(actor=None, via="web", staff=person, on=D(2026, 3, 31))
    assert _on(municipality, D(2020, 3, 31)) == {}  # not yet in post
    first = _on(municipality, D(2024, 3, 31))["A1"]
    assert (first.department, first.role, first.since) == ("税務課", "handler", D(2020, 4, 1))
    moved = _on(municipality, D(2024, 4, 1))["A1"]
    assert (moved.department, moved.role) == ("福祉課", "handler")
    assert _on(municipality, D(2025, 4, 1))["A1"].role == "protection_officer"
    assert _on(municipality, D(2026, 3, 31))["A1"].in_office
    assert _on(municipality, D(2026, 4, 1)) == {}
    retired = _on(municipality, D(2026, 4, 1), include_retired=True)["A1"]
    assert not retired.in_office and retired.department == "福祉課"
    assert list(StaffAssignment.objects.filter(staff=person).order_by("valid_from").values_list(
        "valid_from", "valid_to")) == [(D(2020, 4, 1), D(2024, 3, 31)), (D(2024, 4, 1), D(2025, 3, 31)),
                                       (D(2025, 4, 1), D(2026, 3, 31))]
    assert _actions(municipality)[-3:] == ["staff.transfer", "staff.transfer", "staff.retire"]
    entry = AuditEntry.objects.filter(action="staff.transfer").order_by("id").first()
    assert entry.before["department"] == "税務課" and entry.after["department"] == "福祉課"
    assert entry.after["valid_from"] == "2024-04-01"


def test_staff_refusals_are_japanese(municipality, tax, person):
    with pytest.raises(ValidationError, match="所属も役割も現在と同じ"):
        services.reassign_staff(actor=None, via="web", staff=person, department=tax, role="handler", on=D(2024, 4, 1))
    with pytest.raises(ValidationError, match="より後"):
        services.reassign_staff(actor=None, via="web", staff=person, department=None, role="it", on=D(2019, 4, 1))
    with pytest.raises(ValidationError, match="将来"):
        services.reassign_staff(actor=None, via="web", staff=person, department=None, role="it", on=D(2100, 4, 1))
    with pytest.raises(ValidationError, match="所属と役割は"):
        services.update_staff(actor=None, via="web", staff=person, role="it")
    services.retire_staff(actor=None, via="web", staff=person, on=D(2025, 3, 31))
    with pytest.raises(ValidationError, match="既に令和7年3月31日に退職"):
        services.retire_staff(actor=None, via="web", staff=person, on=D(2025, 3, 31))
    with pytest.raises(ValidationError, match="退職しています"):
        services.reassign_staff(actor=None, via="web", staff=person, department=None, role="it", on=D(2025, 6, 1))


def test_staff_without_history_counts_as_today_and_gets_it_on_first_change(municipality, tax):
    legacy = Staff.objects.create(municipality=municipality, staff_number="L1", name="旧 登録", role="it",
                                  department=tax)
    assert _on(municipality, D(2001, 1, 1))["L1"].department == "税務課"
    services.reassign_staff(actor=None, via="web", staff=legacy, department=None, role="legal", on=D(2025, 4, 1))
    assert _on(municipality, D(2025, 3, 31))["L1"].role == "it"
    assert _on(municipality, D(2025, 4, 1))["L1"].role == "legal"


def test_rename_keeps_the_old_name_for_past_dates(municipality, tax, person):
    services.rename_department(actor=None, via="web", department=tax, name="課税課", on=D(2025, 4, 1))
    assert _on(municipality, D(2025, 3, 31))["A1"].department == "税務課"
    assert _on(municipality, D(2025, 4, 1))["A1"].department == "課税課"
    departments = queries.departments_on([municipality.pk], D(2025, 3, 31))
    assert departments[tax.pk].name == "税務課" and departments[tax.pk].current_name == "課税課"
    assert DepartmentName.objects.filter(department=tax).count() == 2
    entry = AuditEntry.objects.get(action="department.rename")
    assert (entry.before, entry.after) == ({"name": "税務課"}, {"name": "課税課", "valid_from": "2025-04-01"})
    with pytest.raises(ValidationError, match="現在の名称と同じ"):
        services.rename_department(actor=None, via="web", department=tax, name="課税課", on=D(2025, 5, 1))


def test_abolish_refused_while_staff_remain(municipality, tax, person):
    with pytest.raises(ValidationError, match="在籍する職員（山田 花子）がいるため廃止できません"):
        services.abolish_department(actor=None, via="web", department=tax, on=D(2026, 4, 1))
    services.retire_staff(actor=None, via="web", staff=person, on=D(2026, 3, 31))
    services.abolish_department(actor=None, via="web", department=tax, on=D(2026, 4, 1))
    assert Department.objects.get(pk=tax.pk).abolished_on == D(2026, 4, 1)
    assert _actions(municipality)[-1] == "department.abolish"
    assert tax.pk in {d.pk for d in queries.departments_on([municipality.pk], D(2026, 3, 31)).values()
                      if d.exists_on(D(2026, 3, 31))}
    assert tax.pk not in {d.pk for d in queries.departments_on([municipality.pk], D(2026, 4, 1)).values()
                          if d.exists_on(D(2026, 4, 1))}


def test_merge_moves_staff_and_processes_and_abolishes(municipality, tax, person, beppyo):
    general = services.create_department(actor=None, via="web", municipality=municipality, name="総務課")
    process = Process.objects.create(municipality=municipality, name="個人住民税事務", department=tax,
                                     beppyo_item=beppyo["81"])
    services.merge_department(actor=None, via="web", department=tax, into=general, on=D(2025, 4, 1))
    person.refresh_from_db()
    process.refresh_from_db()
    assert person.department == general and process.department == general
    tax.refresh_from_db()
    assert (tax.abolished_on, tax.merged_into) == (D(2025, 4, 1), general)
    assert _on(municipality, D(2025, 3, 31))["A1"].department == "税務課"
    assert _on(municipality, D(2025, 4, 1))["A1"].department == "総務課"
    assert {"staff.transfer", "process.update", "department.merge"} <= set(_actions(municipality))
    with pytest.raises(ValidationError, match="廃止されています"):
        services.merge_department(actor=None, via="web", department=tax, into=general, on=D(2025, 5, 1))


def test_roster_bulk_save_records_history_from_today(municipality, tax, person):
    from django.utils import timezone

    today = timezone.localdate()
    services.save_staff_bulk(actor=None, via="import", municipality=municipality, people=[
        {"staff_number": "A1", "name": "山田 花子", "role": "it", "department": "情報政策課"},
        {"staff_number": "B2", "name": "新人 一郎", "role": "handler", "department": "税務課"}])
    assert _on(municipality, today - dt.timedelta(days=1))["A1"].role == "handler"
    now = _on(municipality, today)
    assert (now["A1"].role, now["A1"].department) == ("it", "情報政策課")
    assert now["B2"].department == "税務課" and "B2" in _on(municipality, D(2001, 1, 1))
    # The same roster again changes nothing.
    before = StaffAssignment.objects.count()
    result = services.save_staff_bulk(actor=None, via="import", municipality=municipality, people=[
        {"staff_number": "A1", "name": "山田 花子", "role": "it", "department": "情報政策課"}])
    assert result["updated"] == set() and StaffAssignment.objects.count() == before


def test_staff_as_of_runs_a_fixed_number_of_queries(municipality, tax, django_assert_max_num_queries):
    for n in range(30):
        services.create_staff(actor=None, via="command", municipality=municipality, staff_number=f"Q{n:03}",
                              name=f"職員 {n}", role="handler", department=tax)
    with django_assert_max_num_queries(4):
        assert len(queries.staff_as_of([municipality.pk], D(2026, 1, 1), include_retired=True)) == 30


def test_training_asks_the_history_who_must_be_trained_on_a_date(municipality, tax, person, process):
    from jichitai.processes.models import ProcessAssignment
    from jichitai.training.queries import training_status

    ProcessAssignment.objects.create(process=process, staff=person, assigned_on=D(2020, 4, 1))
    welfare = services.create_department(actor=None, via="web", municipality=municipality, name="福祉課")
    services.reassign_staff(actor=None, via="web", staff=person, department=welfare, role="handler", on=D(2024, 4, 1))
    services.rename_department(actor=None, via="web", department=welfare, name="福祉政策課", on=D(2025, 4, 1))
    services.retire_staff(actor=None, via="web", staff=person, on=D(2026, 3, 31))
    assert [p.department for p in training_status([municipality.pk], D(2024, 3, 31))] == ["税務課"]
    assert [p.department for p in training_status([municipality.pk], D(2024, 4, 1))] == ["福祉課"]
    assert [p.department for p in training_status([municipality.pk], D(2025, 4, 1))] == ["福祉政策課"]
    assert training_status([municipality.pk], D(2026, 4, 1)) == []
    assert {p.pk for p in queries.staff_on([municipality.pk], D(2026, 3, 31))} == {person.pk}


def test_a_person_retiring_later_can_still_be_transferred(municipality, tax, person):
    welfare = services.create_department(actor=None, via="web", municipality=municipality, name="福祉課")
    services.retire_staff(actor=None, via="web", staff=person, on=D(2099, 3, 31))
    services.reassign_staff(actor=None, via="web", staff=person, department=welfare, role="handler", on=D(2025, 4, 1))
    assert list(StaffAssignment.objects.filter(staff=person).order_by("valid_from").values_list(
        "valid_from", "valid_to")) == [(D(2020, 4, 1), D(2025, 3, 31)), (D(2025, 4, 1), D(2099, 3, 31))]
