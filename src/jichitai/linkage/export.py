"""The list of systems storing individual numbers as .xlsx, filtered and sorted like the page."""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from jichitai.core.sheets.writing import a4_landscape

HEADER_ROW = 2
COLUMNS = (("システム名", 28), ("個人番号を保存", 10), ("利用する事務", 60), ("法的根拠のない事務", 40), ("備考", 30))
_THIN = Side(style="thin", color="000000")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _unbased(process) -> bool:
    return process.beppyo_item_id is None and process.ordinance_id is None


def systems_bytes(municipality, systems) -> bytes:
    """`systems` come from linkage.queries.systems_for (processes prefetched)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "個人番号を保存するシステム"
    sheet["A1"] = f"個人番号を保存するシステム（{municipality.name}）"
    sheet["A1"].font = Font(size=14, bold=True)
    for c, (label, width) in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=HEADER_ROW, column=c, value=label)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="D9E1F2")
        cell.border = _BOX
        sheet.column_dimensions[get_column_letter(c)].width = width
    for r, system in enumerate(systems, start=HEADER_ROW + 1):
        processes = list(system.processes.all())
        values = (system.name, "〇" if system.stores_numbers else "×", "\n".join(p.name for p in processes),
                  "\n".join(p.name for p in processes if _unbased(p)), system.notes)
        for c, value in enumerate(values, start=1):
            cell = sheet.cell(row=r, column=c, value=value or None)
            cell.border = _BOX
            cell.alignment = Alignment(vertical="top", wrap_text=True)
    a4_landscape(sheet, HEADER_ROW)
    return _save(workbook)


def _save(workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
