"""The analysis export is streamed: a write-only workbook, rows read CHUNK at a time with their countermeasures,
and the layout (merged title, 日付, header style, widths, print setup, legend) the same as the seed's."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jichitai.handling import export
from jichitai.handling.models import HandlingRow
from jichitai.processes.models import Process
from jichitai.risk import rules as risk_rules
from jichitai.risk.models import Countermeasure, RiskRow
from jichitai.risk.queries import settings_for

HANDLING, RISK = "情報資産取扱手順表", "リスク分析表"
ROWS = 23


@pytest.fixture
def process(municipality):
    """ROWS rows; every fifth has no risk row; row i's first countermeasure reduces the vulnerability by
    i % 3 × 0.5, its second by nothing."""
    process = Process.objects.create(municipality=municipality, name="大きな事務")
    rows = HandlingRow.objects.bulk_create(
        HandlingRow(process=process, row_id=f"1-{i}", asset_name="=1+1" if i == 3 else f"資産{i}", kind="paper",
                    stage="use", confidentiality=3, integrity=2, availability=2, asset_value=3,
                    position=ROWS - i)  # written in reverse: the sheets follow position
        for i in range(ROWS))
    risks = RiskRow.objects.bulk_create(
        RiskRow(handling_row=row, vulnerability=f"脆弱性{i}", vulnerability_rating=2, threat="脅威", threat_rating=2,
                total=12, residual=Decimal(0)) for i, row in enumerate(rows) if i % 5)
    Countermeasure.objects.bulk_create(
        Countermeasure(risk_row=risk, position=n, text=f"{risk.vulnerability}の対策{n}",
                       reduction=Decimal("0.5") * (int(risk.vulnerability[3:]) % 3) if n == 0 else Decimal(0))
        for risk in risks for n in (1, 0))
    return process


def test_written_with_a_write_only_workbook(process, monkeypatch):
    made = []

    def spy():
        made.append(export.streamed_workbook.__wrapped__())
        return made[-1]

    spy.__wrapped__ = export.streamed_workbook
    monkeypatch.setattr(export, "streamed_workbook", spy)
    export.export_bytes(process, settings_for(process.municipality))
    assert len(made) == 1 and made[0].write_only


def test_rows_are_read_in_chunks_and_keep_their_countermeasures(process, monkeypatch,
                                                                django_assert_num_queries):
    monkeypatch.setattr(export, "CHUNK", 10)
    settings = settings_for(process.municipality)
    with django_assert_num_queries(1 + 1 + 3):  # the 日付, the rows, the countermeasures of each of 3 chunks
        data = export.export_bytes(process, settings)
    book = load_workbook(io.BytesIO(data))
    handling, risk = book[HANDLING], book[RISK]
    order = list(range(ROWS - 1, -1, -1))  # by position
    assert [handling.cell(row=r, column=1).value for r in range(3, 3 + ROWS)] == [f"1-{i}" for i in order]
    assert handling.max_row == 2 + ROWS
    with_risk = [i for i in order if i % 5]
    assert [risk.cell(row=r, column=1).value for r in range(3, 3 + len(with_risk))] == [f"1-{i}" for i in with_risk]
    residuals = set()
    for r, i in enumerate(with_risk, start=3):
        assert risk.cell(row=r, column=4).value == f"脆弱性{i}"
        reduction = Decimal("0.5") * (i % 3)
        mark = f"△{reduction.normalize()}" if reduction else ""
        assert risk.cell(row=r, column=10).value == f"・脆弱性{i}の対策0{mark}\n・脆弱性{i}の対策1"
        residual = risk_rules.residual_score(3, 2, 2, [(reduction, "vulnerability")])
        assert risk.cell(row=r, column=12).value == risk_rules.plain_number(residual)
        residuals.add(residual)
    assert len(residuals) == 3  # rows differ: a countermeasure given to the wrong row would show
    assert risk.cell(row=3 + len(with_risk), column=1).value == "脅威"  # the legend follows the last row


def test_layout_cells(process):
    book = load_workbook(io.BytesIO(export.export_bytes(process, settings_for(process.municipality))))
    for sheet in book.worksheets:
        assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:J1"]
        assert sheet["A1"].value == f"{sheet.title}(大きな事務)" and sheet["A1"].font.b and sheet["A1"].font.sz == 14
        assert sheet["K1"].value.startswith("日付: R")
        assert sheet["A2"].value == "ID" and sheet["A2"].font.b and sheet["A2"].fill.fgColor.rgb.endswith("D9E1F2")
        assert sheet["A2"].border.bottom.style == "thin" and sheet["A2"].alignment.horizontal == "center"
        assert sheet["B3"].border.left.style == "thin" and sheet["B3"].alignment.horizontal == "left"
        assert sheet["A3"].alignment.horizontal == "center"
        assert sheet.column_dimensions["A"].width == 6 and sheet.column_dimensions["B"].width == 14
        assert sheet.freeze_panes == "A3" and sheet.print_title_rows == "$2:$2"
        assert sheet.page_setup.orientation == "landscape" and sheet.oddFooter.center.text == "&P / &N"
    handling = book[HANDLING]
    formula = next(row[1] for row in handling.iter_rows(min_row=3) if row[0].value == "1-3")
    assert formula.value == "=1+1" and formula.data_type == "s" and formula.quotePrefix
    assert handling["L3"].value is None and handling["L3"].border.left.style == "thin"  # blank, still boxed


def test_an_empty_process_still_has_both_headers_and_the_legend(municipality):
    empty = Process.objects.create(municipality=municipality, name="空の事務")
    book = load_workbook(io.BytesIO(export.export_bytes(empty, settings_for(municipality))))
    assert book[HANDLING].max_row == 2 and book[HANDLING]["P2"].value == "資産価値"
    assert book[RISK]["A3"].value == "脅威" and book[RISK]["A4"].value == "評価"
