"""The inventory and the cloud model plan as .xlsx (the plan in the seed's クラウドモデルプラン layout)."""

from openpyxl import Workbook
from openpyxl.styles import PatternFill

from jichitai.core.sheets.writing import (
    BOX,
    CENTRE,
    WRAP_TOP,
    a4_landscape,
    append_row,
    header,
    put,
    title,
    workbook_bytes,
)
from jichitai.core.wareki import format_fiscal_year

from . import boards, rules

INVENTORY_SHEET = "システム一覧"
PLAN_SHEET = "クラウドモデルプラン"
YES_NO = {True: "可", False: "不可"}
# The inventory's columns, as the systems import reads them back (団体コード only with --association).
INVENTORY_HEADERS = {"code": "団体コード", "name": "システム名", "category": "分類", "standard_area": "標準化対象業務",
           "vendor": "ベンダー", "contract_start_fy": "契約開始年度", "contract_end_fy": "契約終了年度",
           "re_lease_years": "再リース可能年数", "early_termination": "早期解約", "hosting": "稼働環境",
           "standard_conformance": "標準準拠", "migration_status": "移行状況",
           "annual_cost": "年間経費（千円）", "initial_cost": "初期経費（千円）", "re_lease_annual_cost": "再リース年間経費（千円）"}
PLAN_HEADER_ROW = 4
PLAN_FIXED = 5  # 団体 · システム名 · 想定クラウド先 · 参加の形 · 区分, then the fiscal years
PHASE_FILLS = {label: PatternFill("solid", fgColor=colour) for label, (_css, colour) in boards.PHASE_STYLE.items()}


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


def plan_bytes(plan, names: dict[str, str], *, extra_sheets=()) -> bytes:
    """The seed's クラウドモデルプラン (B県B機関): 団体 · システム名 · 想定クラウド先 · 参加の形 · one column per
    fiscal year; per member and system a state row and a 推進作業 row, coloured by phase; the legend and the
    KPIs below; A3 landscape with the title and the year headers on every page.

    `extra_sheets`: callables taking the workbook (the 経費比較 sheet)."""
    gantt = boards.gantt(plan.result, names)
    years = gantt["years"]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = PLAN_SHEET
    last_column = PLAN_FIXED + len(years)
    title(sheet, f"クラウドモデルプラン　{plan.name}（{plan.category}）", last_column=last_column)
    put(sheet, 2, 1, f"開始 {gantt['start_label']}　想定クラウド先 {plan.destination or '—'}")
    header(sheet, PLAN_HEADER_ROW, [("団体", 16), ("システム名", 22), ("想定クラウド先", 16), ("参加の形", 16),
                                    ("区分", 9)] + [(y["label"], 13) for y in years])
    row = PLAN_HEADER_ROW + 1
    for member in gantt["rows"]:
        fixed = [f"{member['code']} {member['name']}", member["system"], plan.destination,
                 f"{member['path_label']}（新クラウド {member['join_label']}）"]
        for offset, (kind, cells) in enumerate((("状態", member["state"]), ("推進作業", member["work"]))):
            for c, value in enumerate(fixed if offset == 0 else ["", "", "", ""], start=1):
                put(sheet, row + offset, c, value, border=BOX, alignment=WRAP_TOP)
            put(sheet, row + offset, PLAN_FIXED, kind, border=BOX, alignment=WRAP_TOP)
            for c, cell in enumerate(cells, start=PLAN_FIXED + 1):
                put(sheet, row + offset, c, cell["phase"], border=BOX, alignment=CENTRE,
                    fill=PHASE_FILLS.get(cell["phase"]))
        for c in range(1, PLAN_FIXED):
            sheet.merge_cells(start_row=row, start_column=c, end_row=row + 1, end_column=c)
        row += 2
    row += 1
    put(sheet, row, 1, "凡例", bold=True)
    for c, label in enumerate(rules.PHASES, start=2):
        put(sheet, row, c, label, border=BOX, alignment=CENTRE, fill=PHASE_FILLS[label])
    row += 2
    header(sheet, row, [("KPI", None), ("目標", None), ("実績", None)])
    for kpi in plan.kpis:
        row += 1
        for c, key in enumerate(("name", "target", "actual"), start=1):
            put(sheet, row, c, kpi.get(key, ""), border=BOX, alignment=WRAP_TOP)
    a4_landscape(sheet, PLAN_HEADER_ROW, frozen_columns=PLAN_FIXED, a3=True)
    for add_sheet in extra_sheets:
        add_sheet(workbook)
    return workbook_bytes(workbook)
