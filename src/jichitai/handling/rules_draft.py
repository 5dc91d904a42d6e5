"""A draft 取扱規程 for one department, written per management stage from its approved handling tables.

The guideline requires handling rules per stage (① 取得 ② 利用 ③ 保存 ④ 提供 ⑤ 削除・廃棄) with the
method, the responsible person and the handler and their duties (DOMAIN.md §4). The draft states the
date it was generated and the versions it was drawn from, so that an auditor can trace every line.
"""

from django.core.exceptions import ValidationError
from django.utils import timezone
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.shared import Mm, Pt

from jichitai.core.sheets.documents import document_bytes
from jichitai.core.wareki import format_wareki
from jichitai.handling import rules as handling_rules
from jichitai.handling.models import HandlingRow, ProcessAnalysis

STAGE_NUMBERS = ("①", "②", "③", "④", "⑤")
COLUMNS = (("取扱方法", "method"), ("取扱手順", "procedure"), ("責任者（任務）", None), ("担当者（任務）", None),
           ("関連業務機能", "business_function"), ("備考", "notes"))


def approved_rows(department) -> list[HandlingRow]:
    """Handling rows of the department's processes whose set is approved (two queries)."""
    return list(HandlingRow.objects.filter(
        process__department=department, process__analysis__status=ProcessAnalysis.Status.APPROVED)
        .select_related("process", "process__analysis").order_by("process__name", "position", "id"))


def export_bytes(department) -> bytes:
    rows = approved_rows(department)
    if not rows:
        raise ValidationError(f"{department.name} には承認済みの情報資産取扱手順表がありません。保護責任者の承認後に作成できます。")
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Mm(297), Mm(210)
    style = document.styles["Normal"]
    style.font.size = Pt(10)
    municipality = department.municipality
    document.add_heading(f"{municipality.name} {department.name} 特定個人情報等取扱規程（案）", level=0)
    document.add_paragraph(f"作成日: {format_wareki(timezone.localdate())}（Jichitai により情報資産取扱手順表から自動作成）")
    _preamble(document, department, rows)
    for number, (stage, label) in zip(STAGE_NUMBERS, handling_rules.STAGES, strict=True):
        document.add_heading(f"{number} {label}", level=1)
        stage_rows = [row for row in rows if row.stage == stage]
        if not stage_rows:
            document.add_paragraph("この段階の取扱いは、承認済みの取扱手順表に記載がありません。")
            continue
        table = document.add_table(rows=1, cols=len(COLUMNS) + 2)
        table.style = "Table Grid"
        for cell, title in zip(table.rows[0].cells, ("事務", "情報資産", *(t for t, _ in COLUMNS)), strict=True):
            cell.text = title
        for row in stage_rows:
            values = (row.process.name, f"{row.row_id} {row.asset_name}（{row.get_kind_display()}）", row.method,
                      row.procedure, f"{row.responsible}（{row.responsible_duty}）",
                      f"{row.handler}（{row.handler_duty}）", row.business_function, row.notes)
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value or ""
    _sources(document, rows)
    return document_bytes(document)


def _preamble(document, department, rows) -> None:
    document.add_heading("第1 目的及び適用範囲", level=1)
    processes = sorted({row.process.name for row in rows})
    document.add_paragraph(
        f"この規程は、{department.name}が行う個人番号利用事務における特定個人情報等の適正な取扱いを確保するため、"
        "管理段階ごとの取扱方法、責任者及び事務取扱担当者並びにその任務を定める。")
    document.add_paragraph("対象事務: " + "、".join(processes))


def _sources(document, rows) -> None:
    document.add_heading("作成の根拠", level=1)
    seen = {}
    for row in rows:
        analysis = row.process.analysis
        seen.setdefault(row.process.name, analysis.sheet_date)
    for name, sheet_date in seen.items():
        when = f"日付 {format_wareki(sheet_date)}" if sheet_date else "日付の記載なし"
        document.add_paragraph(f"{name}: 情報資産取扱手順表（{when}、承認済み）", style="List Bullet")
