"""The stored checklist of each member, a step of every member evaluation (processes.summary_services writes it)."""

import datetime as dt

from django.utils import timezone

from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import COMMAND_LINE

from .models import MemberChecklist
from .queries import evaluate


def store_checklists(member_ids: list[int], as_of: dt.date, heads) -> tuple[type, list]:
    """Evaluate the five items of these members (one pass for the batch): each member's verdicts, to be stored."""
    del heads  # the member's MemberProgress, written in the same transaction, keeps them for both
    members = list(Municipality.objects.filter(pk__in=member_ids))
    results = evaluate(COMMAND_LINE, members, as_of)
    now = timezone.now()
    rows = []
    for member in members:
        row = MemberChecklist(municipality=member, as_of=as_of, evaluated_at=now)
        for item in results[member.pk]:
            setattr(row, f"{item.id}_status", item.status)
            setattr(row, f"{item.id}_findings", len(item.findings))
        rows.append(row)
    return MemberChecklist, rows
