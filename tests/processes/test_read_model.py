"""The current cells (ProgressCell) and the past-date query equal the fold of the history (issue 12).

Histories are generated: single cells set on any past date, imports back-dated before what is already recorded,
overrides dropped (「証跡に従う」). The fold is rules.resolve_as_of over every change in (effective_on, id) order,
the definition the read model must keep. CI runs this on SQLite and on PostgreSQL.
"""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jichitai.orgs.scoping import COMMAND_LINE
from jichitai.processes import rules
from jichitai.processes.models import Process, ProgressCell, ProgressChange
from jichitai.processes.queries import recorded_state
from jichitai.processes.services import rebuild_current_cells, record_progress_bulk, set_progress

DAYS = 40  # histories span the last 40 days
cells = st.tuples(st.integers(0, 2), st.sampled_from(rules.COLUMN_KEYS), st.sampled_from(rules.STATUS_CODES),
                  st.integers(0, DAYS))
one_cell = cells.map(lambda cell: ("set", *cell))
drop_override = st.tuples(st.integers(0, 2), st.sampled_from(rules.EVIDENCE_COLUMNS), st.integers(0, DAYS)).map(
    lambda c: ("set", c[0], c[1], rules.FOLLOW_EVIDENCE, c[2]))
an_import = st.lists(cells, min_size=1, max_size=8).map(lambda rows: ("import", rows))
histories = st.lists(st.one_of(one_cell, drop_override, an_import), min_size=1, max_size=25)


def fold(process_ids, as_of: dt.date | None = None) -> dict[tuple[int, str], str]:
    changes = ProgressChange.objects.filter(process_id__in=process_ids).order_by("effective_on", "id")
    if as_of is not None:
        changes = changes.filter(effective_on__lte=as_of)
    return rules.resolve_as_of(changes.values_list("process_id", "column", "status"))


def current_cells(process_ids) -> dict[tuple[int, str], str]:
    return {(pid, column): status for pid, column, status in
            ProgressCell.objects.filter(process_id__in=process_ids).values_list("process_id", "column", "status")}


def play(history, processes) -> None:
    today = timezone.localdate()
    for step in history:
        if step[0] == "set":
            _kind, index, column, status, back = step
            set_progress(actor=None, via="command", process=processes[index], column=column, status=status,
                         effective_on=today - dt.timedelta(days=back))
        else:
            record_progress_bulk(actor=None, via="import", municipality=processes[0].municipality,
                                 updates=[(processes[i].pk, column, status, today - dt.timedelta(days=back))
                                          for i, column, status, back in step[1]])


@pytest.fixture
def three_processes(municipality):
    return [Process.objects.create(municipality=municipality, name=f"読み取りモデル{i}") for i in range(3)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(history=histories, past=st.lists(st.integers(0, DAYS + 1), min_size=1, max_size=4))
def test_current_cells_and_past_dates_equal_the_fold_of_the_history(three_processes, history, past):
    ids = [p.pk for p in three_processes]
    today = timezone.localdate()
    with transaction.atomic():
        play(history, three_processes)
        assert current_cells(ids) == fold(ids)
        assert recorded_state(COMMAND_LINE, today, process_id__in=ids) == fold(ids)
        for back in past:  # the past-date query (the database's window function) against the fold
            day = today - dt.timedelta(days=back)
            assert recorded_state(COMMAND_LINE, day, process_id__in=ids) == fold(ids, day)
        transaction.set_rollback(True)


def test_a_back_dated_import_leaves_the_later_value_current(process):
    today = timezone.localdate()
    set_progress(actor=None, via="web", process=process, column="ordinance", status="done")
    record_progress_bulk(actor=None, via="import", municipality=process.municipality,
                         updates=[(process.pk, "ordinance", "started", today - dt.timedelta(days=30))])
    assert current_cells([process.pk]) == {(process.pk, "ordinance"): "done"}
    assert recorded_state(COMMAND_LINE, today - dt.timedelta(days=1), process_id__in=[process.pk]) == {
        (process.pk, "ordinance"): "started"}


def test_rebuild_restores_a_damaged_read_model(municipality, three_processes):
    today = timezone.localdate()
    record_progress_bulk(actor=None, via="import", municipality=municipality, updates=[
        (p.pk, column, "started", today - dt.timedelta(days=3)) for p in three_processes for column in ("flow", "pia")])
    set_progress(actor=None, via="web", process=three_processes[0], column="flow", status="done")
    ids = [p.pk for p in three_processes]
    expected = fold(ids)
    ProgressCell.objects.filter(process=three_processes[1]).delete()
    ProgressCell.objects.filter(process=three_processes[2]).update(status="not_needed")
    assert current_cells(ids) != expected
    seen = []
    assert rebuild_current_cells(batch=2, progress=lambda done, total: seen.append((done, total))) == len(expected)
    assert current_cells(ids) == expected
    assert seen[-1][0] == seen[-1][1] == Process.objects.count()
