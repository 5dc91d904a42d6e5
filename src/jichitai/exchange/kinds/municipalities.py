"""A 団体一覧 sheet (団体コード · 団体名 · 人口): an association and its member municipalities."""

from dataclasses import dataclass, field

from jichitai.core.codes import is_valid_municipality_code
from jichitai.core.sheets.reading import Rows, cell_ref, cell_text, find_header, label_map
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.core.text import normalise
from jichitai.orgs import services as org_services
from jichitai.orgs.models import Municipality

from .base import ASSOCIATION, HEADER, header_score

KIND = "municipalities"
LABEL = "団体一覧"
HINT = "見出し行（団体コード・団体名）"
SCOPE = ASSOCIATION
SHEET_NAME = "団体一覧"
HEADERS = {"code": "団体コード", "name": "団体名", "population": "人口"}
REQUIRED = ("code", "name")
LABELS = label_map(HEADERS)


def detect(sheet) -> int:
    score = header_score(sheet.rows, LABELS, REQUIRED)
    # A sheet named 団体一覧 is taken even before its header is right, so that its errors are reported.
    return max(score, HEADER) if sheet.name == SHEET_NAME else score


@dataclass
class MemberRow:
    code: str
    name: str
    population: int | None


@dataclass
class ParsedMembers:
    sheet: str
    result: SheetResult
    members: list[MemberRow] = field(default_factory=list)


def code_text(value: object) -> str:
    """A code typed as a number loses its leading zero (011002 → 11002): put it back."""
    text = cell_text(value)
    if isinstance(value, int | float) and text.isdigit() and len(text) == 5:
        text = text.zfill(6)
    return normalise(text)


def parse(sheets, context) -> list[ParsedMembers]:
    return [_parse_sheet(sheet.name, sheet.rows, context.association_name, context.report) for sheet in sheets]


def _parse_sheet(sheet: str, rows: Rows, association_name: str, report: ImportReport) -> ParsedMembers:
    parsed = ParsedMembers(sheet, SheetResult(sheet, KIND))
    header = find_header(rows, LABELS, REQUIRED)
    if header is None:
        report.error(sheet, "A1", "見出し行（団体コード・団体名・人口）が見つかりません。")
        return parsed
    header_row, cols = header
    other_association = dict(
        Municipality.objects.exclude(association__name=association_name)
        .filter(association__isnull=False).values_list("code", "association__name")
    )
    seen = {}
    for r in range(header_row + 1, len(rows)):
        row = rows[r] + [""] * 3

        def at(key, row=row):
            return row[cols[key]] if key in cols else ""

        code, name = code_text(at("code")), normalise(cell_text(at("name")))
        if not code and not name:
            continue
        code_ref = cell_ref(r, cols["code"])
        if not is_valid_municipality_code(code):
            report.error(sheet, code_ref, f"団体コード「{code}」が正しくありません（6桁、6桁目はチェックデジット）。")
        elif code in seen:
            report.error(sheet, code_ref, f"団体コード {code} が {seen[code]} と重複しています。")
        elif code in other_association:
            report.error(sheet, code_ref, f"団体コード {code} は既に「{other_association[code]}」に所属しています。")
        seen.setdefault(code, code_ref)
        if not name:
            report.error(sheet, cell_ref(r, cols["name"]), "団体名が空欄です。")
        population = None
        raw_population = cell_text(at("population")).replace(",", "")
        if raw_population:
            if raw_population.isdigit():
                population = int(raw_population)
            else:
                report.error(sheet, cell_ref(r, cols["population"]), f"人口「{raw_population}」は0以上の整数で入力してください。")
        parsed.members.append(MemberRow(code, name, population))
    if not parsed.members:
        report.error(sheet, cell_ref(header_row, 0), "団体の行がありません。")
    parsed.result.rows = len(parsed.members)
    return parsed


def apply(parsed_sheets: list[ParsedMembers], context) -> None:
    association, _ = org_services.get_or_create_association(actor=context.actor, via=context.via,
                                                            name=context.association_name)
    for parsed in parsed_sheets:
        for member in parsed.members:
            _, created = org_services.save_municipality(
                actor=context.actor, via=context.via, code=member.code, name=member.name,
                population=member.population, association=association,
            )
            if created:
                parsed.result.created += 1
            else:
                parsed.result.updated += 1
