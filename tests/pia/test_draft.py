"""The PIA draft (.docx), re-read with python-docx; and `jichitai export pia-draft`."""

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from jichitai.pia.draft import PiaDraftError, export_bytes
from jichitai.processes.models import Process
from tests.helpers import db_state
from tests.pia.conftest import approve, make_file, make_row

TODAY = dt.date(2026, 5, 1)
EXPECTED_HEADINGS = [
    "特定個人情報保護評価書（リスク対策）案",
    "Ⅰ 基本情報",
    "Ⅲ 特定個人情報ファイルの取扱いプロセスにおけるリスク対策",
    "1. 特定個人情報の入手",
    "2. 特定個人情報の使用",
    "3. 特定個人情報ファイルの取扱いの委託",
    "4. 特定個人情報の提供・移転（委託や情報提供ネットワークシステムを通じた提供を除く。）",
    "5. 情報提供ネットワークシステムとの接続",
    "6. 特定個人情報の保管・消去",
    "作成の根拠",
]


@pytest.fixture
def documented(municipality, process, incidents):
    make_row(process, "1-2", "acquire", "減免申請書", handler="委託先（入力業者）",
             vulnerability="窓口で他人の申請書と混在する", threat="紛失・誤交付",
             measures=[("個人スペースを作る。", "0.5"), ("受付後すぐに所定の箱へ入れる。", "0.5")], total=16, residual="8")
    make_row(process, "1-3", "use", "申請データ", vulnerability="権限外の閲覧", threat="目的外利用",
             measures=[("操作ログを毎月点検する。", "1")], total=16, residual="4")
    make_row(process, "1-5", "store", "申請書（保管）")
    make_row(process, "1-6", "dispose", "申請書（廃棄）", vulnerability="廃棄漏れ", threat="漏えい",
             measures=[("溶解処理を委託し証明書を受領する。", "0.5")], total=12, residual="6")
    approve(process)
    other = Process.objects.create(municipality=municipality, name="児童扶養手当事務")
    spi_file = make_file(municipality, processes=[process, other], persons=150_000, handlers=620,
                         systems="児童手当システム")
    incidents[municipality.id] = [dt.date(2026, 1, 5)]
    return spi_file


def read(data: bytes) -> Document:
    return Document(io.BytesIO(data))


def headings(document) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name.startswith(("Heading", "Title"))]


def cells(table) -> list[list[str]]:
    return [[c.text for c in row.cells] for row in table.rows]


def test_headings_in_order_and_basic_information(documented):
    document = read(export_bytes(documented, TODAY))
    assert headings(document) == EXPECTED_HEADINGS
    basic = dict(cells(document.tables[0]))
    assert basic["特定個人情報ファイル名"] == "児童手当情報ファイル"
    assert basic["対象となる事務"] == "児童手当事務、児童扶養手当事務"
    assert basic["対象人数"] == "150,000人" and basic["取扱者数（委託先を含む）"] == "620人"
    assert basic["過去1年以内の重大事故"] == "あり"
    assert basic["しきい値判断の結果"] == "基礎項目評価＋全項目評価"
    assert basic["根拠"] == "特定個人情報保護評価に関する規則 第7条第1項"


def test_rows_by_stage_with_risks_countermeasures_and_scores(documented):
    document = read(export_bytes(documented, TODAY))
    acquire, use, entrust, keep = (cells(t) for t in document.tables[1:5])
    assert acquire[0] == ["事務", "ID", "情報資産", "取扱方法", "リスク", "対策（低減）", "評価", "残存リスク"]
    assert [r[1] for r in acquire[1:]] == ["1-2"]
    row = acquire[1]
    assert row[0] == "児童手当事務" and row[2] == "減免申請書（紙・取得）"
    assert row[4] == "脆弱性: 窓口で他人の申請書と混在する（評価 2）\n脅威: 紛失・誤交付（評価 2）"
    assert row[5] == "・個人スペースを作る。（△0.5）\n・受付後すぐに所定の箱へ入れる。（△0.5）"
    assert row[6] == "資産価値 4\n総合評価 16\n残存評価 8" and row[7] == "誤交付の可能性は残る"
    assert [r[1] for r in use[1:]] == ["1-3"] and use[1][5] == "・操作ログを毎月点検する。（△1）"
    # 委託: the row a contractor handles; a countermeasure mentioning 委託 (row 1-6) does not put a row there.
    assert [r[1] for r in entrust[1:]] == ["1-2"]
    assert [r[1] for r in keep[1:]] == ["1-5", "1-6"] and keep[1][4] == "（リスク分析未記入）"
    texts = [p.text for p in document.paragraphs]
    assert "この段階の取扱い（情報資産取扱手順表の行）は記録されていません。" in texts  # 提供・移転
    assert any(t.startswith("情報提供ネットワークシステムとの接続に関する取扱い") for t in texts)
    assert "事務「児童手当事務」の業務フロー・情報資産取扱手順表・リスク分析表: 承認済み（令和8年3月2日）" in texts
    assert "事務「児童扶養手当事務」の業務フロー・情報資産取扱手順表・リスク分析表: 未承認（下書き）" in texts
    assert any("作成日: 令和8年5月1日" in t for t in texts)


def test_a_file_without_processes_is_refused(municipality, incidents):
    lonely = make_file(municipality, "職員給与情報ファイル", staff_only=True)
    with pytest.raises(PiaDraftError, match="事務が登録されていない"):
        export_bytes(lonely)


def test_export_command_writes_the_draft(documented, municipality, tmp_path, capsys):
    out = tmp_path / "draft.docx"
    call_command("export", "pia-draft", "--municipality", municipality.code, "--file", "児童手当情報ファイル",
                 "-o", str(out), "--format", "json")
    assert json.loads(capsys.readouterr().out) == {"file": str(out), "municipality": municipality.code,
                                                   "spi_file": "児童手当情報ファイル"}
    assert headings(Document(str(out)))[1] == "Ⅰ 基本情報"


@pytest.mark.parametrize(("name", "message"), [("ない情報ファイル", "登録されていません"),
                                               ("職員給与情報ファイル", "事務が登録されていない"),
                                               (None, "--file")])
def test_export_command_refuses_with_exit_2_and_writes_nothing(municipality, tmp_path, incidents, name, message):
    make_file(municipality, "職員給与情報ファイル")
    out = tmp_path / "draft.docx"
    before = db_state()
    args = ["export", "pia-draft", "--municipality", municipality.code, "-o", str(out)]
    with pytest.raises(CommandError, match=message) as exc:
        call_command(*args, *(["--file", name] if name else []))
    assert exc.value.returncode == 2 and not out.exists() and db_state() == before
