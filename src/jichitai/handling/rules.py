"""Pure rules of business flows and the information-asset handling table (情報資産取扱手順表).

Sources: 特定個人情報の適正な取扱いに関するガイドライン（行政機関等・地方公共団体等編）の管理段階
① 取得 ② 利用 ③ 保存 ④ 提供 ⑤ 削除・廃棄; the seed's 「軽自動車税 情報資産取扱手順表」 (H30.1.10),
which writes 保管 for 保存 and 廃棄 for 削除・廃棄 (DOMAIN.md §4).
"""

import calendar
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

STAGES: tuple[tuple[str, str], ...] = (
    ("acquire", "取得"),
    ("use", "利用"),
    ("store", "保存"),
    ("provide", "提供"),
    ("dispose", "削除・廃棄"),
)
STAGE_LABEL = dict(STAGES)
STAGE_KEYS = tuple(key for key, _ in STAGES)
_STAGE_ALIASES = {
    "取得": "acquire", "入手": "acquire",
    "利用": "use", "使用": "use",
    "保存": "store", "保管": "store",
    "提供": "provide", "提供・移転": "provide",
    "削除・廃棄": "dispose", "削除/廃棄": "dispose", "削除廃棄": "dispose", "廃棄": "dispose", "削除": "dispose",
}

KINDS: tuple[tuple[str, str], ...] = (("paper", "紙"), ("electronic", "電子"), ("other", "その他"))
KIND_LABEL = dict(KINDS)
_KIND_ALIASES = {"紙": "paper", "紙媒体": "paper", "電子": "electronic", "電子媒体": "electronic",
                 "データ": "electronic", "その他": "other"}

# Swim lanes of the business flow (issue 3 / seed 「軽自動車税 業務フロー」).
LANES: tuple[tuple[str, str], ...] = (
    ("resident", "住民"),
    ("counter", "窓口"),
    ("staff", "担当課員"),
    ("chief", "課長"),
    ("system", "システム"),
    ("contractor", "委託先"),
)
LANE_LABEL = dict(LANES)

_ROW_ID = re.compile(r"^\d+(?:-\d+)*$")


class UnknownValue(ValueError):
    pass


def _clean(value: object) -> str:
    return unicodedata.normalize("NFKC", "" if value is None else str(value)).strip().replace(" ", "")


def read_stage(value: object) -> str:
    text = _clean(value).replace("･", "・")
    if text in _STAGE_ALIASES:
        return _STAGE_ALIASES[text]
    if text in STAGE_KEYS:
        return text
    raise UnknownValue(text)


def read_kind(value: object) -> str:
    text = _clean(value)
    if text in _KIND_ALIASES:
        return _KIND_ALIASES[text]
    if text in KIND_LABEL:
        return text
    raise UnknownValue(text)


def read_row_id(value: object) -> str:
    """「1-2」 (also １－２, 1‐2). Whole numbers typed as 1.0 become '1'."""
    text = _clean(value)
    for dash in "‐－−–—ー―":
        text = text.replace(dash, "-")
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    if not _ROW_ID.match(text):
        raise UnknownValue(text)
    return text


def row_id_sort_key(row_id: str) -> tuple[int, ...]:
    return tuple(int(part) for part in row_id.split("-"))


# ---- 取扱記録 and reviews ----
# Seed 2-3 「業務フロー整理・情報資産整理・リスク評価 取扱規程の運用と取扱記録をとり、定期的な見直しをする」;
# the guideline (別添 2 B 取扱規程等の見直し等, C 組織的安全管理措置 「取扱状況を確認する手段の整備」) asks that
# who handled which information asset, how and when be recorded, and that the rules be reviewed periodically.

# What a record says was done. The five management stages (保管 as the seed writes 保存), plus 持出し
# (taking an asset out of its place, which the guideline's 組織的安全管理措置 asks to record) and 廃棄・消去.
RECORD_ACTIONS: tuple[tuple[str, str], ...] = (
    ("acquire", "取得"),
    ("use", "利用"),
    ("store", "保管"),
    ("provide", "提供"),
    ("take_out", "持出し"),
    ("dispose", "廃棄・消去"),
)
RECORD_ACTION_LABEL = dict(RECORD_ACTIONS)
DISPOSE = "dispose"
_ACTION_ALIASES = {
    "取得": "acquire", "入手": "acquire", "利用": "use", "使用": "use", "保管": "store", "保存": "store",
    "提供": "provide", "持出し": "take_out", "持出": "take_out", "持ち出し": "take_out",
    "廃棄・消去": "dispose", "廃棄": "dispose", "消去": "dispose", "削除": "dispose", "削除・廃棄": "dispose",
    "廃棄/消去": "dispose",
}
COUNT_MAX = 1_000_000  # the number of documents or data items one record covers
DEFAULT_REVIEW_MONTHS = 12  # 「定期的な見直し」: once a year when no association says otherwise
DEFAULT_RECORD_WINDOW_MONTHS = 12  # Association.record_window_months when a municipality has no association
INTERVAL_MIN, INTERVAL_MAX = 1, 120


def read_action(value: object) -> str:
    """取得 / 利用 / 保管 / 提供 / 持出し / 廃棄・消去 (and the stage words 保存, 廃棄, 削除・廃棄), or the codes."""
    text = _clean(value).replace("･", "・")
    if text in _ACTION_ALIASES:
        return _ACTION_ALIASES[text]
    if text in RECORD_ACTION_LABEL:
        return text
    raise UnknownValue(text)


def record_problems(action: str, disposal_method: str, witness: str) -> dict[str, str]:
    """What a record lacks: a 廃棄・消去 names how it was done and who witnessed it (guideline 別添 2 C:
    削除・廃棄の記録を保存し、確実に削除又は廃棄したことを確認する)."""
    problems = {}
    if action == DISPOSE:
        if not (disposal_method or "").strip():
            problems["disposal_method"] = "廃棄・消去の記録には廃棄・消去の方法（裁断、溶解、データ消去ソフト等）が必要です。"
        if not (witness or "").strip():
            problems["witness"] = "廃棄・消去の記録には立会者（確認者）が必要です。"
    return problems


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later (or earlier); a day the month lacks becomes its last (1/31 + 1 → 2/28 or 2/29)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    return dt.date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def review_interval(override: int | None, association_months: int | None) -> int:
    """The object's own interval, else its association's (Association.review_interval_months), else a year."""
    return override or association_months or DEFAULT_REVIEW_MONTHS


def last_review(last_reviewed_on: dt.date | None, approved_on: dt.date | None) -> dt.date | None:
    """An approval by the protection officer is a review too: the later of the two."""
    days = [day for day in (last_reviewed_on, approved_on) if day is not None]
    return max(days) if days else None


def next_review_due(last_reviewed_on: dt.date | None, approved_on: dt.date | None,
                    interval_months: int) -> dt.date | None:
    """The day the next periodic review is due; None when it was never reviewed nor approved (due now)."""
    base = last_review(last_reviewed_on, approved_on)
    return None if base is None else add_months(base, interval_months)


def review_due(last_reviewed_on: dt.date | None, approved_on: dt.date | None, interval_months: int,
               as_of: dt.date, within_days: int = 0) -> bool:
    """Due on or before `as_of` + `within_days`; never reviewed nor approved is due now."""
    due = next_review_due(last_reviewed_on, approved_on, interval_months)
    return due is None or due <= as_of + dt.timedelta(days=within_days)


def review_overdue(last_reviewed_on: dt.date | None, approved_on: dt.date | None, interval_months: int,
                   as_of: dt.date) -> bool:
    """Past its due day (the due day itself is still in time); never reviewed nor approved is overdue."""
    due = next_review_due(last_reviewed_on, approved_on, interval_months)
    return due is None or due < as_of


def records_gap(records_kept: bool, last_record_on: dt.date | None, as_of: dt.date, window_months: int) -> bool:
    """The handling table says records are kept, yet none was made in the `window_months` before `as_of`
    (a record exactly `window_months` ago still counts)."""
    if not records_kept:
        return False
    return last_record_on is None or last_record_on < add_months(as_of, -window_months)


@dataclass(frozen=True)
class ReviewDue:
    municipality_id: int
    kind: str  # "analysis" | "rules_document"
    object_id: int
    process_id: int | None
    name: str
    last_reviewed_on: dt.date | None
    due_on: dt.date | None


@dataclass(frozen=True)
class RecordGap:
    municipality_id: int
    process_id: int
    process_name: str
    last_record_on: dt.date | None
    window_months: int
