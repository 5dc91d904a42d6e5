import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from jichitai.audit.models import AuditEntry
from jichitai.core.codes import with_check_digit
from jichitai.handling.models import HandlingRow
from jichitai.measures.forms import MeasureFilterForm
from jichitai.measures.models import Assessment
from jichitai.measures.queries import EVIDENCE_LIMIT, SORTS
from jichitai.measures.services import DEFAULT_FRAMEWORK_CODE, save_assessment
from jichitai.orgs.models import Department, Municipality
from jichitai.processes.models import Process
from jichitai.risk.models import Countermeasure, RiskRow


def add_countermeasures(process, count: int, category: str, start: int = 0) -> None:
    for i in range(start, start + count):
        row = HandlingRow.objects.create(process=process, row_id=f"3-{i + 1}", asset_name="申請書", kind="paper",
                                         stage="acquire", confidentiality=3, integrity=2, availability=2,
                                         asset_value=4, position=i)
        risk = RiskRow.objects.create(handling_row=row, vulnerability_rating=2, threat_rating=2, total=16, residual=8)
        Countermeasure.objects.create(risk_row=risk, text=f"対策{i + 1:03d}（{category}）", reduction=1,
                                      category=category)


def page(client, municipality, query=""):
    response = client.get(f"/m/{municipality.code}/measures/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_page_groups_items_and_shows_statuses_and_evidence(login, admin_user, municipality, framework,
                                                           departments, officer, process):
    save_assessment(actor=None, via="command", municipality=municipality, item=framework["A"], status="done",
                    evidence_note="基本方針（平成28年制定）", owner=officer)
    save_assessment(actor=None, via="command", municipality=municipality, item=framework["E-a"],
                    department=departments[1], status="in_progress")
    add_countermeasures(process, 2, "physical")
    add_countermeasures(process, 1, "technical", start=10)
    html = page(login(admin_user), municipality)
    assert "基本方針（平成28年制定）" in html and "高橋 誠" in html
    assert html.index("<h2>基本方針") < html.index("<h2>組織的安全管理措置") < html.index("<h2>技術的安全管理措置")
    assert "対策001（physical）" in html and "対策011（technical）" in html
    assert 'href="#evidence-guideline-betten-physical">物理的 2</a>' in html and 'href="#evidence-guideline-betten-technical">物理的' not in html
    # Per department rows for E-a, with their edit links; one row for A.
    assert f"/measures/items/{framework['E-a'].pk}/departments/{departments[0].pk}/" in html
    assert f"/measures/items/{framework['E-a'].pk}/departments/{departments[1].pk}/" in html
    assert f"/measures/items/{framework['A'].pk}/\"" in html
    assert "<td class=\"num\">20</td>" in html  # 22 slots: 20 未対応 in the summary table
    assert html.count(framework["E-a"].guidance[:30]) == 1  # the guidance once, not once per department


def test_page_without_a_loaded_checklist(login, admin_user, municipality):
    html = page(login(admin_user), municipality)
    assert "No checklist is loaded" in html and "0 of 0 shown" in html


def test_filters_and_sort(login, admin_user, municipality, framework, departments):
    save_assessment(actor=None, via="command", municipality=municipality, item=framework["F-c"], status="done")
    save_assessment(actor=None, via="command", municipality=municipality, item=framework["B"],
                    department=departments[0], status="done")
    client = login(admin_user)
    done = page(client, municipality, "?status=済")  # look-alike accepted
    assert "外部からの不正アクセス等の防止" in done and "アクセス制御<" not in done
    assert "2 of 22 shown" in done
    physical = page(client, municipality, "?category=物理的安全管理措置")
    assert "<h2>物理的安全管理措置" in physical and "<h2>技術的" not in physical
    by_department = page(client, municipality, f"?department={departments[1].pk}")
    assert "5 of 22 shown" in by_department  # the five departmental items for 税務課
    by_status = page(client, municipality, "?sort=status&category=技術的安全管理措置")
    assert by_status.index("アクセス制御") < by_status.index("外部からの不正アクセス等の防止")  # 未対応 first
    bad = page(client, municipality, "?status=たぶん&sort=nonsense")
    assert "22 of 22 shown" in bad and 'class="error"' in bad


def test_sort_choices_match_the_query_sorts():
    assert [key for key, _label in MeasureFilterForm.SORT_CHOICES] == list(SORTS)


def test_export_follows_filters_and_prints_on_a4(login, admin_user, municipality, framework, officer):
    save_assessment(actor=None, via="command", municipality=municipality, item=framework["A"], status="done",
                    evidence_note="制定済み", owner=officer)
    response = login(admin_user).get(f"/m/{municipality.code}/measures.xlsx?framework={DEFAULT_FRAMEWORK_CODE}")
    assert response["Content-Disposition"] == f'attachment; filename="measures_{municipality.code}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content))["安全管理措置"]
    assert sheet["A1"].value == "テスト市 安全管理措置 対応状況"
    assert "対応済 1" in sheet["A2"].value and "未対応 16" in sheet["A2"].value
    assert [c.value for c in sheet[4]][:5] == ["区分", "ID", "項目", "課室", "対応状況"]
    assert [c.value for c in sheet[5]][:7] == ["基本方針", "A", "基本方針の策定", None, "対応済", "制定済み", "高橋 誠"]
    assert sheet.max_row == 4 + 17
    assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows == "$4:$4"
    filtered = login(admin_user).get(f"/m/{municipality.code}/measures.xlsx?status=done")
    assert load_workbook(io.BytesIO(filtered.content)).active.max_row == 5


def test_edit_creates_on_first_save_then_updates(login, admin_user, municipality, framework, departments,
                                                 officer):
    client = login(admin_user)
    url = f"/m/{municipality.code}/measures/items/{framework['D-a'].pk}/departments/{departments[0].pk}/"
    form = client.get(url).content.decode()
    assert "事務取扱担当者の監督" in form and "子育て支援課" in form and "counts as 未対応" in form
    response = client.post(url, {"status": "in_progress", "evidence_note": "点検票を準備中", "owner": officer.pk,
                                 "review_on": "R8.10.1"})
    assert response.status_code == 302 and response["Location"] == f"/m/{municipality.code}/measures/"
    assessment = Assessment.objects.get(item=framework["D-a"], department=departments[0])
    assert (assessment.status, assessment.review_on.isoformat(), assessment.owner) == ("in_progress", "2026-10-01",
                                                                                      officer)
    client.post(url, {"status": "done", "evidence_note": "点検票を準備中", "owner": officer.pk,
                      "review_on": "2026-10-01"})
    assessment.refresh_from_db()
    assert assessment.status == "done" and Assessment.objects.count() == 1
    assert list(AuditEntry.objects.filter(action="measure.assess").values_list("via", flat=True)) == ["web", "web"]


def test_edit_form_errors_and_wrong_slots(login, admin_user, municipality, other_municipality, framework,
                                          departments):
    from tests.measures.test_framework import MY_NUMBER

    client = login(admin_user)
    url = f"/m/{municipality.code}/measures/items/{framework['A'].pk}/"
    response = client.post(url, {"status": "done", "evidence_note": f"台帳 {MY_NUMBER}", "review_on": "いつか"})
    html = response.content.decode()
    assert response.status_code == 200 and MY_NUMBER not in html and "R8.12.3" in html
    assert Assessment.objects.count() == 0
    # A departmental item without its department, or a whole item with one: no such slot.
    assert client.get(f"/m/{municipality.code}/measures/items/{framework['B'].pk}/").status_code == 404
    assert client.get(f"{url}departments/{departments[0].pk}/").status_code == 404
    foreign = Department.objects.create(municipality=other_municipality, name="市民課")
    assert client.get(f"/m/{municipality.code}/measures/items/{framework['B'].pk}/departments/{foreign.pk}/"
                      ).status_code == 404
    assert client.get(f"/m/{municipality.code}/measures/items/999999/").status_code == 404


def test_viewer_sees_no_edit_links_and_cannot_post(login, viewer_user, municipality, framework):
    client = login(viewer_user)
    html = page(client, municipality)
    assert "/measures/items/" not in html
    url = f"/m/{municipality.code}/measures/items/{framework['A'].pk}/"
    assert client.post(url, {"status": "done"}).status_code == 403
    assert Assessment.objects.count() == 0


def test_association_page_compares_and_sorts(login, secretariat_user, association, municipality, framework):
    behind = Municipality.objects.create(code=with_check_digit("99203"), name="おくれ町", association=association)
    for key in ("A", "B", "C-a"):
        save_assessment(actor=None, via="command", municipality=municipality, item=framework[key], status="done")
    client = login(secretariat_user)
    html = client.get(f"/a/{association.pk}/measures/").content.decode()
    assert html.index("テスト市") < html.index("おくれ町")  # by code
    assert "<td class=\"num\">3</td>" in html and "<td class=\"num\">17</td>" in html
    assert "17.6%" in html  # 3 of the 17 items
    by_open = client.get(f"/a/{association.pk}/measures/?sort={DEFAULT_FRAMEWORK_CODE}:not_started").content.decode()
    assert by_open.index("おくれ町") < by_open.index("テスト市")
    by_done = client.get(f"/a/{association.pk}/measures/?sort={DEFAULT_FRAMEWORK_CODE}:done").content.decode()
    assert by_done.index("テスト市") < by_done.index("おくれ町")
    by_name = client.get(f"/a/{association.pk}/measures/?sort=name").content.decode()
    assert by_name.index("おくれ町") < by_name.index("テスト市")
    ignored = client.get(f"/a/{association.pk}/measures/?sort=nope:done").content.decode()
    assert ignored.index("テスト市") < ignored.index("おくれ町")
    del behind


def test_municipality_page_query_count_is_constant(login, admin_user, municipality, framework, process):
    client = login(admin_user)
    counts = []
    for departments, measures, start in ((2, 3, 0), (40, 2 * EVIDENCE_LIMIT, 100)):
        Department.objects.bulk_create(Department(municipality=municipality, name=f"課{start + d}")
                                       for d in range(departments))
        names = list(Department.objects.filter(municipality=municipality).order_by("id"))
        for department in names[-departments:]:
            save_assessment(actor=None, via="command", municipality=municipality, item=framework["B"],
                            department=department, status="done")
        add_countermeasures(process, measures, "organisational", start=start)
        for path in (f"/m/{municipality.code}/measures/", f"/m/{municipality.code}/measures.xlsx"):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(path).status_code == 200
            counts.append(len(queries))
    assert counts[0:2] == counts[2:4], counts
    assert counts[0] <= 11 and counts[1] <= 11, counts  # with the menu's read of roles
    html = page(client, municipality)
    # Listed once, for the 組織的 group; each of its item rows links to the list with the total.
    assert html.count("（organisational）") == EVIDENCE_LIMIT and f"The first {EVIDENCE_LIMIT} are listed" in html
    assert html.count(f'href="#evidence-guideline-betten-organisational">組織的 {3 + 2 * EVIDENCE_LIMIT}</a>') == 3 + 2 * Department.objects.count()


def test_association_page_query_count_is_constant(login, secretariat_user, association, framework):
    client = login(secretariat_user)
    counts = []
    for members, departments, start in ((1, 2, 100), (20, 40, 200)):
        for n in range(start, start + members):
            member = Municipality.objects.create(code=with_check_digit(f"98{n:03d}"), name=f"町{n}",
                                                 association=association)
            Department.objects.bulk_create(Department(municipality=member, name=f"課{d}")
                                           for d in range(departments))
            Process.objects.create(municipality=member, name="事務")
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/a/{association.pk}/measures/").status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 8, counts  # with the menu's read of roles


def test_a_municipalitys_own_list_shows_only_there(login, admin_user, municipality, other_municipality, framework):
    from jichitai.measures.models import Framework, FrameworkItem

    mine = Framework.objects.create(code="own-mine", name="テスト市 強靱化チェック", municipality=municipality)
    FrameworkItem.objects.create(framework=mine, item_id="1-1", category="物理的セキュリティ", title="サーバ室の施錠")
    theirs = Framework.objects.create(code="own-theirs", name="よその町 独自チェック", municipality=other_municipality)
    FrameworkItem.objects.create(framework=theirs, item_id="9-9", category="技術的", title="よその項目")
    html = page(login(admin_user), municipality)
    assert "サーバ室の施錠" in html and "テスト市 強靱化チェック" in html
    assert "よその" not in html
    assert "18 of 18 shown" in html
    assert 'href="#evidence-own-mine-physical">物理的 0</a>' in html
