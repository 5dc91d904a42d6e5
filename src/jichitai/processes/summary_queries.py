"""The association page read from the stored member summaries: filters, sorting, totals and paging in SQL."""

import datetime as dt

from django.db.models import F, FloatField, Q, Sum, Value
from django.db.models.functions import Cast, NullIf

from jichitai.orgs.models import Association, Municipality
from jichitai.orgs.scoping import visible

from . import rules
from .models import MemberEvaluation, MemberProgress
from .queries import MemberSummary

COUNT_FIELDS = [MemberProgress.count_field(key, code) for key in rules.COLUMN_KEYS for code in rules.STATUS_CODES]


def members_of(user, association):
    return visible(Municipality.objects.members_of(association), user)


def stale_member_ids(user, association, today: dt.date) -> list[int]:
    """Members without a summary of today, or whose records (their audit chain, or their association's) changed
    since it was evaluated. One query: the chains' DataHead rows are joined, not searched for."""
    unchanged = Q(municipality__data_head__isnull=True) | Q(municipality__data_head__seq__lte=F("municipality_seq"))
    association_unchanged = (Q(municipality__association__data_head__isnull=True)
                             | Q(municipality__association__data_head__seq__lte=F("association_seq")))
    fresh = MemberProgress.objects.filter(unchanged, association_unchanged, as_of=today,
                                          municipality__in=Municipality.objects.member_ids(association))
    return list(members_of(user, association).exclude(pk__in=fresh.values("municipality_id"))
                .order_by("pk").values_list("pk", flat=True))


def _percent(done, needed):
    """rules.percent_done in SQL, for sorting: NULL when no cell is needed."""
    return Cast(F(done), FloatField()) * Value(100.0) / NullIf(needed, Value(0))


def _sorted(qs, sort: str):
    if sort == "name":
        return qs.order_by("municipality__name", "municipality__code")
    if sort == "processes":
        return qs.order_by(F("processes").desc(), "municipality__code")
    if sort in rules.COLUMN_KEYS:
        needed = F("processes") - F(MemberProgress.count_field(sort, "not_needed"))
        return qs.annotate(sort_value=_percent(MemberProgress.count_field(sort, "done"), needed)).order_by(
            F("sort_value").desc(nulls_last=True), "municipality__code")
    if sort == "overall":
        done = sum((F(MemberProgress.count_field(key, "done")) for key in rules.COLUMN_KEYS[1:]),
                   F(MemberProgress.count_field(rules.COLUMN_KEYS[0], "done")))
        needed = F("processes") * len(rules.COLUMN_KEYS) - sum(
            (F(MemberProgress.count_field(key, "not_needed")) for key in rules.COLUMN_KEYS[1:]),
            F(MemberProgress.count_field(rules.COLUMN_KEYS[0], "not_needed")))
        return qs.annotate(sort_done=done).annotate(sort_value=_percent("sort_done", needed)).order_by(
            F("sort_value").desc(nulls_last=True), "municipality__code")
    return qs.order_by("municipality__code")


def filter_members(rows, user, association, *, q: str = "", prefecture: str = "", group: int | None = None,
                   path: str = "municipality__"):
    """The rows of the association's members that the association pages' filter keeps: part of the name or code,
    a prefecture number, members of another association too. `rows` are per-member rows reached through `path`
    (a stored summary), or the members themselves with path=""."""
    member = f"{path}pk" if path else "pk"
    rows = visible(rows.filter(**{f"{member}__in": Municipality.objects.member_ids(association)}), user)
    if group:
        rows = rows.filter(**{f"{member}__in": Municipality.objects.member_ids(group)})
    if q:
        rows = rows.filter(Q(**{f"{path}name__contains": q}) | Q(**{f"{path}code__contains": q}))
    if prefecture:
        rows = rows.filter(**{f"{path}code__startswith": prefecture})
    return rows


def member_progress(user, association, *, sort: str = "code", **filters):
    """The stored summaries the filter keeps (filter_members), sorted on the server. A queryset: the page slices
    it, the export reads it all."""
    rows = filter_members(MemberProgress.objects.all(), user, association, **filters)
    return _sorted(rows.select_related("municipality"), sort)


def groups_of(association) -> list[tuple[int, str]]:
    """The other associations its members belong to (as their own, or joined): the association filter's
    choices. Their names only; their data stays theirs."""
    ids = Municipality.objects.member_ids(association)
    return list(Association.objects.filter(Q(members__in=ids) | Q(joined_members__municipality__in=ids))
                .exclude(pk=association.pk).distinct().order_by("name").values_list("pk", "name"))


def totals_of(summaries) -> dict[str, dict[str, int]]:
    """The totals row: every count summed by the database, one query."""
    sums = summaries.order_by().aggregate(**{name: Sum(name) for name in COUNT_FIELDS})
    return {key: {code: sums[MemberProgress.count_field(key, code)] or 0 for code in rules.STATUS_CODES}
            for key in rules.COLUMN_KEYS}


def as_summaries(rows) -> list[MemberSummary]:
    return [MemberSummary(row.municipality, row.processes, row.totals) for row in rows]


def latest_run(user, association) -> MemberEvaluation | None:
    return visible(MemberEvaluation.objects.filter(association=association), user).first()
