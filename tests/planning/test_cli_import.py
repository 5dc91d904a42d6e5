import json

from django.core.management import call_command

from jichitai.demo.seed_sheets import workbook_bytes
from jichitai.planning.seed_table import sheet


def test_priorities_sheet_through_the_import_command(tmp_path, association, capsys):
    path = tmp_path / "課題分析.xlsx"
    path.write_bytes(workbook_bytes({"課題分析": sheet()}))
    call_command("import", str(path), "--association", "A県市町村振興協会", "--format", "json")
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] and data["sheets"][0]["kind"] == "priorities" and data["sheets"][0]["rows"] == 9
    assert [w["cell"] for w in data["warnings"]] == ["G14"]


def test_unknown_association_is_an_error(tmp_path, db, capsys):
    import pytest

    path = tmp_path / "課題分析.xlsx"
    path.write_bytes(workbook_bytes({"課題分析": sheet()}))
    with pytest.raises(SystemExit) as exc:
        call_command("import", str(path), "--association", "ない協議会", "--format", "json")
    assert exc.value.code == 2 and "登録されていません" in json.loads(capsys.readouterr().out)["errors"][0]["message"]
