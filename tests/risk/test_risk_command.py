import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from jichitai.exchange.imports import run_import
from jichitai.handling.models import HandlingRow
from jichitai.risk.models import Countermeasure, RiskRow
from tests import seed_sheets as seed


@pytest.fixture
def seeded(municipality, beppyo):
    report = run_import(seed.seed_workbook(), actor=None, municipality=municipality)
    assert report.ok, report.errors
    return municipality


def add_rows(process, count: int, *, with_risk: bool = True) -> None:
    """`count` analysed rows (C3 I2 A2 → 4, 2×2 → 16, △1 → 8) on another process."""
    for i in range(count):
        row = HandlingRow.objects.create(process=process, row_id=f"2-{i + 1}", asset_name="認定請求書", kind="paper",
                                         stage="acquire", confidentiality=3, integrity=2, availability=2,
                                         asset_value=4, position=i)
        if with_risk:
            risk = RiskRow.objects.create(handling_row=row, vulnerability_rating=2, threat_rating=2, total=16,
                                          residual=8)
            Countermeasure.objects.create(risk_row=risk, text="施錠する。", reduction=1, factor="threat",
                                          category="physical")


def risk_json(capsys, *args) -> dict:
    call_command("risk", *args, "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_json_shape_and_seed_values(capsys, seeded):
    data = risk_json(capsys, "--municipality", seeded.code)
    assert set(data) == {"municipality", "rows", "warnings"}
    assert data["municipality"] == seeded.code and data["warnings"] == []
    rows = data["rows"]
    assert [r["id"] for r in rows] == ["1-2", "1-3", "1-4", "1-5", "1-6"]
    assert [r["stage"] for r in rows] == ["取得", "利用", "利用", "保存", "削除・廃棄"]
    assert [r["residual"] for r in rows] == [8, 8, 8, 6, 6]
    assert [r["total"] for r in rows] == [16, 16, 16, 12, 12]
    assert all(type(r["residual"]) is int and type(r["total"]) is int for r in rows)
    assert rows[0] == {
        "process": seed.PROCESS, "id": "1-2", "asset": "減免申請書", "stage": "取得",
        "confidentiality": 3, "integrity": 2, "availability": 2, "asset_value": 4, "vulnerability": 2, "threat": 2,
        "total": 16,
        "countermeasures": [
            {"text": "個人スペースを作る。", "reduction": 0.5, "factor": "vulnerability", "category": ""},
            {"text": "周りに人がいないか確認する。", "reduction": 0.5, "factor": "vulnerability", "category": ""}],
        "residual": 8,
    }
    reductions = [m["reduction"] for m in rows[4]["countermeasures"]]
    assert reductions == [0, 1] and all(type(x) is int for x in reductions)


def test_process_filter_order_and_rows_without_analysis(capsys, seeded, process):
    add_rows(process, 1)
    HandlingRow.objects.create(process=process, row_id="2-7", asset_name="台帳", kind="electronic", stage="store",
                               confidentiality=3, integrity=3, availability=3, asset_value=6, position=9)
    data = risk_json(capsys, "--municipality", seeded.code)
    # 児童手当事務 sorts before 軽自動車税… by name.
    assert [(r["process"], r["id"]) for r in data["rows"]][:2] == [("児童手当事務", "2-1"), (seed.PROCESS, "1-2")]
    assert data["rows"][0]["countermeasures"][0]["factor"] == "threat"
    assert data["rows"][0]["residual"] == 8  # 4 × 2 × (2 − 1)
    assert data["warnings"] == ["児童手当事務: 2-7 はリスク分析が未入力です"]
    only = risk_json(capsys, "--municipality", seeded.code, "--process", seed.PROCESS)
    assert {r["process"] for r in only["rows"]} == {seed.PROCESS} and len(only["rows"]) == 5
    assert only["warnings"] == []


def test_unknown_process_exits_2_with_a_japanese_message(capsys, seeded):
    with pytest.raises(CommandError) as exc:
        call_command("risk", "--municipality", seeded.code, "--process", "存在しない事務", "--format", "json")
    assert exc.value.returncode == 2 and "「存在しない事務」は団体" in str(exc.value)
    assert json.loads(capsys.readouterr().out)["ok"] is False


def test_text_output_has_one_line_per_row(capsys, seeded):
    call_command("risk", "--municipality", seeded.code)
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 5 and lines[0].startswith(f"{seed.PROCESS} 1-2 減免申請書") and lines[3].endswith("6")


@pytest.mark.parametrize("extra", [0, 30])
def test_query_count_does_not_grow_with_rows(capsys, seeded, process, extra, django_assert_max_num_queries):
    add_rows(process, extra)
    with django_assert_max_num_queries(4):
        data = risk_json(capsys, "--municipality", seeded.code)
    assert len(data["rows"]) == 5 + extra


def test_export_risk_writes_a_workbook(capsys, tmp_path, seeded):
    out = tmp_path / "risk.xlsx"
    call_command("export", "risk", "--municipality", seeded.code, "--process", seed.PROCESS, "-o", str(out),
                 "--format", "json")
    assert json.loads(capsys.readouterr().out) == {"file": str(out), "municipality": seeded.code,
                                                   "process": seed.PROCESS}
    workbook = load_workbook(out)
    assert workbook.sheetnames == ["情報資産取扱手順表", "リスク分析表"]
    assert workbook["リスク分析表"]["L7"].value == 6


@pytest.mark.parametrize("args", [[], ["--process", "存在しない事務"]])
def test_export_risk_without_a_known_process_exits_2(tmp_path, seeded, args):
    out = tmp_path / "risk.xlsx"
    with pytest.raises(CommandError) as exc:
        call_command("export", "risk", "--municipality", seeded.code, *args, "-o", str(out))
    assert exc.value.returncode == 2 and "事務" in str(exc.value)
    assert not out.exists()
