"""Read models of flows, handling tables and their evidence, each in a fixed number of queries."""

import datetime as dt

from django.db.models import Count, F, Q
from django.utils import timezone

from jichitai.core.days import end_of_day
from jichitai.risk import rules as risk_rules

from . import rules as handling_rules
from .models import ApprovalEvent, FlowStep, HandlingRow


def evidence(process_ids, as_of: dt.date) -> dict[int, dict[str, str]]:
    """For each process, the 業務フロー / 特定個人情報 / リスク評価 status the evidence supports on `as_of`.

    flow: steps present (and the set approved → 〇); spi: handling rows present (approved → 〇);
    risk: rows analysed (all of them and approved → 〇). Three queries whatever the number of processes.
    """
    until = end_of_day(as_of)
    # order_by() drops the models' default ordering, which would otherwise join and group by it.
    steps = dict(FlowStep.objects.filter(process_id__in=process_ids, created_at__lt=until).order_by()
                 .values_list("process_id").annotate(n=Count("id")).values_list("process_id", "n"))
    rows = {pid: (n, analysed) for pid, n, analysed in
            HandlingRow.objects.filter(process_id__in=process_ids, created_at__lt=until).order_by()
            .values_list("process_id").annotate(
                n=Count("id"), analysed=Count("risk", filter=Q(risk__created_at__lt=until)))
            .values_list("process_id", "n", "analysed")}
    approved: dict[int, bool] = {}
    for pid, action in (ApprovalEvent.objects.filter(analysis__process_id__in=process_ids, at__lt=until)
                        .order_by("at", "id").values_list("analysis__process_id", "action")):
        approved[pid] = action == ApprovalEvent.Action.APPROVED
    result = {}
    for pid in set(steps) | set(rows):
        n_rows, analysed = rows.get(pid, (0, 0))
        ok = approved.get(pid, False)
        result[pid] = {
            "flow": risk_rules.evidence_status(steps.get(pid, 0), True, ok),
            "spi": risk_rules.evidence_status(n_rows, True, ok),
            "risk": risk_rules.evidence_status(analysed, analysed == n_rows, ok),
        }
    return result


def approved_on(process_ids, as_of: dt.date) -> dict[int, dt.date]:
    """The date each process's set was last approved on or before `as_of`, when it is still approved then."""
    until = end_of_day(as_of)
    latest: dict[int, dt.date | None] = {}
    for pid, action, at in (ApprovalEvent.objects.filter(analysis__process_id__in=process_ids, at__lt=until)
                            .order_by("at", "id").values_list("analysis__process_id", "action", "at")):
        latest[pid] = timezone.localdate(at) if action == ApprovalEvent.Action.APPROVED else None
    return {pid: day for pid, day in latest.items() if day is not None}


NO_EVIDENCE = {"flow": "not_started", "spi": "not_started", "risk": "not_started"}


def analysis_of(process):
    """The process page's approval state, its events and its flow steps (few), in three queries. The handling
    table is read a page at a time by analysis_rows."""
    from .models import ProcessAnalysis

    analysis = ProcessAnalysis.objects.filter(process=process).first()
    events = list(ApprovalEvent.objects.filter(analysis__process=process).select_related("officer"))
    steps = list(FlowStep.objects.filter(process=process))
    return analysis, events, steps


def _stage_order():
    """The stage's place in rules.STAGE_KEYS (取得 … 削除・廃棄), for ordering in the database."""
    from django.db.models import Case, IntegerField, Value, When

    return Case(*(When(stage=key, then=Value(i)) for i, key in enumerate(handling_rules.STAGE_KEYS)),
                default=Value(len(handling_rules.STAGE_KEYS)), output_field=IntegerField())


# Every order ends with the row's id, so that pages never repeat nor skip a row.
ROW_SORTS = {
    "stage": ("stage_order", "position", "id"),
    "id": ("row_id", "id"),
    "value": ("-asset_value", "stage_order", "position", "id"),
    "total": (F("risk__total").desc(nulls_last=True), "stage_order", "position", "id"),
}
DEFAULT_ROW_SORT = "stage"


def analysis_rows(process, params: dict, acceptance_level: int):
    """The process's handling rows with their risk rows and countermeasures, filtered and sorted as the page asks
    (params: stage, kind, q, attention, sort), as a queryset: a paginator slices it, so a page is one COUNT, one
    query for its rows and one for their countermeasures, whatever the size of the table."""
    from django.db.models import Prefetch

    from jichitai.core.text import normalise
    from jichitai.risk.models import Countermeasure

    qs = (HandlingRow.objects.filter(process=process).select_related("risk")
          .prefetch_related(Prefetch("risk__countermeasures",
                                     queryset=Countermeasure.objects.order_by("position", "id"))))
    if params.get("stage"):
        qs = qs.filter(stage=params["stage"])
    if params.get("kind"):
        qs = qs.filter(kind=params["kind"])
    if text := normalise(params.get("q")):
        # Row IDs are stored half-width (rules.read_row_id); names as typed, so both spellings are looked for.
        raw = str(params["q"]).strip()
        qs = qs.filter(Q(row_id__icontains=text.replace(" ", "")) | Q(asset_name__icontains=text)
                       | Q(asset_name__icontains=raw))
    if params.get("attention"):
        qs = qs.filter(risk__residual__gte=acceptance_level)  # rules.needs_attention, in the database
    sort = params.get("sort") if params.get("sort") in ROW_SORTS else DEFAULT_ROW_SORT
    return qs.alias(stage_order=_stage_order()).order_by(*ROW_SORTS[sort])


def flow_svg(process, steps) -> str:
    from .svg import render_flow_svg

    return render_flow_svg(f"{process.name} 業務フロー", [
        {"order": s.order, "lane": s.lane, "action": s.action, "business_function": s.business_function,
         "stage": s.stage or None} for s in steps])


# ---- Reviews and 取扱記録 (seed 2-3), for the checklist and the to-do page ----

def last_approvals(analysis_ids) -> dict[int, dt.date]:
    """The day each analysis was last approved (an approval is a review, rules.last_review); one query."""
    from django.db.models import Max

    return {pk: timezone.localdate(at) for pk, at in
            ApprovalEvent.objects.filter(analysis_id__in=analysis_ids, action=ApprovalEvent.Action.APPROVED)
            .order_by().values_list("analysis_id").annotate(last=Max("at")).values_list("analysis_id", "last")}


def review_of(analysis, events, association) -> dict:
    """What the analysis page shows: last review (an approval counts), the interval, the next due day.
    `events` are the set's approval events as analysis_of read them (no query here)."""
    approvals = [timezone.localdate(e.at) for e in events if e.action == ApprovalEvent.Action.APPROVED]
    approved = max(approvals) if approvals else None
    reviewed = analysis.last_reviewed_on if analysis else None
    own = analysis.review_interval_months if analysis else None
    interval = handling_rules.review_interval(own, association and association.review_interval_months)
    today = timezone.localdate()
    return {"last": handling_rules.last_review(reviewed, approved), "interval": interval, "own_interval": own,
            "due": handling_rules.next_review_due(reviewed, approved, interval),
            "overdue": handling_rules.review_overdue(reviewed, approved, interval, today)}


def reviews_due(municipality_ids: list[int], as_of: dt.date, within_days: int = 0) -> list[handling_rules.ReviewDue]:
    """Analyses (flow + handling table + risk analysis) and 取扱規程 whose periodic review is overdue or due within
    `within_days` of `as_of`, soonest first (never reviewed nor approved: due now, first). Three queries."""
    from .models import ProcessAnalysis, RulesDocument

    # The look-ups below take subqueries, not lists of ids: a list that happens to be empty runs no query, and the
    # pages' query counts must not depend on the data.
    scope = ProcessAnalysis.objects.filter(process__municipality_id__in=municipality_ids).order_by()
    analyses = list(scope.values_list(
        "id", "process_id", "process__name", "process__municipality_id", "last_reviewed_on", "review_interval_months",
        "process__municipality__association__review_interval_months"))
    approved = last_approvals(scope.values("id"))
    found = []
    for pk, process_id, name, municipality_id, reviewed, own, association_months in analyses:
        interval = handling_rules.review_interval(own, association_months)
        if handling_rules.review_due(reviewed, approved.get(pk), interval, as_of, within_days):
            found.append(handling_rules.ReviewDue(
                municipality_id, "analysis", pk, process_id, name,
                handling_rules.last_review(reviewed, approved.get(pk)),
                handling_rules.next_review_due(reviewed, approved.get(pk), interval)))
    for pk, municipality_id, department, reviewed, own, association_months in (
            RulesDocument.objects.filter(municipality_id__in=municipality_ids).order_by().values_list(
                "id", "municipality_id", "department__name", "last_reviewed_on", "review_interval_months",
                "municipality__association__review_interval_months")):
        interval = handling_rules.review_interval(own, association_months)
        if handling_rules.review_due(reviewed, None, interval, as_of, within_days):
            found.append(handling_rules.ReviewDue(municipality_id, "rules_document", pk, None,
                                                  f"取扱規程（{department}）", reviewed,
                                                  handling_rules.next_review_due(reviewed, None, interval)))
    return sorted(found, key=lambda r: (r.due_on or dt.date.min, r.municipality_id, r.kind, r.name, r.object_id))


def last_records(process_ids, as_of: dt.date) -> dict[int, dt.date]:
    """The day of each process's latest record that is not void, on or before `as_of`; one query."""
    from django.db.models import Max

    from .models import HandlingRecord

    return {pid: timezone.localdate(at) for pid, at in
            HandlingRecord.objects.filter(process_id__in=process_ids, voided_at__isnull=True,
                                          occurred_at__lt=end_of_day(as_of))
            .order_by().values_list("process_id").annotate(last=Max("occurred_at")).values_list("process_id", "last")}


def record_gaps(municipality_ids: list[int], as_of: dt.date) -> list[handling_rules.RecordGap]:
    """Processes with a handling-table row that says records are kept (records_kept) and no record that is not
    void within their association's record_window_months before `as_of`. Two queries."""
    rows = HandlingRow.objects.filter(process__municipality_id__in=municipality_ids, records_kept=True).order_by()
    kept = list(rows.values_list("process_id", "process__name", "process__municipality_id",
                                        "process__municipality__association__record_window_months").distinct())
    last = last_records(rows.values("process_id"), as_of)
    gaps = []
    for process_id, name, municipality_id, window in kept:
        window = window or handling_rules.DEFAULT_RECORD_WINDOW_MONTHS
        if handling_rules.records_gap(True, last.get(process_id), as_of, window):
            gaps.append(handling_rules.RecordGap(municipality_id, process_id, name, last.get(process_id), window))
    return sorted(gaps, key=lambda g: (g.municipality_id, g.process_name, g.process_id))


def records(queryset, params: dict):
    """The records list, filtered and sorted as the page asks, with what each row shows (one query a page)."""
    qs = queryset.select_related("process", "handling_row", "person", "approver")
    if params.get("process"):
        qs = qs.filter(process=params["process"])
    if params.get("row"):
        qs = qs.filter(handling_row=params["row"])
    if params.get("action"):
        qs = qs.filter(action=params["action"])
    if params.get("person"):
        qs = qs.filter(person=params["person"])
    if params.get("date_from"):
        qs = qs.filter(occurred_at__gte=end_of_day(params["date_from"] - dt.timedelta(days=1)))
    if params.get("date_to"):
        qs = qs.filter(occurred_at__lt=end_of_day(params["date_to"]))
    if params.get("state") == "valid":
        qs = qs.filter(voided_at__isnull=True)
    elif params.get("state") == "void":
        qs = qs.filter(voided_at__isnull=False)
    sort = params.get("sort") or "-occurred_at"
    return qs.order_by(*RECORD_SORTS.get(sort, RECORD_SORTS["-occurred_at"]))


RECORD_SORTS = {
    "-occurred_at": ("-occurred_at", "-id"),
    "occurred_at": ("occurred_at", "id"),
    "process": ("process__name", "handling_row__position", "-occurred_at", "-id"),
    "person": ("person_name", "-occurred_at", "-id"),
    "action": ("action", "-occurred_at", "-id"),
}
