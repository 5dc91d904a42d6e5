"""Pure reporting engine for 漏えい等事案 (DOMAIN.md §10). No Django imports.

番号法 第29条の4第1項 and 特定個人情報の漏えい等に関する報告等に関する規則 (報告規則) 第2条・第3条,
as revised 2025-10-01. Choices made here, each documented where it is used:

- The four grounds are data (GROUNDS), each with its article; an incident is reportable when any applies.
- Data protected by high-standard encryption is excluded from *every* ground: 第2条第1号's 括弧書き
  defines the excluded data 「以下同じ」 for the whole article.
- Ground 4 is 「百人を超える」: 101 persons is reportable, 100 is not. When the number of persons is
  unknown, the incident is treated as possibly more than 100 — the rule covers situations that 「おそれ」
  exist, and a 速報 can be corrected later; the reason says so.
- Ground 4 counts persons of 漏えい等 (漏えい・滅失・毀損, 第2条第1号's definition) and of use or provision
  in breach of 番号法 第9条・第19条, i.e. every kind recorded here; the grounds do not depend on the kind.
- 速報 (第3条第1項) is due 「速やかに」: there is no statutory day count. The date given is a guidance target,
  known-at + `preliminary_days` (an association setting, default 3).
- 確報 (第3条第2項) is due within 30 days of knowing, or 60 days when ground 2 (不正の目的) applies —
  also when another ground applies as well, since the 60-day clause is attached to the situation of
  第2条第2号 whatever else it is. Days are counted from the day after the day of knowing (民法 第140条,
  初日不算入): known on 10-01 → final due 10-31.
- Dates are dates in Asia/Tokyo: an aware known-at is converted first.
- Affected persons are notified (第29条の4第2項) whenever the incident is reportable.
- The PIA rules' 重大事故 is read as a reportable incident: `Assessment.serious == reportable`.
"""

import datetime as dt
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

TOKYO = ZoneInfo("Asia/Tokyo")
PERSONS_THRESHOLD = 100  # 第2条第4号: 「百人を超える」
DEFAULT_PRELIMINARY_DAYS = 3
PRELIMINARY_DAYS_MIN, PRELIMINARY_DAYS_MAX = 1, 30
FINAL_DAYS = 30
FINAL_DAYS_IMPROPER_PURPOSE = 60
IMPROPER_PURPOSE_GROUND = 2

ENCRYPTION_ARTICLE = "報告規則 第2条第1号 括弧書き（以下同じ）"
PRELIMINARY_ARTICLE = "報告規則 第3条第1項"
FINAL_ARTICLE = "報告規則 第3条第2項"
NOTICE_ARTICLE = "番号法 第29条の4第2項"


@dataclass(frozen=True)
class Ground:
    number: int
    article: str
    label: str  # short Japanese name shown in lists
    text: str  # what the article covers, in Japanese


GROUNDS: tuple[Ground, ...] = (
    Ground(1, "報告規則 第2条第1号", "情報提供ネットワークシステム等",
           "情報提供ネットワークシステム及びこれに接続された電子計算機、個人番号利用事務を処理する情報システム、"
           "又は行政機関等が個人番号関係事務を処理する情報システムで管理される特定個人情報の漏えい等"
           "（人数を問わない）"),
    Ground(2, "報告規則 第2条第2号", "不正の目的",
           "不正の目的をもって行われた（おそれがある）漏えい等、又は不正の目的による利用・提供"),
    Ground(3, "報告規則 第2条第3号", "不特定多数の者による閲覧",
           "電磁的方法により不特定多数の者が閲覧することができる状態となった（おそれがある）事態"),
    Ground(4, "報告規則 第2条第4号", "本人の数が100人超",
           "漏えい等、番号法第9条に反する利用又は第19条に反する提供に係る本人の数が百人を超える事態"),
)
GROUND_BY_NUMBER = {g.number: g for g in GROUNDS}

KINDS: tuple[tuple[str, str], ...] = (
    ("leak", "漏えい"),
    ("loss", "滅失"),
    ("damage", "毀損"),
    ("misuse", "不正利用"),
    ("improper_provision", "不正提供"),
)
KIND_LABEL = dict(KINDS)

# The seed's incident training (modules ⑥–⑧): detection → initial response → containment → recovery → prevention.
PHASES: tuple[tuple[str, str], ...] = (
    ("detection", "発見"),
    ("initial", "初動"),
    ("containment", "被害拡大防止"),
    ("recovery", "復旧"),
    ("prevention", "再発防止"),
)
PHASE_LABEL = dict(PHASES)
CLOSING_PHASE = "prevention"

# Curriculum modules a drill can count as (data/curriculum.json codes).
DRILL_COURSE_CODES = ("⑥", "⑦", "⑧")


@dataclass(frozen=True)
class Reason:
    ground: int | None  # None for the encryption exclusion and notes on the deadlines
    article: str
    text: str


@dataclass(frozen=True)
class Assessment:
    reportable: bool
    grounds: list[int]
    preliminary_due: dt.date | None
    final_due: dt.date | None
    notify_persons: bool
    reasons: list[Reason] = field(default_factory=list)
    excluded_by_encryption: bool = False
    persons_assumed_over_threshold: bool = False

    @property
    def serious(self) -> bool:
        """重大事故 for the PIA threshold (規則第4条): a reportable incident."""
        return self.reportable

    @property
    def final_days(self) -> int | None:
        if not self.reportable:
            return None
        return FINAL_DAYS_IMPROPER_PURPOSE if IMPROPER_PURPOSE_GROUND in self.grounds else FINAL_DAYS

    def as_json(self) -> dict:
        return {
            "reportable": self.reportable,
            "grounds": list(self.grounds),
            "preliminary_due": self.preliminary_due.isoformat() if self.preliminary_due else None,
            "final_due": self.final_due.isoformat() if self.final_due else None,
            "notify_persons": self.notify_persons,
        }


def local_date(value: dt.datetime | dt.date) -> dt.date:
    """The date in Asia/Tokyo of an aware datetime (a naive one is read as Tokyo time; a date stays)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(TOKYO).date() if value.tzinfo else value.date()
    return value


def assess(persons: int | None, persons_unknown: bool, in_network_or_number_system: bool, improper_purpose: bool,
           public_exposure: bool, encrypted: bool, known_at: dt.datetime | dt.date,
           preliminary_days: int = DEFAULT_PRELIMINARY_DAYS) -> Assessment:
    """Which grounds apply, whether the incident is reportable, and the 速報 / 確報 due dates."""
    if encrypted:
        return Assessment(False, [], None, None, False, [Reason(
            None, ENCRYPTION_ARTICLE,
            "高度な暗号化その他の個人の権利利益を保護するために必要な措置が講じられた特定個人情報は、"
            "報告規則第2条各号のいずれの事態からも除かれるため、報告対象ではありません。")],
            excluded_by_encryption=True)
    unknown = persons_unknown or persons is None
    applies = {
        1: in_network_or_number_system,
        2: improper_purpose,
        3: public_exposure,
        4: unknown or persons > PERSONS_THRESHOLD,
    }
    grounds = [number for number in sorted(applies) if applies[number]]
    reasons = [Reason(n, GROUND_BY_NUMBER[n].article, GROUND_BY_NUMBER[n].text) for n in grounds]
    assumed = 4 in grounds and unknown
    if assumed:
        reasons[-1] = Reason(4, GROUND_BY_NUMBER[4].article,
                             "本人の数が不明のため、百人を超えるおそれがあるものとして扱います（判明し次第、人数を入力してください）。")
    if not grounds:
        return Assessment(False, [], None, None, False, [Reason(
            None, "報告規則 第2条",
            f"報告規則第2条各号のいずれにも該当しません（本人の数 {persons} 人は百人以下です）。")])
    known = local_date(known_at)
    final_days = FINAL_DAYS_IMPROPER_PURPOSE if IMPROPER_PURPOSE_GROUND in grounds else FINAL_DAYS
    reasons += [
        Reason(None, PRELIMINARY_ARTICLE,
               f"速報は「速やかに」（法定の日数はありません）。目安として知った日から{preliminary_days}日後を表示します。"),
        Reason(None, FINAL_ARTICLE,
               f"確報は知った日から{final_days}日以内"
               + ("（第2条第2号 不正の目的に該当するため60日）。" if final_days == FINAL_DAYS_IMPROPER_PURPOSE else "。")),
        Reason(None, NOTICE_ARTICLE, "本人への通知が必要です（状況に応じて速やかに）。"),
    ]
    return Assessment(True, grounds, known + dt.timedelta(days=preliminary_days),
                      known + dt.timedelta(days=final_days), True, reasons,
                      persons_assumed_over_threshold=assumed)


def overdue(due: dt.date | None, sent_on: dt.date | None, as_of: dt.date) -> bool:
    """A report is overdue when it is due, not sent, and its due date has passed as of `as_of`."""
    return due is not None and sent_on is None and as_of > due


def is_open(has_closing_phase: bool, reportable: bool, final_sent_on: dt.date | None) -> bool:
    """An incident stays open until 再発防止 is recorded and, when reportable, the 確報 is sent."""
    return not has_closing_phase or (reportable and final_sent_on is None)


def input_errors(*, discovered_at: dt.datetime | None, known_at: dt.datetime | None, persons: object,
                 persons_unknown: bool, now: dt.datetime) -> dict[str, str]:
    """Bad input in Japanese, by field: a known-at in the future, discovery after knowing, negative persons."""
    errors = {}
    if known_at is not None and known_at > now:
        errors["known_at"] = "事態を知った日時に未来の日時は入力できません。"
    if discovered_at is not None and discovered_at > now:
        errors["discovered_at"] = "発見日時に未来の日時は入力できません。"
    elif discovered_at is not None and known_at is not None and discovered_at > known_at:
        errors["discovered_at"] = "発見日時が事態を知った日時より後になっています。"
    if persons is not None:
        if isinstance(persons, bool) or not isinstance(persons, int):
            errors["persons_affected"] = "本人の数は0以上の整数で入力してください。"
        elif persons < 0:
            errors["persons_affected"] = "本人の数に負の数は入力できません。"
        elif persons_unknown:
            errors["persons_affected"] = "本人の数が不明の場合は、人数を空欄にしてください。"
    return errors


def report_date_errors(known: dt.date, today: dt.date, **dates: dt.date | None) -> dict[str, str]:
    """Report and notice dates can be neither before the day of knowing nor in the future."""
    errors = {}
    for name, value in dates.items():
        if value is None:
            continue
        if value > today:
            errors[name] = "未来の日付は入力できません。"
        elif value < known:
            errors[name] = "事態を知った日より前の日付は入力できません。"
    return errors
