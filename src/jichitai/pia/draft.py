"""A draft of the risk-countermeasure part of a 特定個人情報保護評価書 (.docx), for one SPI file.

Section Ⅰ gives the file's basic facts and the threshold result; section Ⅲ the risks and countermeasures by
the evaluation form's stages, assembled from the handling tables and risk analyses of the file's processes
(DOMAIN.md §9: the exact form layout is unverified, so this is a draft to paste from, not the form itself).
"""

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Pt

from jichitai.core.sheets.documents import document_bytes
from jichitai.core.wareki import format_wareki
from jichitai.handling import rules as handling_rules
from jichitai.handling.models import ApprovalEvent, HandlingRow, ProcessAnalysis
from jichitai.pia.models import SpiFile
from jichitai.pia.queries import files_with_history, serious_incident_dates, state_of
from jichitai.risk.models import Countermeasure
from jichitai.risk.rules import plain_number

TITLE = "特定個人情報保護評価書（リスク対策）案"
SECTION_I = "Ⅰ 基本情報"
SECTION_III = "Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策"
SOURCE = "作成の根拠"
# The evaluation form's stages (全項目評価書 Ⅲ), in its order, with the handling stages feeding each.
STAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("acquire", "1. 特定個人情報の入手", ("acquire",)),
    ("use", "2. 特定個人情報の使用", ("use",)),
    ("entrust", "3. 特定個人情報ファイルの取扱いの委託", ()),
    ("provide", "4. 特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）", ("provide",)),
    ("network", "5. 情報提供ネットワークシステムとの接続", ()),
    ("keep", "6. 特定個人情報の保管・消去", ("store", "dispose")),
)
# Rows are also listed under 委託 or ネットワーク接続 when their people or notes say so.
ENTRUST_WORDS = ("委託",)
NETWORK_WORDS = ("情報提供ネットワーク", "情報連携", "中間サーバ")
PLACEHOLDER = {
    "entrust": "委託に関する取扱い（担当者・備考等に「委託」「委託先」とある行）は記録されていません。",
    "network": "情報提供ネットワークシステムとの接続に関する取扱い（情報連携・中間サーバー等の記載がある行）は"
               "記録されていません。",
}
EMPTY = "この段階の取扱い（情報資産取扱手順表の行）は記録されていません。"
COLUMNS = ("事務", "ID", "情報資産", "取扱方法", "リスク", "対策（低減）", "評価", "残存リスク")


class PiaDraftError(ValueError):
    pass


def _mentions(row: HandlingRow, words) -> bool:
    text = " ".join((row.handler, row.handler_duty, row.responsible, row.responsible_duty, row.notes, row.method,
                     row.procedure))
    return any(word in text for word in words)


def sections(rows) -> list[tuple[str, str, list[HandlingRow]]]:
    """(key, heading, rows) for each stage of the form."""
    result = []
    for key, heading, stages in STAGES:
        if key == "entrust":
            chosen = [r for r in rows if _mentions(r, ENTRUST_WORDS)]
        elif key == "network":
            chosen = [r for r in rows if _mentions(r, NETWORK_WORDS)]
        else:
            chosen = [r for r in rows if r.stage in stages]
        result.append((key, heading, chosen))
    return result


def _risk_text(row) -> str:
    risk = getattr(row, "risk", None)
    if risk is None:
        return "（リスク分析未記入）"
    return (f"脆弱性: {risk.vulnerability or '—'}（評価 {risk.vulnerability_rating}）\n"
            f"脅威: {risk.threat or '—'}（評価 {risk.threat_rating}）")


def _measures_text(row) -> str:
    risk = getattr(row, "risk", None)
    if risk is None:
        return ""
    return "\n".join(f"・{m.text}（△{plain_number(m.reduction)}）" for m in risk.countermeasures.all())


def _scores_text(row) -> str:
    risk = getattr(row, "risk", None)
    if risk is None:
        return f"資産価値 {row.asset_value}"
    return f"資産価値 {row.asset_value}\n総合評価 {risk.total}\n残存評価 {plain_number(risk.residual)}"


def _set_font(document) -> None:
    style = document.styles["Normal"]
    style.font.size = Pt(10.5)
    style.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), "ＭＳ 明朝")


def _table(document, rows: list[tuple[str, str]]) -> None:
    table = document.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value


def _rows_for(processes):
    return list(HandlingRow.objects.filter(process__in=processes).select_related("process", "risk")
                .prefetch_related(Prefetch("risk__countermeasures",
                                           queryset=Countermeasure.objects.order_by("position", "id")))
                .order_by("process__name", "position", "id"))


def _approval(processes) -> dict[int, str]:
    """Each process's analysis status: 承認済み with the date of the latest approval, or 未承認."""
    status = dict(ProcessAnalysis.objects.filter(process__in=processes).values_list("process_id", "status"))
    approved_at = {}
    for pid, at in (ApprovalEvent.objects.filter(analysis__process__in=processes,
                                                 action=ApprovalEvent.Action.APPROVED)
                    .order_by("at").values_list("analysis__process_id", "at")):
        approved_at[pid] = timezone.localtime(at).date()
    result = {}
    for p in processes:
        if status.get(p.id) == ProcessAnalysis.Status.APPROVED and p.id in approved_at:
            result[p.id] = f"承認済み（{format_wareki(approved_at[p.id])}）"
        else:
            result[p.id] = "未承認（下書き）"
    return result


def export_bytes(spi_file, today: dt.date | None = None) -> bytes:
    """The draft for `spi_file`. Raises PiaDraftError (nothing produced) when it serves no process."""
    today = today or timezone.localdate()
    processes = list(spi_file.processes.order_by("name"))
    if not processes:
        raise PiaDraftError(f"特定個人情報ファイル「{spi_file.name}」には事務が登録されていないため、評価書案を作成"
                            "できません。ファイルの編集画面で対象の事務を選んでください。")
    spi_file = files_with_history(SpiFile.objects.select_related("municipality")).get(pk=spi_file.pk)
    state = state_of(spi_file, serious_incident_dates([spi_file.municipality_id]), today)
    rows = _rows_for(processes)
    approval = _approval(processes)

    document = Document()
    _set_font(document)
    document.add_heading(TITLE, level=0)
    document.add_paragraph(f"{spi_file.municipality.name}　作成日: {format_wareki(today)}"
                           "　※本書は情報資産取扱手順表・リスク分析表から自動作成した案です。")

    document.add_heading(SECTION_I, level=1)
    threshold = state.threshold
    _table(document, [
        ("特定個人情報ファイル名", spi_file.name),
        ("対象となる事務", "、".join(p.name for p in processes)),
        ("対象人数", f"{spi_file.persons:,}人"),
        ("取扱者数（委託先を含む）", f"{spi_file.handlers:,}人"),
        ("職員のみのファイル", "該当" if spi_file.staff_only else "非該当"),
        ("過去1年以内の重大事故", "あり" if state.serious_incident else "なし"),
        ("しきい値判断の結果", threshold.label),
        ("根拠", threshold.article),
        ("判断の理由", threshold.reason),
        ("使用システム", spi_file.systems or "—"),
    ])

    document.add_heading(SECTION_III, level=1)
    for key, heading, chosen in sections(rows):
        document.add_heading(heading, level=2)
        if not chosen:
            document.add_paragraph(PLACEHOLDER.get(key, EMPTY))
            continue
        table = document.add_table(rows=1, cols=len(COLUMNS))
        table.style = "Table Grid"
        for cell, label in zip(table.rows[0].cells, COLUMNS, strict=True):
            cell.text = label
        for row in chosen:
            values = (row.process.name, row.row_id, f"{row.asset_name}（{handling_rules.KIND_LABEL.get(row.kind, '')}・"
                      f"{handling_rules.STAGE_LABEL.get(row.stage, '')}）", row.method, _risk_text(row),
                      _measures_text(row), _scores_text(row), getattr(getattr(row, "risk", None), "residual_risk", ""))
            for cell, value in zip(table.add_row().cells, values, strict=True):
                cell.text = value or ""

    document.add_heading(SOURCE, level=1)
    for p in processes:
        document.add_paragraph(f"事務「{p.name}」の業務フロー・情報資産取扱手順表・リスク分析表: {approval[p.id]}",
                               style="List Bullet")
    document.add_paragraph(f"作成日: {format_wareki(today)}　作成: Jichitai（特定個人情報保護評価書案の自動作成）")
    return document_bytes(document)
