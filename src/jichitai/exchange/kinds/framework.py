"""A checklist of measures (framework): the JSON shape of data/safe_management_measures.json, or a sheet with
columns ID · 区分 · 項目 · 解説 · 課室単位. Loaded for every municipality, or as one municipality's own list.

Options: code, name, source, revision override the file's values; file_stem is a workbook's default code.
"""

from dataclasses import dataclass

from jichitai.core.sheets.report import SheetResult
from jichitai.measures import framework_file, services

from .base import ANY, HEADER, TITLE

KIND = "framework"
LABEL = "チェックリスト（安全管理措置等）"
HINT = "見出し行（ID・区分・項目・解説・課室単位）"
SCOPE = ANY  # a shared list; with a municipality, that municipality's own
OVERRIDES = ("code", "name", "source", "revision")


def detect(sheet) -> int:
    if sheet.document is not None:  # the only kind that reads JSON: claimed, so that parse names what is wrong
        return TITLE if framework_file.looks_like_document(sheet.document) else HEADER
    found = framework_file.header(sheet.rows)
    return HEADER + len(found[1]) if found else 0


@dataclass
class Parsed:
    result: SheetResult
    data: framework_file.FrameworkData


def parse(sheets, context) -> list[Parsed]:
    overrides = {key: context.options[key] for key in OVERRIDES if context.options.get(key)}
    report, parsed = context.report, []
    for sheet in sheets:
        if sheet.document is not None:
            data = framework_file.parse_document(sheet.document, report, label=sheet.name, **overrides)
        else:
            data = framework_file.parse_rows(sheet.name, sheet.rows, report,
                                             default_code=context.options.get("file_stem", ""), **overrides)
        if data is None:
            continue
        if problem := services.owner_conflict(data.code, context.municipality):
            report.error("code", "", problem)
            continue
        parsed.append(Parsed(SheetResult(sheet.name, KIND, rows=len(data.items)), data))
    return parsed


def apply(parsed_sheets: list[Parsed], context) -> None:
    for parsed in parsed_sheets:
        outcome = services.save_framework(parsed.data, actor=context.actor, via=context.via,
                                          municipality=context.municipality)
        parsed.result.created, parsed.result.updated = outcome["created"], outcome["updated"]
        parsed.result.details = outcome
