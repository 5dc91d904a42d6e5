"""Every write to the register and the progress matrix. One transaction and one audit entry per action."""

import bisect
import csv
import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from jichitai.audit.services import create_audited, entry, record, record_many, snapshot, update_audited
from jichitai.core.locks import lock_rows
from jichitai.core.wareki import format_wareki

from . import rules
from .models import (
    LegalBasisItem,
    Ordinance,
    OrdinanceAmendment,
    Process,
    ProcessAssignment,
    ProgressCell,
    ProgressChange,
)
from .queries import latest_per_cell

PROCESS_FIELDS = ("name", "department", "beppyo_item", "ordinance", "persons_count", "handlers_count",
                  "systems", "notes", "registered_on")
ORDINANCE_FIELDS = ("name", "article", "effective_on", "repealed_on", "notes")

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


def _lock_processes(ids) -> None:
    """Lock the processes' rows before reading their cells: two requests for one cell at once take turns, and
    the later one reads what the first recorded (and, asking for the same status, records nothing)."""
    lock_rows(Process.objects.filter(pk__in=ids))


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
    _lock_processes([process.pk])
    before = recorded_as_of(process, column, effective_on)
    # A cell never recorded shows 未着手, unless it follows the evidence (then a status is an override).
    shown = rules.DEFAULT_STATUS if before is None and column not in rules.EVIDENCE_COLUMNS else before
    if shown == status or (follows and before is None):
        return None
    change = ProgressChange.objects.create(
        process=process, column=column, status=status, effective_on=effective_on,
        recorded_by=actor if actor is not None and actor.is_authenticated else None, source=via,
    )
    refresh_current_cells([process.pk])
    record(actor=actor, via=via, action="progress.set", obj=process, municipality=process.municipality,
           before={"column": rules.COLUMN_NAMES[column], "status": before or rules.DEFAULT_STATUS},
           after={"column": rules.COLUMN_NAMES[column], "status": status, "effective_on": str(effective_on)})
    return change


@transaction.atomic
def create_processes_bulk(*, actor, via: str, municipality, rows: list[dict]) -> list[Process]:
    """Create many processes at once (imports, the demo); each is validated and audited as process.create."""
    taken = set(Process.objects.filter(municipality=municipality).values_list("name", flat=True))
    processes = []
    for fields in rows:
        process = Process(municipality=municipality, **fields)
        _check_same_municipality(process)
        # The municipality is given and the department and ordinance were checked against it just above;
        # uniqueness is checked against `taken` (one query for all rows instead of one per row).
        process.full_clean(exclude=["municipality", "department", "ordinance"], validate_unique=False,
                           validate_constraints=False)
        if process.name in taken:
            raise ValidationError(_("A process with this name is already registered: %(name)s") % {"name": process.name})
        taken.add(process.name)
        processes.append(process)
    Process.objects.bulk_create(processes)
    record_many([entry(actor=actor, via=via, action="process.create", obj=process, municipality=municipality,
                       after=snapshot(process, PROCESS_FIELDS)) for process in processes])
    return processes


def _timelines(process_ids) -> dict[tuple[int, str], list[tuple[dt.date, int, str]]]:
    """Each cell's recorded history, in order: (effective_on, order, status)."""
    timelines: dict[tuple[int, str], list] = {}
    for pid, column, status, day, pk in (ProgressChange.objects.filter(process_id__in=process_ids)
                                         .order_by("effective_on", "id")
                                         .values_list("process_id", "column", "status", "effective_on", "id")):
        timelines.setdefault((pid, column), []).append((day, pk, status))
    return timelines


@transaction.atomic
def record_progress_bulk(*, actor, via: str, municipality, updates: list[tuple[int, str, str, dt.date]],
                         note: dict | None = None) -> set[int]:
    """Record many cells at once (imports, the demo): (process id, column, status, effective date) each.

    A cell is written only when it differs from what it read on its date, earlier updates of the same call
    included; each written cell is audited as progress.set, like set_progress. Returns the processes changed.
    """
    today = timezone.localdate()
    ids = {pid for pid, *_rest in updates}
    _lock_processes(ids)  # the timelines read below stay what they are until this call has written
    processes = {p.pk: p for p in Process.objects.filter(municipality=municipality, pk__in=ids)}
    if len(processes) != len(ids):
        raise ValidationError(_("Every process must belong to the municipality."))
    for _pid, column, status, day in updates:
        if column not in rules.COLUMN_KEYS or status not in rules.STATUS_CODES:
            raise ValidationError(_("Unknown status: %(status)s") % {"status": f"{column}={status}"})
        if day > today:
            raise ValidationError(_("The date must not be in the future."))
    timelines = _timelines(ids)
    user = actor if actor is not None and actor.is_authenticated else None
    changes, entries, changed = [], [], set()
    now = timezone.now()
    for order, (pid, column, status, day) in enumerate(sorted(updates, key=lambda u: u[3])):
        timeline = timelines.setdefault((pid, column), [])
        # After every change recorded on or before the day (existing rows sort before this call's by order).
        position = bisect.bisect_right(timeline, (day, float("inf"), ""))
        # A cell never recorded reads 未着手, as on the matrix: a blank imported cell changes nothing.
        before = timeline[position - 1][2] if position else rules.DEFAULT_STATUS
        if before == rules.FOLLOW_EVIDENCE:
            before = rules.DEFAULT_STATUS
        if before == status:
            continue
        timeline.insert(position, (day, 10**12 + order, status))
        changes.append(ProgressChange(process_id=pid, column=column, status=status, effective_on=day,
                                      recorded_at=now, recorded_by=user, source=via))
        changed.add(pid)
        entries.append(entry(actor=actor, via=via, action="progress.set", obj=processes[pid], municipality=municipality,
                             before={"column": rules.COLUMN_NAMES[column], "status": before},
                             after={"column": rules.COLUMN_NAMES[column], "status": status,
                                    "effective_on": str(day)} | (note or {})))
    ProgressChange.objects.bulk_create(changes, batch_size=1000)
    refresh_current_cells(list(changed))
    record_many(entries)
    return changed


def refresh_current_cells(process_ids) -> int:
    """Rewrite the read model (ProgressCell) of these processes from their history; called inside the writing
    transaction. `process_ids` is a list or a subquery. Returns the number of cells written."""
    latest = latest_per_cell(ProgressChange.objects.filter(process_id__in=process_ids)).values_list(
        "id", "process_id", "column", "status")
    cells = [ProgressCell(change_id=pk, process_id=pid, column=column, status=status)
             for pk, pid, column, status in latest]
    ProgressCell.objects.filter(process_id__in=process_ids).delete()
    ProgressCell.objects.bulk_create(cells, batch_size=1000)
    return len(cells)


def rebuild_current_cells(*, batch: int = 2000, progress=None) -> int:
    """Rebuild the whole read model from the history (`jichitai progress --rebuild`), a batch of processes per
    transaction so memory stays bounded at national size. `progress(done, total)` is told after each batch."""
    ids = list(Process.objects.order_by("pk").values_list("pk", flat=True))
    written = 0
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            chunk = ids[start:start + batch]
            _lock_processes(chunk)
            written += refresh_current_cells(chunk)
        if progress is not None:
            progress(min(start + batch, len(ids)), len(ids))
    return written


@transaction.atomic
def backdate_registration(*, actor, via: str, municipality, process_ids, day: dt.date) -> int:
    """Processes a sheet dated `day` lists existed then: move a later registration date back to it."""
    later = list(Process.objects.filter(municipality=municipality, pk__in=process_ids, registered_on__gt=day))
    entries = [entry(actor=actor, via=via, action="process.update", obj=p, municipality=municipality,
                     before={"registered_on": str(p.registered_on)}, after={"registered_on": str(day)}) for p in later]
    Process.objects.filter(pk__in=[p.pk for p in later]).update(registered_on=day)
    record_many(entries)
    return len(later)


@transaction.atomic
def set_assignments_bulk(*, actor, via: str, municipality, wanted: dict[int, set[int]]) -> set[int]:
    """Make each listed person's processes exactly `wanted[staff id]`; audited per person as staff.assign.

    Staff and processes must belong to the municipality. Returns the people (staff ids) whose list changed.
    """
    from jichitai.orgs.models import Staff

    staff = {s.pk: s for s in Staff.objects.filter(municipality=municipality, pk__in=wanted)}
    process_ids = {pid for pids in wanted.values() for pid in pids}
    if len(staff) != len(wanted) or Process.objects.filter(municipality=municipality,
                                                          pk__in=process_ids).count() != len(process_ids):
        raise ValidationError(_("Ordinances, staff and processes must belong to the same municipality."))
    current: dict[int, set[int]] = {pk: set() for pk in wanted}
    for staff_id, process_id in ProcessAssignment.objects.filter(staff_id__in=wanted).values_list("staff_id",
                                                                                                  "process_id"):
        current[staff_id].add(process_id)
    known = process_ids | {pid for pids in current.values() for pid in pids}
    names = dict(Process.objects.filter(pk__in=known).values_list("pk", "name"))
    added, entries = [], []
    for staff_id, pids in wanted.items():
        if pids == current[staff_id]:
            continue
        if current[staff_id] - pids:
            ProcessAssignment.objects.filter(staff_id=staff_id, process_id__in=current[staff_id] - pids).delete()
        added += [ProcessAssignment(staff_id=staff_id, process_id=pid) for pid in sorted(pids - current[staff_id])]
        entries.append(entry(actor=actor, via=via, action="staff.assign", obj=staff[staff_id], municipality=municipality,
                             before={"processes": sorted(names[p] for p in current[staff_id])},
                             after={"processes": sorted(names[p] for p in pids)}))
    ProcessAssignment.objects.bulk_create(added, batch_size=1000)
    record_many(entries)
    return {int(e.object_id) for e in entries}


@transaction.atomic
def create_ordinance(*, actor, via: str, municipality, **fields) -> Ordinance:
    ordinance = Ordinance(municipality=municipality, **fields)
    _check_ordinance_dates(ordinance)
    return create_audited(actor=actor, via=via, obj=ordinance, fields=ORDINANCE_FIELDS, action="ordinance.create",
                          municipality=municipality)


def _check_ordinance_dates(ordinance: Ordinance) -> None:
    if ordinance.repealed_on is not None and ordinance.effective_on is not None \
            and ordinance.repealed_on <= ordinance.effective_on:
        raise ValidationError("廃止日は施行日より後の日付にしてください。")


@transaction.atomic
def update_ordinance(*, actor, via: str, ordinance: Ordinance, **fields) -> Ordinance:
    """Correct the ordinance's name, article, dates or notes (an amendment is recorded with amend_ordinance)."""
    return update_audited(actor=actor, via=via, obj=ordinance, changes=fields, fields=ORDINANCE_FIELDS,
                          action="ordinance.update", municipality=ordinance.municipality, check=_check_ordinance_dates)


@transaction.atomic
def repeal_ordinance(*, actor, via: str, ordinance: Ordinance, on) -> Ordinance:
    """The article is no longer in force from `on` (the repealing ordinance's 施行日). Kept: the processes and
    linkages resting on it keep naming it, and a past date still finds it in force."""
    if ordinance.repealed_on is not None:
        raise ValidationError(f"この条例は既に{format_wareki(ordinance.repealed_on)}に廃止されています。")
    if ordinance.effective_on is not None and on <= ordinance.effective_on:
        raise ValidationError("廃止日は施行日より後の日付にしてください。")
    ordinance.repealed_on = on
    ordinance.save(update_fields=["repealed_on"])
    record(actor=actor, via=via, action="ordinance.repeal", obj=ordinance, municipality=ordinance.municipality,
           after={"repealed_on": on.isoformat()})
    return ordinance


@transaction.atomic
def amend_ordinance(*, actor, via: str, ordinance: Ordinance, amended_on, articles: str, summary: str,
                    note: str = "") -> OrdinanceAmendment:
    """Record an amendment (一部改正) of the ordinance: its 施行日, the articles it changed and how."""
    if ordinance.repealed_on is not None and amended_on >= ordinance.repealed_on:
        raise ValidationError("廃止日以降の改正は記録できません。")
    if ordinance.effective_on is not None and amended_on < ordinance.effective_on:
        raise ValidationError("改正日は条例の施行日以降にしてください。")
    amendment = OrdinanceAmendment(ordinance=ordinance, amended_on=amended_on, articles=articles, summary=summary,
                                   note=note)
    amendment.full_clean()
    amendment.save()
    record(actor=actor, via=via, action="ordinance.amend", obj=ordinance, municipality=ordinance.municipality,
           after={"amended_on": amended_on.isoformat(), "articles": articles, "summary": summary} | (
               {"note": note} if note else {}))
    return amendment


@transaction.atomic
def delete_ordinance(*, actor, via: str, ordinance: Ordinance) -> None:
    """Delete an ordinance nothing rests on (a mistaken entry). One a process or a linkage names is repealed
    instead, so the records and past dates stay right."""
    record(actor=actor, via=via, action="ordinance.delete", obj=ordinance, municipality=ordinance.municipality,
           before=snapshot(ordinance, ORDINANCE_FIELDS))
    try:
        with transaction.atomic():
            ordinance.delete()
    except ProtectedError:
        raise ValidationError("この条例は事務または情報連携の根拠として登録されているため削除できません。"
                              "効力を失った場合は廃止日を登録してください。") from None


def move_department_processes(*, actor, via: str, source, target, day) -> None:
    """orgs.services.merge_department's hook: the merged section's processes belong to the section it was merged
    into. Audited per process as process.update, like a change of the process's department on its page."""
    processes = list(Process.objects.filter(department=source).order_by("pk"))
    for process in processes:
        process.department = target
    Process.objects.bulk_update(processes, ["department"], batch_size=1000)
    record_many([entry(actor=actor, via=via, action="process.update", obj=p, municipality=source.municipality,
                       before={"department": source.name}, after={"department": target.name})
                 for p in processes])


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
