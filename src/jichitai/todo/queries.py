"""やること gathered for a set of municipalities in a fixed number of queries, whatever their number or size.

Every source is one function `(scope) -> list[TodoItem]` in SOURCES, each reading all the municipalities of the
scope at once through its own app's queries and dating its items with its own app's rules. Adding a source is
adding one function to SOURCES (and its kind to rules.KINDS).
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import reverse

from jichitai.checklist import rules as checklist_rules
from jichitai.checklist.models import MemberChecklist
from jichitai.checklist.queries import evaluate
from jichitai.core.wareki import format_date
from jichitai.handling.models import FlowStep, HandlingRow, ProcessAnalysis
from jichitai.handling.queries import record_gaps, reviews_due
from jichitai.incidents import rules as incident_rules
from jichitai.incidents.queries import member_incidents
from jichitai.pia import rules as pia_rules
from jichitai.pia.models import SpiFile
from jichitai.pia.queries import files_with_history, serious_incident_dates, state_of
from jichitai.processes.models import Process
from jichitai.training import rules as training_rules
from jichitai.training.queries import training_status

from . import rules
from .rules import TodoItem, item


@dataclass
class Scope:
    """The municipalities to gather for (each one resolved through orgs.scoping by the caller), on `as_of`.

    `stored_checklists`: read the checklist verdicts stored at the members' last evaluation (the association
    pages, where evaluating every member live would take too long) instead of evaluating them now.
    """

    user: object
    municipalities: list
    as_of: dt.date
    stored_checklists: bool = False
    ids: list[int] = field(init=False)
    codes: dict[int, str] = field(init=False)

    def __post_init__(self):
        self.ids = [m.pk for m in self.municipalities]
        self.codes = {m.pk: m.code for m in self.municipalities}


# ---- the sources -----------------------------------------------------------------------------------------------


def incident_items(scope: Scope) -> list[TodoItem]:
    """速報 and 確報 not sent yet (overdue or not), and persons not notified, of open incidents. One query;
    the due dates are incidents.rules.assess's."""
    result = []
    for incident in member_incidents(scope.ids, scope.as_of):
        a = incident.assessment
        if not a.reportable:
            continue
        link = reverse("incidents:detail", kwargs={"code": incident.municipality.code, "incident": incident.pk})
        mid = incident.municipality_id
        if a.preliminary_due and not incident.preliminary_sent_on and not incident.final_sent_on:
            result.append(item(
                rules.INCIDENT, f"{incident.pk}-preliminary", f"速報の提出：{incident.title}", mid, a.preliminary_due,
                scope.as_of, link, overdue=incident.preliminary_overdue, basis=incident_rules.PRELIMINARY_ARTICLE,
                detail="速報は「速やかに」。期限は目安（事態を知った日からの日数、協議会の設定）です。"))
        if a.final_due and not incident.final_sent_on:
            result.append(item(
                rules.INCIDENT, f"{incident.pk}-final", f"確報の提出：{incident.title}", mid, a.final_due,
                scope.as_of, link, overdue=incident.final_overdue, basis=incident_rules.FINAL_ARTICLE,
                detail=f"確報は事態を知った日から{a.final_days}日以内です。"))
        if a.notify_persons and not incident.persons_notified_on:
            result.append(item(
                rules.INCIDENT, f"{incident.pk}-notice", f"本人への通知：{incident.title}", mid, None, scope.as_of,
                link, basis=incident_rules.NOTICE_ARTICLE, detail="本人への通知日が記録されていません。"))
    return result


_PIA_FLAGS = (pia_rules.MISSING, pia_rules.THRESHOLD_ROSE, pia_rules.CHANGE_NOT_REEVALUATED,
              pia_rules.INCIDENT_SINCE)


def pia_items(scope: Scope) -> list[TodoItem]:
    """Yearly reviews and five-year re-evaluations due within DUE_SOON_DAYS or overdue, and evaluations missing
    or overtaken, per SPI file. Five queries; the dates and flags are pia.rules.file_state's."""
    files = files_with_history(SpiFile.objects.filter(municipality_id__in=scope.ids).order_by("name", "pk"))
    incidents = serious_incident_dates(scope.ids)
    result = []
    for spi_file in files:
        state = state_of(spi_file, incidents, scope.as_of)
        mid = spi_file.municipality_id
        link = reverse("pia:file", kwargs={"code": scope.codes[mid], "spi_file": spi_file.pk})
        if state.threshold.required == pia_rules.NONE:
            continue
        for flag in _PIA_FLAGS:
            if flag in state.flags:
                result.append(item(
                    rules.PIA, f"{spi_file.pk}-{flag}", f"{spi_file.name}：{pia_rules.FLAG_LABEL[flag]}", mid, None,
                    scope.as_of, link, overdue=flag == pia_rules.MISSING, basis=state.threshold.article,
                    detail=f"必要な評価：{state.threshold.label}"))
        for key, due, label, article in (
                ("review", state.review_due, "年1回の見直し", pia_rules.REVIEW_ARTICLE),
                ("reevaluation", state.reevaluation_due, "5年以内の再実施", pia_rules.REEVALUATION_ARTICLE)):
            if rules.due_soon(due, scope.as_of):
                result.append(item(rules.PIA, f"{spi_file.pk}-{key}", f"{spi_file.name}：{label}", mid, due,
                                   scope.as_of, link, basis=article,
                                   detail=f"評価日 {format_date(state.latest.evaluated_on)}（{state.done_label}）"))
    return result


_TRAINING_BASIS = "番号法 第29条の2、施行令 第32条（おおむね一年ごと）"


def training_items(scope: Scope) -> list[TodoItem]:
    """People who must be trained whose training lapses within their association's due-soon period, has lapsed,
    or never happened. Three queries; the standing is training.rules.standing's."""
    result = []
    for person in training_status(scope.ids, scope.as_of):
        if person.status == training_rules.TRAINED:
            continue
        who = f"{person.name}（{person.department}）" if person.department else person.name
        link = reverse("training:dashboard", kwargs={"code": scope.codes[person.municipality_id]})
        if person.last_trained is None:
            result.append(item(rules.TRAINING, person.staff_id, f"{who}：研修未受講", person.municipality_id, None,
                               scope.as_of, link + "#untrained", overdue=True, basis=_TRAINING_BASIS,
                               detail=f"{person.role_label}。受講の記録がありません。"))
            continue
        lapsed = person.status == training_rules.UNTRAINED
        result.append(item(
            rules.TRAINING, person.staff_id, f"{who}：研修の受講期限", person.municipality_id, person.due_on,
            scope.as_of, link + ("#untrained" if lapsed else ""), overdue=lapsed, soon=not lapsed,
            basis=_TRAINING_BASIS, detail=f"{person.role_label}。最終受講 {format_date(person.last_trained)}"))
    return result


def approval_items(scope: Scope) -> list[TodoItem]:
    """Processes whose flow or handling table has content and whose set is not approved. One query."""
    approved = ProcessAnalysis.objects.filter(process=OuterRef("pk"), status=ProcessAnalysis.Status.APPROVED)
    rows = (Process.objects.filter(municipality_id__in=scope.ids)
            .filter(Exists(FlowStep.objects.filter(process=OuterRef("pk")))
                    | Exists(HandlingRow.objects.filter(process=OuterRef("pk"))))
            .exclude(Exists(approved)).order_by("municipality_id", "name", "pk")
            .values_list("pk", "name", "municipality_id"))
    return [item(rules.APPROVAL, pk, f"{name}：分析の承認", mid, None, scope.as_of,
                 reverse("handling:analysis", kwargs={"code": scope.codes[mid], "pk": pk}),
                 basis="業務フロー・情報資産取扱手順表・リスク分析（2-3）",
                 detail="業務フロー・取扱手順表・リスク分析が承認されていません（保護責任者の承認）。")
            for pk, name, mid in rows]


def review_items(scope: Scope) -> list[TodoItem]:
    """Analyses and 取扱規程 whose periodic review (seed 2-3) is overdue or due within DUE_SOON_DAYS. Three
    queries. One never approved nor reviewed is an approval item, not a review."""
    found = []
    for r in reviews_due(scope.ids, scope.as_of, rules.DUE_SOON_DAYS):
        if r.due_on is None:
            continue
        code = scope.codes[r.municipality_id]
        if r.kind == "rules_document":
            title, link = f"{r.name}の見直し", reverse("handling:rules_documents", kwargs={"code": code})
        else:
            title = f"{r.name}：業務フロー・取扱手順表・リスク分析の見直し"
            link = reverse("handling:analysis", kwargs={"code": code, "pk": r.process_id})
        last = format_date(r.last_reviewed_on) if r.last_reviewed_on else "なし"
        found.append(item(rules.REVIEW, f"{r.kind}-{r.object_id}", title, r.municipality_id, r.due_on, scope.as_of,
                          link, basis="定期的な見直し（2-3）", detail=f"前回の見直し: {last}"))
    return found


def record_gap_items(scope: Scope) -> list[TodoItem]:
    """Processes whose handling table keeps records and that have none in the association's window. Two queries.
    No deadline: the gap is already there."""
    return [item(rules.RECORD_GAP, g.process_id, f"{g.process_name}：取扱記録の確認", g.municipality_id, None,
                 scope.as_of, reverse("handling:process_records",
                                      kwargs={"code": scope.codes[g.municipality_id], "pk": g.process_id}),
                 overdue=True, basis="取扱状況の記録（2-3）",
                 detail=(f"直近{g.window_months}か月の取扱記録がありません（最終記録: "
                         f"{format_date(g.last_record_on) if g.last_record_on else 'なし'}）。"))
            for g in record_gaps(scope.ids, scope.as_of)]


def _checklist_item(scope: Scope, mid: int, item_id: str, detail: str) -> TodoItem:
    return item(rules.CHECKLIST, item_id, f"チェックリスト：{checklist_rules.ITEM_TITLES.get(item_id, item_id)}がNG",
                mid, None, scope.as_of,
                reverse("checklist:municipality", kwargs={"code": scope.codes[mid]}) + f"#{item_id}",
                overdue=True, basis="事後チェックリスト（番号法 第9条・第19条、施行令 第32条ほか）", detail=detail)


# Checklist items whose NG findings another source lists one by one (研修未受講: training_items, per person).
_LISTED_ELSEWHERE = {"training"}


def checklist_items(scope: Scope) -> list[TodoItem]:
    """The checklist's NG items (a legal breach). Live: checklist.queries.evaluate, a fixed number of queries;
    stored: the members' MemberChecklist, one query."""
    result = []
    if scope.stored_checklists:
        for stored in MemberChecklist.objects.filter(municipality_id__in=scope.ids).order_by("municipality_id"):
            for item_id, status, findings in stored.items:
                if status == checklist_rules.NG and item_id not in _LISTED_ELSEWHERE:
                    result.append(_checklist_item(scope, stored.municipality_id, item_id,
                                                  f"指摘 {findings}件（{format_date(stored.as_of)}の評価）"))
        return result
    for mid, results in evaluate(scope.user, scope.municipalities, scope.as_of).items():
        for checked in results:
            if checked.status == checklist_rules.NG and checked.id not in _LISTED_ELSEWHERE:
                messages = [f.message for f in checked.findings if f.breach][:3]
                more = len(checked.findings) - len(messages)
                result.append(_checklist_item(scope, mid, checked.id,
                                              "／".join(messages) + (f" ほか{more}件" if more > 0 else "")))
    return result


# The lead adds handling's reviews overdue and handling-record gaps here (handling.queries.reviews_due,
# record_gaps), each as one more function of this shape.
SOURCES = [incident_items, pia_items, training_items, approval_items, review_items, record_gap_items,
           checklist_items]


def gather(scope: Scope) -> list[TodoItem]:
    """Every source's items, soonest first."""
    if not scope.ids:
        return []
    return rules.order([todo for source in SOURCES for todo in source(scope)], scope.as_of)


def by_municipality(items: list[TodoItem]) -> dict[int, list[TodoItem]]:
    grouped = defaultdict(list)
    for todo in items:
        grouped[todo.municipality_id].append(todo)
    return grouped


def member_counts(municipalities, items: list[TodoItem]) -> list[dict]:
    """Per member: overdue, due soon and total, and the same counts per kind (the secretariat's table)."""
    grouped = by_municipality(items)
    rows = []
    for m in municipalities:
        mine = grouped.get(m.pk, [])
        per_kind = [rules.counts(t for t in mine if t.kind == kind) for kind, _label in rules.KINDS]
        rows.append({"municipality": m, **rules.counts(mine), "kinds": per_kind})
    return rows


def sort_items(items: list[TodoItem], sort: str, codes: dict[int, str], as_of: dt.date) -> list[TodoItem]:
    """The association list's sorts: by deadline (soonest first), by member, by kind."""
    if sort == "municipality":
        return sorted(items, key=lambda t: (codes.get(t.municipality_id, ""), rules.sort_key(t, as_of)))
    if sort == "kind":
        return sorted(items, key=lambda t: (rules.kind_rank(t.kind), rules.sort_key(t, as_of)))
    return rules.order(items, as_of)


SORTS = ("deadline", "municipality", "kind")
