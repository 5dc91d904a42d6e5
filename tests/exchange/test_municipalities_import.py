from jichitai.exchange.imports import run_import
from jichitai.orgs.models import Association, Municipality
from tests.helpers import db_state, workbook_bytes

HEADER = ["団体コード", "団体名", "人口"]


def test_creates_association_and_members_then_updates(db):
    data = workbook_bytes({"団体一覧": [HEADER, ["992011", "デモあおば市", 120000], [992038, "デモかえで市", "8,500"]]})
    report = run_import(data, actor=None, association_name="A県市町村振興協会")
    assert report.ok, report.errors
    assert report.sheets[0].kind == "municipalities" and report.sheets[0].created == 2
    association = Association.objects.get(name="A県市町村振興協会")
    assert sorted(association.members.values_list("code", "population")) == [("992011", 120000), ("992038", 8500)]
    again = run_import(workbook_bytes({"団体一覧": [HEADER, ["992011", "デモあおば市", 121000]]}), actor=None,
                       association_name="A県市町村振興協会")
    assert again.sheets[0].updated == 1 and again.sheets[0].created == 0
    assert Municipality.objects.get(code="992011").population == 121000


def test_numeric_code_with_lost_leading_zero_is_padded(db):
    report = run_import(workbook_bytes({"団体一覧": [HEADER, [11002, "札幌市", 1_970_000]]}), actor=None,
                        association_name="北海道テスト協議会")
    assert report.ok, report.errors
    assert Municipality.objects.filter(code="011002").exists()


def test_wrong_check_digit_names_its_cell_and_writes_nothing(db):
    before = db_state()
    data = workbook_bytes({"団体一覧": [HEADER, ["992011", "デモあおば市", 1], ["131017", "誤りコード区", 2],
                                    ["992011", "重複市", 3], ["992038", "", "多い"]]})
    report = run_import(data, actor=None, association_name="A県市町村振興協会")
    assert not report.ok
    assert [e.cell for e in report.errors] == ["A3", "A4", "B5", "C5"]
    assert report.errors[0].message.startswith("団体コード「131017」が正しくありません")
    assert "A2 と重複" in report.errors[1].message
    assert report.errors[2].message == "団体名が空欄です。"
    assert report.errors[3].message.startswith("人口「多い」は0以上の整数")
    assert db_state() == before


def test_member_of_another_association_is_an_error(db, other_municipality):
    report = run_import(workbook_bytes({"団体一覧": [HEADER, [other_municipality.code, "よその町", 5]]}), actor=None,
                        association_name="A県市町村振興協会")
    assert not report.ok and "B県協議会" in report.errors[0].message


def test_member_sheet_needs_association_name(db):
    report = run_import(workbook_bytes({"団体一覧": [HEADER, ["992011", "デモあおば市", 1]]}), actor=None)
    assert not report.ok and "--association" in report.errors[0].message
