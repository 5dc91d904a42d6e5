import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from jichitai.core.codes import with_check_digit
from jichitai.core.mynumber import my_number_check_digit
from jichitai.handling.models import HandlingRow
from jichitai.incidents import services
from jichitai.incidents.models import Incident, IncidentPhase, Measure
from jichitai.orgs.models import Municipality
from jichitai.training.models import Attendance
from tests.helpers import db_state
from tests.incidents.conftest import KNOWN, make_incident

MY_NUMBER = "12345678901" + str(my_number_check_digit("12345678901"))
FORM = {"title": "申請書の誤送付", "discovered_at": "2025-10-01T09:00", "known_at": "2025-10-01T10:00",
        "persons_affected": "150", "kinds": ["leak"]}


def register(client, municipality, query=""):
    return client.get(f"/m/{municipality.code}/incidents/{query}").content.decode()


def test_register_highlights_overdue_reports_and_shows_grounds(client_for, admin_user, municipality):
    make_incident(municipality, title="確報が遅れている事案", preliminary_sent_on=dt.date(2025, 10, 2))
    make_incident(municipality, title="小さな事案", persons_affected=2)
    html = register(client_for(admin_user), municipality)
    assert html.count('<tr class="attention">') == 1
    assert "4号 本人の数が100人超" in html
    assert "令和7年10月31日" in html and "overdue" in html
    assert "1 incident has an overdue report." in html


def test_register_filters_and_sorts(client_for, admin_user, municipality):
    make_incident(municipality, title="大規模な漏えい")
    make_incident(municipality, title="滅失の事案", kinds=["loss"], persons_affected=2,
                  known_at=KNOWN - dt.timedelta(days=3), discovered_at=KNOWN - dt.timedelta(days=3))
    client = client_for(admin_user)
    assert "滅失の事案" in register(client, municipality, "?kind=loss")
    assert "大規模な漏えい" not in register(client, municipality, "?kind=loss")
    assert "滅失の事案" not in register(client, municipality, "?reportable=yes")
    assert "大規模な漏えい" in register(client, municipality, "?status=overdue")
    oldest_first = register(client, municipality, "?sort=known_at")
    assert oldest_first.index("滅失の事案") < oldest_first.index("大規模な漏えい")


def _count(client, path) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries), response.content.decode(errors="replace")


def _add(municipality, association, process, start: int, count: int) -> None:
    for i in range(start, start + count):
        incident = make_incident(municipality, title=f"事案{i}", processes=[process])
        IncidentPhase.objects.create(incident=incident, phase="detection", at=KNOWN)
        member = Municipality.objects.create(code=with_check_digit(f"96{i:03d}"), name=f"町{i}", association=association)
        make_incident(member)


def test_register_and_association_pages_run_constant_queries(client_for, admin_user, secretariat_user, municipality,
                                                             association, process):
    pages = ((admin_user, f"/m/{municipality.code}/incidents/"), (secretariat_user, f"/a/{association.pk}/incidents/"),
             (admin_user, f"/m/{municipality.code}/incidents.xlsx"))
    _add(municipality, association, process, 0, 2)
    small = [_count(client_for(user), path)[0] for user, path in pages]
    _add(municipality, association, process, 2, 10)
    large = [_count(client_for(user), path) for user, path in pages]
    assert [n for n, _html in large] == small
    assert large[0][1].count('<tr class="attention">') == 12
    assert large[1][1].count('<tr class="attention">') == 24  # the members' incidents too


def test_export_matches_the_page_with_overdue_cells_filled(client_for, admin_user, municipality):
    make_incident(municipality, title="確報が遅れている事案", preliminary_sent_on=dt.date(2025, 10, 2))
    make_incident(municipality, title="人数不明の事案", persons_affected=None, persons_unknown=True,
                  known_at=KNOWN - dt.timedelta(days=1), discovered_at=KNOWN - dt.timedelta(days=1))
    response = client_for(admin_user).get(f"/m/{municipality.code}/incidents.xlsx?sort=known_at")
    assert response["Content-Disposition"] == f'attachment; filename="incidents_{municipality.code}.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A3"].value == "事案" and sheet["J3"].value == "確報 期限"
    assert [sheet.cell(row=r, column=1).value for r in (4, 5)] == ["人数不明の事案", "確報が遅れている事案"]
    assert sheet["E4"].value == "不明" and sheet["G4"].value == "4号 本人の数が100人超"
    assert sheet["J5"].value.date() == dt.date(2025, 10, 31) and sheet["K5"].value is None
    assert sheet["J5"].fill.fgColor.rgb.endswith("F8CBAD")
    assert sheet["H5"].fill.fgColor.rgb.endswith("000000")  # 速報 sent: not filled


def test_create_shows_the_assessment_at_once(client_for, admin_user, municipality, process):
    client = client_for(admin_user)
    response = client.post(f"/m/{municipality.code}/incidents/new/", FORM | {"processes": [process.pk],
                                                                             "improper_purpose": "on"})
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/m/{municipality.code}/incidents/{incident.pk}/"
    assert incident.known_at == KNOWN and incident.serious is True and list(incident.processes.all()) == [process]
    html = client.get(response["Location"]).content.decode()
    assert "Must be reported to the 個人情報保護委員会" in html
    assert "報告規則 第2条第2号" in html and "令和7年11月30日" in html  # 60 days for 不正の目的
    assert "法定の日数はありません" in html


@pytest.mark.parametrize(("changes", "message"), [
    ({"known_at": "2099-01-01T10:00", "discovered_at": "2099-01-01T09:00"}, "事態を知った日時に未来の日時は入力できません。"),
    ({"discovered_at": "2025-10-02T09:00"}, "発見日時が事態を知った日時より後になっています。"),
    ({"persons_affected": "-1"}, "本人の数に負の数は入力できません。"),
])
def test_bad_input_shows_japanese_errors_and_writes_nothing(client_for, admin_user, municipality, changes, message):
    before = db_state()
    response = client_for(admin_user).post(f"/m/{municipality.code}/incidents/new/", FORM | changes)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert db_state() == before


def test_my_number_is_refused_and_not_echoed(client_for, admin_user, municipality):
    response = client_for(admin_user).post(f"/m/{municipality.code}/incidents/new/", FORM | {"notes": MY_NUMBER})
    assert response.status_code == 200 and MY_NUMBER not in response.content.decode()
    assert not Incident.objects.exists()


def test_phase_timeline_and_measures_with_follow_ups(client_for, admin_user, municipality, process):
    incident = make_incident(municipality)
    row = HandlingRow.objects.create(process=process, row_id="1-2", asset_name="通知書", kind="paper", stage="provide",
                                     confidentiality=3, integrity=2, availability=2, asset_value=4)
    client = client_for(admin_user)
    base = f"/m/{municipality.code}/incidents/{incident.pk}/"
    assert client.post(base + "phases/", {"phase": "containment", "at": "2025-10-01T15:30"}).status_code == 302
    bad = client.post(base + "phases/", {"phase": "initial", "at": "2025-09-01T10:00"})
    assert bad.status_code == 400 and "発見日時より前の日時は記録できません。" in bad.content.decode()
    assert client.post(base + "measures/", {"text": "二人で宛先を確認する。", "follow_up": row.pk}).status_code == 302
    html = client.get(base).content.decode()
    assert "被害拡大防止" in html and "令和7年10月1日 15:30" in html
    assert "児童手当事務 1-2 通知書" in html
    follow_ups = client.get(f"/m/{municipality.code}/incidents/follow-ups/").content.decode()
    assert "二人で宛先を確認する。" in follow_ups
    measure = Measure.objects.get()
    assert client.post(f"/m/{municipality.code}/incident-measures/{measure.pk}/",
                       {"text": measure.text, "done": "on", "follow_up": row.pk}).status_code == 302
    assert "二人で宛先を確認する。" not in client.get(f"/m/{municipality.code}/incidents/follow-ups/").content.decode()


def test_drill_recorded_on_the_web_counts_as_training(client_for, admin_user, municipality, people, drill_courses):
    client = client_for(admin_user)
    response = client.post(f"/m/{municipality.code}/drills/new/", {
        "course": drill_courses["⑧"].pk, "held_on": "2025-11-01", "scenario": "ランサムウェアからの復旧",
        "participants": [people[0].pk, people[2].pk]})
    assert response.status_code == 302
    attended = Attendance.objects.filter(session__course__code="⑧", attended=True)
    assert sorted(attended.values_list("staff__staff_number", flat=True)) == ["H0", "H2"]
    html = client.get(f"/m/{municipality.code}/drills/").content.decode()
    assert "ランサムウェアからの復旧" in html and "職員 0" in html
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    refused = client.post(f"/m/{municipality.code}/drills/new/", {
        "course": drill_courses["⑥"].pk, "held_on": future, "scenario": "未来"})
    assert refused.status_code == 200 and "未来の日付は入力できません" in refused.content.decode()


def test_secretariat_reads_member_incidents_but_cannot_edit(client_for, secretariat_user, municipality):
    incident = make_incident(municipality)
    client = client_for(secretariat_user)
    assert client.get(f"/m/{municipality.code}/incidents/{incident.pk}/").status_code == 200
    assert client.post(f"/m/{municipality.code}/incidents/{incident.pk}/edit/", FORM).status_code == 403
    services.save_settings(actor=None, via="command", association=municipality.association, preliminary_days=7)
    html = client.get(f"/a/{municipality.association_id}/incidents/").content.decode()
    assert "7 days after knowing" in html and "令和7年10月8日" in html


def test_overdue_reports_show_on_the_register_page_of_the_municipality(client_for, admin_user, municipality):
    import datetime as dt

    from django.utils import timezone

    from jichitai.incidents.models import Incident

    known = timezone.now() - dt.timedelta(days=40)
    Incident.objects.create(municipality=municipality, title="名簿の誤送付", discovered_at=known, known_at=known,
                            persons_affected=150, serious=True)  # serious: what save_incident derives for 150
    html = client_for(admin_user).get(f"/m/{municipality.code}/").content.decode()
    assert "名簿の誤送付" in html and "確報" in html
