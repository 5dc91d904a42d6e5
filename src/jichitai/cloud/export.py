"""The inventory and the cloud model plan as .xlsx (the plan in the seed's クラウドモデルプラン layout)."""

from openpyxl import Workbook
from openpyxl.styles import Alignment

from jichitai.core.sheets.writing import append_row, put, workbook_bytes
from jichitai.core.wareki import fiscal_year_label, format_fiscal_year

from . import rules

INVENTORY_SHEET = "システム一覧"
PLAN_SHEET = "クラウドモデルプラン"
YES_NO = {True: "可", False: "不可"}
# The inventory's columns, as the systems import reads them back (団体コード only with --association).
INVENTORY_HEADERS = {"code": "団体コード", "name": "システム名", "category": "分類", "standard_area": "標準化対象業務",
           "vendor": "ベンダー", "contract_start_fy": "契約開始年度", "contract_end_fy": "契約終了年度",
           "re_lease_years": "再リース可能年数", "early_termination": "早期解約", "hosting": "稼働環境",
           "standard_conformance": "標準準拠", "migration_status": "移行状況",
           "annual_cost": "年間経費（千円）", "initial_cost": "初期経費（千円）", "re_lease_annual_cost": "再リース年間経費（千円）"}
WRAP = Alignment(wrap_text=True, vertical="top")


def _row(sheet, row: int, values, *, bold: bool = False) -> None:
    for c, value in enumerate(values, start=1):
        put(sheet, row, c, value, bold=bold)


def inventory_bytes(systems, *, with_code: bool = False) -> bytes:
    """Columns as the import reads them, so an export can be edited and imported back."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = INVENTORY_SHEET
    keys = [k for k in INVENTORY_HEADERS if with_code or k != "code"]
    _row(sheet, 1, [INVENTORY_HEADERS[k] for k in keys], bold=True)
    for s in systems:
        values = {"code": s.municipality.code, "name": s.name, "category": s.category,
                  "standard_area": s.standard_area.name if s.standard_area else "", "vendor": s.vendor,
                  "contract_start_fy": format_fiscal_year(s.contract_start_fy),  # 令和4年度: the import reads it back
                  "contract_end_fy": format_fiscal_year(s.contract_end_fy),
                  "re_lease_years": s.re_lease_years, "early_termination": YES_NO[s.early_termination],
                  "hosting": s.get_hosting_display(), "standard_conformance": "準拠" if s.standard_conformance else "未",
                  "migration_status": s.get_migration_status_display(),
                  "annual_cost": s.annual_cost, "initial_cost": s.initial_cost,
                  "re_lease_annual_cost": s.re_lease_annual_cost}
        append_row(sheet, [values[k] for k in keys])
    return workbook_bytes(workbook)


def plan_years(result: dict) -> list[int]:
    years = sorted({int(y) for m in result.get("members", []) for y in m["phases"]})
    return years


def plan_bytes(plan, names: dict[str, str]) -> bytes:
    """団体 · システム名 · 想定クラウド先 · one column per fiscal year; under each member a 推進作業 row.

    The seed splits a member's years into the system's state (現行システム, 再リース, 移行 …) and the
    推進作業 row (業務整理・標準化整理, 仕様作成, 調達); the phases are placed on the row they belong to.
    """
    work = {rules.ORGANISE, rules.SPECIFY, rules.PROCURE}
    years = plan_years(plan.result)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = PLAN_SHEET
    _row(sheet, 1, [f"{plan.name}（{plan.category}）", "", f"開始 {fiscal_year_label(plan.start_fy)}"])
    _row(sheet, 2, ["団体", "システム名", "想定クラウド先", *[fiscal_year_label(y) for y in years]], bold=True)
    for member in plan.result.get("members", []):
        phases = {int(y): label for y, label in member["phases"].items()}
        append_row(sheet, [names.get(member["code"], member["code"]), plan.category, plan.destination,
                           *[phases.get(y, "") if phases.get(y) not in work else "" for y in years]])
        append_row(sheet, ["", "推進作業", "", *[phases.get(y, "") if phases.get(y) in work else "" for y in years]])
    _row(sheet, sheet.max_row + 2, ["KPI", "目標", "実績"])  # a blank row between the plan and its KPIs
    for kpi in plan.kpis:
        append_row(sheet, [kpi.get("name", ""), kpi.get("target", ""), kpi.get("actual", "")])
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = WRAP
    return workbook_bytes(workbook)
