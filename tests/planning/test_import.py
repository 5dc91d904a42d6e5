import json
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from jichitai.core.commands import InvalidInput
from jichitai.core.sheets.reading import read_workbook
from jichitai.core.sheets.report import ImportReport
from jichitai.demo.seed_sheets import workbook_bytes
from jichitai.exchange.imports import Context, Sheet
from jichitai.exchange.kinds import priorities as priorities_import
from jichitai.planning.models import ImportedAverage, Workshop
from jichitai.planning.seed_table import TITLE, sheet

SHEET = "課題分析"


def _rows(rows=None):
    return read_workbook(workbook_bytes({SHEET: sheet(rows)}))[SHEET]


def _context(association):
    return Context(None, ImportReport(), timezone.localdate(), association_name=association.name)


def _parse(association, rows=None):
    context = _context(association)
    parsed = priorities_import.parse([Sheet(SHEET, _rows(rows))], context)
    return (parsed[0] if parsed else None), context.report


def _apply(parsed, association):
    priorities_import.apply([parsed], _context(association))
    return Workshop.objects.get(association=association, name=parsed.name)


def test_seed_table_imports_with_exactly_the_one_warning(association):
    rows = _rows()
    assert priorities_import.detect(Sheet(SHEET, rows))
    parsed, report = _parse(association)
    assert report.errors == []
    assert [str(w) for w in report.warnings] == [
        "課題分析!G14: 「外部専門機関による支援の検討」の総合は 6.5 と記載されていますが、各基準の平均から計算すると 6.3 です"
        "（丸めを考慮しても 6.15 以上 6.45 未満）。計算値を採用します。"]
    assert parsed.name == TITLE
    assert [c["name"] for c in parsed.criteria] == ["影響性", "法令準拠", "容易性"]
    workshop = _apply(parsed, association)
    assert (parsed.result.created, parsed.result.updated) == (9, 0)
    assert workshop.issues.count() == 9
    assert ImportedAverage.objects.filter(issue__workshop=workshop).count() == 27
    assert workshop.issues.get(title="規程類の整理").imported_averages.get(criterion="影響性").value == D("3.8")
    # Re-import updates in place.
    parsed, _report = _parse(association)
    _apply(parsed, association)
    assert (parsed.result.created, parsed.result.updated) == (0, 9)
    assert Workshop.objects.count() == 1


def test_bad_scores_are_errors_with_cells(association):
    from jichitai.planning.seed_table import ROWS
    rows = [list(r) for r in ROWS]
    rows[0][3], rows[1][5], rows[2][6], rows[3][0] = "高い", 5.5, "x", "三"
    parsed, report = _parse(association, rows)
    assert parsed is None
    assert [(p.cell, p.message) for p in report.errors] == [
        ("D6", "影響性「高い」は1〜5の数値で入力してください。"),
        ("F7", "容易性「5.5」は1〜5の数値で入力してください。"),
        ("G8", "総合「x」が数値ではありません。"),
        ("A9", "優先順位「三」は1以上の整数で入力してください。")]


def test_wrong_rank_is_a_warning_on_its_cell(association):
    from jichitai.planning.seed_table import ROWS
    rows = [list(r) for r in ROWS]
    rows[8][6] = 6.3
    rows[6][0] = 8  # 9.2 is 7th
    _parsed, report = _parse(association, rows)
    assert [(w.cell, w.message) for w in report.warnings] == [
        ("A12", "「他市町村と情報共有共同対応の可能性を探る」の優先順位は 8 と記載されていますが、総合から計算すると 7 位です。"
                "計算値を採用します。")]


def test_other_sheets_are_not_taken_for_priorities():
    assert not priorities_import.detect(Sheet("x", [["ID", "情報資産名称", "総合評価"], [1, 2, 3]]))


def test_priorities_command(association):
    parsed, _report = _parse(association)
    _apply(parsed, association)
    out = StringIO()
    call_command("priorities", "--association", association.name, "--format", "json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["criteria"] == ["影響性", "法令準拠", "容易性"]
    first = data["issues"][0]
    assert first == {"title": "全庁的な課題の整理", "averages": {"影響性": 5.0, "法令準拠": 5.0, "容易性": 2.5},
                     "total": 12.5, "rank": 2, "retired": False}
    assert [(i["total"], i["rank"]) for i in data["issues"]][5:] == [(13.1, 1), (9.2, 7), (8.2, 8), (6.3, 9)]


@pytest.mark.django_db
def test_priorities_command_unknown_association_exits_2():
    with pytest.raises(InvalidInput) as exc:
        call_command("priorities", "--association", "無い協議会", "--format", "json", stdout=StringIO())
    assert exc.value.returncode == 2
