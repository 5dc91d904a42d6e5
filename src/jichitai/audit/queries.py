"""Read models of the audit log: the operator's whole log, filtered and sorted (views scope the rest)."""

import datetime as dt

from django.db.models import QuerySet

from .models import AuditEntry

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
            day = dt.date.fromisoformat((params.get(name) or "").strip())
        except ValueError:
            continue
        qs = qs.filter(**{lookup: day})
    return qs.select_related("municipality", "association").order_by(*SORTS.get(params.get("sort"), SORTS["-at"]))


def every_entry(params) -> QuerySet:
    """The whole log, for the installation's operator only (the view checks who asks)."""
    return filtered(AuditEntry.objects.all(), params)


# Actions that change no tenant data (sign-ins, accounts and roles, the evaluation runs themselves): a summary read
# before them is still fresh. A new action that changes data needs nothing here.
NOT_DATA_CHANGES = ("login.", "logout", "password.", "two_factor.", "user.", "membership.", "apitoken.",
                    "members.evaluate")


def _data_changes():
    from django.db.models import Q

    skipped = Q()
    for prefix in NOT_DATA_CHANGES:
        skipped |= Q(action__startswith=prefix)
    return ~skipped


def chain_heads(municipality_ids, association_ids) -> tuple[dict[int, int], dict[int, int]]:
    """The sequence number of the last data change in each municipality's and association's audit chain (0 when
    none), one query. Every write is audited in its tenant's chain, so this head moves whenever the tenant's data
    changes: the member summaries keep the heads they were evaluated at and are stale once one has moved on."""
    from django.db.models import Max

    from . import chain

    keys = {chain.chain_key(mid, None): ("m", mid) for mid in municipality_ids}
    keys |= {chain.chain_key(None, aid): ("a", aid) for aid in association_ids if aid is not None}
    heads = {"m": dict.fromkeys(municipality_ids, 0), "a": {aid: 0 for aid in association_ids if aid is not None}}
    rows = (AuditEntry.objects.filter(_data_changes(), chain__in=list(keys), seq__isnull=False).order_by().values("chain")
            .annotate(head=Max("seq")).values_list("chain", "head"))
    for key, head in rows:
        kind, pk = keys[key]
        heads[kind][pk] = head
    return heads["m"], heads["a"]


def chain_head_of(kind: str, outer_id_field: str):
    """chain_heads' head for the outer row's municipality ("m") or association ("a"), as a correlated subquery:
    one backward index scan per row (audit_chain_seq_unique), where grouping would read every entry."""
    from django.db.models import CharField, OuterRef, Subquery, Value
    from django.db.models.functions import Cast, Coalesce, Concat

    key = Concat(Value(f"{kind}:"), Cast(OuterRef(outer_id_field), CharField()), output_field=CharField())
    latest = AuditEntry.objects.filter(_data_changes(), chain=key, seq__isnull=False).order_by("-seq").values("seq")[:1]
    return Coalesce(Subquery(latest), Value(0))
