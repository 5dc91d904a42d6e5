"""Read models for the register and the progress matrix, each in a fixed number of queries."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils import timezone

from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import visible

from . import rules
from .evidence import evidence
from .models import Process, ProgressCell, ProgressChange


def processes_for(user, municipality: Municipality):
    return visible(Process.objects.filter(municipality=municipality), user).select_related(
        "beppyo_item", "ordinance", "department"
    )


@dataclass
class MatrixRow:
    process: Process
    details: dict[str, rules.Cell]  # column key → the cell as shown, with its evidence

    @property
    def cells(self) -> dict[str, str]:
        return {key: cell.status for key, cell in self.details.items()}


@dataclass
class Matrix:
    municipality: Municipality
    as_of: dt.date
    rows: list[MatrixRow]

    @property
    def totals(self) -> dict[str, dict[str, int]]:
        return rules.totals(row.cells for row in self.rows)

    @property
    def percent_done(self) -> dict[str, float | None]:
        return {key: rules.percent_done(counts) for key, counts in self.totals.items()}


def latest_per_cell(changes):
    """The latest of `changes` in each cell, by (effective_on, id): the fold of the history, done by the database
    (ROW_NUMBER over the progress_change_cell index) instead of reading every change into Python."""
    return changes.order_by().annotate(rank=Window(
        RowNumber(), partition_by=[F("process_id"), F("column")], order_by=[F("effective_on").desc(), F("id").desc()],
    )).filter(rank=1)


def recorded_state(user, as_of: dt.date, **where) -> dict[tuple[int, str], str]:
    """What was recorded in each cell at the end of `as_of`: {(process id, column): status}, one query.

    Today (no change is ever dated in the future) reads the read model, one row per cell; a past date asks the
    database for the latest change on or before it. `where` filters on the process (process_id__in=…)."""
    if as_of >= timezone.localdate():
        rows = visible(ProgressCell.objects.filter(**where), user).order_by()
    else:
        rows = latest_per_cell(visible(ProgressChange.objects.filter(effective_on__lte=as_of, **where), user))
    return {(pid, column): status for pid, column, status in rows.values_list("process_id", "column", "status")}


def progress_matrix(user, municipality: Municipality, as_of: dt.date, processes=None) -> Matrix:
    """The matrix as it stood at the end of `as_of`: two queries whatever the size."""
    if processes is None:
        processes = processes_for(user, municipality)
    processes = list(processes.filter(registered_on__lte=as_of))
    state = recorded_state(user, as_of, process__municipality=municipality)
    derived = evidence([p.id for p in processes], as_of)
    rows = [MatrixRow(p, _cells(state, p.id, derived)) for p in processes]
    return Matrix(municipality, as_of, rows)


def _cells(state, process_id: int, derived: dict) -> dict[str, rules.Cell]:
    return {key: rules.combine(state, process_id, key, derived.get(process_id)) for key in rules.COLUMN_KEYS}


@dataclass
class MemberSummary:
    municipality: Municipality
    processes: int
    totals: dict[str, dict[str, int]]

    @property
    def percent_done(self) -> dict[str, float | None]:
        return {key: rules.percent_done(counts) for key, counts in self.totals.items()}

    @property
    def overall_percent(self) -> float | None:
        return rules.percent_done(rules.all_columns(self.totals))


def cells_by_process(user, process_ids, as_of: dt.date, *, listed: list[int] | None = None
                     ) -> dict[int, dict[str, rules.Cell]]:
    """The matrix cells of these processes on `as_of`, in a fixed number of queries. `process_ids` is a list or
    a subquery of ids (`queryset.values("id")`); with a subquery, `listed` names the processes to answer for."""
    state = recorded_state(user, as_of, process_id__in=process_ids)
    derived = evidence(process_ids, as_of)
    return {pid: _cells(state, pid, derived) for pid in (process_ids if listed is None else listed)}


def association_comparison(user, association, as_of: dt.date) -> list[MemberSummary]:
    """One summary per member municipality, in a fixed number of queries whatever the number of members.

    The processes are passed on as a subquery, never as a list of ids: at national size (66,601 processes) the
    list made every statement hundreds of KB long, slow to plan on PostgreSQL and paired id by id on SQLite."""
    members = list(visible(Municipality.objects.members_of(association), user))
    processes = visible(Process.objects.filter(municipality__in=Municipality.objects.member_ids(association)), user).filter(
        registered_on__lte=as_of)
    rows = list(processes.values_list("id", "municipality_id"))
    cells = cells_by_process(user, processes.order_by().values("id"), as_of, listed=[pid for pid, _ in rows])
    cells_by_member: dict[int, list[dict[str, str]]] = {m.id: [] for m in members}
    for process_id, municipality_id in rows:
        if municipality_id in cells_by_member:
            cells_by_member[municipality_id].append({key: cell.status for key, cell in cells[process_id].items()})
    return [MemberSummary(m, len(cells_by_member[m.id]), rules.totals(cells_by_member[m.id])) for m in members]
