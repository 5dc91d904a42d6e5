"""One entry point for every import, used by the web uploads and `jichitai import` alike.

A file is read once (workbook, CSV or JSON); every sheet is offered to every kind of exchange.kinds, and the
kind most sure of it takes it. Every sheet is then validated, and every problem reported with its sheet and
cell; if any error was found nothing is written. Otherwise the kinds write, in the registry's order, through
the services of the apps that own the data — rolled back at the end of a dry run, so that a dry run's counts
are the real ones.

Validation and writes run in one transaction that first locks the tenant the import writes to (see
`_lock_tenants`): a second import of the same municipality waits, then validates and writes its whole file
against the state the first left, so the result is always all of one file, never a mix of two.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from jichitai.core import locks
from jichitai.core.sheets.reading import JSON_SHEET, Rows, WorkbookError, guard_cells, read_json, read_workbook
from jichitai.core.sheets.report import ImportReport
from jichitai.core.statistics import refresh_planner_statistics
from jichitai.orgs.models import Association, Municipality

from .kinds import ANY, ASSOCIATION, EITHER, KINDS, MUNICIPALITY, by_name

NOTHING_FOUND = "取り込める表が見つかりません。{kinds}のいずれかが必要です。"


@dataclass
class Sheet:
    name: str
    rows: Rows
    document: object = None  # a JSON document (its rows are empty)


@dataclass
class Context:
    """What an import was asked to do, shared by every kind's parse and apply."""

    actor: object
    report: ImportReport
    today: dt.date
    municipality: object = None
    association_name: str | None = None
    options: dict = field(default_factory=dict)  # kind-specific: linkage {"process"}, framework {"code", …}
    via: str = "import"

    def association(self) -> Association | None:
        if not hasattr(self, "_association"):
            self._association = (Association.objects.filter(name=self.association_name).first()
                                 if self.association_name else None)
        return self._association


class NothingWritten(Exception):
    """Raised inside the transaction to roll back a dry run."""


def read_sheets(data: bytes, label: str = JSON_SHEET) -> list[Sheet]:
    document = read_json(data)
    if document is not None:
        return [Sheet(label, [], document)]
    if label.lower().endswith(".json"):
        raise WorkbookError(f"{label} を JSON として読めません。UTF-8 の JSON にしてください。")
    return [Sheet(name, rows) for name, rows in read_workbook(data).items()]


def _scope_error(kind, sheet: Sheet, context: Context) -> str | None:
    """Why this import cannot take the kind's sheet (the scope it needs was not named), or None."""
    if kind.SCOPE == MUNICIPALITY and context.municipality is None:
        return f"{kind.LABEL}の取込には団体（--municipality）の指定が必要です。"
    if kind.SCOPE == ASSOCIATION and not context.association_name:
        return f"{kind.LABEL}の取込には --association（協議会名）の指定が必要です。"
    if kind.SCOPE == EITHER and context.municipality is None and not context.association_name:
        return f"{kind.LABEL}の取込には --municipality または --association の指定が必要です。"
    return None


def _claim(sheet: Sheet, kinds) -> object | None:
    """The kind most sure of the sheet; registry order breaks ties."""
    best, best_score = None, 0
    for kind in kinds:
        score = kind.detect(sheet)
        if score > best_score:
            best, best_score = kind, score
    return best


def _lock_tenants(context: Context, kinds) -> None:
    """Lock what the import writes to, in one order (global, association, municipalities by id): the
    municipality; an association (by name: the 団体一覧 import may create it) and each of its members, whose
    rows an association-wide sheet writes; and the global lock for shared data (a kind that needs no scope,
    such as a shared checklist, whose codes every municipality shares)."""
    if (context.municipality is None and not context.association_name) or any(k.SCOPE == ANY for k in kinds):
        locks.lock_tenant(locks.GLOBAL)
    municipality_ids = set()
    if context.association_name:
        locks.lock_tenant(locks.ASSOCIATION, context.association_name)
        municipality_ids = set(Municipality.objects.filter(association__name=context.association_name)
                               .values_list("pk", flat=True))
    if context.municipality is not None:
        municipality_ids |= {context.municipality.pk}
    for pk in sorted(municipality_ids):
        locks.lock_tenant(locks.MUNICIPALITY, pk)


def run_import(data: bytes, *, actor, municipality=None, association_name: str | None = None,
               dry_run: bool = False, kinds: Iterable[str] | None = None, options: dict | None = None,
               label: str = JSON_SHEET, via: str = "import") -> ImportReport:
    """Import every recognised sheet of the file, all or nothing. `kinds` limits which kinds may take a sheet
    (a page that imports one kind); `label` names a JSON document in messages (its file name); `via` is what
    the audit entries say the writes came through ("demo" for the demo data)."""
    report = ImportReport(dry_run=dry_run)
    allowed = KINDS if kinds is None else tuple(by_name(name) for name in kinds)
    context = Context(actor, report, timezone.localdate(), municipality, association_name, dict(options or {}), via)
    try:
        sheets = read_sheets(data, label)
    except WorkbookError as exc:
        report.error("", "", str(exc))
        return report
    claimed: dict[str, list[Sheet]] = {}
    for sheet in sheets:
        kind = _claim(sheet, allowed)
        if kind is None:
            continue
        guard_cells(sheet.name, sheet.rows, report)
        if problem := _scope_error(kind, sheet, context):
            report.error(sheet.name, "A1", problem)
            continue
        claimed.setdefault(kind.KIND, []).append(sheet)
    if not claimed and not report.errors:
        first = sheets[0].name if sheets else ""
        if len(allowed) == 1:
            report.error(first, "A1", f"{allowed[0].LABEL}が見つかりません。{allowed[0].HINT}が必要です。")
        else:
            report.error(first, "A1", NOTHING_FOUND.format(kinds="、".join(kind.LABEL for kind in allowed)))
    try:
        # One transaction from the first read to the last write, the tenant locked first (a dry run too: it
        # reads the same state); on SQLite it begins IMMEDIATE, holding the write lock from the start.
        with transaction.atomic():
            _lock_tenants(context, [by_name(name) for name in claimed])
            plan = [(kind, kind.parse(claimed[kind.KIND], context)) for kind in allowed if kind.KIND in claimed]
            report.sheets = [parsed.result for _kind, parsed_list in plan for parsed in parsed_list]
            if report.errors:
                return report
            for kind, parsed_list in plan:
                kind.apply(parsed_list, context)
            if dry_run:
                raise NothingWritten
    except NothingWritten:
        pass
    if not dry_run and not report.errors:
        refresh_planner_statistics()
    return report


def _kind_label(name: str) -> str:
    try:
        return by_name(name).LABEL
    except KeyError:
        return name


def report_lines(report) -> list[str]:
    """The report as the command prints it, in Japanese, one line per sheet and per problem."""
    lines = [f"{s.sheet}: {_kind_label(s.kind)} {s.rows}行（新規 {s.created}、更新 {s.updated}）" for s in report.sheets]
    lines += [f"エラー {p}" for p in report.errors] + [f"警告 {p}" for p in report.warnings]
    if not report.ok:
        lines.append("エラーがあるため、何も取り込んでいません。")
    elif report.dry_run:
        lines.append("--dry-run のため、何も書き込んでいません。")
    return lines
