"""The seed's five post-linkage checks (「チェックリスト」, DOMAIN.md §6), as pure functions over plain facts.

Three honest states:
- OK (〇 問題なし): the records the item needs exist, were checked, and nothing was found.
- ATTENTION (△ 要確認): unfinished work, or a record the item needs is missing, so it could not be checked; such
  a finding names the missing record (`Finding.missing`).
- NG (× 法令違反): a breach of the law; the finding cites the article.

A check with nothing to look at is never OK: each check's docstring lists the records it needs, and with no
process registered at all every item is 要確認. No Django imports: the facts are gathered by
checklist/queries.py.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from jichitai.core.wareki import format_date
from jichitai.processes.rules import ordinance_in_force

OK, ATTENTION, NG = "ok", "attention", "ng"
STATUSES = (OK, ATTENTION, NG)
STATUS_MARK = {OK: "〇", ATTENTION: "△", NG: "×"}
STATUS_LABEL = {OK: "問題なし", ATTENTION: "要確認", NG: "法令違反"}


def status_words(status: str) -> str:
    """「〇 問題なし」, 「△ 要確認」, 「× 法令違反」: how a verdict is shown and exported."""
    return f"{STATUS_MARK[status]} {STATUS_LABEL[status]}"


# (id, title as in the seed's checklist)
ITEMS: tuple[tuple[str, str], ...] = (
    ("ordinance", "情報連携の条例化対応漏れ"),
    ("training", "研修未受講"),
    ("pia_evidence", "PIA根拠資料の不足"),
    ("proficiency", "情報連携に係る業務の習熟"),
    ("security_standards", "セキュリティ対応基準の未対応"),
)
ITEM_TITLES = dict(ITEMS)

# The seed's checklist table (seed document, 「4. 情報連携開始後の留意点」 チェックリスト: 項目 / 概要 / 対応チェック),
# word for word (the seed's underlining dropped). The article the seed cites for training (施行令30の2条3項) is
# today 施行令 第32条; the seed's wording is kept as it stands.
SEED_TEXT: dict[str, tuple[str, str]] = {
    "ordinance": (
        "番号を取扱う、或いはそれに準じた扱いをしているにも関わらず、なんら法的根拠（別表、独自条例）がないと違法になる。",
        "すでにパッケージシステムに実装されていることで条例化漏れに気がついていないものはないか",
    ),
    "training": (
        "番号法同施行令30の2条3項において、「特定個人情報ファイルを取り扱う事務に従事する者の全てに対して、"
        "おおむね一年ごとに研修を受けさせるものとすること。」",
        "研修を受けさせた記録（講座目的、カリキュラム、アンケート、テスト等）研修計画があるか、未受講者はいないか",
    ),
    "pia_evidence": (
        "個人情報を取扱う際に生じる情報漏洩などの個人のプライバシーに影響を与えるリスクを認識し適切な措置を取ったことを"
        "確認の上宣言する。（PIAガイドライン）",
        "適正な措置の中に特定個人情報の適正な取扱いに関するガイドラインの安全管理措置の履行およびその記録が必要",
    ),
    "proficiency": (
        "情報連携が開始されたあと、システムトラブル時の対応や、提供される情報が違っていた場合の対応が必要。",
        "現状取扱っているデータの整合性をチェックできる担当者がいるかどうか",
    ),
    "security_standards": (
        "セキュリティ強靱化、安全管理措置、情報連携前チェックリスト等様々なチェックへの対応",
        "すべてのチェック項目に対して対応は完了しているか",
    ),
}

# Why a finding was made: shown next to it.
BREACH, UNFINISHED, NO_RECORD = "breach", "unfinished", "no_record"
REASON_LABEL = {BREACH: "法令違反", UNFINISHED: "対応未完了", NO_RECORD: "記録なし"}

# The records a check may find missing: (object_id of the finding, the record's name). The query layer links
# each to the page where it is entered.
RECORDS = {
    "processes": "個人番号利用事務の登録",
    "systems": "個人番号を保存するシステムの一覧",
    "linkage_sheets": "情報連携確認シート",
    "roster": "職員名簿（担当事務）",
    "spi_files": "特定個人情報ファイルの記録",
    "framework": "安全管理措置の点検項目",
    "assessment": "安全管理措置の点検記録",
    "handling_records": "取扱記録",
}
RECORD = "record"  # Finding.object_type of a missing record
EXAMPLES = 3  # names shown in a finding that counts processes


@dataclass(frozen=True)
class Finding:
    message: str
    object_type: str  # process, ordinance, linkage, system, staff, plan, session, measure, record, analysis (its review), rules_document
    object_id: str
    object_name: str
    breach: bool = False  # a breach of the law (番号法 第9条・第19条, 施行令 第32条), not only unfinished work
    link: str = ""  # where to fix it, filled in by the query layer
    missing: str = ""  # the record whose absence kept the item from being checked (a key of RECORDS)

    @property
    def reason(self) -> str:
        if self.breach:
            return BREACH
        return NO_RECORD if self.missing else UNFINISHED

    @property
    def reason_label(self) -> str:
        return REASON_LABEL[self.reason]


@dataclass(frozen=True)
class ItemResult:
    id: str
    status: str
    findings: tuple[Finding, ...]

    @property
    def title(self) -> str:
        return ITEM_TITLES[self.id]

    @property
    def summary(self) -> str:
        return SEED_TEXT[self.id][0]

    @property
    def check(self) -> str:
        return SEED_TEXT[self.id][1]

    @property
    def mark(self) -> str:
        return STATUS_MARK[self.status]

    @property
    def status_label(self) -> str:
        return STATUS_LABEL[self.status]


def status_of(findings: Iterable[Finding]) -> str:
    findings = list(findings)
    if any(f.breach for f in findings):
        return NG
    return ATTENTION if findings else OK


def _result(item_id: str, findings: list[Finding]) -> ItemResult:
    return ItemResult(item_id, status_of(findings), tuple(findings))


def missing_record(key: str, message: str) -> Finding:
    """A finding for a record the item needs and does not have (要確認)."""
    return Finding(message, RECORD, key, RECORDS[key], missing=key)


def no_processes() -> Finding:
    return missing_record("processes", "個人番号利用事務が登録されていないため確認できません。")


def _names(names: list[str]) -> str:
    shown = "、".join(f"「{n}」" for n in names[:EXAMPLES])
    return shown + (f" ほか{len(names) - EXAMPLES}件" if len(names) > EXAMPLES else "")


# ---- 1. 情報連携の条例化対応漏れ: 番号法 第9条 (別表 or ordinance), 第19条第11号 (庁内連携 by ordinance) ----

@dataclass(frozen=True)
class ProcessFacts:
    id: int
    name: str
    has_beppyo_item: bool
    ordinance_name: str | None = None  # the ordinance an 独自利用事務 rests on
    ordinance_effective_on: dt.date | None = None
    ordinance_repealed_on: dt.date | None = None  # the repealing ordinance's 施行日: no basis from that day


def check_ordinance(processes: Iterable[ProcessFacts], linkage_findings: Iterable[Finding], as_of: dt.date, *,
                    systems_recorded: bool = True, linkage_recorded: bool = True) -> ItemResult:
    """Processes without a basis; ordinances not in force on `as_of`; plus the linkage and system findings
    (intra-office linkages without an ordinance, systems storing numbers for a process without a basis).

    Records needed: the register of processes (each with its 別表 item or ordinance); the list of systems that
    store numbers (the seed's 対応チェック: a package system may already hold numbers for a process with no
    basis); the 情報連携確認シート (an intra-office linkage needs an ordinance, 番号法 第19条第11号). Without
    any of them the item is 要確認, naming the missing one.
    """
    processes = list(processes)
    findings = [] if processes else [no_processes()]
    for p in processes:
        if not p.has_beppyo_item and p.ordinance_name is None:
            findings.append(Finding(f"「{p.name}」に法的根拠（番号法別表の項または条例）がありません（番号法第9条）。",
                                    "process", str(p.id), p.name, breach=True))
        elif not p.has_beppyo_item and not ordinance_in_force(p.ordinance_effective_on, p.ordinance_repealed_on, as_of):
            if p.ordinance_effective_on is None:
                when = "施行日が未定"
            elif p.ordinance_effective_on > as_of:
                when = f"施行日 {format_date(p.ordinance_effective_on)} より前"
            else:
                when = f"{format_date(p.ordinance_repealed_on)} に廃止済み"
            findings.append(Finding(f"「{p.name}」の根拠条例「{p.ordinance_name}」は{when}です（番号法第9条）。",
                                    "process", str(p.id), p.name, breach=True))
    if processes and not systems_recorded:
        findings.append(missing_record("systems", "個人番号を保存するシステムの一覧の記録がないため、パッケージシステムに"
                                                  "実装された事務の法的根拠を確認できません。"))
    if processes and not linkage_recorded:
        findings.append(missing_record("linkage_sheets", "情報連携確認シートの記録がないため、庁内連携の根拠条例"
                                                         "（番号法第19条第11号）を確認できません。"))
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
                   sessions_missing_records: Iterable[Finding], *, has_processes: bool = True) -> ItemResult:
    """The fiscal year's plan (NG without one, 施行令 第32条), each person who must be trained (NG when not
    trained within the window), each session lacking its records (要確認).

    Records needed: the register of processes and the roster of the staff assigned to them (who must be
    trained); without anyone assigned, nobody's training can be checked: 要確認 naming the roster.
    """
    people = list(people)
    findings = [] if has_processes else [no_processes()]
    if not plan_exists:
        findings.append(Finding(f"{fiscal_year_label}の研修計画がありません（施行令第32条）。", "plan",
                                fiscal_year_label, fiscal_year_label, breach=True))
    if has_processes and not people:
        findings.append(missing_record("roster", "個人番号利用事務に従事する職員（職員名簿の担当事務）の記録がないため、"
                                                 "研修の受講状況を確認できません。"))
    for person in people:
        if person.trained:
            continue
        since = (f"最終受講 {format_date(person.last_trained)}、{person.days_overdue}日超過"
                 if person.last_trained else "受講記録なし")
        findings.append(Finding(f"{person.name}（{person.staff_number}）が研修未受講です（{since}、施行令第32条）。",
                                "staff", person.staff_number, person.name, breach=True))
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
    has_record: bool = False  # served by a specific personal information file that requires an evaluation
    has_file: bool = False  # served by any file in the PIA register, even one requiring no evaluation


EVIDENCE_NAMES = {"flow": "業務フロー", "handling": "情報資産取扱手順表", "risk": "リスク分析"}


def check_pia_evidence(processes: Iterable[PiaFacts], extra: Iterable[Finding] = ()) -> ItemResult:
    """Each process under a PIA (its file requires an evaluation, or its PIA提出 cell is started or done) needs
    its approved flow, handling table and risk analysis, approved no later than the evaluation they support.

    Records needed: the register of processes, and for each process the specific personal information file
    that serves it (the PIA register), whose threshold says whether an evaluation is required. A process with
    no file, whose PIA提出 cell is neither under way nor 不要, cannot be checked: 要確認 naming the file record
    (one finding for all such processes of the municipality). `extra`: findings other records add (要確認 or NG).
    """
    processes = list(processes)
    findings = [] if processes else [no_processes()]
    unrecorded = []
    for p in processes:
        if p.pia_status not in ("started", "done") and not p.has_record:
            if not p.has_file and p.pia_status != "not_needed":
                unrecorded.append(p.name)
            continue
        missing = [name for key, name in EVIDENCE_NAMES.items() if getattr(p, key) != "done"]
        if missing:
            findings.append(Finding(f"「{p.name}」のPIAに対し、承認済みの{'・'.join(missing)}がありません。", "process",
                                    str(p.id), p.name))
        elif p.evaluation_on and p.evidence_approved_on and p.evidence_approved_on > p.evaluation_on:
            findings.append(Finding(f"「{p.name}」の根拠資料は評価日 {format_date(p.evaluation_on)} より後に"
                                    f"承認されています。", "process", str(p.id), p.name))
    if unrecorded and len(unrecorded) == len(processes):
        findings.append(missing_record("spi_files", "PIA対象の事務がありますが、特定個人情報ファイルの記録がないため"
                                                    "確認できません。"))
    elif unrecorded:
        findings.append(missing_record("spi_files", f"特定個人情報ファイルの記録がない事務が{len(unrecorded)}件あり"
                                                    f"（{_names(unrecorded)}）、PIAの要否と根拠資料を確認できません。"))
    findings.extend(extra)
    return _result("pia_evidence", findings)


# ---- 4. 業務習熟: who checks data consistency, and the procedures (linkage app's findings) ----

@dataclass(frozen=True)
class LinkageFacts:
    id: int
    name: str
    has_items: bool  # the process's 情報連携確認シート has rows on the as-of date
    linkage_status: str  # the matrix's 関連情報連携洗出 cell: not_needed = the process exchanges nothing


def check_proficiency(processes: Iterable[LinkageFacts], findings: Iterable[Finding]) -> ItemResult:
    """Each process that exchanges data through linkage needs a consistency checker and the procedures for
    system trouble and wrong data received (`findings`, gathered by the linkage app: 要確認).

    Records needed: the register of processes and each process's 情報連携確認シート (what it exchanges); a
    process whose 関連情報連携洗出 is 不要 exchanges nothing and needs none. Processes without a sheet cannot be
    checked: 要確認 naming the sheet (one finding for all of them).
    """
    processes = list(processes)
    result = [] if processes else [no_processes()]
    unrecorded = [p.name for p in processes if not p.has_items and p.linkage_status != "not_needed"]
    if unrecorded and not any(p.has_items for p in processes):
        result.append(missing_record("linkage_sheets", "情報連携確認シートの記録がないため、情報連携に係る業務の習熟"
                                                       "（整合性確認担当者・障害時と誤情報受領時の手順）を確認できません。"))
    elif unrecorded:
        result.append(missing_record("linkage_sheets", f"情報連携確認シートの記録がない事務が{len(unrecorded)}件あり"
                                                       f"（{_names(unrecorded)}）、その習熟を確認できません。"))
    result.extend(findings)
    return _result("proficiency", result)


# ---- 5. セキュリティ対応基準: every item of the loaded frameworks answered and done (measures app) ----

@dataclass(frozen=True)
class MeasuresFacts:
    slots: int  # assessments the municipality owes (framework items, per department where departmental)
    assessed: int  # of which have a recorded status on the as-of date


def check_security_standards(measures: MeasuresFacts, open_items: Iterable[Finding], extra: Iterable[Finding] = (),
                             *, has_processes: bool = True) -> ItemResult:
    """Every slot of the safe-management-measure frameworks (DOMAIN.md §7) and any other loaded checklist is
    対応済 or 該当なし; each open one is a finding (要確認).

    Records needed: the register of processes, a framework to answer (the checklist items), and the
    municipality's assessment of it. With no item loaded or none assessed the item is 要確認 naming that
    record, instead of listing every item as 未対応. `extra`: findings other records add (要確認 or NG).
    """
    findings = [] if has_processes else [no_processes()]
    if measures.slots == 0:
        findings.append(missing_record("framework", "安全管理措置の点検項目（チェックリスト）が読み込まれていないため"
                                                    "確認できません。"))
    elif measures.assessed == 0:
        findings.append(missing_record("assessment", f"安全管理措置の点検記録がないため確認できません"
                                                     f"（未回答 {measures.slots}項目）。"))
    else:
        findings.extend(open_items)
    findings.extend(extra)
    return _result("security_standards", findings)


# ---- Reviews and handling records (seed 2-3): findings the security-standards and PIA-evidence items add ----

def review_findings(reviews: Iterable, as_of: dt.date) -> list[Finding]:
    """Analyses and 取扱規程 whose periodic review (seed 2-3「定期的に見直す」) is past due on `as_of` (要確認).
    `reviews`: handling.rules.ReviewDue. One never approved nor reviewed has nothing to review yet (the PIA
    evidence item and the to-do page's approvals name it), so it is left out here."""
    findings = []
    for r in reviews:
        if r.due_on is None or r.due_on >= as_of:  # due on the day itself is not yet late
            continue
        what = "取扱規程" if r.kind == "rules_document" else "業務フロー・情報資産取扱手順表・リスク分析"
        object_type, object_id = ("analysis", str(r.process_id)) if r.process_id else ("rules_document", str(r.object_id))
        findings.append(Finding(f"「{r.name}」の{what}の定期見直しが期限（{format_date(r.due_on)}）を過ぎています"
                                f"（ガイドライン：取扱規程等の見直し）。", object_type, object_id, r.name))
    return findings


def record_gap_findings(gaps: Iterable) -> list[Finding]:
    """Processes whose handling table says records are kept (取扱記録を残す) with no record in the window
    (seed 2-3「取扱状況を記録する」): the handling cannot be confirmed, so 要確認 naming the missing record.
    `gaps`: handling.rules.RecordGap."""
    findings = []
    for g in gaps:
        since = f"最終記録 {format_date(g.last_record_on)}" if g.last_record_on else "記録なし"
        findings.append(Finding(f"「{g.process_name}」は取扱記録を残す定めですが、直近{g.window_months}か月の取扱記録がないため"
                                f"取扱状況を確認できません（{since}）。", "process", str(g.process_id), g.process_name,
                                missing="handling_records"))
    return findings
