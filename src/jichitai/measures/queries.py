"""Read models of the assessments, each in a fixed number of queries whatever the number of items,
departments, countermeasures or municipalities."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Q, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from jichitai.orgs.models import Department, Municipality
from jichitai.orgs.scoping import visible
from jichitai.risk.models import Countermeasure

from . import rules
from .models import Assessment, AssessmentChange, Framework, FrameworkItem

EVIDENCE_LIMIT = 30  # countermeasures listed per category; the total is always shown


def _applying_to(model, ids) -> Q:
    """Rows of Framework or FrameworkItem that apply to these municipalities: the shared lists and their own,
    found through the owner path the model declares (TENANT_PATH).

    Which lists a municipality answers, not who may read them: visible() decides that where a user is at hand,
    and the other callers pass municipality ids that came from visible().
    """
    path = model.TENANT_PATH
    return Q(**{f"{path}__isnull": True}) | Q(**{f"{path}__in": ids})


def assessable_items(municipality: Municipality):
    """The active items of the shared frameworks and of the municipality's own lists, in their order (unscoped:
    pass it through visible())."""
    return (FrameworkItem.objects.filter(_applying_to(FrameworkItem, [municipality.id]), active=True)
            .select_related("framework").order_by("framework_id", "position", "id"))


def items_for(user, municipality: Municipality) -> list[FrameworkItem]:
    return list(visible(assessable_items(municipality), user))


@dataclass
class Slot:
    """One assessment a municipality owes: an item, for one department when the item is departmental."""

    item: FrameworkItem
    department: Department | None
    assessment: Assessment | None

    @property
    def status(self) -> str:
        return self.assessment.status if self.assessment else rules.DEFAULT_STATUS

    @property
    def status_label(self) -> str:
        return rules.STATUS_LABEL[self.status]


def slots_for(user, municipality: Municipality) -> list[Slot]:
    """Every slot of the municipality with its assessment, if any. Three queries."""
    items = items_for(user, municipality)
    departments = list(visible(Department.objects.filter(municipality=municipality), user).order_by("name"))
    assessments = visible(Assessment.objects.filter(municipality=municipality, item__active=True), user)
    by_key = {(a.item_id, a.department_id): a for a in assessments.select_related("owner", "department")}
    item_by_id = {item.id: item for item in items}
    department_by_id = {d.id: d for d in departments}
    keys = rules.slots([(item.id, item.departmental) for item in items], [d.id for d in departments])
    return [Slot(item_by_id[i], department_by_id.get(d), by_key.get((i, d))) for i, d in keys]


SORTS = ("position", "status", "review_on", "updated", "department")


def filter_slots(slots: list[Slot], *, status: str = "", category: str = "", framework: str = "",
                 department: int | None = None, sort: str = "position") -> list[Slot]:
    """The page's, the export's filter. `status` is a code (rules.read_status normalises user input first)."""
    result = [s for s in slots
              if (not status or s.status == status) and (not category or s.item.category == category)
              and (not framework or s.item.framework.code == framework)
              and (department is None or (s.department and s.department.id == department))]
    if sort == "status":
        result.sort(key=lambda s: rules.STATUS_ORDER[s.status])
    elif sort == "review_on":
        far = dt.date.max
        result.sort(key=lambda s: (s.assessment.review_on or far) if s.assessment else far)
    elif sort == "updated":
        result.sort(key=lambda s: s.assessment.updated_at.timestamp() if s.assessment else 0, reverse=True)
    elif sort == "department":
        result.sort(key=lambda s: s.department.name if s.department else "")
    return result  # "position": the frameworks' own order, already


@dataclass
class Evidence:
    total: int = 0
    rows: list = field(default_factory=list)


def countermeasure_evidence(user, municipality: Municipality, limit: int = EVIDENCE_LIMIT) -> dict[str, Evidence]:
    """The risk analysis's countermeasures per category (組織的/人的/物理的/技術的): totals, and the first `limit`
    of each category with their process and row ID. Two queries."""
    measures = visible(Countermeasure.objects.filter(
        risk_row__handling_row__process__municipality=municipality,
        category__in=rules.COUNTERMEASURE_CATEGORIES), user)
    result = {key: Evidence() for key in rules.COUNTERMEASURE_CATEGORIES}
    for category, total in measures.order_by().values_list("category").annotate(n=Count("id")):
        result[category].total = total
    order = [F("risk_row__handling_row__process__name").asc(), F("risk_row__handling_row__position").asc(),
             F("position").asc(), F("id").asc()]
    ranked = (measures.annotate(rank=Window(RowNumber(), partition_by=[F("category")], order_by=order))
              .filter(rank__lte=limit).select_related("risk_row__handling_row__process").order_by(*order))
    for measure in ranked:
        result[measure.category].rows.append(measure)
    return result


# ---- the association's comparison ----

@dataclass
class MemberRow:
    municipality: Municipality
    summaries: dict[str, rules.Summary | None]  # framework code → counts (None: the list is not the member's)

    @property
    def cells(self) -> list[rules.Summary | None]:
        return list(self.summaries.values())  # in the frameworks' order, for the table

    def value(self, code: str, key: str):
        summary = self.summaries.get(code)
        if summary is None:
            return -1
        value = summary.percent_done if key == "percent_done" else getattr(summary, key)
        return -1 if value is None else value


def _valid_slot() -> Q:
    """Assessments that still answer a slot (an item's 課室単位 flag or the departments may have changed since)."""
    return (Q(item__departmental=False, department__isnull=True)
            | Q(item__departmental=True, department__isnull=False)
            | Q(item__departmental=True, department__isnull=True, has_departments=False))


def member_summaries(members) -> tuple[list[Framework], list[MemberRow]]:
    """Per member and framework: 対応済 / 対応中 / 未対応 / 該当なし counts over every slot. Four queries."""
    members = list(members.annotate(department_count=Count("departments")).order_by("code"))
    ids = [m.id for m in members]
    frameworks = list(Framework.objects.filter(_applying_to(Framework, ids)).order_by("id"))
    item_counts = defaultdict(lambda: [0, 0])  # framework id → [departmental, other]
    for framework_id, departmental, n in (
            FrameworkItem.objects.filter(framework__in=[f.id for f in frameworks], active=True).order_by()
            .values_list("framework_id", "departmental").annotate(n=Count("id"))):
        item_counts[framework_id][0 if departmental else 1] += n
    recorded = defaultdict(dict)  # (municipality id, framework id) → {status: n}
    assessments = (Assessment.objects.filter(municipality__in=ids, item__active=True)
                   .annotate(has_departments=Exists(Department.objects.filter(municipality=OuterRef("municipality"))))
                   .filter(_valid_slot()).order_by()
                   .values_list("municipality_id", "item__framework_id", "status").annotate(n=Count("id")))
    for municipality_id, framework_id, status, n in assessments:
        recorded[(municipality_id, framework_id)][status] = n
    rows = []
    for member in members:
        summaries = {}
        for framework in frameworks:
            if framework.municipality_id not in (None, member.id):
                summaries[framework.code] = None
                continue
            departmental, other = item_counts[framework.id]
            expected = rules.slot_count(departmental, other, member.department_count)
            summaries[framework.code] = rules.summary_from_counts(recorded[(member.id, framework.id)], expected)
        rows.append(MemberRow(member, summaries))
    return frameworks, rows


# ---- the checklist's query ----

@dataclass(frozen=True)
class OpenItem:
    municipality_id: int
    framework_code: str
    item_id: str
    title: str
    department_id: int | None
    department_name: str
    status: str


def _ids(municipality_ids) -> list[int]:
    result = []
    for value in municipality_ids:
        if isinstance(value, dict):
            value = value["id"]
        result.append(getattr(value, "pk", value))
    return list(dict.fromkeys(result))


def _statuses(ids: list[int], as_of: dt.date | None) -> dict[tuple[int, int, int | None], str]:
    """(municipality, item, department) → status: today's, or the last change on or before `as_of`."""
    if as_of is None or as_of >= timezone.localdate():
        rows = Assessment.objects.filter(municipality_id__in=ids).order_by().values_list(
            "municipality_id", "item_id", "department_id", "status")
        return {(m, i, d): s for m, i, d, s in rows}
    state = {}
    for m, i, d, s in (AssessmentChange.objects.filter(assessment__municipality_id__in=ids, effective_on__lte=as_of)
                       .order_by("effective_on", "id")
                       .values_list("assessment__municipality_id", "assessment__item_id",
                                    "assessment__department_id", "status")):
        state[(m, i, d)] = s  # later changes overwrite earlier ones
    return state


def open_items(municipality_ids, as_of: dt.date | None = None) -> list[OpenItem]:
    """Every slot of every framework item that is not 対応済 or 該当なし, for one or many municipalities.

    A slot never assessed is 未対応. Departmental items count once per department of the municipality (once
    in all when it has none). Without `as_of` (or as of today) the current statuses are read; as of an earlier
    day, each slot's last status change on or before it. Three queries (four when given a queryset of ids).
    """
    return assessment_facts(municipality_ids, as_of)[0]


@dataclass(frozen=True)
class Coverage:
    """How many slots a municipality owes, and how many of them have a recorded status (the checklist tells
    "nothing assessed" from "assessed and open")."""

    slots: int = 0
    assessed: int = 0


def assessment_facts(municipality_ids, as_of: dt.date | None = None) -> tuple[list[OpenItem], dict[int, Coverage]]:
    """open_items, and each municipality's Coverage (absent: no slot at all). The same three queries."""
    ids = _ids(municipality_ids)
    if not ids:
        return [], {}
    items = list(FrameworkItem.objects.filter(_applying_to(FrameworkItem, ids), active=True)
                 .select_related("framework").order_by("framework_id", "position", "id"))
    departments = defaultdict(list)
    for department_id, municipality_id, name in (Department.objects.filter(municipality_id__in=ids)
                                                 .order_by("name", "id").values_list("id", "municipality_id", "name")):
        departments[municipality_id].append((department_id, name))
    statuses = _statuses(ids, as_of)
    result, coverage = [], {}
    for municipality_id in ids:
        own = [item for item in items if item.framework.municipality_id in (None, municipality_id)]
        names = dict(departments[municipality_id])
        by_id = {item.id: item for item in own}
        slots = rules.slots([(i.id, i.departmental) for i in own], list(names))
        assessed = 0
        for item_id, department_id in slots:
            recorded = statuses.get((municipality_id, item_id, department_id))
            assessed += recorded is not None
            status = recorded or rules.DEFAULT_STATUS
            if status in rules.CLOSED:
                continue
            item = by_id[item_id]
            result.append(OpenItem(municipality_id, item.framework.code, item.item_id, item.title, department_id,
                                   names.get(department_id, ""), status))
        if slots:
            coverage[municipality_id] = Coverage(len(slots), assessed)
    return result, coverage
