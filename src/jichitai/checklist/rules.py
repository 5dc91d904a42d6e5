"""The seed's five post-linkage checks (「チェックリスト」, DOMAIN.md §6), as pure functions over plain facts.

Each check returns its findings; a finding that is a legal breach makes the item NG, any other finding
makes it need attention, and no finding makes it OK. No Django imports: the facts are gathered by
checklist/queries.py.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from jichitai.core.wareki import format_date

OK, ATTENTION, NG = "ok", "attention", "ng"

# (id, title as in the seed's checklist)
ITEMS: tuple[tuple[str, str], ...] = (
    ("ordinance", "情報連携の条例化対応漏れ"),
    ("training", "研修未受講"),
    ("pia_evidence", "PIA根拠資料の不足"),
    ("proficiency", "情報連携に係る業務の習熟"),
    ("security_standards", "セキュリティ対応基準の未対応"),
)
ITEM_TITLES = dict(ITEMS)


@dataclass(frozen=True)
class Finding:
    message: str
    object_type: str  # process, ordinance, linkage, system, staff, plan, session, measure
    object_id: str
    object_name: str
    breach: bool = False  # a breach of the law (番号法 第9条・第19条, 施行令 第32条), not only unfinished work
    link: str = ""  # where to fix it, filled in by the query layer


@dataclass(frozen=True)
class ItemResult:
    id: str
    status: str
    findings: tuple[Finding, ...]

    @property
    def title(self) -> str:
        return ITEM_TITLES[self.id]


def status_of(findings: Iterable[Finding]) -> str:
    findings = list(findings)
    if any(f.breach for f in findings):
        return NG
    return ATTENTION if findings else OK


def _result(item_id: str, findings: list[Finding]) -> ItemResult:
    return ItemResult(item_id, status_of(findings), tuple(findings))


# ---- 1. 情報連携の条例化対応漏れ: 番号法 第9条 (別表 or ordinance), 第19条第11号 (庁内連携 by ordinance) ----

@dataclass(frozen=True)
class ProcessFacts:
    id: int
    name: str
    has_beppyo_item: bool
    ordinance_name: str | None = None  # the ordinance an 独自利用事務 rests on
    ordinance_effective_on: dt.date | None = None


def check_ordinance(processes: Iterable[ProcessFacts], linkage_findings: Iterable[Finding],
                    as_of: dt.date) -> ItemResult:
    """Processes without a basis; ordinances not in force on `as_of`; plus the linkage and system findings
    (intra-office linkages without an ordinance, systems storing numbers for a process without a basis)."""
    findings = []
    for p in processes:
        if not p.has_beppyo_item and p.ordinance_name is None:
            findings.append(Finding(f"「{p.name}」に法的根拠（番号法別表の項または条例）がありません（番号法第9条）。",
                                    "process", str(p.id), p.name, breach=True))
        elif not p.has_beppyo_item and (p.ordinance_effective_on is None or p.ordinance_effective_on > as_of):
            when = "施行日が未定" if p.ordinance_effective_on is None else f"施行日 {format_date(p.ordinance_effective_on)} より前"
            findings.append(Finding(f"「{p.name}」の根拠条例「{p.ordinance_name}」は{when}です。",
                                    "process", str(p.id), p.name, breach=True))
    findings.extend(linkage_findings)
    return _result("ordinance", findings)


# ---- 2. 研修未受講: 番号法 第29条の2, 施行令 第32条 (plan in advance; everyone about once a year) ----

@dataclass(frozen=True)
class PersonFacts:
    staff_number: str
    name: str
    trained: bool
    last_trained: dt.date | None
    days_overdue: int | None


def check_training(plan_exists: bool, fiscal_year_label: str, people: Iterable[PersonFacts],
                   sessions_missing_records: Iterable[Finding]) -> ItemResult:
    findings = []
    if not plan_exists:
        findings.append(Finding(f"{fiscal_year_label}の研修計画がありません（施行令第32条）。", "plan",
                                fiscal_year_label, fiscal_year_label, breach=True))
    for person in people:
        if person.trained:
            continue
        since = (f"最終受講 {format_date(person.last_trained)}、{person.days_overdue}日超過"
                 if person.last_trained else "受講記録なし")
        findings.append(Finding(f"{person.name}（{person.staff_number}）が研修未受講です（{since}）。", "staff",
                                person.staff_number, person.name, breach=True))
    findings.extend(sessions_missing_records)
    return _result("training", findings)


# ---- 3. PIA根拠資料の不足: a PIA in progress needs an approved flow, handling table and risk analysis ----

@dataclass(frozen=True)
class PiaFacts:
    id: int
    name: str
    pia_status: str  # the progress matrix's PIA提出 cell
    flow: str  # evidence statuses as in the matrix: done = present and approved
    handling: str
    risk: str
    evidence_approved_on: dt.date | None = None
    evaluation_on: dt.date | None = None  # the evaluation the evidence should support, when recorded
    has_record: bool = False  # covered by a specific personal information file in the PIA register


EVIDENCE_NAMES = {"flow": "業務フロー", "handling": "情報資産取扱手順表", "risk": "リスク分析"}


def check_pia_evidence(processes: Iterable[PiaFacts]) -> ItemResult:
    findings = []
    for p in processes:
        if p.pia_status not in ("started", "done") and not p.has_record:
            continue
        missing = [name for key, name in EVIDENCE_NAMES.items() if getattr(p, key) != "done"]
        if missing:
            findings.append(Finding(f"「{p.name}」のPIAに対し、承認済みの{'・'.join(missing)}がありません。", "process",
                                    str(p.id), p.name))
        elif p.evaluation_on and p.evidence_approved_on and p.evidence_approved_on > p.evaluation_on:
            findings.append(Finding(f"「{p.name}」の根拠資料は評価日 {format_date(p.evaluation_on)} より後に承認されています。",
                                    "process", str(p.id), p.name))
    return _result("pia_evidence", findings)


# ---- 4. 業務習熟 and 5. セキュリティ対応基準: findings gathered by the linkage and measures apps ----

def check_proficiency(findings: Iterable[Finding]) -> ItemResult:
    return _result("proficiency", list(findings))


def check_security_standards(findings: Iterable[Finding]) -> ItemResult:
    return _result("security_standards", list(findings))
