"""One entry point for every import, used by the CLI and the web upload alike.

Every sheet is validated before anything is written; if any error is found nothing is written.
"""

from django.db import transaction
from django.utils import timezone

from . import municipalities_import, progress_import
from .report import ImportReport, SheetResult
from .workbook import WorkbookError, guard_cells, read_workbook


class NothingWritten(Exception):
    """Raised inside the transaction to roll back a dry run."""


def run_import(data: bytes, *, actor, municipality=None, association_name: str | None = None,
               dry_run: bool = False) -> ImportReport:
    report = ImportReport(dry_run=dry_run)
    try:
        sheets = read_workbook(data)
    except WorkbookError as exc:
        report.error("", "", str(exc))
        return report
    today = timezone.localdate()
    plan = []  # (kind, sheet name, parsed, result)
    context = None
    for sheet, rows in sheets.items():
        if municipalities_import.looks_like_municipalities(sheet, rows):
            guard_cells(sheet, rows, report)
            if not association_name:
                report.error(sheet, "A1", "団体一覧シートの取込には --association（協議会名）の指定が必要です。")
                continue
            members = municipalities_import.parse_sheet(sheet, rows, association_name, report)
            plan.append((municipalities_import.KIND, sheet, members, SheetResult(sheet, "municipalities", len(members))))
        elif progress_import.looks_like_progress(rows):
            guard_cells(sheet, rows, report)
            if municipality is None:
                report.error(sheet, "A1", "進捗シートの取込には団体（--municipality）の指定が必要です。")
                continue
            context = context or progress_import.Context(municipality)
            parsed = progress_import.parse_sheet(sheet, rows, context, report, today)
            if parsed is not None:
                plan.append((progress_import.KIND, sheet, parsed, SheetResult(sheet, "progress", len(parsed.rows))))
    if not plan and not report.errors:
        report.error(sheets and next(iter(sheets)) or "", "A1",
                     "取り込める表が見つかりません。進捗表（業務フロー…PIA提出 の見出し）または団体一覧（団体コード・団体名・人口）が必要です。")
    report.sheets = [result for *_, result in plan]
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for kind, _sheet, parsed, result in plan:
                if kind == progress_import.KIND:
                    progress_import.apply_sheet(parsed, context, result, actor=actor, today=today)
                else:
                    municipalities_import.apply_sheet(parsed, association_name, result, actor=actor)
            if dry_run:
                raise NothingWritten
    except NothingWritten:
        pass
    return report
