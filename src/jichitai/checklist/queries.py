"""Gathers the plain facts the five checks need, for one municipality or a whole association in one pass.

Each source runs a fixed number of queries whatever the number of municipalities, processes or staff;
the facts are then grouped by municipality and handed to checklist/rules.py.
"""

import dataclasses
import datetime as dt
from collections import defaultdict

from django.urls import reverse

from jichitai.core.wareki import fiscal_year, fiscal_year_label, format_date
from jichitai.handling.queries import approved_on, reviews_due
from jichitai.handling.queries import record_gaps as handling_record_gaps
from jichitai.linkage.queries import municipalities_with_systems, ordinance_findings, proficiency_findings
from jichitai.measures.queries import Coverage, assessment_facts
from jichitai.orgs.scoping import visible
from jichitai.pia.queries import pia_records
from jichitai.processes.models import Process
from jichitai.processes.queries import cells_by_process
from jichitai.training.queries import plan_exists, record_gaps_by_municipality, training_status

from . import rules
from .rules import Finding, ItemResult, LinkageFacts, MeasuresFacts, PersonFacts, PiaFacts, ProcessFacts

# Where each missing record is entered (rules.RECORDS).
RECORD_PAGES = {
    "processes": "processes:matrix",
    "systems": "linkage:systems",
    "linkage_sheets": "processes:matrix",
    "roster": "orgs:staff",
    "spi_files": "pia:municipality",
    "framework": "measures:municipality",
    "assessment": "measures:municipality",
    "handling_records": "handling:records",
}


def evaluate(user, municipalities, as_of: dt.date) -> dict[int, list[ItemResult]]:
    """The five items for each municipality, in a fixed number of queries.

    Every fact is gathered per municipality, so a member's items are the same whether it is evaluated alone
    (its page, the command) or with its whole association (the stored MemberChecklist of the grid)."""
    ids = [m.pk for m in municipalities]
    codes = {m.pk: m.code for m in municipalities}
    scoped = _scoped_processes(user, ids, as_of)
    processes = _processes(scoped)
    # The evidence queries get the processes as a subquery, never as a list of ids (at national size a list
    # made every statement hundreds of KB long).
    subquery = scoped.order_by().values("id")
    cells = cells_by_process(user, subquery, as_of, listed=[p["id"] for p in processes])
    records = pia_records(subquery, as_of)
    approvals = approved_on(subquery, as_of)
    systems = municipalities_with_systems(ids)
    ordinance = _group(_linkage(ordinance_findings(ids, as_of), breach=True))
    proficiency = _group(_linkage(proficiency_findings(ids, as_of), breach=False))
    people = _group((p.municipality_id, p) for p in training_status(ids, as_of))
    gaps = _session_gaps(ids, as_of, codes)
    year = fiscal_year(as_of)
    planned = plan_exists(ids, year)
    open_items, coverage = assessment_facts(ids, as_of)
    reviews = _group((r.municipality_id, r) for r in reviews_due(ids, as_of))
    record_gaps = _group((g.municipality_id, g) for g in handling_record_gaps(ids, as_of))
    open_measures = _group((item.municipality_id, _measure_finding(item, codes)) for item in open_items)
    by_municipality = _group((p["municipality_id"], p) for p in processes)
    results = {}
    for mid in ids:
        code = codes[mid]
        mine = by_municipality.get(mid, [])
        linkage = [_linkage_facts(p, cells[p["id"]]) for p in mine]
        measured = coverage.get(mid, Coverage())
        results[mid] = [_link(item, code) for item in (
            rules.check_ordinance([_process_facts(p) for p in mine], ordinance.get(mid, []), as_of,
                                  systems_recorded=mid in systems, linkage_recorded=any(f.has_items for f in linkage)),
            _training(mid in planned, year, people.get(mid, []), gaps.get(mid, []), code, bool(mine)),
            rules.check_pia_evidence([_pia_facts(p, cells[p["id"]], records.get(p["id"]), approvals.get(p["id"]))
                                      for p in mine],
                                     extra=rules.record_gap_findings(g for g in record_gaps.get(mid, [])
                                                                     if records.get(g.process_id))),
            rules.check_proficiency(linkage, proficiency.get(mid, [])),
            rules.check_security_standards(MeasuresFacts(measured.slots, measured.assessed), open_measures.get(mid, []),
                                           rules.review_findings(reviews.get(mid, []), as_of)
                                           + rules.record_gap_findings(record_gaps.get(mid, [])),
                                           has_processes=bool(mine)),
        )]
    return results


def _scoped_processes(user, ids, as_of):
    return visible(Process.objects.filter(municipality_id__in=ids, registered_on__lte=as_of), user)


def _processes(scoped):
    return list(scoped.order_by("municipality_id", "name")
                .values("id", "municipality_id", "name", "beppyo_item_id", "ordinance__name", "ordinance__article",
                        "ordinance__effective_on", "ordinance__repealed_on"))


def _group(pairs) -> dict[int, list]:
    grouped = defaultdict(list)
    for key, value in pairs:
        grouped[key].append(value)
    return grouped


def _process_facts(p: dict) -> ProcessFacts:
    ordinance = f"{p['ordinance__name']} {p['ordinance__article']}" if p["ordinance__name"] else None
    return ProcessFacts(p["id"], p["name"], p["beppyo_item_id"] is not None, ordinance, p["ordinance__effective_on"],
                        p["ordinance__repealed_on"])


def _pia_facts(p: dict, cells: dict, record, approved) -> PiaFacts:
    """The evaluation done (from the PIA register) and when the evidence behind it was last approved."""
    evaluated = record.evaluated_on if record is not None and record.evaluation_kind else None
    return PiaFacts(p["id"], p["name"], cells["pia"].status, cells["flow"].derived or "not_started",
                    cells["spi"].derived or "not_started", cells["risk"].derived or "not_started",
                    evidence_approved_on=approved, evaluation_on=evaluated,
                    has_record=record is not None and record.required_kind not in (None, "none"),
                    has_file=record is not None)


def _linkage_facts(p: dict, cells: dict) -> LinkageFacts:
    """The sheet's rows are what the 関連情報連携洗出 evidence counts: it reads 未着手 only when there are none."""
    return LinkageFacts(p["id"], p["name"], (cells["linkage"].derived or "not_started") != "not_started",
                        cells["linkage"].status)


def _person_facts(person) -> PersonFacts:
    return PersonFacts(person.staff_number, person.name, person.status != "untrained", person.last_trained,
                       person.days_overdue)


def _linkage(findings, *, breach: bool):
    for f in findings:
        yield f.municipality_id, Finding(f.message, f.object_type.split(".")[-1].lower(), str(f.object_id),
                                         f.object_name, breach=breach, link=f.url)


def _measure_finding(item, codes) -> Finding:
    where = f"（{item.department_name}）" if item.department_name else ""
    return Finding(f"{item.item_id} {item.title}{where} が{_MEASURE_STATUS.get(item.status, item.status)}です。",
                   "measure", item.item_id, item.title,
                   link=reverse("measures:municipality", kwargs={"code": codes[item.municipality_id]}))


_MEASURE_STATUS = {"not_started": "未対応", "in_progress": "対応中"}


def _session_gaps(ids, as_of, codes) -> dict[int, list[Finding]]:
    """Each session with incomplete records counts for the municipalities that took part in it, judged by their
    own attendees."""
    result = defaultdict(list)
    for mid, gaps in record_gaps_by_municipality(ids, as_of).items():
        for gap in gaps:
            session = gap.session
            name = f"{session.course.code} {session.course.title} {format_date(session.held_on)}"
            result[mid].append(Finding(f"研修「{name}」の記録が不足しています（{'、'.join(gap.reasons)}）。", "session",
                                       str(session.pk), name,
                                       link=reverse("training:attendance",
                                                    kwargs={"code": codes[mid], "session": session.pk})))
    return result


def _link(result: ItemResult, code: str) -> ItemResult:
    """Process findings link to the process page, missing records to the page where they are entered."""
    def link(f: Finding) -> str:
        if f.link:
            return f.link
        if f.object_type == "process" and f.missing == "handling_records":
            return reverse("handling:process_records", kwargs={"code": code, "pk": int(f.object_id)})
        if f.object_type == "analysis":
            return reverse("handling:analysis", kwargs={"code": code, "pk": int(f.object_id)})
        if f.object_type == "process":
            return reverse("processes:process", kwargs={"code": code, "pk": int(f.object_id)})
        if f.object_type == "rules_document":
            return reverse("handling:rules_documents", kwargs={"code": code})
        if f.object_type == rules.RECORD:
            return reverse(RECORD_PAGES[f.object_id], kwargs={"code": code})
        return ""

    return dataclasses.replace(result, findings=tuple(dataclasses.replace(f, link=link(f)) for f in result.findings))


def _training(planned: bool, year: int, people, gaps, code: str, has_processes: bool) -> ItemResult:
    """Untrained people link to the training dashboard, a missing plan to the plan page."""
    result = rules.check_training(planned, fiscal_year_label(year), [_person_facts(p) for p in people], gaps,
                                  has_processes=has_processes)
    links = {"staff": reverse("training:dashboard", kwargs={"code": code}) + "#untrained",
             "plan": reverse("training:plan", kwargs={"code": code, "year": year})}
    findings = tuple(dataclasses.replace(f, link=links[f.object_type]) if f.object_type in links else f
                     for f in result.findings)
    return dataclasses.replace(result, findings=findings)
