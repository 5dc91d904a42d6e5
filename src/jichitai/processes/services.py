"""Every write to the register and the progress matrix. One transaction and one audit entry per action."""

import csv
import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.audit.services import create_audited, record, snapshot, update_audited

from . import rules
from .models import LegalBasisItem, Ordinance, Process, ProgressChange

PROCESS_FIELDS = ("name", "department", "beppyo_item", "ordinance", "persons_count", "handlers_count",
                  "systems", "notes", "registered_on")
ORDINANCE_FIELDS = ("name", "article", "effective_on", "notes")

BEPPYO_PATH = Path(__file__).resolve().parent.parent / "data" / "beppyo.tsv"
BEPPYO_REVISION = "425AC0000000027_20260717_508AC0000000056"


def _check_same_municipality(process: Process) -> None:
    for related in (process.department, process.ordinance):
        if related is not None and related.municipality_id != process.municipality_id:
            raise ValidationError(_("The department and ordinance must belong to the same municipality."))


@transaction.atomic
def create_process(*, actor, via: str, municipality, **fields) -> Process:
    process = Process(municipality=municipality, **fields)
    _check_same_municipality(process)
    return create_audited(actor=actor, via=via, obj=process, fields=PROCESS_FIELDS, action="process.create",
                          municipality=municipality)

@transaction.atomic
def update_process(*, actor, via: str, process: Process, **fields) -> Process:
    return update_audited(actor=actor, via=via, obj=process, changes=fields, fields=PROCESS_FIELDS,
                          action="process.update", municipality=process.municipality, check=_check_same_municipality)

@transaction.atomic
def delete_process(*, actor, via: str, process: Process) -> None:
    before = snapshot(process, PROCESS_FIELDS)
    record(actor=actor, via=via, action="process.delete", obj=process,
           municipality=process.municipality, before=before)
    process.delete()


def recorded_as_of(process: Process, column: str, day: dt.date) -> str | None:
    """The value a user recorded for the cell (None if never), not what the matrix shows."""
    change = (ProgressChange.objects.filter(process=process, column=column, effective_on__lte=day)
              .order_by("effective_on", "id").last())
    return change.status if change else None


@transaction.atomic
def set_progress(*, actor, via: str, process: Process, column: str, status: str,
                 effective_on: dt.date | None = None) -> ProgressChange | None:
    """Record one cell's new status; nothing is written when the status does not change."""
    today = timezone.localdate()
    effective_on = effective_on or today
    if column not in rules.COLUMN_KEYS:
        raise ValidationError(_("Unknown progress column: %(column)s") % {"column": column})
    follows = status == rules.FOLLOW_EVIDENCE and column in rules.EVIDENCE_COLUMNS
    if status not in rules.STATUS_CODES and not follows:
        raise ValidationError(_("Unknown status: %(status)s") % {"status": status})
    if effective_on > today:
        raise ValidationError(_("The date must not be in the future."))
    before = recorded_as_of(process, column, effective_on)
    if before == status or (follows and before is None):
        return None
    change = ProgressChange.objects.create(
        process=process, column=column, status=status, effective_on=effective_on,
        recorded_by=actor if actor is not None and actor.is_authenticated else None, source=via,
    )
    record(actor=actor, via=via, action="progress.set", obj=process, municipality=process.municipality,
           before={"column": rules.COLUMN_NAMES[column], "status": before or rules.DEFAULT_STATUS},
           after={"column": rules.COLUMN_NAMES[column], "status": status, "effective_on": str(effective_on)})
    return change


@transaction.atomic
def create_ordinance(*, actor, via: str, municipality, **fields) -> Ordinance:
    return create_audited(actor=actor, via=via, obj=Ordinance(municipality=municipality, **fields),
                          fields=ORDINANCE_FIELDS, action="ordinance.create", municipality=municipality)

@transaction.atomic
def update_ordinance(*, actor, via: str, ordinance: Ordinance, **fields) -> Ordinance:
    return update_audited(actor=actor, via=via, obj=ordinance, changes=fields, fields=ORDINANCE_FIELDS,
                          action="ordinance.update", municipality=ordinance.municipality)

def read_beppyo(path: Path = BEPPYO_PATH) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


@transaction.atomic
def load_beppyo(*, actor=None, path: Path = BEPPYO_PATH, revision: str = BEPPYO_REVISION) -> dict:
    """Create or update every 別表 item. Running it twice changes nothing the second time."""
    existing = {item.seq: item for item in LegalBasisItem.objects.all()}
    created = updated = 0
    for row in read_beppyo(path):
        values = {"item": row["item"], "item_arabic": row["item_arabic"], "implementer": row["implementer"],
                  "process": row["process"], "revision": revision}
        item = existing.get(int(row["seq"]))
        if item is None:
            LegalBasisItem.objects.create(seq=int(row["seq"]), **values)
            created += 1
        elif any(getattr(item, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(item, key, value)
            item.save()
            updated += 1
    result = {"created": created, "updated": updated, "total": LegalBasisItem.objects.count(),
              "revision": revision}
    if created or updated:
        marker = LegalBasisItem.objects.order_by("seq").first()
        record(actor=actor, via="command", action="beppyo.load", obj=marker, after=result)
    return result
