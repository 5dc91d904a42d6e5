"""The list of systems storing individual numbers as .xlsx, filtered and sorted like the page."""

from openpyxl import Workbook

from jichitai.core.sheets.writing import data_row, finish, header, title

HEADER_ROW = 2
COLUMNS = (("システム名", 28), ("個人番号を保存", 10), ("利用する事務", 60), ("法的根拠のない事務", 40), ("備考", 30))


def _unbased(process) -> bool:
    return process.beppyo_item_id is None and process.ordinance_id is None


def systems_bytes(municipality, systems) -> bytes:
    """`systems` come from linkage.queries.systems_for (processes prefetched)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "個人番号を保存するシステム"
    title(sheet, f"個人番号を保存するシステム（{municipality.name}）")
    header(sheet, HEADER_ROW, COLUMNS)
    for r, system in enumerate(systems, start=HEADER_ROW + 1):
        processes = list(system.processes.all())
        data_row(sheet, r, (system.name, "〇" if system.stores_numbers else "×", "\n".join(p.name for p in processes),
                            "\n".join(p.name for p in processes if _unbased(p)), system.notes))
    return finish(workbook, sheet, HEADER_ROW)
