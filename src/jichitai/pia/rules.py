"""Pure rules of 特定個人情報保護評価 (PIA): threshold, due dates, flags, date checks. No Django imports.

Source: 特定個人情報保護評価に関する規則（平成26年特定個人情報保護委員会規則第1号）第4条〜第7条・
第14条・第15条 (rev. 2025-04-01) and 特定個人情報保護評価指針 (DOMAIN.md §9). Articles are cited at the
article and paragraph level; the item (号) numbering of 第4条 changed with revisions, so it is not quoted.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

# Outcomes, ranked: a file evaluated at a lower rank than it now requires has been overtaken.
NONE, BASIC, KEY, FULL = "none", "basic", "basic+key", "basic+full"
REQUIRED: tuple[tuple[str, str], ...] = (
    (NONE, "評価不要"),
    (BASIC, "基礎項目評価"),
    (KEY, "基礎項目評価＋重点項目評価"),
    (FULL, "基礎項目評価＋全項目評価"),
)
REQUIRED_LABEL = dict(REQUIRED)
RANK = {key: rank for rank, (key, _) in enumerate(REQUIRED)}
EVALUATION_KINDS = REQUIRED[1:]  # an evaluation done is never "none"

HANDLERS_LIMIT = 500  # 取扱者数 500人以上 (contractors' staff included)

# Conditions of the table's rows.
ANY = "any"
LOW = "low"  # S < 500 and no serious incident within the past year
HIGH = "high"  # S ≥ 500 or a serious incident within the past year


@dataclass(frozen=True)
class ThresholdRow:
    min_persons: int  # inclusive
    max_persons: int | None  # exclusive; None = no upper bound
    condition: str
    required: str
    article: str
    reason: str


# DOMAIN.md §9, row by row. Persons N = 対象人数; S = 取扱者数; A = 重大事故 (past year).
THRESHOLD_TABLE: tuple[ThresholdRow, ...] = (
    ThresholdRow(0, 1_000, ANY, NONE, "特定個人情報保護評価に関する規則 第4条",
                 "対象人数が1,000人未満の事務は、特定個人情報保護評価の実施を要しません。"),
    ThresholdRow(1_000, 10_000, ANY, BASIC, "特定個人情報保護評価に関する規則 第5条",
                 "対象人数が1,000人以上10,000人未満のため、基礎項目評価が必要です。"),
    ThresholdRow(10_000, 100_000, LOW, BASIC, "特定個人情報保護評価に関する規則 第5条（第6条第1項に該当しない）",
                 "対象人数が10,000人以上100,000人未満で、取扱者数が500人未満かつ過去1年以内の重大事故がないため、"
                 "基礎項目評価が必要です。"),
    ThresholdRow(10_000, 100_000, HIGH, KEY, "特定個人情報保護評価に関する規則 第6条第1項",
                 "対象人数が10,000人以上100,000人未満で、取扱者数が500人以上であるか過去1年以内に重大事故があるため、"
                 "基礎項目評価に加えて重点項目評価が必要です。"),
    ThresholdRow(100_000, 300_000, LOW, KEY, "特定個人情報保護評価に関する規則 第6条第1項",
                 "対象人数が100,000人以上300,000人未満で、取扱者数が500人未満かつ過去1年以内の重大事故がないため、"
                 "基礎項目評価に加えて重点項目評価が必要です。"),
    ThresholdRow(100_000, 300_000, HIGH, FULL, "特定個人情報保護評価に関する規則 第7条第1項",
                 "対象人数が100,000人以上300,000人未満で、取扱者数が500人以上であるか過去1年以内に重大事故があるため、"
                 "基礎項目評価に加えて全項目評価が必要です。"),
    ThresholdRow(300_000, None, ANY, FULL, "特定個人情報保護評価に関する規則 第7条第1項",
                 "対象人数が300,000人以上のため、基礎項目評価に加えて全項目評価が必要です。"),
)

STAFF_ONLY_ARTICLE = "特定個人情報保護評価に関する規則 第4条"
STAFF_ONLY_REASON = ("職員又は職員であった者等の人事・給与・福利厚生に関する事項のみを記録した特定個人情報ファイルは、"
                     "特定個人情報保護評価の実施を要しません。")


class InvalidCount(ValueError):
    pass


@dataclass(frozen=True)
class Threshold:
    required: str
    article: str
    reason: str

    @property
    def label(self) -> str:
        return REQUIRED_LABEL[self.required]

    def as_json(self) -> dict:
        return {"required": self.required, "label": self.label, "article": self.article, "reason": self.reason}


def _matches(row: ThresholdRow, persons: int, high: bool) -> bool:
    if persons < row.min_persons or (row.max_persons is not None and persons >= row.max_persons):
        return False
    return row.condition == ANY or (row.condition == HIGH) == high


def threshold(persons: int, handlers: int, serious_incident: bool = False, staff_only: bool = False) -> Threshold:
    """The evaluation the law requires for a file. Handlers outnumbering persons is valid."""
    for name, value in (("対象人数", persons), ("取扱者数", handlers)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise InvalidCount(f"{name}は0以上の整数で入力してください（「{value}」）。")
    if staff_only:
        return Threshold(NONE, STAFF_ONLY_ARTICLE, STAFF_ONLY_REASON)
    high = handlers >= HANDLERS_LIMIT or serious_incident
    row = next(r for r in THRESHOLD_TABLE if _matches(r, persons, high))
    return Threshold(row.required, row.article, row.reason)


def read_count(text: object, label: str = "人数") -> int:
    """A count typed by a person: 12,000 and １２０００ are fine; negatives, decimals and words are not."""
    import unicodedata

    value = unicodedata.normalize("NFKC", str(text if text is not None else "")).strip().replace(",", "")
    if not value.isdigit():
        raise InvalidCount(f"{label}は0以上の整数で入力してください（「{text}」）。")
    return int(value)


# ---- Due dates (規則第14条, 第15条) ----

REVIEW_ARTICLE = "特定個人情報保護評価に関する規則 第14条"
REEVALUATION_ARTICLE = "特定個人情報保護評価に関する規則 第15条"


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February → 28 February
        return day.replace(year=day.year + years, day=28)


def evaluated_on(submitted_on: dt.date | None, published_on: dt.date | None) -> dt.date | None:
    """The date an evaluation counts from: its publication, else its submission to the commission."""
    return published_on or submitted_on


def review_due(evaluated: dt.date, last_reviewed: dt.date | None = None) -> dt.date:
    """規則第14条: review at least once a year after publication (an effort duty), from the last review."""
    return add_years(max(evaluated, last_reviewed or evaluated), 1)


def reevaluation_due(evaluated: dt.date) -> dt.date:
    """規則第15条: re-evaluate before five years pass, i.e. by the day before the fifth anniversary."""
    return add_years(evaluated, 5) - dt.timedelta(days=1)


def serious_incident_within_year(incident_dates: Iterable[dt.date], today: dt.date) -> bool:
    """A: a serious incident occurred, or became known, within the year up to `today`."""
    start = add_years(today, -1)
    return any(start < day <= today for day in incident_dates)


# ---- The state of one file ----

MISSING = "missing"
THRESHOLD_ROSE = "threshold_rose"
CHANGE_NOT_REEVALUATED = "change_not_reevaluated"
INCIDENT_SINCE = "incident_since"
REVIEW_OVERDUE = "review_overdue"
REEVALUATION_OVERDUE = "reevaluation_overdue"
FLAG_LABEL = {
    MISSING: "必要な評価が未実施（未提出）です",
    THRESHOLD_ROSE: "しきい値判断の結果が実施済みの評価より上がっています（再実施が必要）",
    CHANGE_NOT_REEVALUATED: "評価後に重要な変更があり、再評価されていません",
    INCIDENT_SINCE: "評価後に重大事故が発生しています（しきい値判断の見直しが必要）",
    REVIEW_OVERDUE: "年1回の見直し（規則第14条）の期限を過ぎています",
    REEVALUATION_OVERDUE: "5年以内の再実施（規則第15条）の期限を過ぎています",
}


@dataclass(frozen=True)
class EvaluationFacts:
    kind: str
    submitted_on: dt.date | None
    published_on: dt.date | None
    last_reviewed_on: dt.date | None = None

    @property
    def evaluated_on(self) -> dt.date | None:
        return evaluated_on(self.submitted_on, self.published_on)


@dataclass(frozen=True)
class FileState:
    threshold: Threshold
    serious_incident: bool
    latest: EvaluationFacts | None  # the latest evaluation submitted or published
    in_progress: bool  # an evaluation exists that is not yet submitted
    review_due: dt.date | None
    reevaluation_due: dt.date | None
    flags: tuple[str, ...] = field(default=())

    @property
    def flag_labels(self) -> list[str]:
        return [FLAG_LABEL[f] for f in self.flags]

    @property
    def done_label(self) -> str:
        return REQUIRED_LABEL[self.latest.kind] if self.latest else ""

    @property
    def overdue(self) -> bool:
        return bool(set(self.flags) & {MISSING, REVIEW_OVERDUE, REEVALUATION_OVERDUE})


def file_state(*, persons: int, handlers: int, staff_only: bool, incident_override: bool | None,
               incident_dates: Iterable[dt.date], evaluations: Iterable[EvaluationFacts],
               change_dates: Iterable[tuple[dt.date, bool]], today: dt.date) -> FileState:
    """Required vs done for one file on `today`.

    `incident_dates`: the body's serious incidents (known-at dates); `incident_override` replaces the register
    for A when set. `change_dates`: (changed_on, reevaluated) of the file's 重要な変更.
    """
    incident_dates = [d for d in incident_dates if d <= today]
    serious = incident_override if incident_override is not None else serious_incident_within_year(
        incident_dates, today)
    result = threshold(persons, handlers, serious, staff_only)
    # Dates after `today` are not known yet on `today` (a file can be looked at as of a past date).
    evaluations = [EvaluationFacts(e.kind, *(d if d and d <= today else None for d in (
        e.submitted_on, e.published_on, e.last_reviewed_on))) for e in evaluations]
    done = [e for e in evaluations if e.evaluated_on]
    latest = max(done, key=lambda e: e.evaluated_on) if done else None
    in_progress = len(done) < len(evaluations)
    flags = []
    review = reevaluation = None
    if latest is None:
        if result.required != NONE:
            flags.append(MISSING)
    else:
        day = latest.evaluated_on
        review, reevaluation = review_due(day, latest.last_reviewed_on), reevaluation_due(day)
        if RANK[result.required] > RANK[latest.kind]:
            flags.append(THRESHOLD_ROSE)
        if any(changed > day and not reevaluated for changed, reevaluated in change_dates):
            flags.append(CHANGE_NOT_REEVALUATED)
        if any(d > day for d in incident_dates):
            flags.append(INCIDENT_SINCE)
        if result.required != NONE and today > review:
            flags.append(REVIEW_OVERDUE)
        if result.required != NONE and today > reevaluation:
            flags.append(REEVALUATION_OVERDUE)
    return FileState(result, serious, latest, in_progress, review, reevaluation, tuple(flags))


# ---- Dates of one evaluation ----

COMMENT_DAYS = 30  # 指針: public comment for 全項目評価, in principle 30 days or more


@dataclass(frozen=True)
class DateCheck:
    errors: dict[str, list[str]]
    warnings: list[str]


def check_dates(kind: str, *, started_on=None, comment_from=None, comment_to=None, third_party_review_on=None,
                submitted_on=None, published_on=None) -> DateCheck:
    """Errors (the evaluation is refused) and warnings (guidance) for an evaluation's dates."""
    errors: dict[str, list[str]] = {}
    warnings: list[str] = []

    def error(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if (comment_from is None) != (comment_to is None):
        error("comment_to", "意見募集の開始日と終了日は両方入力してください。")
    elif comment_from and comment_to < comment_from:
        error("comment_to", "意見募集の終了日が開始日より前です。")
    if published_on and not submitted_on:
        error("submitted_on", "公表日を入力するときは提出日も入力してください。")
    if published_on and submitted_on and published_on < submitted_on:
        error("published_on", "公表日が提出日より前です。")
    if started_on:
        for name, day, label in (("comment_from", comment_from, "意見募集の開始日"),
                                 ("third_party_review_on", third_party_review_on, "第三者点検日"),
                                 ("submitted_on", submitted_on, "提出日")):
            if day and day < started_on:
                error(name, f"{label}が評価の開始日より前です。")
    if submitted_on and comment_to and comment_to > submitted_on:
        error("comment_to", "意見募集の終了日が提出日より後です。")
    if kind == FULL:
        if comment_from and comment_to and not errors.get("comment_to"):
            days = (comment_to - comment_from).days + 1
            if days < COMMENT_DAYS:
                warnings.append(f"全項目評価の意見募集期間が{days}日です。原則として{COMMENT_DAYS}日以上とされています（指針）。")
        if submitted_on and not comment_from:
            warnings.append("全項目評価は住民等の意見の聴取（意見募集）を経て提出します。意見募集の期間が記録されていません。")
        if submitted_on and not third_party_review_on:
            warnings.append("全項目評価は第三者点検を受けて提出します。第三者点検日が記録されていません。")
        if third_party_review_on and submitted_on and third_party_review_on > submitted_on:
            warnings.append("第三者点検日が提出日より後です。")
    return DateCheck(errors, warnings)


# ---- Process evidence for the progress matrix's PIA提出 cell ----

def evidence_status(files: Iterable[tuple[str, bool, bool]]) -> str:
    """Per file (required kind, submitted by then, an evaluation begun by then) → the process's cell.

    done: every file requiring an evaluation has one submitted; started: some evaluation begun or submitted;
    not_needed: no file of the process requires one; not_started otherwise.
    """
    needing = [(submitted, begun) for required, submitted, begun in files if required != NONE]
    if not needing:
        return "not_needed"
    if all(submitted for submitted, _ in needing):
        return "done"
    if any(submitted or begun for submitted, begun in needing):
        return "started"
    return "not_started"
