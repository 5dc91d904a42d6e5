"""The procurement-timing board as .xlsx, in the seed's table layout (「各団体の主なシステム調達時期の整理」):
団体 | one column per band (平成30〜32 style, the last 「…年度以降」), a row per member, each cell the systems
「システム名（平成30年度）」 one per line. A4 landscape, the header repeated on every page."""

from openpyxl import Workbook

from jichitai.core.sheets.writing import BOX, data_row, finish, header, put, title

SHEET = "調達時期"
TITLE = "各団体の主なシステム調達時期の整理"
HEADER_ROW = 3
NAME_WIDTH, BAND_WIDTH = 18, 34


def timeline_bytes(board: dict, *, association_name: str, category: str = "") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = SHEET
    columns = [("団体", NAME_WIDTH)] + [(band["label"], BAND_WIDTH) for band in board["bands"]]
    title(sheet, TITLE, last_column=len(columns))
    put(sheet, 2, 1, f"{association_name}　{board['as_of_label']}時点　調達時期 = 契約終了年度 − 調達の準備期間"
                     f"（{board['lead_years']}年）　分類: {category or '全て'}")
    header(sheet, HEADER_ROW, columns)
    row_number = HEADER_ROW
    for row in board["rows"]:
        row_number += 1
        data_row(sheet, row_number, [row["municipality"].name,
                                     *["\n".join(item["text"] for item in cell) for cell in row["cells"]]])
        lines = max([len(cell) for cell in row["cells"]] + [1])
        sheet.row_dimensions[row_number].height = max(15 * lines, 18)
    if row_number == HEADER_ROW:
        put(sheet, HEADER_ROW + 1, 1, "構成団体がありません。", border=BOX)
    return finish(workbook, sheet, HEADER_ROW, frozen_columns=1)
