"""Read side: workshops a user may see and the live 課題分析 table, in a fixed number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch, Q

from jichitai.orgs.models import Association
from jichitai.orgs.scoping import visible

from . import rules
from .models import ActionItem, Issue, Workshop


def workshops(user, association: Association, *, secretariat: bool):
    """Members see published workshops only; the secretariat also sees its drafts."""
    qs = visible(Workshop.objects.filter(association=association), user)
    return qs if secretariat else qs.filter(published=True)


@dataclass
class IssueRow:
    issue: Issue
    averages: dict[str, Decimal | None]  # unrounded
    total: Decimal
    rank: int | None = None  # None: a retired issue, shown but not ranked
    participants: int = 0

    @property
    def shown(self) -> list[Decimal | None]:
        return [None if v is None else rules.one_decimal(v) for v in self.averages.values()]

    @property
    def shown_total(self) -> Decimal:
        return rules.one_decimal(self.total)


def issue_rows(workshop: Workshop) -> list[IssueRow]:
    """Per issue: each criterion's average (participants' scores, else the imported average), total, rank.

    Every criterion's average is shown; 総合 counts the criteria in use with their weights (rules.total), and the
    issues in use are ranked among themselves (rules.ranks). Two queries.
    """
    issues = Issue.objects.filter(workshop=workshop).prefetch_related("scores", "imported_averages")
    names = [c["name"] for c in workshop.criteria]
    rows = []
    for issue in issues:
        scores = list(issue.scores.all())
        imported = {a.criterion: a.value for a in issue.imported_averages.all()}
        averages = {}
        for name in names:
            values = [s.value for s in scores if s.criterion == name]
            averages[name] = rules.average(values) if values else imported.get(name)
        rows.append(IssueRow(issue, averages, rules.total(averages, workshop.criteria),
                             participants=len({s.participant for s in scores})))
    ranked = [row for row in rows if row.issue.retired_on is None]
    for row, rank in zip(ranked, rules.ranks([r.total for r in ranked]), strict=True):
        row.rank = rank
    return rows


def plan_items(workshop: Workshop):
    return ActionItem.objects.filter(issue__workshop=workshop).select_related("issue")


def workshop_issues(workshop: Workshop):
    return Issue.objects.filter(workshop=workshop).prefetch_related(
        Prefetch("actions", queryset=ActionItem.objects.order_by("fiscal_year", "half", "id")))


def offered_issues(issues, keep: int | None = None):
    """The issues a new action may be planned for (not retired), and `keep`, the one an edited action names."""
    return issues.filter(Q(retired_on__isnull=True) | Q(pk=keep))
