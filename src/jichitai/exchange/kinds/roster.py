"""A staff roster (職員番号 · 氏名 · 所属 · 役割 · 担当事務): people and the processes they handle.

The roster is authoritative for the people it lists: their department, role and assignments are set to
what it says, from the day of the import in their history (orgs.services.save_staff_bulk). People it does not
list are left alone. An abolished department is refused; a department's former name is read as its current one.
"""

import re
from dataclasses import dataclass, field

from jichitai.core.sheets.reading import Rows, cell_ref, cell_text, compact, find_header, label_map
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.core.text import normalise
from jichitai.core.wareki import format_wareki
from jichitai.orgs import services as org_services
from jichitai.orgs.models import Department, DepartmentName, Staff
from jichitai.processes import services as process_services

from ..process_names import ProcessNames
from .base import MUNICIPALITY, header_score

KIND = "roster"
LABEL = "職員名簿"
HINT = "見出し行（職員番号・氏名・役割）"
SCOPE = MUNICIPALITY
HEADERS = {"staff_number": "職員番号", "name": "氏名", "department": "所属", "role": "役割", "processes": "担当事務"}
REQUIRED = ("staff_number", "name", "role")
LABELS = label_map(HEADERS)
ROLE_ALIASES = {label: value for value, label in Staff.Role.choices} | {
    "取扱担当者": Staff.Role.HANDLER, "事務取扱者": Staff.Role.HANDLER, "法務": Staff.Role.LEGAL,
    "情報システム": Staff.Role.IT, "情報政策担当": Staff.Role.IT, "責任者": Staff.Role.PROTECTION_OFFICER,
}
_SEPARATORS = re.compile(r"[、,，\n]+")


def detect(sheet) -> int:
    return header_score(sheet.rows, LABELS, REQUIRED)


@dataclass
class Person:
    staff_number: str
    name: str
    department: str
    role: str
    process_ids: list[int] = field(default_factory=list)


@dataclass
class ParsedRoster:
    sheet: str
    result: SheetResult
    people: list[Person] = field(default_factory=list)


def parse(sheets, context) -> list[ParsedRoster]:
    names = ProcessNames(context.municipality)
    return [_parse_sheet(sheet.name, sheet.rows, context.municipality, context.report, names) for sheet in sheets]


def _parse_sheet(sheet: str, rows: Rows, municipality, report: ImportReport, names: ProcessNames) -> ParsedRoster:
    header_row, cols = find_header(rows, LABELS, REQUIRED)
    parsed = ParsedRoster(sheet, SheetResult(sheet, KIND))
    seen, department_cells = {}, {}
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
        parsed.people.append(person)
    departments = {name: abolished_on for name, abolished_on in
                   Department.objects.filter(municipality=municipality).values_list("name", "abolished_on")}
    renamed = dict(DepartmentName.objects.filter(department__municipality=municipality, valid_to__isnull=False)
                   .exclude(name__in=list(departments)).values_list("name", "department__name"))
    for department, ref in sorted(department_cells.items()):
        if departments.get(department) is not None:
            report.error(sheet, ref, f"所属「{department}」は{format_wareki(departments[department])}に廃止されています。"
                         "現在の課室名を入力してください。")
        elif department not in departments and department in renamed:
            report.warn(sheet, ref, f"所属「{department}」は旧名称のため、現在の名称「{renamed[department]}」として登録します。")
            for person in parsed.people:
                if person.department == department:
                    person.department = renamed[department]
        elif department not in departments:
            report.warn(sheet, ref, f"所属「{department}」は未登録のため、新しい課室として登録します。")
    parsed.result.rows = len(parsed.people)
    return parsed


def apply(parsed_rosters: list[ParsedRoster], context) -> None:
    for parsed in parsed_rosters:
        saved = org_services.save_staff_bulk(
            actor=context.actor, via=context.via, municipality=context.municipality,
            people=[{"staff_number": p.staff_number, "name": p.name, "role": p.role, "department": p.department}
                    for p in parsed.people])
        staff = saved["staff"]
        reassigned = process_services.set_assignments_bulk(
            actor=context.actor, via=context.via, municipality=context.municipality,
            wanted={staff[p.staff_number].pk: set(p.process_ids) for p in parsed.people})
        reassigned_numbers = {p.staff_number for p in parsed.people if staff[p.staff_number].pk in reassigned}
        parsed.result.created = len(saved["created"])
        # A person counts once as updated, whether their details, their processes or both changed.
        parsed.result.updated = len((saved["updated"] | reassigned_numbers) - saved["created"])
