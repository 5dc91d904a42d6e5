"""Read models of flows, handling tables and their evidence, each in a fixed number of queries."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone

from jichitai.core.days import end_of_day
from jichitai.risk import rules as risk_rules

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
    """Everything the process page shows, in a fixed number of queries."""
    from django.db.models import Prefetch

    from jichitai.risk.models import Countermeasure

    from .models import ProcessAnalysis

    analysis = ProcessAnalysis.objects.filter(process=process).first()
    events = list(ApprovalEvent.objects.filter(analysis__process=process).select_related("officer"))
    steps = list(FlowStep.objects.filter(process=process))
    rows = list(HandlingRow.objects.filter(process=process).select_related("risk").prefetch_related(
        Prefetch("risk__countermeasures", queryset=Countermeasure.objects.order_by("position", "id"))))
    return analysis, events, steps, rows


def flow_svg(process, steps) -> str:
    from .svg import render_flow_svg

    return render_flow_svg(f"{process.name} 業務フロー", [
        {"order": s.order, "lane": s.lane, "action": s.action, "business_function": s.business_function,
         "stage": s.stage or None} for s in steps])
