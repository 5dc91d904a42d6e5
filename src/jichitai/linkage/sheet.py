"""The 情報連携確認シート (業務別連携確認シート, seed training module ③): its layout, and its export.

Layout: the title 「情報連携確認シート(事務名)」 in the first rows, a header row (found anywhere) with
連携項目 · 照会/提供 · 相手先 · 相手先区分 · 経路 · 根拠（主務省令等） · 根拠条例 · 備考, then one row per item.
The export writes this layout, so that an exported sheet imports back (the linkage kind of exchange) unchanged.
"""

import re

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from jichitai.core.sheets.reading import Rows, cell_ref, cell_text, label_map
from jichitai.core.sheets.reading import find_header as find_header_in
from jichitai.core.sheets.writing import BOX, CENTRE, WRAP_TOP, a4_landscape, header, put, title, workbook_bytes
from jichitai.core.text import normalise
from jichitai.processes.models import Process

from . import rules
from .models import LinkageItem

TITLE = "情報連携確認シート"
COLUMNS: tuple[tuple[str, str], ...] = (
    ("data_item", "連携項目"), ("direction", "照会/提供"), ("counterpart", "相手先"),
    ("counterpart_kind", "相手先区分"), ("channel", "経路"), ("legal_basis", "根拠（主務省令等）"),
    ("ordinance", "根拠条例"), ("notes", "備考"),
)
# Headers as real sheets write them (compared after NFKC, without spaces).
ALIASES = {
    "data_item": ("連携項目", "連携情報", "情報項目", "特定個人情報"),
    "direction": ("照会/提供", "照会・提供", "照会提供", "区分(照会/提供)", "照会/提供の別"),
    "counterpart": ("相手先", "連携先", "照会先/提供先", "相手方"),
    "counterpart_kind": ("相手先区分", "相手先の区分", "連携先区分"),
    "channel": ("経路", "連携経路", "連携方法", "手段"),
    "legal_basis": ("根拠(主務省令等)", "根拠", "根拠法令", "主務省令", "根拠(主務省令)"),
    "ordinance": ("根拠条例", "条例"),
    "notes": ("備考",),
}
REQUIRED = ("data_item", "direction")
_TITLE = re.compile(r"(?:情報|業務別)?連携確認シート\s*[(（](.+)[)）]")
_HEADER = label_map(ALIASES)


def find_title(rows: Rows) -> tuple[str, str] | None:
    """(process name, cell) from 「情報連携確認シート(児童手当事務)」 in the first ten rows."""
    for r, row in enumerate(rows[:10]):
        for c, value in enumerate(row):
            match = _TITLE.search(normalise(cell_text(value)))
            if match:
                return match.group(1).strip(), cell_ref(r, c)
    return None


def find_header(rows: Rows) -> tuple[int, dict[str, int]] | None:
    return find_header_in(rows, _HEADER, REQUIRED)


HEADER_ROW = 2
_WIDTHS = {"data_item": 24, "direction": 9, "counterpart": 22, "counterpart_kind": 16, "channel": 22,
           "legal_basis": 40, "ordinance": 36, "notes": 28}
_CHOICES = {"direction": rules.DIRECTIONS, "counterpart_kind": rules.COUNTERPART_KINDS, "channel": rules.CHANNELS}


def _values(item: LinkageItem) -> dict:
    ordinance = item.ordinance
    return {
        "data_item": item.data_item, "direction": rules.DIRECTION_LABEL[item.direction],
        "counterpart": item.counterpart, "counterpart_kind": rules.KIND_LABEL[item.counterpart_kind],
        "channel": rules.CHANNEL_LABEL[item.channel], "legal_basis": item.legal_basis,
        "ordinance": f"{ordinance.name} {ordinance.article}" if ordinance else "", "notes": item.notes,
    }


def build_workbook(process: Process) -> Workbook:
    items = list(LinkageItem.objects.filter(process=process).select_related("ordinance").order_by("position", "id"))
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = TITLE
    title(sheet, f"{TITLE}({process.name})", last_column=len(COLUMNS))
    header(sheet, HEADER_ROW, [(label, _WIDTHS[key]) for key, label in COLUMNS])
    for r, item in enumerate(items, start=HEADER_ROW + 1):
        values = _values(item)
        for c, (key, _label) in enumerate(COLUMNS, start=1):
            put(sheet, r, c, values[key], border=BOX, alignment=CENTRE if key in _CHOICES else WRAP_TOP)
    keys = [key for key, _ in COLUMNS]
    for key, choices in _CHOICES.items():
        # A drop-down of the labels the import reads, for the rows a user adds in Excel.
        letter = get_column_letter(keys.index(key) + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(label for _, label in choices) + '"',
                                    allow_blank=True)
        validation.add(f"{letter}{HEADER_ROW + 1}:{letter}{HEADER_ROW + 500}")
        sheet.add_data_validation(validation)
    a4_landscape(sheet, HEADER_ROW)
    return workbook


def export_bytes(process: Process) -> bytes:
    return workbook_bytes(build_workbook(process))
