"""Print settings shared by every exported sheet: A4 landscape, fit to width, header row on each page."""

from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet


def a4_landscape(sheet: Worksheet, header_row: int, frozen_columns: int = 0) -> None:
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=frozen_columns + 1)
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_margins = PageMargins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.oddFooter.center.text = "&P / &N"
