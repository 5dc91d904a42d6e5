"""Read models of SPI files and their evaluations, each in a fixed number of queries."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch

from jichitai.core.days import end_of_day
from jichitai.orgs.scoping import visible
from jichitai.processes.models import Process

from . import rules
from .models import Evaluation, ImportantChange, SpiFile


def serious_incident_dates(municipality_ids) -> dict[int, list[dt.date]]:
    """The known-at dates of each body's serious incidents (重大事故), from the incident register."""
    from jichitai.incidents.queries import serious_incident_dates as from_register

    return from_register(list(municipality_ids))


def files_with_history(qs):
    """Files with their processes, evaluations and changes: four queries for any number of files."""
    return qs.prefetch_related(
        Prefetch("processes", queryset=Process.objects.order_by("name")),
        Prefetch("evaluations", queryset=Evaluation.objects.order_by("created_at", "id")),
        Prefetch("changes", queryset=ImportantChange.objects.order_by("changed_on", "id")),
    )


def state_of(spi_file: SpiFile, incidents: dict[int, list[dt.date]], today: dt.date) -> rules.FileState:
    return rules.file_state(
        persons=spi_file.persons, handlers=spi_file.handlers, staff_only=spi_file.staff_only,
        incident_override=spi_file.serious_incident_override,
        incident_dates=incidents.get(spi_file.municipality_id, []),
        evaluations=[e.facts() for e in spi_file.evaluations.all()],
        change_dates=[(c.changed_on, c.reevaluated) for c in spi_file.changes.all()], today=today)


@dataclass
class FileRow:
    spi_file: SpiFile  # processes, evaluations and changes prefetched
    state: rules.FileState


def file_rows(user, municipality, today: dt.date) -> list[FileRow]:
    files = files_with_history(visible(SpiFile.objects.filter(municipality=municipality), user))
    incidents = serious_incident_dates([municipality.id])
    return [FileRow(f, state_of(f, incidents, today)) for f in files]


SORTS = ("name", "required", "review_due", "reevaluation_due", "flags")


def filter_rows(rows: list[FileRow], *, required: str = "", flag: str = "", q: str = "",
                sort: str = "name") -> list[FileRow]:
    """The page's and the export's filters, applied to rows already read (no further query)."""
    if required:
        rows = [r for r in rows if r.state.threshold.required == required]
    if flag == "overdue":
        rows = [r for r in rows if r.state.overdue]
    elif flag == "any":
        rows = [r for r in rows if r.state.flags]
    elif flag:
        rows = [r for r in rows if flag in r.state.flags]
    if q:
        rows = [r for r in rows if q in r.spi_file.name or any(q in p.name for p in r.spi_file.processes.all())]
    far = dt.date.max
    keys = {
        "name": lambda r: r.spi_file.name,
        "required": lambda r: (-rules.RANK[r.state.threshold.required], r.spi_file.name),
        "review_due": lambda r: (r.state.review_due or far, r.spi_file.name),
        "reevaluation_due": lambda r: (r.state.reevaluation_due or far, r.spi_file.name),
        "flags": lambda r: (-len(r.state.flags), r.spi_file.name),
    }
    return sorted(rows, key=keys.get(sort, keys["name"]))


# ---- For the checklist and the progress matrix (wired by the integrator) ----

@dataclass(frozen=True)
class PiaRecord:
    evaluation_kind: str | None  # the latest evaluation done (submitted or published), None when none
    evaluated_on: dt.date | None  # its publication, else submission, date
    required_kind: str  # what the threshold requires now


def _files_of(process_ids, *extra_filters) -> tuple[dict[int, list[int]], dict[int, SpiFile]]:
    through = SpiFile.processes.through
    links = list(through.objects.filter(process_id__in=process_ids).values_list("process_id", "spifile_id"))
    by_process: dict[int, list[int]] = defaultdict(list)
    for pid, fid in links:
        by_process[pid].append(fid)
    files = files_with_history(SpiFile.objects.filter(*extra_filters, id__in={fid for _, fid in links}))
    return by_process, {f.id: f for f in files}


def pia_records(process_ids, as_of: dt.date | None = None) -> dict[int, PiaRecord]:
    """For each process served by an SPI file: what its files require and the evaluation done. Five queries.

    A process served by several files is represented by the file requiring most (ties: the one with the
    weakest evaluation done), so a missing evaluation is never hidden by another file's.
    """
    from django.utils import timezone

    today = as_of or timezone.localdate()
    by_process, files = _files_of(process_ids)
    incidents = serious_incident_dates({f.municipality_id for f in files.values()})
    states = {fid: state_of(f, incidents, today) for fid, f in files.items()}
    result = {}
    for pid, fids in by_process.items():
        def weight(fid):
            state = states[fid]
            done = rules.RANK[state.latest.kind] if state.latest else -1
            return (rules.RANK[state.threshold.required], -done, -fid)

        state = states[max(fids, key=weight)]
        result[pid] = PiaRecord(state.latest.kind if state.latest else None,
                                state.latest.evaluated_on if state.latest else None, state.threshold.required)
    return result


def pia_evidence(process_ids, as_of: dt.date) -> dict[int, str]:
    """The PIA提出 cell the evidence supports on `as_of`, per process served by a file existing then.

    done: every file requiring an evaluation has one submitted on or before `as_of`; started: an evaluation
    begun (started_on, else the day it was recorded) but not all submitted; not_needed: no file requires one;
    not_started otherwise. Processes without a file are absent. Five queries.
    """
    from django.db.models import Q
    from django.utils import timezone

    by_process, files = _files_of(process_ids, Q(created_at__lt=end_of_day(as_of)))
    incidents = serious_incident_dates({f.municipality_id for f in files.values()})
    per_file = {}
    for fid, f in files.items():
        required = state_of(f, incidents, as_of).threshold.required
        evaluations = list(f.evaluations.all())
        submitted = any(e.submitted_on and e.submitted_on <= as_of for e in evaluations)
        begun = any((e.started_on or timezone.localtime(e.created_at).date()) <= as_of for e in evaluations)
        per_file[fid] = (required, submitted, begun)
    return {pid: rules.evidence_status(per_file[fid] for fid in fids if fid in per_file)
            for pid, fids in by_process.items() if any(fid in per_file for fid in fids)}


def evidence_cells(process_ids, as_of: dt.date) -> dict[int, dict[str, str]]:
    """The matrix's PIA提出 column, for processes whose files say more than "not started"."""
    from jichitai.processes.rules import DEFAULT_STATUS

    return {pid: {"pia": status} for pid, status in pia_evidence(process_ids, as_of).items()
            if status != DEFAULT_STATUS}
