import io

import pytest
from django.core.exceptions import ValidationError
from docx import Document

from jichitai.exchange.imports import run_import
from jichitai.handling.models import FlowStep
from jichitai.handling.rules_draft import export_bytes
from jichitai.handling.services import approve
from jichitai.processes.models import Process
from tests import seed_sheets as seed


@pytest.fixture
def approved(municipality, beppyo, department):
    process = Process.objects.create(municipality=municipality, name=seed.PROCESS, department=department)
    assert run_import(seed.seed_workbook(), actor=None, municipality=municipality).ok
    FlowStep.objects.create(process=process, order=1, lane="resident", action="提出")
    approve(actor=None, via="command", process=process)
    return process


def test_draft_has_every_stage_with_the_approved_rows(approved, department):
    document = Document(io.BytesIO(export_bytes(department)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading") or p.style.name == "Title"]
    assert headings[0] == "テスト市 子育て支援課 特定個人情報等取扱規程（案）"
    stages = [h for h in headings if h[:1] in "①②③④⑤"]
    assert stages == ["① 取得", "② 利用", "③ 保存", "④ 提供", "⑤ 削除・廃棄"]
    tables = document.tables
    assert len(tables) == 4  # 提供 has no approved row: a sentence instead of a table
    acquire = tables[0]
    assert [c.text for c in acquire.rows[0].cells][:3] == ["事務", "情報資産", "取扱方法"]
    assert acquire.rows[1].cells[1].text == "1-2 減免申請書（紙）"
    assert acquire.rows[1].cells[4].text == "課長（指示）"
    use = tables[1]
    assert len(use.rows) == 3  # rows 1-3 and 1-4
    text = "\n".join(p.text for p in document.paragraphs)
    assert "この段階の取扱いは、承認済みの取扱手順表に記載がありません。" in text
    assert "日付 平成30年1月10日、承認済み" in text


def test_draft_refuses_a_department_without_approved_tables(municipality, beppyo, department):
    Process.objects.create(municipality=municipality, name=seed.PROCESS, department=department)
    assert run_import(seed.seed_workbook(), actor=None, municipality=municipality).ok  # imported, not approved
    with pytest.raises(ValidationError, match="承認済みの情報資産取扱手順表がありません"):
        export_bytes(department)


def test_download_page(client_for, admin_user, municipality, approved, department):
    response = client_for(admin_user).get(f"/m/{municipality.code}/departments/{department.pk}/rules.docx")
    assert response.status_code == 200
    assert Document(io.BytesIO(response.content)).paragraphs[0].text.endswith("取扱規程（案）")


def test_export_rules_command(tmp_path, municipality, approved, department, capsys):
    from django.core.management import CommandError, call_command

    out = tmp_path / "rules.docx"
    call_command("export", "rules", "--municipality", municipality.code, "--department", "子育て支援課", "-o", str(out))
    assert Document(str(out)).paragraphs[0].text == "テスト市 子育て支援課 特定個人情報等取扱規程（案）"
    with pytest.raises(CommandError) as exc:
        call_command("export", "rules", "--municipality", municipality.code, "--department", "存在しない課", "-o",
                     str(tmp_path / "x.docx"))
    assert exc.value.returncode == 2 and not (tmp_path / "x.docx").exists()
