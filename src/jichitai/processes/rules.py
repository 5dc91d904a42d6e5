"""Pure rules of the process register and the progress matrix. No Django imports.

Sources: the seed's 「進捗管理のイメージ」 table (columns, 〇△×- legend); 番号法 第9条 and its 別表
(legal bases); DOMAIN.md §2–3.
"""

import datetime as dt
import difflib
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

# The six deliverables of the seed's progress sheet, in its order: (key, Japanese name).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("flow", "業務フロー"),
    ("spi", "特定個人情報"),
    ("risk", "リスク評価"),
    ("linkage", "関連情報連携洗出"),
    ("ordinance", "条例案上程"),
    ("pia", "PIA提出"),
)
COLUMN_KEYS = tuple(key for key, _ in COLUMNS)
COLUMN_NAMES = dict(COLUMNS)
COLUMN_BY_NAME = {name: key for key, name in COLUMNS}

# The seed's legend 「〇完了 △着手 ×未着手 -不要」: (code, symbol, label).
STATUSES: tuple[tuple[str, str, str], ...] = (
    ("done", "〇", "完了"),
    ("started", "△", "着手"),
    ("not_started", "×", "未着手"),
    ("not_needed", "-", "不要"),
)
STATUS_CODES = tuple(code for code, _, _ in STATUSES)
STATUS_SYMBOL = {code: symbol for code, symbol, _ in STATUSES}
STATUS_LABEL = {code: label for code, _, label in STATUSES}
DEFAULT_STATUS = "not_started"  # a blank cell, or a cell never recorded

# Issues 3 §6, 4 §6 and 5 §3: these cells follow the evidence (flows, handling tables, risk analyses,
# linkage sheets, PIA evaluations) unless overridden.
EVIDENCE_COLUMNS = ("flow", "spi", "risk", "linkage", "pia")
# Recorded as a change to drop an override: the cell follows the evidence again.
FOLLOW_EVIDENCE = "evidence"

# Look-alike characters found in real sheets (DOMAIN.md §3).
_SYMBOLS = {
    "done": "〇○◯",
    "started": "△▲",
    "not_started": "×✕✖xX",
    "not_needed": "-－ー―‐−–—",
}
_SYMBOL_TO_CODE = {ch: code for code, chars in _SYMBOLS.items() for ch in chars}
_WORD_TO_CODE = {label: code for code, _, label in STATUSES} | {code: code for code in STATUS_CODES}
# The seed legend's own four symbols; every look-alike is accepted but reported with its cell.
_CANONICAL = set("〇△×-")


class UnknownStatus(ValueError):
    pass


@dataclass(frozen=True)
class StatusReading:
    code: str
    ambiguous: bool  # accepted, but the writer should be told which cell looked odd


def read_status(raw: object) -> StatusReading:
    """Normalise one cell of the matrix. Blank is not started; anything unknown raises UnknownStatus."""
    text = "" if raw is None else str(raw).strip().replace("\u3000", "")
    if text == "":
        return StatusReading(DEFAULT_STATUS, False)
    if text in _WORD_TO_CODE:
        return StatusReading(_WORD_TO_CODE[text], False)
    if len(text) == 1 and text in _SYMBOL_TO_CODE:
        return StatusReading(_SYMBOL_TO_CODE[text], text not in _CANONICAL)
    raise UnknownStatus(text)


def column_key(name_or_key: str) -> str | None:
    value = unicodedata.normalize("NFKC", name_or_key or "").strip()
    if value in COLUMN_NAMES:
        return value
    for key, name in COLUMNS:
        if unicodedata.normalize("NFKC", name) == value:
            return key
    return None


def resolve_as_of(changes: Iterable[tuple[int, str, str]]) -> dict[tuple[int, str], str]:
    """Given (process_id, column, status) ordered oldest first, the status each cell ended with."""
    state: dict[tuple[int, str], str] = {}
    for process_id, column, status in changes:
        state[(process_id, column)] = status
    return state


def cell_status(state: dict[tuple[int, str], str], process_id: int, column: str) -> str:
    status = state.get((process_id, column), DEFAULT_STATUS)
    return DEFAULT_STATUS if status == FOLLOW_EVIDENCE else status


@dataclass(frozen=True)
class Cell:
    status: str
    derived: str | None  # what the evidence supports, for the evidence columns
    overridden: bool  # a user's value stands in place of the evidence

    @property
    def contradicts(self) -> bool:
        # 「-不要」 is a judgement the evidence cannot make, so it never contradicts it.
        return (self.overridden and self.derived is not None
                and self.status not in (self.derived, "not_needed"))


def combine(state: dict[tuple[int, str], str], process_id: int, column: str,
            derived: dict[str, str] | None) -> Cell:
    """A cell as shown: the user's value where one is recorded, else the evidence (evidence columns only)."""
    recorded = state.get((process_id, column))
    if column not in EVIDENCE_COLUMNS:
        return Cell(cell_status(state, process_id, column), None, False)
    evidence = (derived or {}).get(column, DEFAULT_STATUS)
    if recorded is None or recorded == FOLLOW_EVIDENCE:
        return Cell(evidence, evidence, False)
    return Cell(recorded, evidence, True)


def totals(rows: Iterable[dict[str, str]]) -> dict[str, dict[str, int]]:
    """Per column, how many cells have each status. `rows` are {column_key: status} dicts."""
    counters = {key: Counter() for key in COLUMN_KEYS}
    for cells in rows:
        for key in COLUMN_KEYS:
            counters[key][cells.get(key, DEFAULT_STATUS)] += 1
    return {key: {code: counters[key][code] for code in STATUS_CODES} for key in COLUMN_KEYS}


def combine_totals(many: Iterable[dict[str, dict[str, int]]]) -> dict[str, dict[str, int]]:
    """Add several municipalities' totals column by column (the association's totals row)."""
    combined = {key: dict.fromkeys(STATUS_CODES, 0) for key in COLUMN_KEYS}
    for one in many:
        for key in COLUMN_KEYS:
            for code in STATUS_CODES:
                combined[key][code] += one[key][code]
    return combined


def all_columns(counts: dict[str, dict[str, int]]) -> dict[str, int]:
    """Every column's counts added together, for an overall percentage."""
    return {code: sum(counts[key][code] for key in COLUMN_KEYS) for code in STATUS_CODES}


def percent_done(counts: dict[str, int]) -> float | None:
    """Done over the cells that are needed (不要 is left out); None when no cell is needed."""
    needed = sum(counts.values()) - counts.get("not_needed", 0)
    if needed <= 0:
        return None
    return round(100 * counts.get("done", 0) / needed, 1)


# ---- Legal bases: 番号法 第9条第1項 (別表) and 第9条第2項 (独自利用事務, by ordinance) ----

# 別表 item 10 defines 都道府県知事等 to include 市長, so such items are municipal too.
MUNICIPAL_IMPLEMENTERS = ("市町村長", "市長", "町村長", "都道府県知事等", "地方公共団体の長", "教育委員会")


def is_municipal_implementer(implementer: str) -> bool:
    return any(name in implementer for name in MUNICIPAL_IMPLEMENTERS)


def ordinance_in_force(effective_on: dt.date | None, repealed_on: dt.date | None, as_of: dt.date) -> bool:
    """An ordinance article authorises an independent use (番号法 第9条第2項) from its 施行日 (effective_on, in force
    that day) until it is repealed (repealed_on, the repealing ordinance's 施行日: no longer in force that day).
    An ordinance without a known 施行日 authorises nothing yet."""
    if effective_on is None or as_of < effective_on:
        return False
    return repealed_on is None or as_of < repealed_on


_KANJI_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def kanji_to_int(text: str) -> int:
    """一 … 九百九十九 as used in 別表 item labels."""
    total, current = 0, 0
    for ch in text:
        if ch in _KANJI_DIGITS:
            current = _KANJI_DIGITS[ch]
        elif ch in "十百":
            total += (current or 1) * (10 if ch == "十" else 100)
            current = 0
        else:
            raise ValueError(text)
    return total + current


def item_label_to_arabic(item: str) -> str:
    """二の二 → 2-2."""
    return "-".join(str(kanji_to_int(part)) for part in item.split("の"))


_LABEL = re.compile(
    r"^別表(?:第(?:一|1(?!\d)))?\s*(?:第)?\s*(\d+(?:\s*(?:の|-)\s*\d+)*)\s*(?:項)?\s*(?:事務)?$"
)


def parse_item_label(text: str) -> str | None:
    """「別表9項」「別表第一9の2項」「別表 9-2」 → '9' / '9-2'; None if the text is not a label."""
    value = unicodedata.normalize("NFKC", text or "").replace(" ", "").strip()
    match = _LABEL.match(value)
    if not match:
        return None
    return re.sub(r"\s*(?:の|-)\s*", "-", match.group(1))


def format_item_label(item_arabic: str) -> str:
    return f"別表{item_arabic}項"


_BRACKETS = re.compile(r"[(（][^()（）]*[)）]")
_BOILERPLATE = ("であって主務省令で定めるもの", "に関する事務")


def comparable_text(text: str) -> str:
    """NFKC, bracketed asides (law numbers, definitions) and boilerplate removed, no spaces."""
    value = unicodedata.normalize("NFKC", text or "")
    previous = None
    while previous != value:  # nested brackets: strip innermost first
        previous, value = value, _BRACKETS.sub("", value)
    for phrase in _BOILERPLATE:
        value = value.replace(phrase, "")
    return re.sub(r"\s+", "", value)


# A clear match: similar enough, and the runner-up clearly behind. Calibrated on the seed's 12 rows
# (old 別表第一 wording): their best scores range 0.68–1.0 with the runner-up at most 0.90 of the best.
MATCH_MIN_SCORE = 0.6
MATCH_MAX_RUNNER_UP_RATIO = 0.92


@dataclass(frozen=True)
class CatalogueMatch:
    key: str | None  # the chosen item_arabic, when the match is clear
    score: float
    candidates: tuple[tuple[str, float], ...]  # best first

    @property
    def exact(self) -> bool:
        return self.key is not None and self.score >= 0.999


def match_catalogue(text: str, catalogue: dict[str, str], limit: int = 3) -> CatalogueMatch:
    """Match a process description to 別表 items. `catalogue` maps item_arabic → comparable_text."""
    target = comparable_text(text)
    if not target:
        return CatalogueMatch(None, 0.0, ())
    scored = []
    for key, candidate in catalogue.items():
        matcher = difflib.SequenceMatcher(None, target, candidate, autojunk=False)
        if matcher.real_quick_ratio() < MATCH_MIN_SCORE * 0.5:
            continue
        scored.append((key, matcher.ratio()))
    scored.sort(key=lambda pair: pair[1], reverse=True)
    # The decision always sees the runner-up, whatever `limit` the caller asks for.
    ranked = tuple((key, round(score, 3)) for key, score in scored[: max(limit, 2)])
    top = ranked[:limit]
    if not ranked or ranked[0][1] < MATCH_MIN_SCORE:
        return CatalogueMatch(None, ranked[0][1] if ranked else 0.0, top)
    if len(ranked) > 1 and ranked[1][1] > ranked[0][1] * MATCH_MAX_RUNNER_UP_RATIO:
        return CatalogueMatch(None, ranked[0][1], top)
    return CatalogueMatch(ranked[0][0], ranked[0][1], top)
