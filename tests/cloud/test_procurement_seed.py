"""Done when: the seed's 「各団体の主なシステム調達時期の整理」 typed in as an inventory sheet, with the seed's own
year forms in a 調達時期 column, imports through the real import path without errors, and the board drawn as of
平成30年度 (the year the seed drew it) and its .xlsx place each system in the seed's band.

The seed's bands: 平成30〜32 (FY2018–2020) · 平成33〜35 (FY2021–2023) · 平成36年以降 (FY2024–). Each system sits in
the band of the year written beside it (H32 = 2020 → the first band, H35.1 = 2023年1月 → FY2022 → the second).
The seed's text has lost where the drawn table put each entry within its band; the year written decides.
介護保険's year is cut off in the seed (「介護保険 ("）」); it is given a 契約終了年度 of R8 here, which puts its
procurement (FY2024) in the last band and checks the 契約終了年度 path next to the 調達時期 one.
"""

import io

import pytest
from openpyxl import load_workbook

from jichitai.cloud.models import BusinessSystem
from jichitai.core.codes import with_check_digit
from jichitai.exchange.imports import run_import
from jichitai.orgs.models import Municipality
from tests.helpers import workbook_bytes

HEADER = ["団体コード", "システム名", "分類", "契約終了年度", "調達時期"]
MEMBERS = {"99211": "一の町", "99212": "二の村", "99213": "三の市", "99214": "四の町"}
# (member, system, 分類, 契約終了年度, 調達時期 as the seed writes it)
SEED_ROWS = [
    ("99211", "住基ネット", "住基ネット", "", "H30年度"),
    ("99211", "LGWAN", "LGWAN", "", "(H30年度)"),
    ("99211", "総合行政システム", "総合行政システム", "", "H32年度"),
    ("99211", "住・税", "住基", "", "H35年度"),
    ("99211", "内部系システム", "内部系", "", "H31年度"),
    ("99212", "グループウェア", "グループウェア", "", "平成30年度"),
    ("99212", "確定申告支援システム", "申告支援", "", "平成32年度"),
    ("99212", "人事給与システム", "人事給与", "", "H34以降"),
    ("99212", "介護保険", "介護保険", "R8", ""),
    ("99213", "第4次LGWAN", "LGWAN", "", "H32年以降"),
    ("99213", "住民・税・福祉", "住基", "", "H35.1"),
    ("99213", "AD II 更新", "内部系", "", "33年度"),
    ("99214", "住基ネット", "住基ネット", "", "30年度"),
    ("99214", "選挙期日前管理システム", "選挙", "", "H31"),
    ("99214", "申告支援システム", "申告支援", "", "H32"),
    ("99214", "生保レセプト", "生保レセプト", "", "H30"),
]
FIRST, SECOND, LAST = 0, 1, 2
# (member, system) → (band, procurement year as the board writes it)
EXPECTED = {
    ("99211", "住基ネット"): (FIRST, "平成30年度"), ("99211", "LGWAN"): (FIRST, "平成30年度"),
    ("99211", "総合行政システム"): (FIRST, "令和2年度"), ("99211", "住・税"): (SECOND, "令和5年度"),
    ("99211", "内部系システム"): (FIRST, "平成31年度"),
    ("99212", "グループウェア"): (FIRST, "平成30年度"), ("99212", "確定申告支援システム"): (FIRST, "令和2年度"),
    ("99212", "人事給与システム"): (SECOND, "令和4年度"), ("99212", "介護保険"): (LAST, "令和6年度"),
    ("99213", "第4次LGWAN"): (FIRST, "令和2年度"), ("99213", "住民・税・福祉"): (SECOND, "令和4年度"),
    ("99213", "AD II 更新"): (SECOND, "令和3年度"),
    ("99214", "住基ネット"): (FIRST, "平成30年度"), ("99214", "選挙期日前管理システム"): (FIRST, "平成31年度"),
    ("99214", "申告支援システム"): (FIRST, "令和2年度"), ("99214", "生保レセプト"): (FIRST, "平成30年度"),
}
BAND_LABELS = ["平成30年度〜令和2年度", "令和3〜5年度", "令和6年度以降"]  # the seed: 平成30〜32 · 33〜35 · 36年以降


@pytest.fixture
def members(association):
    return {code: Municipality.objects.create(code=with_check_digit(code), name=name, association=association)
            for code, name in MEMBERS.items()}


@pytest.fixture
def imported(association, members, secretariat_user):
    rows = [["各団体の主なシステム調達時期の整理"], HEADER] + [
        [members[code].code, name, category, end, when] for code, name, category, end, when in SEED_ROWS]
    report = run_import(workbook_bytes({"システム一覧": rows}), actor=secretariat_user,
                        association_name=association.name)
    return report


def test_the_seed_table_imports_without_errors(imported, members):
    assert imported.ok, [str(p) for p in imported.errors]
    assert imported.sheets[0].kind == "systems" and imported.sheets[0].created == len(SEED_ROWS)
    ends = {(s.municipality.code[:5], s.name): s.contract_end_fy
            for s in BusinessSystem.objects.select_related("municipality")}
    assert ends[("99213", "住民・税・福祉")] == 2024  # H35.1 → FY2022, + 2 years' lead
    assert ends[("99213", "AD II 更新")] == 2023  # 33年度 → 平成33 = FY2021
    assert ends[("99212", "介護保険")] == 2026
    warned = {p.message.split("」")[0] for p in imported.warnings if p.message.startswith("調達時期: ")}
    assert {"調達時期: 「H32年以降", "調達時期: 「H35.1", "調達時期: 「33年度", "調達時期: 「30年度",
            "調達時期: 「H34以降"} == warned


def placed(board: dict) -> dict:
    return {(row["municipality"].code[:5], item["name"]): (n, item["label"].split("（")[0])
            for row in board["rows"] for n, cell in enumerate(row["cells"]) for item in cell}


def test_the_board_as_of_heisei_30_draws_the_seeds_bands(imported, association, client_for, secretariat_user):
    response = client_for(secretariat_user).get(f"/a/{association.pk}/cloud/timeline/", {"as_of": "H30"})
    board = response.context["board"]
    assert [b["label"] for b in board["bands"]] == BAND_LABELS
    assert placed(board) == EXPECTED
    assert board["overdue"] == 0
    page = response.content.decode()
    assert all(label in page for label in BAND_LABELS) and "平成30年度（2018年度）" in page


def test_the_xlsx_as_of_heisei_30_is_the_seeds_table(imported, association, client_for, secretariat_user):
    response = client_for(secretariat_user).get(f"/a/{association.pk}/cloud/timeline.xlsx", {"as_of": "H30"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value == "各団体の主なシステム調達時期の整理"
    assert [c.value for c in sheet[3]] == ["団体", *BAND_LABELS]
    found = {}
    for row in sheet.iter_rows(min_row=4, values_only=True):
        code = next(c for c, n in MEMBERS.items() if n == row[0])
        for band, text in enumerate(row[1:]):
            for line in text.split("\n") if text else []:
                name, year = line.removesuffix("）").split("（")
                found[(code, name)] = (band, year)
    assert found == EXPECTED
    assert [row[0].value for row in sheet.iter_rows(min_row=4, max_col=1)] == list(MEMBERS.values())
    assert sheet["B4"].alignment.wrap_text and sheet.page_setup.orientation == "landscape"
