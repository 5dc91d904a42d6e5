import datetime as dt
import io
from decimal import Decimal

import pytest
from django.apps import apps
from django.utils import timezone
from openpyxl import load_workbook

from jichitai.core.wareki import format_wareki_short, parse_date
from jichitai.exchange.imports import run_import
from jichitai.handling import sheets as layout
from jichitai.handling.export import export_bytes
from jichitai.handling.models import ProcessAnalysis
from jichitai.processes.models import Process
from jichitai.risk.models import Countermeasure, RiskSettings
from jichitai.risk.queries import settings_for
from tests import seed_sheets as seed
from tests.helpers import db_state

HANDLING, RISK = "情報資産取扱手順表", "リスク分析表"


@pytest.fixture
def seeded(municipality, beppyo):
    report = run_import(seed.seed_workbook(), actor=None, municipality=municipality)
    assert report.ok, report.errors
    return Process.objects.get(municipality=municipality, name=seed.PROCESS)


def exported(process):
    return load_workbook(io.BytesIO(export_bytes(process, settings_for(process.municipality))))


def values(sheet, row: int) -> list:
    return [cell.value for cell in sheet[row]]


def full_state() -> dict:
    """db_state() plus the handling and risk tables, which it does not cover."""
    state = db_state()
    for label in ("handling", "risk"):
        for model in apps.get_app_config(label).get_models():
            state[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return state


@pytest.mark.parametrize(("day", "expected"), [
    (dt.date(2018, 1, 10), "H30.1.10"), (dt.date(2026, 11, 27), "R8.11.27"),
    (dt.date(2019, 4, 30), "H31.4.30"), (dt.date(2019, 5, 1), "R1.5.1"), (dt.date(1989, 1, 7), "S64.1.7"),
])
def test_format_wareki_short_reads_back(day, expected):
    assert format_wareki_short(day) == expected
    assert parse_date(expected) == day


def test_handling_sheet_is_laid_out_like_the_seed(seeded):
    sheet = exported(seeded)[HANDLING]
    assert exported(seeded).sheetnames == [HANDLING, RISK]
    assert sheet["A1"].value == f"情報資産取扱手順表({seed.PROCESS})"
    assert sheet["K1"].value == "日付: H30.1.10"
    assert values(sheet, 2) == [label for _, label in layout.HANDLING_COLUMNS]
    assert values(sheet, 3) == ["1-2", "減免申請書", "紙", "取得", "提出された書類を受領。",
                                "提出された書類を受け取り、不備がないか確認。", "申請書の受領", "課長", "指示", "担当課員",
                                "添付書類の確認", None, 3, 2, 2, 4]
    assert [sheet.cell(row=r, column=4).value for r in range(3, 8)] == ["取得", "利用", "利用", "保存", "削除・廃棄"]
    assert [sheet.cell(row=r, column=16).value for r in range(3, 8)] == [4, 4, 4, 3, 3]
    assert sheet.max_row == 7


def test_risk_sheet_rows_recompute_scores_and_end_with_the_seed_legend(seeded):
    sheet = exported(seeded)[RISK]
    assert sheet["A1"].value == f"リスク分析表({seed.PROCESS})" and sheet["K1"].value == "日付: H30.1.10"
    assert values(sheet, 2) == [label for _, label in layout.RISK_COLUMNS]
    assert values(sheet, 3) == ["1-2", "減免申請書", 4, "窓口がオープンスペースのため、第三者に見られる可能性が高い。", 2,
                                "他者に見られ、記録されたため情報が漏洩する。", "申請書の受領", 2, 16,
                                "・個人スペースを作る。△0.5\n・周りに人がいないか確認する。△0.5",
                                "個人情報を他者に聞こえる声で読みあげる。", 8]
    # The seed states 16 for 1-5 and 1-6; the export carries the computed 3×2×2 = 12.
    assert [(sheet.cell(row=r, column=9).value, sheet.cell(row=r, column=12).value) for r in range(3, 8)] == [
        (16, 8), (16, 8), (16, 8), (12, 6), (12, 6)]
    assert sheet["J7"].value == "・書類をすぐに裁断する。\n・ブルーシートを敷くなど、見落しがないようにする。△1"
    assert isinstance(sheet["L3"].value, int)
    legend = [[v for v in values(sheet, r) if v is not None] for r in range(8, 18)]
    assert legend == seed.LEGEND
    assert sheet.max_row == 17


def test_print_settings_borders_and_widths(seeded):
    for sheet in exported(seeded):
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 9  # A4
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage is True
        assert sheet.print_title_rows == "$2:$2"
        assert sheet["A2"].fill.fgColor.rgb.endswith("D9E1F2") and sheet["A2"].font.b
        assert sheet["A3"].border.left.style == "thin" and sheet["E3"].alignment.wrap_text
        assert sheet.column_dimensions["A"].width <= 8
    handling, risk = exported(seeded)
    assert all(handling.column_dimensions[c].width >= 30 for c in "EF")  # 取扱方法, 取扱手順
    assert all(risk.column_dimensions[c].width >= 30 for c in "DFJ")  # 脆弱性, 脅威, 対策


def test_round_trip_changes_nothing(seeded):
    before = full_state()
    report = run_import(export_bytes(seeded, settings_for(seeded.municipality)), actor=None,
                        municipality=seeded.municipality)
    assert report.ok, report.errors
    assert report.warnings == []  # the exported totals are the computed ones
    assert [(s.kind, s.rows, s.created, s.updated) for s in report.sheets] == [
        ("handling", 5, 0, 0), ("risk", 5, 0, 0)]
    assert full_state() == before


def test_residual_follows_a_reduction_changed_through_the_orm(seeded):
    measure = Countermeasure.objects.get(risk_row__handling_row__row_id="1-5")
    measure.reduction = Decimal("0.25")
    measure.save()
    sheet = exported(seeded)[RISK]
    assert sheet["A6"].value == "1-5"
    assert sheet["L6"].value == 10.5  # 3 × (2 − 0.25) × 2
    assert sheet["J6"].value == "・整理整頓と保存場所の記録と管理。△0.25"


def test_date_falls_back_to_today_and_legend_follows_the_association_scales(seeded):
    ProcessAnalysis.objects.filter(process=seeded).update(sheet_date=None)
    scales = {"threat": [{"rating": 3, "class": "大", "text": "頻繁に起こる"}],
              "vulnerability": [{"rating": 1, "class": "小", "text": "対策済み"}]}
    RiskSettings.objects.create(association=seeded.municipality.association, scales=scales)
    sheet = exported(seeded)[RISK]
    assert sheet["K1"].value == f"日付: {format_wareki_short(timezone.localdate())}"
    legend = [[v for v in values(sheet, r) if v is not None] for r in range(8, 14)]
    assert legend == [["脅威"], ["評価", "クラス", "内容"], [3, "大", "頻繁に起こる"],
                      ["ぜい弱性"], ["評価", "クラス", "内容"], [1, "小", "対策済み"]]


def test_export_runs_a_fixed_number_of_queries(seeded, django_assert_max_num_queries):
    settings = settings_for(seeded.municipality)
    with django_assert_max_num_queries(3):
        export_bytes(seeded, settings)


def test_threat_reductions_and_categories_survive_the_round_trip(seeded):
    measure = Countermeasure.objects.filter(risk_row__handling_row__row_id="1-3").get()
    measure.factor, measure.category = "threat", "human"
    measure.save()
    from jichitai.risk.services import rescore

    rescore(measure.risk_row)
    before = full_state()
    data = export_bytes(seeded, settings_for(seeded.municipality))
    assert "・【人的】張り紙等によって読み上げないよう注意喚起する事を要領化する。△1（脅威）" in [
        c.value for row in load_workbook(io.BytesIO(data))[RISK].iter_rows() for c in row]
    report = run_import(data, actor=None, municipality=seeded.municipality)
    assert report.ok and all(s.updated == 0 for s in report.sheets), report.sheets
    assert full_state() == before
