"""Import of a system inventory (システム名 · 分類 · 標準化対象業務 · … · 移行状況 · 経費), issue 6 scope 3.

Rows are keyed by (団体, システム名): a listed system is created or updated to what the sheet says, others
are left alone. With --association the sheet carries a leading 団体コード column naming the member.
All-or-nothing: every cell is checked first and nothing is written if any error was found.

Years are read in the seed's forms too (「各団体の主なシステム調達時期の整理」: H30年度, 33年度, H32年以降, H35.1 …,
cloud.procurement_rules.parse_procurement_year), with a warning saying which 年度 was taken when the form was
not a plain fiscal year. A sheet may state the procurement year (調達時期, as the seed's table does) instead of
the contract's last year: 契約終了年度 = 調達時期 + the association's lead time (procurement_lead_years).
"""

from dataclasses import dataclass, field

from jichitai.cloud import procurement_rules, services
from jichitai.cloud.export import INVENTORY_HEADERS
from jichitai.cloud.models import BusinessSystem, StandardArea
from jichitai.cloud.rules import COST_MAX
from jichitai.core.sheets.reading import Rows, cell_ref, cell_text, compact, find_header, label_map
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.core.text import normalise
from jichitai.core.validators import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from jichitai.core.wareki import DateParseError, fiscal_year, fiscal_year_label
from jichitai.orgs.models import Municipality

from .base import EITHER, header_score
from .municipalities import code_text

KIND = "systems"
LABEL = "システム一覧"
HINT = "見出し行（システム名・分類・契約終了年度または調達時期）"
SCOPE = EITHER
# Read from the sheet but not written back by the inventory export: the seed's procurement year.
HEADERS = INVENTORY_HEADERS | {"procurement_fy": "調達時期"}
# A header row names the system, its category and either year.
REQUIRED_EITHER = (("name", "category", "contract_end_fy"), ("name", "category", "procurement_fy"))
COSTS = ("annual_cost", "initial_cost", "re_lease_annual_cost")
HOSTING = {label: value for value, label in BusinessSystem.Hosting.choices} | {
    value: value for value in BusinessSystem.Hosting.values} | {"オンプレ": "on_premises", "ガバクラ": "gov_cloud"}
STATUS = {label: value for value, label in BusinessSystem.MigrationStatus.choices} | {
    value: value for value in BusinessSystem.MigrationStatus.values}
YES = {"可", "あり", "有", "はい", "○", "〇", "済", "準拠", "true", "1", "yes"}
NO = {"不可", "なし", "無", "いいえ", "×", "未", "非準拠", "false", "0", "no", ""}


LABELS = label_map(HEADERS)


def detect(sheet) -> int:
    return max(header_score(sheet.rows, LABELS, required) for required in REQUIRED_EITHER)


def _header(rows: Rows) -> tuple[int, dict[str, int]] | None:
    found = [header for required in REQUIRED_EITHER if (header := find_header(rows, LABELS, required))]
    return min(found, key=lambda header: header[0]) if found else None


def lead_years(owner: Municipality | None, association) -> int:
    """The lead time of the association the sheet was imported for, or of the member's own association."""
    association = association or (owner.association if owner is not None else None)
    if association is None:
        return procurement_rules.DEFAULT_LEAD_YEARS
    return association.procurement_lead_years


def _year(text: str, ref: str, label: str, sheet: str, report: ImportReport, reference_fy: int) -> int | None:
    """A fiscal year in the seed's forms; a warning when a form was interpreted, an error when unreadable."""
    try:
        year, warning = procurement_rules.parse_procurement_year(text, reference_fy)
    except DateParseError as exc:
        report.error(sheet, ref, f"{label}: {exc}")
        return None
    if not FISCAL_YEAR_MIN <= year <= FISCAL_YEAR_MAX:
        report.error(sheet, ref, f"{label}「{text}」は{FISCAL_YEAR_MIN}〜{FISCAL_YEAR_MAX}年度の範囲にありません。")
        return None
    if warning:
        report.warn(sheet, ref, f"{label}: {warning}")
    return year


def _cost(text: str, ref: str, label: str, sheet: str, report: ImportReport) -> int | None:
    """千円, a whole number 0–COST_MAX; 1,200 and 1200.0 are read, blank is none."""
    value = compact(text).replace(",", "")
    if not value:
        return None
    if value.endswith(".0"):
        value = value[:-2]
    if not value.isdigit() or int(value) > COST_MAX:
        report.error(sheet, ref, f"{label}「{text[:20]}」は0〜{COST_MAX:,}の整数（千円）で入力してください。")
        return None
    return int(value)


@dataclass
class SystemRow:
    municipality: Municipality
    fields: dict
    cell: str


@dataclass
class Parsed:
    sheet: str
    result: SheetResult
    rows: list[SystemRow] = field(default_factory=list)


def _flag(text: str, ref: str, sheet: str, report: ImportReport, label: str) -> bool:
    value = compact(text).lower()
    if value in YES:
        return True
    if value in NO:
        return False
    report.error(sheet, ref, f"{label}「{text}」は読めません。可／不可（または ○／×）で入力してください。")
    return False


def parse(sheets, context) -> list[Parsed]:
    association = context.association() if context.association_name else None
    parsed = (_parse_sheet(sheet.name, sheet.rows, context.report, municipality=context.municipality,
                           association_name=context.association_name, association=association,
                           reference_fy=fiscal_year(context.today)) for sheet in sheets)
    return [one for one in parsed if one is not None]


def _parse_sheet(sheet: str, rows: Rows, report: ImportReport, *, municipality=None,
                 association_name: str | None = None, association=None, reference_fy: int) -> Parsed | None:
    header = _header(rows)
    if header is None:
        report.error(sheet, "A1", "見出し行（システム名・分類・契約終了年度または調達時期）が見つかりません。")
        return None
    header_row, cols = header
    by_code = {}
    if association_name:
        if "code" not in cols:
            report.error(sheet, cell_ref(header_row, 0), "協議会単位の取込では先頭に「団体コード」列が必要です。")
            return None
        by_code = {m.code: m for m in Municipality.objects.filter(association__name=association_name)}
    elif municipality is None:
        report.error(sheet, "A1", "システム一覧の取込には --municipality または --association の指定が必要です。")
        return None
    areas = {compact(a.name): a for a in StandardArea.objects.all()}
    parsed, seen = Parsed(sheet, SheetResult(sheet, KIND)), {}
    for r in range(header_row + 1, len(rows)):
        row = rows[r]

        def at(key, row=row, r=r):
            c = cols.get(key)
            return (cell_text(row[c]) if c is not None and c < len(row) else ""), cell_ref(r, c if c is not None else 0)

        texts = {key: at(key) for key in HEADERS}
        if not any(text for text, _ in texts.values()):
            continue
        errors_before = len(report.errors)
        owner = municipality
        if association_name:
            written, code_ref = texts["code"]
            owner = by_code.get(code_text(row[cols["code"]]) if cols["code"] < len(row) else "")
            if owner is None:
                report.error(sheet, code_ref, f"団体コード「{written or '空欄'}」は協議会「{association_name}」の構成団体ではありません。")
        name, name_ref = normalise(texts["name"][0]), texts["name"][1]
        if not name:
            report.error(sheet, name_ref, "システム名が空欄です。")
        elif owner is not None:
            key = (owner.code, name)
            if key in seen:
                report.error(sheet, name_ref, f"システム名「{name}」が {seen[key]} と重複しています。")
            seen[key] = name_ref
        category = normalise(texts["category"][0])
        if not category:
            report.error(sheet, texts["category"][1], "分類が空欄です。")
        values = {"name": name, "category": category, "vendor": normalise(texts["vendor"][0])}
        area_text, area_ref = texts["standard_area"]
        values["standard_area"] = None
        if area_text:
            values["standard_area"] = areas.get(compact(area_text))
            if values["standard_area"] is None:
                report.error(sheet, area_ref, f"標準化対象業務「{area_text}」は20業務にありません。")
        for key in ("contract_start_fy", "contract_end_fy"):
            text, ref = texts[key]
            values[key] = _year(text, ref, HEADERS[key], sheet, report, reference_fy) if text else None
        _contract_end(values, texts, sheet, report, reference_fy, lead_years(owner, association),
                      blank_ref=texts["contract_end_fy" if "contract_end_fy" in cols else "procurement_fy"][1])
        if values["contract_start_fy"] and values["contract_end_fy"] and values["contract_start_fy"] > values["contract_end_fy"]:
            report.error(sheet, texts["contract_end_fy"][1], "契約終了年度が契約開始年度より前です。")
        text, ref = texts["re_lease_years"]
        values["re_lease_years"] = 2
        if text:
            if compact(text).isdigit() and int(compact(text)) <= 10:
                values["re_lease_years"] = int(compact(text))
            else:
                report.error(sheet, ref, f"再リース可能年数「{text}」は0〜10の整数で入力してください。")
        values["early_termination"] = _flag(*texts["early_termination"], sheet, report, "早期解約")
        values["standard_conformance"] = _flag(*texts["standard_conformance"], sheet, report, "標準準拠")
        for key, table, default, label in (("hosting", HOSTING, "on_premises", "稼働環境"),
                                           ("migration_status", STATUS, "not_started", "移行状況")):
            text, ref = texts[key]
            values[key] = table.get(compact(text), None) if text else default
            if values[key] is None:
                allowed = "・".join(k for k in table if not k.isascii())
                report.error(sheet, ref, f"{label}「{text}」は使えません。使える値: {allowed}")
        for key in COSTS:  # a sheet without the column leaves the stored cost as it is
            if key in cols:
                values[key] = _cost(*texts[key], HEADERS[key], sheet, report)
        if len(report.errors) == errors_before and owner is not None:
            parsed.rows.append(SystemRow(owner, values, name_ref))
    return parsed


def _contract_end(values: dict, texts: dict, sheet: str, report: ImportReport, reference_fy: int, lead: int, *,
                  blank_ref: str) -> None:
    """契約終了年度 as written, or 調達時期 + the lead time when only the procurement year is given (a warning says
    so); one of the two is required. When both are given and disagree, the contract's year is kept (a warning)."""
    end_text = texts["contract_end_fy"][0]
    procurement_text, procurement_ref = texts["procurement_fy"]
    if not end_text and not procurement_text:
        report.error(sheet, blank_ref, "契約終了年度と調達時期がどちらも空欄です。どちらかを入力してください。")
        return
    if not procurement_text:
        return
    procurement = _year(procurement_text, procurement_ref, HEADERS["procurement_fy"], sheet, report, reference_fy)
    if procurement is None:
        return
    derived = procurement_rules.contract_end_from_procurement(procurement, lead)
    if end_text:
        if values["contract_end_fy"] is not None and values["contract_end_fy"] != derived:
            report.warn(sheet, procurement_ref, (
                f"調達時期 {fiscal_year_label(procurement)} は契約終了年度 {fiscal_year_label(values['contract_end_fy'])}"
                f"の{lead}年前（調達の準備期間）ではありません。契約終了年度を使いました。"))
        return
    if not FISCAL_YEAR_MIN <= derived <= FISCAL_YEAR_MAX:
        report.error(sheet, procurement_ref, f"調達時期から求めた契約終了年度（{derived}年度）が範囲外です。")
        return
    values["contract_end_fy"] = derived
    report.warn(sheet, procurement_ref, (
        f"契約終了年度が空欄のため、調達時期 {fiscal_year_label(procurement)} に調達の準備期間 {lead}年を足した"
        f"{fiscal_year_label(derived)}を契約終了年度としました。"))


def apply(parsed_sheets: list[Parsed], context) -> None:
    for parsed in parsed_sheets:
        owners = {row.municipality.pk for row in parsed.rows}
        existing = {(s.municipality_id, s.name): s for s in BusinessSystem.objects.filter(municipality_id__in=owners)}
        for row in parsed.rows:
            parsed.result.rows += 1
            system = existing.get((row.municipality.pk, row.fields["name"]))
            if system is None:
                services.save_system(actor=context.actor, via=context.via, municipality=row.municipality, **row.fields)
                parsed.result.created += 1
            elif any(getattr(system, k) != v for k, v in row.fields.items()):
                services.save_system(actor=context.actor, via=context.via, municipality=row.municipality,
                                     system=system, **row.fields)
                parsed.result.updated += 1
