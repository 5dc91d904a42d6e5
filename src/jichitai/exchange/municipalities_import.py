"""Import of a 団体一覧 sheet (団体コード · 団体名 · 人口): an association and its member municipalities."""

from dataclasses import dataclass

from django.db import transaction

from jichitai.core.codes import is_valid_municipality_code
from jichitai.core.sheets.reading import Rows, cell_ref, cell_text
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.core.text import normalise
from jichitai.orgs import services as org_services
from jichitai.orgs.models import Municipality

KIND = "municipalities"
SHEET_NAME = "団体一覧"
HEADERS = {"code": "団体コード", "name": "団体名", "population": "人口"}


def find_header(rows: Rows) -> tuple[int, dict[str, int]] | None:
    for r, row in enumerate(rows):
        texts = [normalise(cell_text(v)).replace(" ", "") for v in row]
        found = {key: texts.index(label) for key, label in HEADERS.items() if label in texts}
        if "code" in found and "name" in found:
            return r, found
    return None


def looks_like_municipalities(sheet: str, rows: Rows) -> bool:
    return sheet == SHEET_NAME or find_header(rows) is not None


@dataclass
class MemberRow:
    code: str
    name: str
    population: int | None


def _code(value: object) -> str:
    text = cell_text(value)
    # A code typed as a number loses its leading zero (011002 → 11002).
    if isinstance(value, int | float) and text.isdigit() and len(text) == 5:
        text = text.zfill(6)
    return normalise(text)


def parse_sheet(sheet: str, rows: Rows, association_name: str, report: ImportReport) -> list[MemberRow]:
    header = find_header(rows)
    if header is None:
        report.error(sheet, "A1", "見出し行（団体コード・団体名・人口）が見つかりません。")
        return []
    header_row, cols = header
    other_association = dict(
        Municipality.objects.exclude(association__name=association_name)
        .filter(association__isnull=False).values_list("code", "association__name")
    )
    members, seen = [], {}
    for r in range(header_row + 1, len(rows)):
        row = rows[r] + [""] * 3

        def at(key, row=row):
            return row[cols[key]] if key in cols else ""

        code, name = _code(at("code")), normalise(cell_text(at("name")))
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
        members.append(MemberRow(code, name, population))
    if not members:
        report.error(sheet, cell_ref(header_row, 0), "団体の行がありません。")
    return members


@transaction.atomic
def apply_sheet(members: list[MemberRow], association_name: str, result: SheetResult, *, actor) -> None:
    association, _ = org_services.get_or_create_association(actor=actor, via="import", name=association_name)
    for member in members:
        _, created = org_services.save_municipality(
            actor=actor, via="import", code=member.code, name=member.name,
            population=member.population, association=association,
        )
        if created:
            result.created += 1
        else:
            result.updated += 1
