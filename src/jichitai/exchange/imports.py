"""One entry point for every import, used by the CLI and the web upload alike.

Every sheet is validated before anything is written; if any error is found nothing is written.
"""

from django.db import transaction
from django.utils import timezone

from jichitai.core.sheets.reading import WorkbookError, guard_cells, read_workbook
from jichitai.core.sheets.report import ImportReport, SheetResult
from jichitai.handling import sheets as analysis_sheets
from jichitai.orgs.models import Association

from . import (
    analysis_import,
    attendance_import,
    linkage_sheet,
    municipalities_import,
    priorities_import,
    progress_import,
    roster_import,
    systems_import,
)


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
    analysis_sheets_found = []
    for sheet, rows in sheets.items():
        # The analysis sheets are recognised by their title near the top, which is cheap; checking for the
        # other headers first would scan every cell of a 20,000-row sheet twice.
        title = analysis_sheets.find_title(rows)
        if title is not None:
            guard_cells(sheet, rows, report)
            if municipality is None:
                report.error(sheet, "A1", "取扱手順表・リスク分析表の取込には団体（--municipality）の指定が必要です。")
                continue
            analysis_sheets_found.append((title[0], sheet, rows))
        elif systems_import.looks_like_systems(sheet, rows):
            guard_cells(sheet, rows, report)
            parsed = systems_import.parse_sheet(sheet, rows, report, municipality=municipality,
                                                association_name=association_name)
            if parsed is not None:
                plan.append((systems_import.KIND, sheet, parsed, SheetResult(sheet, systems_import.KIND)))
        elif priorities_import.looks_like_priorities(sheet, rows):
            guard_cells(sheet, rows, report)
            if not association_name:
                report.error(sheet, "A1", "課題分析表の取込には --association（協議会名）の指定が必要です。")
                continue
            if not Association.objects.filter(name=association_name).exists():
                report.error(sheet, "A1", f"協議会「{association_name}」は登録されていません。")
                continue
            parsed = priorities_import.parse_sheet(sheet, rows, association_name, report)
            if parsed is not None:
                plan.append((priorities_import.KIND, sheet, parsed,
                             SheetResult(sheet, priorities_import.KIND, len(parsed.issues))))
        elif municipalities_import.looks_like_municipalities(sheet, rows):
            guard_cells(sheet, rows, report)
            if not association_name:
                report.error(sheet, "A1", "団体一覧シートの取込には --association（協議会名）の指定が必要です。")
                continue
            members = municipalities_import.parse_sheet(sheet, rows, association_name, report)
            plan.append((municipalities_import.KIND, sheet, members, SheetResult(sheet, "municipalities", len(members))))
        elif linkage_sheet.find_title(rows) is not None:
            guard_cells(sheet, rows, report)
            if municipality is None:
                report.error(sheet, "A1", "情報連携確認シートの取込には団体（--municipality）の指定が必要です。")
                continue
            parsed = linkage_sheet.parse_sheet(sheet, rows, municipality, report)
            if parsed is not None:
                plan.append((linkage_sheet.KIND, sheet, parsed, SheetResult(sheet, linkage_sheet.KIND, len(parsed.rows))))
        elif attendance_import.looks_like_attendance(sheet, rows):
            guard_cells(sheet, rows, report)
            if municipality is None:
                report.error(sheet, "A1", "受講記録の取込には団体（--municipality）の指定が必要です。")
                continue
            parsed = attendance_import.parse_sheet(sheet, rows, municipality, report, today)
            if parsed is not None:
                plan.append((attendance_import.KIND, sheet, parsed,
                             SheetResult(sheet, attendance_import.KIND, len(parsed.rows))))
        elif roster_import.looks_like_roster(rows):
            guard_cells(sheet, rows, report)
            if municipality is None:
                report.error(sheet, "A1", "職員名簿の取込には団体（--municipality）の指定が必要です。")
                continue
            people = roster_import.parse_sheet(sheet, rows, municipality, report)
            plan.append((roster_import.KIND, sheet, people, SheetResult(sheet, roster_import.KIND, len(people))))
        elif progress_import.looks_like_progress(rows):
            guard_cells(sheet, rows, report)
            if municipality is None:
                report.error(sheet, "A1", "進捗シートの取込には団体（--municipality）の指定が必要です。")
                continue
            context = context or progress_import.Context(municipality)
            parsed = progress_import.parse_sheet(sheet, rows, context, report, today)
            if parsed is not None:
                plan.append((progress_import.KIND, sheet, parsed, SheetResult(sheet, "progress", len(parsed.rows))))
        elif kind := analysis_sheets.detect(rows):
            guard_cells(sheet, rows, report)
            if municipality is None:
                report.error(sheet, "A1", "取扱手順表・リスク分析表の取込には団体（--municipality）の指定が必要です。")
                continue
            analysis_sheets_found.append((kind, sheet, rows))
    analysis_context = None
    if analysis_sheets_found:
        analysis_context = analysis_import.Context(municipality)
        # Handling sheets first: a risk sheet refers to handling rows, possibly in the same workbook.
        for kind, sheet, rows in sorted(analysis_sheets_found, key=lambda item: item[0] != analysis_sheets.HANDLING):
            parse = analysis_import.parse_handling if kind == analysis_sheets.HANDLING else analysis_import.parse_risk
            parse(sheet, rows, analysis_context, report, today)
    if not plan and not analysis_sheets_found and not report.errors:
        report.error(sheets and next(iter(sheets)) or "", "A1",
                     "取り込める表が見つかりません。進捗表、団体一覧、職員名簿、受講記録、情報資産取扱手順表、リスク分析表、情報連携確認シート、課題分析表、システム一覧のいずれかが必要です。")
    linkage_sheet.refuse_duplicates([parsed for kind, _s, parsed, _r in plan if kind == linkage_sheet.KIND], report)
    report.sheets = [result for *_, result in plan]
    if analysis_context is not None:
        report.sheets += [r for t in analysis_context.targets.values() for r in t.results.values()]
    if report.errors:
        return report
    try:
        with transaction.atomic():
            for kind, _sheet, parsed, result in plan:
                if kind == progress_import.KIND:
                    progress_import.apply_sheet(parsed, context, result, actor=actor, today=today)
                elif kind == systems_import.KIND:
                    systems_import.apply(parsed, result, actor=actor)
                elif kind == priorities_import.KIND:
                    priorities_import.apply(parsed, result, actor=actor, association_name=association_name)
                elif kind == attendance_import.KIND:
                    attendance_import.apply(parsed, result, actor=actor)
                elif kind == linkage_sheet.KIND:
                    linkage_sheet.apply(parsed, result, actor=actor)
                elif kind == roster_import.KIND:
                    roster_import.apply(parsed, municipality, result, actor=actor)
                else:
                    municipalities_import.apply_sheet(parsed, association_name, result, actor=actor)
            if analysis_context is not None:
                analysis_import.apply(analysis_context, actor=actor, today=today)
            if dry_run:
                raise NothingWritten
    except NothingWritten:
        pass
    return report
