"""Pure rules of the safe-management-measure assessments (DOMAIN.md §6–7). No Django imports.

- Four statuses: 未対応 / 対応中 / 対応済 / 該当なし. A missing assessment is 未対応; 対応済 and 該当なし close an
  item (the checklist's セキュリティ対応基準 asks every item to be answered and done).
- A departmental item (one a 課室 implements for itself) is assessed once per department; a municipality
  that has not registered its departments yet assesses it once, as a whole, so it is not silently skipped.
- The guideline's 別添 C 組織的 · D 人的 · E 物理的 · F 技術的 match the risk analysis's countermeasure
  categories, so countermeasures serve as evidence under those items.
"""

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

NOT_STARTED, IN_PROGRESS, DONE, NOT_APPLICABLE = "not_started", "in_progress", "done", "not_applicable"
STATUSES: tuple[tuple[str, str], ...] = (
    (NOT_STARTED, "未対応"),
    (IN_PROGRESS, "対応中"),
    (DONE, "対応済"),
    (NOT_APPLICABLE, "該当なし"),
)
STATUS_CODES = tuple(code for code, _ in STATUSES)
STATUS_LABEL = dict(STATUSES)
CLOSED = frozenset({DONE, NOT_APPLICABLE})
DEFAULT_STATUS = NOT_STARTED

# Words and marks seen in real checklists. Canonical labels and codes are read silently; the rest are accepted
# but flagged, so an import can say which cell it interpreted.
_CANONICAL = {label: code for code, label in STATUSES} | {code: code for code in STATUS_CODES}
_LOOK_ALIKES = {
    NOT_STARTED: ("未", "未着手", "未実施", "未完了", "対応未", "×", "✕", "✖", "x", "no", "いいえ"),
    IN_PROGRESS: ("着手", "実施中", "一部対応", "一部", "途中", "検討中", "△", "▲", "in progress"),
    DONE: ("済", "済み", "完了", "対応完了", "実施済", "実施済み", "〇", "○", "◯", "●", "◎", "✓", "✔",
           "yes", "はい", "ok"),
    NOT_APPLICABLE: ("対象外", "不要", "該当無し", "非該当", "-", "－", "ー", "―", "‐", "−", "–", "—", "/", "／",
                     "n/a", "na", "n.a."),
}
_LOOK_ALIKE = {word.casefold(): code for code, words in _LOOK_ALIKES.items() for word in words}


class UnknownValue(ValueError):
    pass


@dataclass(frozen=True)
class StatusReading:
    code: str
    ambiguous: bool  # accepted, but not one of the four labels: tell the writer which cell it was


def _clean(raw: object) -> str:
    text = "" if raw is None else str(raw)
    # NFKC folds full-width letters and the ideographic space; the marks (〇 × △ ー) are left as they are.
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def read_status(raw: object) -> StatusReading:
    """Normalise a status from a sheet cell or a query parameter. Blank is 未対応; unknown raises UnknownValue."""
    text = _clean(raw)
    if text == "":
        return StatusReading(DEFAULT_STATUS, False)
    if text in _CANONICAL:
        return StatusReading(_CANONICAL[text], False)
    code = _LOOK_ALIKE.get(text.casefold()) or _LOOK_ALIKE.get(text.casefold().replace(" ", ""))
    if code is None:
        raise UnknownValue(text)
    return StatusReading(code, True)


_YES = {"〇", "○", "◯", "●", "✓", "✔", "はい", "yes", "y", "true", "1", "課室", "課室単位", "対象"}
_NO = {"", "×", "✕", "x", "いいえ", "no", "n", "false", "0", "-", "－", "ー", "―", "全庁", "全庁単位"}


def read_flag(raw: object) -> bool:
    """The 課室単位 column: 〇/はい/1 is yes, blank/×/いいえ/0/- is no; anything else raises UnknownValue."""
    if isinstance(raw, bool):
        return raw
    text = _clean(raw).casefold()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise UnknownValue(text)


# ---- guideline sections ↔ the risk analysis's countermeasure categories ----

SECTION_CATEGORY = {"C": "organisational", "D": "human", "E": "physical", "F": "technical"}
_CATEGORY_WORDS = (("組織的", "organisational"), ("人的", "human"), ("物理的", "physical"), ("技術的", "technical"))
COUNTERMEASURE_CATEGORIES = tuple(SECTION_CATEGORY.values())


def countermeasure_category(category: str) -> str | None:
    """The countermeasure category an item's 区分 corresponds to, or None (基本方針, 取扱規程等, others).

    Reads the words, so a municipality's own list (物理的セキュリティ, 人的セキュリティ …) maps too; a bare
    section letter (C–F) or an English key is accepted as well.
    """
    text = _clean(category)
    if text.upper() in SECTION_CATEGORY:
        return SECTION_CATEGORY[text.upper()]
    if text.casefold() in COUNTERMEASURE_CATEGORIES:
        return text.casefold()
    for word, key in _CATEGORY_WORDS:
        if word in text:
            return key
    return None


# ---- slots: what must be assessed ----

def slots(items: Iterable[tuple[int, bool]], department_ids: list[int]) -> list[tuple[int, int | None]]:
    """(item id, department id or None) for every assessment a municipality owes.

    `items` are (id, departmental) pairs in display order.
    """
    result = []
    for item_id, departmental in items:
        if departmental and department_ids:
            result.extend((item_id, department_id) for department_id in department_ids)
        else:
            result.append((item_id, None))
    return result


def slot_count(departmental_items: int, other_items: int, departments: int) -> int:
    return other_items + departmental_items * max(departments, 1)


# ---- summaries ----

@dataclass(frozen=True)
class Summary:
    done: int = 0
    in_progress: int = 0
    not_started: int = 0
    not_applicable: int = 0

    @property
    def total(self) -> int:
        return self.done + self.in_progress + self.not_started + self.not_applicable

    @property
    def open(self) -> int:
        return self.in_progress + self.not_started

    @property
    def percent_done(self) -> float | None:
        """対応済 over the items that apply (該当なし left out); None when nothing applies."""
        applicable = self.total - self.not_applicable
        if applicable <= 0:
            return None
        return round(100 * self.done / applicable, 1)

    def as_dict(self) -> dict:
        return {code: getattr(self, code) for code in STATUS_CODES} | {
            "total": self.total, "percent_done": self.percent_done}


def summarise(statuses: Iterable[str]) -> Summary:
    counts = Counter(statuses)
    unknown = set(counts) - set(STATUS_CODES)
    if unknown:
        raise UnknownValue(", ".join(sorted(unknown)))
    return Summary(**{code: counts.get(code, 0) for code in STATUS_CODES})


def summary_from_counts(recorded: dict[str, int], expected: int) -> Summary:
    """Counts of recorded assessments per status, completed to `expected` slots: the missing ones are 未対応."""
    known = {code: recorded.get(code, 0) for code in STATUS_CODES}
    missing = expected - sum(known.values())
    if missing < 0:
        raise ValueError(f"{sum(known.values())} assessments recorded for {expected} slots")
    known[NOT_STARTED] += missing
    return Summary(**known)


STATUS_ORDER = {code: i for i, code in enumerate(STATUS_CODES)}  # 未対応 first when sorting by status


# ---- framework files ----

CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}$")
ITEM_ID_MAX, CATEGORY_MAX, TITLE_MAX = 20, 100, 300


def valid_code(code: str) -> bool:
    return bool(CODE_PATTERN.match(code or ""))
