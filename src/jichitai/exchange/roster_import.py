"""Import of a staff roster (職員番号 · 氏名 · 所属 · 役割 · 担当事務): people and the processes they handle.

The roster is authoritative for the people it lists: their department, role and assignments are set to
what it says. People it does not list are left alone.
"""

import re
from dataclasses import dataclass, field

from django.db import transaction

from jichitai.audit.services import record
from jichitai.core.sheets.reading import Rows, cell_ref, cell_text
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.core.text import normalise
from jichitai.orgs.models import Department, Staff
from jichitai.processes.models import ProcessAssignment

from .process_names import ProcessNames, compact

KIND = "roster"
HEADERS = {"staff_number": "職員番号", "name": "氏名", "department": "所属", "role": "役割", "processes": "担当事務"}
REQUIRED = ("staff_number", "name", "role")
ROLE_ALIASES = {label: value for value, label in Staff.Role.choices} | {
    "取扱担当者": Staff.Role.HANDLER, "事務取扱者": Staff.Role.HANDLER, "法務": Staff.Role.LEGAL,
    "情報システム": Staff.Role.IT, "情報政策担当": Staff.Role.IT, "責任者": Staff.Role.PROTECTION_OFFICER,
}
_SEPARATORS = re.compile(r"[、,，\n]+")


def find_header(rows: Rows) -> tuple[int, dict[str, int]] | None:
    labels = {label: key for key, label in HEADERS.items()}
    for r, row in enumerate(rows):
        found = {}
        for c, value in enumerate(row):
            key = labels.get(compact(cell_text(value)))
            if key and key not in found:
                found[key] = c
        if all(key in found for key in REQUIRED):
            return r, found
    return None


def looks_like_roster(rows: Rows) -> bool:
    return find_header(rows) is not None


@dataclass
class Person:
    staff_number: str
    name: str
    department: str
    role: str
    process_ids: list[int] = field(default_factory=list)


def parse_sheet(sheet: str, rows: Rows, municipality, report: ImportReport,
                names: ProcessNames | None = None) -> list[Person]:
    header_row, cols = find_header(rows)
    names = names or ProcessNames(municipality)
    people, seen, department_cells = [], {}, {}
    for r in range(header_row + 1, len(rows)):
        row = rows[r]

        def at(key, row=row, r=r):
            c = cols.get(key)
            return (cell_text(row[c]) if c is not None and c < len(row) else ""), cell_ref(r, c or 0)

        (number, number_ref), (name, name_ref) = at("staff_number"), at("name")
        (department, department_ref), (role_label, role_ref), (processes, processes_ref) = (
            at("department"), at("role"), at("processes"))
        if not any((number, name, department, role_label, processes)):
            continue
        number, name = normalise(number), normalise(name)
        if not number:
            report.error(sheet, number_ref, "職員番号が空欄です。")
            continue
        if number in seen:
            report.error(sheet, number_ref, f"職員番号 {number} が {seen[number]} と重複しています。")
            continue
        seen[number] = number_ref
        if not name:
            report.error(sheet, name_ref, "氏名が空欄です。")
        role = ROLE_ALIASES.get(compact(role_label))
        if role is None:
            allowed = "・".join(label for _, label in Staff.Role.choices)
            report.error(sheet, role_ref, f"役割「{role_label or '空欄'}」は使えません。使える値: {allowed}")
            continue
        person = Person(number, name, normalise(department), role)
        if person.department:
            department_cells.setdefault(person.department, department_ref)
        for part in _SEPARATORS.split(processes):
            if not part.strip():
                continue
            found = names.resolve(part.strip(), sheet, processes_ref, report)
            if found is None:
                continue
            if found.process_id is None:
                report.error(sheet, processes_ref, f"担当事務「{part.strip()[:40]}」（{found.item.label}）は登録簿にありません。先に事務を登録してください。")
                continue
            if found.process_id not in person.process_ids:
                person.process_ids.append(found.process_id)
        people.append(person)
    known = set(Department.objects.filter(municipality=municipality).values_list("name", flat=True))
    for department in sorted(set(department_cells) - known):
        report.warn(sheet, department_cells[department], f"所属「{department}」は未登録のため、新しい課室として登録します。")
    return people


@transaction.atomic
def apply(people: list[Person], municipality, result: SheetResult, *, actor) -> None:
    departments = {d.name: d for d in Department.objects.filter(municipality=municipality)}
    staff = {s.staff_number: s for s in Staff.objects.filter(municipality=municipality)}
    assigned: dict[int, set[int]] = {}
    for staff_id, process_id in ProcessAssignment.objects.filter(
            staff__municipality=municipality).values_list("staff_id", "process_id"):
        assigned.setdefault(staff_id, set()).add(process_id)
    for person in people:
        department = None
        if person.department:
            department = departments.get(person.department)
            if department is None:
                department = Department.objects.create(municipality=municipality, name=person.department)
                departments[person.department] = department
                record(actor=actor, via="import", action="department.create", obj=department,
                       municipality=municipality, after={"name": department.name})
        member = staff.get(person.staff_number)
        before = None
        if member is None:
            member = Staff(municipality=municipality, staff_number=person.staff_number)
        else:
            before = {"name": member.name, "department": str(member.department or ""), "role": member.role,
                      "processes": sorted(assigned.get(member.pk, set()))}
        member.name, member.department, member.role = person.name, department, person.role
        member.full_clean()
        member.save()
        current = assigned.get(member.pk, set())
        wanted = set(person.process_ids)
        ProcessAssignment.objects.filter(staff=member, process_id__in=current - wanted).delete()
        ProcessAssignment.objects.bulk_create(ProcessAssignment(staff=member, process_id=pid)
                                              for pid in sorted(wanted - current))
        after = {"name": member.name, "department": str(member.department or ""), "role": member.role,
                 "processes": sorted(wanted)}
        if before is None:
            result.created += 1
        elif before != after:
            result.updated += 1
        if before != after:
            record(actor=actor, via="import", action="staff.import", obj=member, municipality=municipality,
                   before=before, after=after)
