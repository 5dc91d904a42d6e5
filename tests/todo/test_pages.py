"""やること pages, the landing page and the downloads, on a municipality with one item from each source."""

import datetime as dt
import io

import openpyxl
import pytest
from django.utils import timezone

from jichitai.core.wareki import format_wareki
from jichitai.handling.models import FlowStep
from jichitai.incidents.models import Incident
from jichitai.orgs.models import Membership, Staff
from jichitai.pia.models import Evaluation, SpiFile
from jichitai.pia.rules import add_years
from jichitai.processes.models import Process, ProcessAssignment
from jichitai.todo import views
from tests.conftest import make_user
from tests.todo.test_ical import events, unescape


@pytest.fixture
def work(municipality, process, department):
    """Due: a 速報 tomorrow and a 確報 in 28 days, a PIA review in 20 days; undated: an untrained handler,
    a process without a legal basis (checklist NG), the persons not notified, the PIA file's serious incident
    since its evaluation, and an analysis waiting for approval: eight items, two of them overdue."""
    today = timezone.localdate()
    known = timezone.now() - dt.timedelta(days=2)
    incident = Incident.objects.create(municipality=municipality, title="通知書の誤送付", discovered_at=known,
                                       known_at=known, persons_unknown=True, serious=True)
    staff = Staff.objects.create(municipality=municipality, staff_number="S1", name="佐藤 花子", role="handler",
                                 department=department)
    ProcessAssignment.objects.create(process=process, staff=staff, assigned_on=today - dt.timedelta(days=10))
    FlowStep.objects.create(process=process, order=1, lane="resident", action="申請書を提出")
    spi = SpiFile.objects.create(municipality=municipality, name="児童手当ファイル", persons=5000, handlers=10)
    spi.processes.add(process)
    Evaluation.objects.create(spi_file=spi, kind="basic", submitted_on=add_years(today, -1) + dt.timedelta(days=20))
    Process.objects.create(municipality=municipality, name="根拠のない事務")
    return {"today": today, "incident": incident, "spi": spi}


def test_municipal_page_lists_every_source_soonest_first(client, admin_user, municipality, process, work):
    client.force_login(admin_user)
    page = client.get(f"/m/{municipality.code}/todo/").content.decode()
    today = work["today"]
    order = ["佐藤 花子（子育て支援課）：研修未受講", "チェックリスト：情報連携の条例化対応漏れがNG",
             "速報の提出：通知書の誤送付", "児童手当ファイル：年1回の見直し", "確報の提出：通知書の誤送付",
             "児童手当事務：分析の承認"]
    # The duties already unmet first (overdue), then by deadline (速報 +1, review +20, 確報 +28), undated last.
    assert [page.index(text) for text in order] == sorted(page.index(text) for text in order)
    assert format_wareki(today + dt.timedelta(days=1)) in page and "あと1日" in page and "あと20日" in page
    assert f'/m/{municipality.code}/incidents/{work["incident"].pk}/' in page
    assert f'/m/{municipality.code}/pia/files/{work["spi"].pk}/' in page
    assert f"/m/{municipality.code}/processes/{process.pk}/analysis/" in page
    assert "期限超過 1件" not in page  # nothing dated is overdue yet; the two unmet duties are
    assert "期限超過 2件" in page


def test_an_overdue_report_says_how_late(client, admin_user, municipality, work):
    Incident.objects.filter(pk=work["incident"].pk).update(known_at=timezone.now() - dt.timedelta(days=8))
    client.force_login(admin_user)
    page = client.get(f"/m/{municipality.code}/todo/").content.decode()
    assert "5日超過" in page  # 速報 due 3 days after knowing


def test_the_menu_starts_with_todo(client, admin_user, municipality):
    client.force_login(admin_user)
    page = client.get(f"/m/{municipality.code}/").content.decode()
    menu = page[page.index('class="menu"'):]
    assert menu.index(f'href="/m/{municipality.code}/todo/"') < menu.index(f'href="/m/{municipality.code}/"')


def test_home_lands_each_persona_on_their_list(client, admin_user, secretariat_user, operator_user, municipality,
                                              association, other_municipality):
    for user, where in ((admin_user, f"/m/{municipality.code}/todo/"), (secretariat_user, f"/a/{association.pk}/todo/"),
                        (operator_user, "/operator/")):
        client.force_login(user)
        response = client.get("/")
        assert response.status_code == 302 and response["Location"] == where
    Membership.objects.create(user=admin_user, municipality=other_municipality, role=Membership.Role.VIEWER)
    client.force_login(admin_user)
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert municipality.name in html and other_municipality.name in html


def test_a_user_with_several_municipalities_sees_each_list(client, municipality, other_municipality, work):
    user = make_user("two", Membership.Role.VIEWER, municipality=municipality)
    Membership.objects.create(user=user, municipality=other_municipality, role=Membership.Role.VIEWER)
    client.force_login(user)
    html = client.get("/").content.decode()
    assert html.index(municipality.name) < html.index("速報の提出") < html.index(other_municipality.name)
    assert "いま対応が必要なことはありません。" in html  # the other town has nothing to do


def test_xlsx_has_japanese_headers_dates_and_a_wareki_line(client, admin_user, municipality, work):
    client.force_login(admin_user)
    response = client.get(f"/m/{municipality.code}/todo.xlsx")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value.startswith(f"{format_wareki(work['today'])}現在")
    assert [c.value for c in sheet[3]][:7] == ["期限", "期限（和暦）", "残り日数", "状態", "団体", "種別", "やること"]
    rows = {row[6].value: row for row in sheet.iter_rows(min_row=4)}
    first = [c.value for c in rows["速報の提出：通知書の誤送付"]]
    assert first[0] == dt.datetime.combine(work["today"] + dt.timedelta(days=1), dt.time())
    assert rows["速報の提出：通知書の誤送付"][0].is_date  # a date cell, not text
    assert first[1] == format_wareki(work["today"] + dt.timedelta(days=1)) and first[2] == "あと1日"
    assert first[9].startswith("http://testserver/m/")
    assert rows["児童手当事務：分析の承認"][0].value is None
    assert sheet.max_row == 3 + 8


def test_ics_has_one_all_day_event_per_dated_item(client, admin_user, municipality, work):
    client.force_login(admin_user)
    response = client.get(f"/m/{municipality.code}/todo.ics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    found = events(response.content)
    assert len(found) == 3  # 速報, 確報, the PIA review; the undated items have no day to put them on
    summaries = [unescape(e["SUMMARY"]) for e in found]
    assert summaries[0] == f"【漏えい等の報告】速報の提出：通知書の誤送付（{municipality.name}）"
    assert found[0]["DTSTART;VALUE=DATE"] == (work["today"] + dt.timedelta(days=1)).strftime("%Y%m%d")
    assert len({e["UID"] for e in found}) == 3
    again = events(client.get(f"/m/{municipality.code}/todo.ics").content)
    assert [e["UID"] for e in again] == [e["UID"] for e in found]


def test_association_page_counts_per_member_and_filters(client, secretariat_user, association, municipality, work,
                                                        monkeypatch):
    client.force_login(secretariat_user)
    page = client.get(f"/a/{association.pk}/todo/")
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [(r["municipality"].code, r["overdue"], r["total"]) for r in rows] == [(municipality.code, 2, 8)]
    html = page.content.decode()
    assert f"/m/{municipality.code}/todo/" in html
    only = client.get(f"/a/{association.pk}/todo/", {"kind": "incident"}).context
    assert [t.kind for t, _m in only["items"]] == ["incident"] * 3  # 速報, 確報, 本人への通知
    by_kind = client.get(f"/a/{association.pk}/todo/", {"sort": "kind"}).context
    assert [t.kind for t, _m in by_kind["items"]][0] == "incident"
    assert [t.kind for t, _m in by_kind["items"]][-1] == "checklist"
    late = client.get(f"/a/{association.pk}/todo/", {"state": "overdue"}).context
    assert {t.state for t, _m in late["items"]} == {"overdue"}
    nobody = client.get(f"/a/{association.pk}/todo/", {"member": "000000"}).context  # not a member: ignored
    assert nobody["shown"] == 8
    monkeypatch.setattr(views, "PER_PAGE", 4)
    second = client.get(f"/a/{association.pk}/todo/", {"page": 2}).context
    assert second["page_obj"].number == 2 and len(second["items"]) == 4
    calendar = events(client.get(f"/a/{association.pk}/todo.ics", {"kind": "pia"}).content)
    assert [unescape(e["SUMMARY"]) for e in calendar] == [
        f"【特定個人情報保護評価】児童手当ファイル：年1回の見直し（{municipality.name}）"]
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(f"/a/{association.pk}/todo.xlsx").content)).active
    assert sheet.max_row == 3 + 8 and sheet["E4"].value == municipality.name


def test_nothing_to_do(client, admin_user, municipality):
    client.force_login(admin_user)
    page = client.get(f"/m/{municipality.code}/todo/").content.decode()
    assert "いま対応が必要なことはありません。" in page
    assert events(client.get(f"/m/{municipality.code}/todo.ics").content) == []



def test_association_counts_each_kind(client, secretariat_user, association, municipality, work):
    client.force_login(secretariat_user)
    (row,) = client.get(f"/a/{association.pk}/todo/").context["rows"]
    kinds = dict(zip([k for k, _l in views.rules.KINDS], row["kinds"], strict=True))
    assert kinds["incident"] == {"overdue": 0, "due_soon": 2, "total": 3}
    assert kinds["training"] == {"overdue": 1, "due_soon": 0, "total": 1}
    assert kinds["checklist"]["overdue"] == 1


def test_overdue_reviews_and_record_gaps_are_listed_with_their_links(client, admin_user, municipality, process,
                                                                    department):
    """A 取扱規程 reviewed 13 months ago is overdue; a process whose handling table keeps records and has none is a
    record gap; both come with the page where they are fixed."""
    from jichitai.handling import services as handling_services
    from jichitai.handling.models import HandlingRow

    today = timezone.localdate()
    handling_services.mark_rules_reviewed(actor=None, via="test", department=department,
                                          reviewed_on=today - dt.timedelta(days=400))
    HandlingRow.objects.create(process=process, row_id="1-2", asset_name="申請書", kind="paper", stage="acquire",
                               confidentiality=3, integrity=2, availability=2, asset_value=4, records_kept=True)
    client.force_login(admin_user)
    page = client.get(f"/m/{municipality.code}/todo/").content.decode()
    assert f"取扱規程（{department.name}）の見直し" in page
    assert f"{process.name}：取扱記録の確認" in page and f"/processes/{process.pk}/records/" in page


def test_a_review_due_later_than_the_due_soon_period_is_not_listed(client, admin_user, municipality, department):
    from jichitai.handling import services as handling_services

    handling_services.mark_rules_reviewed(actor=None, via="test", department=department,
                                          reviewed_on=timezone.localdate() - dt.timedelta(days=30))
    client.force_login(admin_user)
    assert f"取扱規程（{department.name}）の見直し" not in client.get(f"/m/{municipality.code}/todo/").content.decode()
