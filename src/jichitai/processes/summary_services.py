"""Writes the members' summaries (MemberProgress, and whatever the apps above register) and runs evaluations.

A summary is derived data, like ProgressCell: rewritten from the records, never edited, so only the run a user
asks for is audited. Members are evaluated a batch at a time, each batch in its own transaction, so memory stays
bounded whatever the number of members and the page can show how far a run has gone.
"""

import datetime as dt
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jichitai.audit.queries import chain_heads
from jichitai.audit.services import record
from jichitai.orgs.models import Municipality
from jichitai.orgs.scoping import COMMAND_LINE

from . import rules
from .models import MemberEvaluation, MemberProgress, Process
from .queries import cells_by_process

BATCH = 50
logger = logging.getLogger(__name__)

# (member ids, as_of, {member id: (municipality head, association head)}) → (model, its summary rows to upsert).
Step = Callable[[list[int], dt.date, dict[int, tuple[int, int]]], tuple[type, list]]
_STEPS: list[Step] = []


def register_step(step: Step) -> None:
    """Apps above the register (the checklist) add their per-member summaries to every evaluation."""
    if step not in _STEPS:
        _STEPS.append(step)


def _progress_step(member_ids: list[int], as_of: dt.date, heads: dict[int, tuple[int, int]]) -> tuple[type, list]:
    processes = Process.objects.filter(municipality_id__in=member_ids, registered_on__lte=as_of)
    rows = list(processes.order_by().values_list("id", "municipality_id"))
    cells = cells_by_process(COMMAND_LINE, processes.order_by().values("id"), as_of, listed=[pid for pid, _ in rows])
    by_member: dict[int, list[dict[str, str]]] = {mid: [] for mid in member_ids}
    for pid, mid in rows:
        by_member[mid].append({key: cell.status for key, cell in cells[pid].items()})
    now = timezone.now()
    summaries = []
    for mid, member_cells in by_member.items():
        summary = MemberProgress(municipality_id=mid, as_of=as_of, evaluated_at=now, municipality_seq=heads[mid][0],
                                 association_seq=heads[mid][1], processes=len(member_cells))
        for key, counts in rules.totals(member_cells).items():
            for code, count in counts.items():
                setattr(summary, MemberProgress.count_field(key, code), count)
        summaries.append(summary)
    return MemberProgress, summaries


def _upsert(model, rows: list) -> None:
    """Insert or overwrite the summaries (INSERT … ON CONFLICT on the municipality): two evaluations of one member
    at once both succeed, whichever lands last stands, and its chain heads say whether it is still fresh."""
    fields = [f.name for f in model._meta.concrete_fields if f.name != "municipality"]
    model.objects.bulk_create(rows, update_conflicts=True, unique_fields=["municipality"], update_fields=fields)


def evaluate_members(member_ids, as_of: dt.date, *, progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrite every summary of these members for `as_of`, a batch at a time; returns how many.

    Each batch reads its chain heads first, then the records (a write landing in between leaves the summary
    stale, never one that looks fresh without it), and writes its summaries in one short transaction, so that
    evaluations in several processes (`evaluate-members --workers`) write side by side, on SQLite too."""
    member_ids = list(member_ids)
    for start in range(0, len(member_ids), BATCH):
        batch = member_ids[start:start + BATCH]
        associations = dict(Municipality.objects.filter(pk__in=batch).values_list("pk", "association_id"))
        own, theirs = chain_heads(batch, set(associations.values()))
        heads = {mid: (own[mid], theirs.get(associations[mid], 0)) for mid in batch}
        written = [step(batch, as_of, heads) for step in (_progress_step, *_STEPS)]
        with transaction.atomic():
            for model, rows in written:
                _upsert(model, rows)
        if progress is not None:
            progress(min(start + BATCH, len(member_ids)), len(member_ids))
    return len(member_ids)


def evaluate_in_processes(member_ids: list[int], as_of: dt.date, workers: int,
                          progress: Callable[[int, int], None] | None = None) -> int:
    """evaluate_members shared out to `workers` forked processes (the command's --workers: the checklist is
    Python work, one core per process). Each opens its own connection; progress comes back through a queue."""
    import multiprocessing

    from django.db import connections

    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    shares = [member_ids[i::workers] for i in range(workers)]
    connections.close_all()  # a forked process must not share the parent's connection
    children = [context.Process(target=_evaluate_share, args=(share, as_of, queue)) for share in shares if share]
    for child in children:
        child.start()
    done, finished = 0, 0
    while finished < len(children):
        message = queue.get()
        if message is None:
            finished += 1
            continue
        if isinstance(message, str):
            for child in children:
                child.terminate()
            raise RuntimeError(message)
        done += message
        if progress is not None:
            progress(done, len(member_ids))
    for child in children:
        child.join()
    return done


def _in_memory_database() -> bool:
    """An in-memory SQLite database (the tests') lives in one process: other processes would not see it."""
    return connection.vendor == "sqlite" and connection.creation.is_in_memory_db(connection.settings_dict["NAME"])


def _evaluate_share(share: list[int], as_of: dt.date, queue) -> None:
    last = 0

    def report(done: int, _total: int) -> None:
        nonlocal last
        queue.put(done - last)
        last = done

    try:
        evaluate_members(share, as_of, progress=report)
    except Exception as exc:  # noqa: BLE001 - the parent records why the run stopped
        queue.put(type(exc).__name__)
    else:
        queue.put(None)
    finally:
        connection.close()


# ---- Runs ------------------------------------------------------------------------------------------------------

@transaction.atomic
def queue_evaluation(*, actor, via: str, association, member_ids: list[int]) -> MemberEvaluation:
    """Record (and audit) a run over these members; run_evaluation carries it out."""
    run = MemberEvaluation.objects.create(association=association, as_of=timezone.localdate(), total=len(member_ids),
                                          requested_by=actor if actor is not None and actor.is_authenticated else None)
    record(actor=actor, via=via, action="members.evaluate", obj=run, association=association,
           after={"members": len(member_ids)})
    return run


@transaction.atomic
def start_evaluation(*, actor, via: str, association, member_ids: list[int]) -> MemberEvaluation:
    """Queue a run and start it once the transaction commits: in a thread of this server
    (JICHITAI_BACKGROUND_THREADS), else before the response, as the tests do."""
    run = queue_evaluation(actor=actor, via=via, association=association, member_ids=member_ids)
    if getattr(settings, "JICHITAI_BACKGROUND_THREADS", True):
        transaction.on_commit(lambda: threading.Thread(target=_in_thread, args=(run.pk, member_ids),
                                                       daemon=True).start())
    else:
        transaction.on_commit(lambda: run_evaluation(run.pk, member_ids))
    return run


def _in_thread(run_pk: int, member_ids: list[int]) -> None:
    try:
        run_evaluation(run_pk, member_ids)
    finally:
        connection.close()  # the thread's own connection


def run_evaluation(run_pk: int, member_ids: list[int], progress: Callable[[int, int], None] | None = None,
                   workers: int = 1) -> None:
    """Carry out a run, noting its progress after every batch; a failure is kept on the run, not raised."""
    runs = MemberEvaluation.objects.filter(pk=run_pk)
    runs.update(state=MemberEvaluation.State.RUNNING, heartbeat_at=timezone.now())

    def note(done: int, total: int) -> None:
        runs.update(done=done, heartbeat_at=timezone.now())
        if progress is not None:
            progress(done, total)

    try:
        as_of = runs.get().as_of
        # Forking closes this process's connection: not inside a transaction, nor on an in-memory database.
        if workers > 1 and not connection.in_atomic_block and not _in_memory_database():
            evaluate_in_processes(member_ids, as_of, workers, progress=note)
        else:
            evaluate_members(member_ids, as_of, progress=note)
    except Exception as exc:  # noqa: BLE001 - a background run must record why it stopped
        logger.exception("member evaluation %s failed", run_pk)
        runs.update(state=MemberEvaluation.State.FAILED, finished_at=timezone.now(), message=type(exc).__name__)
        return
    runs.update(state=MemberEvaluation.State.DONE, finished_at=timezone.now())
