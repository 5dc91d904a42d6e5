"""A framework (checklist) as data: the shipped JSON shape, or a sheet with columns ID · 区分 · 項目 · 解説 ·
課室単位. Everything is validated first; errors name the JSON path or the cell. Files reach these parsers
through exchange's framework kind (user files) or load_default_framework (the shipped file)."""

import json
from dataclasses import dataclass, field

from jichitai.core.mynumber import contains_my_number
from jichitai.core.sheets.reading import MY_NUMBER_CELL_MESSAGE, Rows, cell_ref, cell_text, find_header, label_map
from jichitai.core.sheets.report import ImportReport
from jichitai.core.text import normalise

from . import rules

COLUMNS = {"item_id": "ID", "category": "区分", "title": "項目", "guidance": "解説", "departmental": "課室単位"}
REQUIRED_COLUMNS = ("item_id", "category", "title")
HEADER_SEARCH_ROWS = 10
LABELS = label_map(COLUMNS)


@dataclass
class ItemData:
    item_id: str
    category: str
    title: str
    guidance: str = ""
    departmental: bool = False


@dataclass
class FrameworkData:
    code: str
    name: str
    source: str = ""
    revision: str = ""
    items: list[ItemData] = field(default_factory=list)


class FrameworkFileError(ValueError):
    """The file has errors; nothing was written. `report` lists every one with its place."""

    def __init__(self, report: ImportReport):
        super().__init__("; ".join(str(p) for p in report.errors))
        self.report = report


def _check_header(found: FrameworkData, report: ImportReport, sheet: str, places: dict[str, str]) -> None:
    if not rules.valid_code(found.code):
        report.error(sheet, places["code"], f"コード「{found.code or '空欄'}」は英数字と - _ . の40文字以内で指定してください。")
    if not found.name:
        report.error(sheet, places["name"], "名称がありません。")
    for key in ("name", "source", "revision"):
        if contains_my_number(getattr(found, key)):
            report.error(sheet, places[key], MY_NUMBER_CELL_MESSAGE)
    if len(found.name) > 300 or len(found.revision) > 100:
        report.error(sheet, places["name"], "名称は300文字、版は100文字以内にしてください。")


def _check_item(item: ItemData, sheet: str, places: dict[str, str], seen: dict[str, str],
                report: ImportReport) -> None:
    if not item.item_id:
        report.error(sheet, places["item_id"], "ID がありません。")
    elif len(item.item_id) > rules.ITEM_ID_MAX:
        report.error(sheet, places["item_id"], f"ID は{rules.ITEM_ID_MAX}文字以内にしてください。")
    elif item.item_id in seen:
        report.error(sheet, places["item_id"], f"ID {item.item_id} が {seen[item.item_id]} と重複しています。")
    else:
        seen[item.item_id] = places["item_id"]
    if not item.category:
        report.error(sheet, places["category"], "区分がありません。")
    elif len(item.category) > rules.CATEGORY_MAX:
        report.error(sheet, places["category"], f"区分は{rules.CATEGORY_MAX}文字以内にしてください。")
    if not item.title:
        report.error(sheet, places["title"], "項目がありません。")
    elif len(item.title) > rules.TITLE_MAX:
        report.error(sheet, places["title"], f"項目は{rules.TITLE_MAX}文字以内にしてください。")


def _finish(found: FrameworkData, report: ImportReport, sheet: str, where: str) -> FrameworkData | None:
    if not found.items and not report.errors:
        report.error(sheet, where, "項目が1件もありません。")
    return None if report.errors else found


# ---- JSON ----

def read_json(data: bytes, report: ImportReport, *, label: str = "JSON", **overrides) -> FrameworkData | None:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        report.error(label, "", f"JSON として読めません（{exc.__class__.__name__}）。")
        return None
    return parse_document(doc, report, label=label, **overrides)


def looks_like_document(doc: object) -> bool:
    return isinstance(doc, dict) and "items" in doc


def parse_document(doc: object, report: ImportReport, *, label: str = "JSON", **overrides) -> FrameworkData | None:
    """A JSON document {"code", "name", "source", "revision", "items": [{"id", "category", "title", …}]}."""
    if not isinstance(doc, dict) or not isinstance(doc.get("items"), list):
        report.error(label, "items", "{\"code\", \"name\", \"items\": [...]} の形のオブジェクトにしてください。")
        return None
    found = FrameworkData(**{key: normalise(overrides.get(key) or doc.get(key, ""))
                             for key in ("code", "name", "source", "revision")})
    _check_header(found, report, label, {key: key for key in ("code", "name", "source", "revision")})
    seen: dict[str, str] = {}
    for index, raw in enumerate(doc["items"]):
        path = f"items[{index}]"
        if not isinstance(raw, dict):
            report.error(label, path, "項目はオブジェクトにしてください。")
            continue
        places = {key: f"{path}.{'id' if key == 'item_id' else key}" for key in COLUMNS}
        for key, value in raw.items():
            if isinstance(value, str) and contains_my_number(value):
                report.error(label, f"{path}.{key}", MY_NUMBER_CELL_MESSAGE)
        departmental = raw.get("departmental", False)
        if not isinstance(departmental, bool):
            report.error(label, places["departmental"], "departmental は true か false にしてください。")
            departmental = False
        item = ItemData(item_id=normalise(raw.get("id")), category=normalise(raw.get("category")),
                        title=normalise(raw.get("title")), guidance=str(raw.get("guidance") or "").strip(),
                        departmental=departmental)
        _check_item(item, label, places, seen, report)
        found.items.append(item)
    return _finish(found, report, label, "items")


# ---- workbook ----

def header(rows: Rows) -> tuple[int, dict[str, int]] | None:
    return find_header(rows, LABELS, REQUIRED_COLUMNS, scan_rows=HEADER_SEARCH_ROWS)


def parse_rows(sheet: str, rows: Rows, report: ImportReport, *, default_code: str = "", code: str | None = None,
               name: str | None = None, source: str | None = None, revision: str | None = None,
               ) -> FrameworkData | None:
    """A sheet with the header row. The name defaults to the title above the header (else the sheet's name),
    the code to the file's stem."""
    header_row, columns = header(rows)
    title = next((cell_text(v) for row in rows[:header_row] for v in row if cell_text(v)), "")
    found = FrameworkData(code=normalise(code or default_code), name=normalise(name or title or sheet),
                          source=normalise(source or ""), revision=normalise(revision or ""))
    _check_header(found, report, sheet, {"code": "", "name": "A1", "source": "", "revision": ""})
    seen: dict[str, str] = {}
    for r in range(header_row + 1, len(rows)):
        row = rows[r]
        cells = {key: (row[c] if c < len(row) else "", cell_ref(r, c)) for key, c in columns.items()}
        if not any(cell_text(value) for value, _ref in cells.values()):
            continue
        departmental = False
        if "departmental" in cells:
            value, ref = cells["departmental"]
            try:
                departmental = rules.read_flag(value)
            except rules.UnknownValue:
                report.error(sheet, ref, f"課室単位「{cell_text(value)}」は 〇（課室ごと）か空欄（全庁で1件）にしてください。")
        item = ItemData(
            item_id=normalise(cell_text(cells["item_id"][0])), category=normalise(cell_text(cells["category"][0])),
            title=normalise(cell_text(cells["title"][0])),
            guidance=cell_text(cells["guidance"][0]) if "guidance" in cells else "", departmental=departmental)
        _check_item(item, sheet, {key: ref for key, (_value, ref) in cells.items()}, seen, report)
        found.items.append(item)
    return _finish(found, report, sheet, cell_ref(header_row + 1, columns["item_id"]))
