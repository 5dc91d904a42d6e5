"""The 経費比較 sheet: the plan's sharing table with totals and the re-lease comparison, in 千円."""

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from jichitai.core.sheets.writing import BOX, a4_landscape, header, put, title, workbook_bytes

from .cost_rules import REVIEW
from .costs import DASH, NOT_REGISTERED, CostTable, money

SHEET = "経費比較"
YEN = "#,##0"
PERCENT = "0.00%"
HEADER_ROW = 5
COLUMNS = [("団体コード", 10), ("団体", 18), ("人口", 11), ("負担割合", 10), ("初期負担", 12), ("年間負担", 12),
           ("現行年額", 12), ("年間削減額", 12), ("期間削減額", 12), ("比較期間", 30), ("備考（要確認の理由）", 50)]
LEASE_COLUMNS = ["団体コード", "団体", "再リース年数", "再リース経費", "早期更新経費", "差額（早期更新−再リース）"]


def _amount(sheet: Worksheet, row: int, column: int, value: int | None, *, bold: bool = False) -> None:
    """A number in 千円, or the word 要確認 (never a 0 that was not computed)."""
    if value is None:
        put(sheet, row, column, REVIEW, bold=bold, border=BOX)
    else:
        put(sheet, row, column, value, bold=bold, border=BOX, number_format=YEN)


def _cells(sheet: Worksheet, row: int, values, *, bold: bool = False) -> None:
    for column, value in values:
        put(sheet, row, column, value, bold=bold, border=BOX)


def add_cost_sheet(workbook: Workbook, table: CostTable) -> Worksheet:
    """Add the 「経費比較」 sheet of `table` (costs.table(plan, members)) to `workbook`; returns the sheet."""
    sheet = workbook.create_sheet(SHEET)
    title(sheet, f"{table.title}（{table.category}） 経費比較", last_column=len(COLUMNS))
    put(sheet, 2, 1, f"負担割合の決め方: {table.rule_text}")
    put(sheet, 3, 1, f"共同クラウドの見積り: 初期経費 {money(table.joint_initial_cost)} 千円・年間経費 "
                     f"{money(table.joint_annual_cost)} 千円／比較期間 {table.cost_years}年（金額の単位: 千円）")
    header(sheet, HEADER_ROW, COLUMNS)
    row = HEADER_ROW
    for line in table.lines:
        row += 1
        r = line.row
        _cells(sheet, row, [(1, r.code), (2, line.name), (10, line.period_label), (11, "\n".join(r.problems))])
        if r.population and r.population > 0:
            _amount(sheet, row, 3, r.population)
        else:
            put(sheet, row, 3, NOT_REGISTERED, border=BOX)
        if r.share_percent is None:
            put(sheet, row, 4, REVIEW, border=BOX)
        else:
            put(sheet, row, 4, r.share_percent / Decimal(100), border=BOX, number_format=PERCENT)
        for column, value in ((5, r.initial_share), (6, r.annual_share), (7, r.current_annual),
                              (8, r.annual_saving), (9, r.period_saving)):
            _amount(sheet, row, column, value)
    row += 1
    t = table.totals
    _cells(sheet, row, [(1, "合計"), (2, f"{len(table.lines)}団体"), (10, ""), (11, "")], bold=True)
    if t.population is None:
        put(sheet, row, 3, DASH, bold=True, border=BOX)
    else:
        _amount(sheet, row, 3, t.population, bold=True)
    put(sheet, row, 4, 1 if table.lines and table.lines[0].row.share_percent is not None else REVIEW, bold=True,
        border=BOX, number_format=PERCENT)
    for column, value in ((5, t.initial_share), (6, t.annual_share), (7, t.current_annual), (8, t.annual_saving),
                          (9, t.period_saving)):
        _amount(sheet, row, column, value, bold=True)
    row += 1
    for problem in table.problems:
        row += 1
        put(sheet, row, 1, f"※ {problem}")
    row += 2
    put(sheet, row, 1, "再リースと早期更新の比較（計画で再リースする年数の経費）", bold=True)
    row += 1
    header(sheet, row, [(label, None) for label in LEASE_COLUMNS])
    leases = table.re_leases
    for line in leases:
        row += 1
        _cells(sheet, row, [(1, line.row.code), (2, line.name), (3, line.row.re_lease_years)])
        for column, value in ((4, line.row.re_lease_cost), (5, line.row.renewal_cost),
                              (6, line.row.re_lease_advantage)):
            _amount(sheet, row, column, value)
    row += 1
    if leases:
        _cells(sheet, row, [(1, "合計"), (2, ""), (3, t.re_lease_years)], bold=True)
        for column, value in ((4, t.re_lease_cost), (5, t.renewal_cost), (6, t.re_lease_advantage)):
            _amount(sheet, row, column, value, bold=True)
    else:
        put(sheet, row, 1, f"{DASH} 計画で再リースする団体はありません。")
    a4_landscape(sheet, HEADER_ROW, frozen_columns=2)
    return sheet


def cost_bytes(table: CostTable) -> bytes:
    """A workbook with the 経費比較 sheet only."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    add_cost_sheet(workbook, table)
    return workbook_bytes(workbook)
