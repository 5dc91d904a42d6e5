"""The association grid read from the stored checklists: filters, sorting, totals and paging in SQL."""

from django.db.models import Case, Count, IntegerField, Q, Value, When

from jichitai.processes.summary_queries import filter_members

from . import rules
from .models import MemberChecklist

SEVERITY = {rules.NG: 0, rules.ATTENTION: 1, rules.OK: 2}  # sorting by an item puts NG first
SORTS = {"code", "name"} | {item for item, _ in rules.ITEMS}


def member_checklists(user, association, *, sort: str = "code", **filters):
    """The stored checklists the association pages' filter keeps, sorted on the server (NG first by an item)."""
    qs = filter_members(MemberChecklist.objects.all(), user, association, **filters).select_related("municipality")
    if sort == "name":
        return qs.order_by("municipality__name", "municipality__code")
    if sort in SORTS - {"code"}:
        severity = Case(*(When(**{f"{sort}_status": status}, then=Value(rank)) for status, rank in SEVERITY.items()),
                        output_field=IntegerField())
        return qs.annotate(severity=severity).order_by("severity", f"-{sort}_findings", "municipality__code")
    return qs.order_by("municipality__code")


def totals_of(checklists) -> dict[str, dict[str, int]]:
    """Per item, how many members are OK, 要確認 and NG: one grouped query."""
    counts = checklists.order_by().aggregate(**{
        f"{item}__{status}": Count("pk", filter=Q(**{f"{item}_status": status}))
        for item, _ in rules.ITEMS for status in SEVERITY})
    return {item: {status: counts[f"{item}__{status}"] for status in SEVERITY} for item, _ in rules.ITEMS}
