"""Read models of the audit log: the operator's whole log, filtered and sorted (views scope the rest)."""


from django.db.models import Q, QuerySet

from jichitai.core.wareki import DateParseError, parse_date

from .models import AuditEntry, DataHead

SORTS = {"-at": ("-at", "-id"), "at": ("at", "id"), "action": ("action", "-at", "-id"),
         "actor": ("actor_name", "-at", "-id"), "municipality": ("municipality__code", "-at", "-id")}


def filtered(qs: QuerySet, params) -> QuerySet:
    """Apply the audit pages' filters (GET parameters): municipality code, association name, action, user, from,
    to (dates, Japan time, inclusive) and sort. Unknown or malformed values are ignored."""
    if code := (params.get("municipality") or "").strip():
        qs = qs.filter(municipality__code=code)
    if association := (params.get("association") or "").strip():
        qs = qs.filter(association__name__icontains=association)
    if action := (params.get("action") or "").strip():
        qs = qs.filter(action__startswith=action)
    if actor := (params.get("actor") or "").strip():
        qs = qs.filter(actor_name__icontains=actor)
    for name, lookup in (("from", "at__date__gte"), ("to", "at__date__lte")):
        try:
            day = parse_date(params.get(name) or "")  # 和暦 too (R8.12.3), as every date input
        except DateParseError:
            continue
        qs = qs.filter(**{lookup: day})
    return qs.select_related("municipality", "association").order_by(*SORTS.get(params.get("sort"), SORTS["-at"]))


def every_entry(params) -> QuerySet:
    """The whole log, for the installation's operator only (the view checks who asks)."""
    return filtered(AuditEntry.objects.all(), params)


def chain_heads(municipality_ids, association_ids) -> tuple[dict[int, int], dict[int, int]]:
    """The sequence number of the last data change in each municipality's and association's audit chain (0 when
    none; DataHead), one query. Every write is audited in its tenant's chain, so this head moves whenever the
    tenant's data changes: the member summaries keep the heads they were evaluated at and are stale once one has
    moved on."""
    own = dict.fromkeys(municipality_ids, 0)
    theirs = {aid: 0 for aid in association_ids if aid is not None}
    for mid, aid, seq in DataHead.objects.filter(Q(municipality_id__in=list(own)) | Q(association_id__in=list(theirs))
                                                 ).values_list("municipality_id", "association_id", "seq"):
        if mid is not None:
            own[mid] = seq
        else:
            theirs[aid] = seq
    return own, theirs
