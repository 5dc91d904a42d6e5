"""Loading frameworks: the shipped file, other JSON lists, workbooks; all or nothing; `jichitai loadframework`."""

import json

import pytest
from django.core.management import call_command

from jichitai.audit.models import AuditEntry
from jichitai.core.mynumber import my_number_check_digit
from jichitai.exchange.imports import run_import
from jichitai.measures.framework_file import FrameworkFileError
from jichitai.measures.models import Assessment, Framework, FrameworkItem
from jichitai.measures.services import DEFAULT_FRAMEWORK_CODE, DEFAULT_FRAMEWORK_PATH
from tests.helpers import workbook_bytes

MY_NUMBER = "12345678901" + str(my_number_check_digit("12345678901"))
HEADER = ["ID", "区分", "項目", "解説", "課室単位"]
SHEET = [["A市 セキュリティ強靱化チェックリスト"], [], HEADER,
         ["1-1", "物理的セキュリティ", "サーバ室の入退室管理", "入退室を記録する。", ""],
         ["1-2", "人的セキュリティ", "職員研修", "", "〇"],
         ["2-1", "技術的セキュリティ", "LGWAN接続系の分離", "", "×"]]


def load_framework(path, municipality=None, **overrides):
    """A file through the import pipeline's framework kind, as `jichitai loadframework` loads it."""
    report = run_import(path.read_bytes(), actor=None, municipality=municipality, kinds=("framework",),
                        options=overrides | {"file_stem": path.stem}, label=path.name)
    if not report.ok:
        raise FrameworkFileError(report)
    return report.sheets[0].details | {"total": report.sheets[0].rows}


def write_json(tmp_path, doc, name="list.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path


def write_xlsx(tmp_path, rows, name="kyojinka.xlsx", sheet="チェック"):
    path = tmp_path / name
    path.write_bytes(workbook_bytes({sheet: rows}))
    return path


def test_shipped_framework_has_the_guidelines_items(db):
    result = load_framework(DEFAULT_FRAMEWORK_PATH)
    assert result == {"code": DEFAULT_FRAMEWORK_CODE, "created": 17, "updated": 0, "retired": 0, "total": 17,
                      "revision": result["revision"]}
    assert result["revision"].startswith("平成29年5月30日")
    items = list(FrameworkItem.objects.filter(framework__code=DEFAULT_FRAMEWORK_CODE))
    assert [i.item_id for i in items] == ["A", "B", "C-a", "C-b", "C-c", "C-d", "C-e", "D-a", "D-b",
                                          "E-a", "E-b", "E-c", "E-d", "F-a", "F-b", "F-c", "F-d"]
    by_id = {i.item_id: i for i in items}
    assert by_id["A"].title == "基本方針の策定"
    assert by_id["C-d"].title == "情報漏えい等事案に対応する体制の整備"
    assert by_id["E-d"].title == "個人番号の削除、機器及び電子媒体等の廃棄"
    assert by_id["F-b"].title == "アクセス者の識別と認証"
    assert {i.item_id for i in items if i.departmental} == {"B", "C-b", "C-c", "D-a", "E-a"}
    assert all(i.guidance for i in items)
    assert [i.countermeasure_category for i in items if i.item_id.startswith("C")] == ["organisational"] * 5
    assert {by_id[k].countermeasure_category for k in ("D-a", "E-a", "F-a", "A", "B")} == {
        "human", "physical", "technical", None}


def test_loading_twice_changes_nothing_and_audits_once(db):
    load_framework(DEFAULT_FRAMEWORK_PATH)
    again = load_framework(DEFAULT_FRAMEWORK_PATH)
    assert (again["created"], again["updated"], again["retired"], again["total"]) == (0, 0, 0, 17)
    assert AuditEntry.objects.filter(action="framework.load").count() == 1


def test_revision_updates_and_retires_items_keeping_assessments(tmp_path, municipality):
    doc = json.loads(DEFAULT_FRAMEWORK_PATH.read_text(encoding="utf-8"))
    load_framework(DEFAULT_FRAMEWORK_PATH)
    dropped = FrameworkItem.objects.get(item_id="F-d")
    Assessment.objects.create(municipality=municipality, item=dropped, status="done")
    doc["items"] = [i for i in doc["items"] if i["id"] != "F-d"]
    doc["items"][0]["title"] = "基本方針の策定（改訂）"
    doc["revision"] = "令和8年4月1日"
    result = load_framework(write_json(tmp_path, doc))
    assert (result["created"], result["updated"], result["retired"], result["total"]) == (0, 1, 1, 16)
    dropped.refresh_from_db()
    assert dropped.active is False and dropped.assessments.count() == 1
    # Back in a later revision: active again, the old assessment still attached.
    doc["items"].append({"id": "F-d", "category": "技術的安全管理措置", "title": "情報漏えい等の防止"})
    result = load_framework(write_json(tmp_path, doc))
    assert (result["updated"], result["total"]) == (1, 17)
    assert FrameworkItem.objects.get(item_id="F-d").active


def test_json_errors_are_all_reported_with_their_place_and_nothing_is_written(tmp_path, db):
    doc = {"code": "bad code", "name": "", "items": [
        {"id": "1", "category": "組織的", "title": "体制"},
        {"id": "1", "category": "", "title": ""},
        {"id": "", "category": "人的", "title": f"番号 {MY_NUMBER}"},
        {"id": "4", "category": "人的", "title": "研修", "departmental": "yes"},
        "not an object",
    ]}
    with pytest.raises(FrameworkFileError) as exc:
        load_framework(write_json(tmp_path, doc))
    places = {(p.sheet, p.cell) for p in exc.value.report.errors}
    assert places == {("list.json", "code"), ("list.json", "name"), ("list.json", "items[1].id"),
                      ("list.json", "items[1].category"), ("list.json", "items[1].title"),
                      ("list.json", "items[2].id"), ("list.json", "items[2].title"),
                      ("list.json", "items[3].departmental"), ("list.json", "items[4]")}
    assert MY_NUMBER not in str(exc.value)
    assert Framework.objects.count() == 0 and FrameworkItem.objects.count() == 0


@pytest.mark.parametrize(("content", "message"), [
    (b"{not json", "JSON として読めません"),
    (b"[]", "items"),
    (json.dumps({"code": "x", "name": "空", "items": []}).encode(), "項目が1件もありません"),
])
def test_unreadable_json(tmp_path, db, content, message):
    path = tmp_path / "x.json"
    path.write_bytes(content)
    with pytest.raises(FrameworkFileError, match=message):
        load_framework(path)


def test_workbook_loads_with_title_as_name_and_stem_as_code(tmp_path, db):
    result = load_framework(write_xlsx(tmp_path, SHEET))
    assert (result["code"], result["created"], result["total"]) == ("kyojinka", 3, 3)
    framework = Framework.objects.get(code="kyojinka")
    assert framework.name == "A市 セキュリティ強靱化チェックリスト" and framework.municipality is None
    items = list(framework.items.all())
    assert [(i.item_id, i.departmental, i.countermeasure_category) for i in items] == [
        ("1-1", False, "physical"), ("1-2", True, "human"), ("2-1", False, "technical")]
    assert items[0].guidance == "入退室を記録する。"


def test_workbook_errors_name_their_cells(tmp_path, db):
    rows = [HEADER, ["1", "組織的", "体制", "", "たぶん"], ["1", "組織的", "", "", ""],
            ["3", "", MY_NUMBER, "", ""], ["", "", "", "", ""], ["5", "技術的", "x" * 301, "", ""]]
    with pytest.raises(FrameworkFileError) as exc:
        load_framework(write_xlsx(tmp_path, rows))
    assert {str(p).split(":")[0] for p in exc.value.report.errors} == {
        "チェック!E2", "チェック!A3", "チェック!C3", "チェック!B4", "チェック!C4", "チェック!C6"}
    assert MY_NUMBER not in str(exc.value)
    assert Framework.objects.count() == 0


def test_workbook_without_header(tmp_path, db):
    with pytest.raises(FrameworkFileError, match="見出し行"):
        load_framework(write_xlsx(tmp_path, [["番号", "内容"], ["1", "x"]]))


def test_a_municipality_list_cannot_take_a_shared_code(tmp_path, municipality):
    load_framework(DEFAULT_FRAMEWORK_PATH)
    doc = json.loads(DEFAULT_FRAMEWORK_PATH.read_text(encoding="utf-8"))
    with pytest.raises(FrameworkFileError, match="全団体共通"):
        load_framework(write_json(tmp_path, doc), municipality=municipality)
    own = load_framework(write_xlsx(tmp_path, SHEET), municipality=municipality, code="own-list")
    assert own["created"] == 3 and Framework.objects.get(code="own-list").municipality == municipality
    with pytest.raises(FrameworkFileError, match="別の団体専用"):
        load_framework(write_xlsx(tmp_path, SHEET), code="own-list")


def run(capsys, *args):
    call_command("loadframework", *args, "--format", "json")
    return json.loads(capsys.readouterr().out)


def test_command_json_dry_run_then_load(capsys, tmp_path, municipality):
    path = write_xlsx(tmp_path, SHEET)
    data = run(capsys, str(path), "--municipality", municipality.code, "--dry-run", "--name", "強靱化")
    # A dry run writes and rolls back, so its counts are the real ones.
    assert data == {"ok": True, "dry_run": True, "framework": {
        "code": "kyojinka", "created": 3, "updated": 0, "retired": 0, "total": 3, "revision": ""}}
    assert Framework.objects.count() == 0
    data = run(capsys, str(path), "--municipality", municipality.code, "--name", "強靱化", "--revision", "R6.10")
    assert data["framework"] | {} == {"code": "kyojinka", "created": 3, "updated": 0, "retired": 0, "total": 3,
                                      "revision": "R6.10"}
    framework = Framework.objects.get(code="kyojinka")
    assert (framework.name, framework.municipality_id) == ("強靱化", municipality.id)
    entry = AuditEntry.objects.get(action="framework.load")
    assert entry.via == "import" and entry.municipality_id == municipality.id and entry.actor_name == "system"


def test_command_invalid_file_exits_2_with_json_errors(capsys, tmp_path, db):
    path = write_xlsx(tmp_path, [HEADER, ["1", "", "体制", "", ""]])
    with pytest.raises(SystemExit) as exc:
        call_command("loadframework", str(path), "--format", "json")
    assert exc.value.code == 2
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False and data["errors"] == [
        {"sheet": "チェック", "cell": "B2", "message": "区分がありません。"}]
    assert Framework.objects.count() == 0


@pytest.mark.parametrize("args", [["missing.json"], ["{path}", "--municipality", "131017"]])
def test_command_bad_arguments_exit_2(capsys, tmp_path, db, args):
    from django.core.management import CommandError

    path = write_xlsx(tmp_path, SHEET)
    with pytest.raises(CommandError) as exc:
        call_command("loadframework", *[a.format(path=path) for a in args], "--format", "json")
    assert exc.value.returncode == 2
    assert json.loads(capsys.readouterr().out)["ok"] is False
