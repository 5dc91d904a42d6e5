"""取扱記録 and reviews (seed 2-3): services, pages, the read models the checklist and the to-do page call."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jichitai.audit.models import AuditEntry
from jichitai.core.codes import with_check_digit
from jichitai.handling import queries, services
from jichitai.handling.models import HandlingRecord, HandlingRow, ProcessAnalysis, RulesDocument
from jichitai.orgs.models import Association, Department, Municipality, Staff
from jichitai.processes.models import Process
from tests.helpers import db_state

TOKYO = ZoneInfo("Asia/Tokyo")


def aware(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TOKYO)


@pytest.fixture
def table(process):
    rows = {}
    for row_id, stage, kept in (("1-1", "acquire", True), ("1-2", "dispose", False)):
        rows[row_id] = services.save_handling_row(actor=None, via="command", process=process, row_id=row_id,
                                                  asset_name="減免申請書", kind="paper", stage=stage,
                                                  confidentiality=3, integrity=2, availability=1, records_kept=kept)
    return rows


@pytest.fixture
def people(municipality, department):
    return {key: Staff.objects.create(municipality=municipality, department=department, staff_number=number,
                                      name=name, role=role)
            for key, number, name, role in (("handler", "S10", "担当 花子", "handler"),
                                            ("chief", "S11", "課長 一郎", "protection_officer"))}


def make(row, person, when, action="use", **more):
    return services.create_record(actor=None, via="command", handling_row=row, person=person, action=action,
                                  occurred_at=when, **more)


def test_create_record_snapshots_names_and_is_audited(table, people):
    item = make(table["1-1"], people["handler"], aware(2026, 4, 1, 10, 15, 42), medium="紙", count=3,
                purpose="審査", approver=people["chief"])
    item.refresh_from_db()
    assert (item.person_name, item.approver_name, item.process_id) == ("担当 花子", "課長 一郎", table["1-1"].process_id)
    assert timezone.localtime(item.occurred_at).second == 0  # kept to the minute
    entry = AuditEntry.objects.get(action="handling_record.create")
    assert entry.after["person"] == "担当 花子" and entry.after["count"] == 3 and entry.municipality_id


def test_a_disposal_needs_method_and_witness(table, people):
    before = db_state()
    with pytest.raises(ValidationError) as error:
        make(table["1-2"], people["handler"], aware(2026, 4, 1, 10, 0), action="dispose")
    assert "立会者" in str(error.value) and "廃棄・消去の方法" in str(error.value)
    assert db_state() == before
    make(table["1-2"], people["handler"], aware(2026, 4, 1, 10, 0), action="dispose", disposal_method="裁断",
         witness="課長 一郎")


def test_people_of_another_municipality_and_future_times_are_refused(table, people, other_municipality):
    stranger = Staff.objects.create(municipality=other_municipality, staff_number="X1", name="他市 職員", role="handler")
    with pytest.raises(ValidationError):
        make(table["1-1"], stranger, aware(2026, 4, 1, 10, 0))
    with pytest.raises(ValidationError):
        make(table["1-1"], people["handler"], timezone.now() + dt.timedelta(days=1))


def test_void_keeps_the_record_and_refuses_twice(table, people):
    item = make(table["1-1"], people["handler"], aware(2026, 4, 1, 10, 0))
    with pytest.raises(ValidationError):
        services.void_record(actor=None, via="command", record_id=item.pk, reason=" ")
    services.void_record(actor=None, via="command", record_id=item.pk, reason="日時の誤り")
    item.refresh_from_db()
    assert item.voided and item.void_reason == "日時の誤り"
    with pytest.raises(ValidationError):
        services.void_record(actor=None, via="command", record_id=item.pk, reason="再度")
    assert AuditEntry.objects.filter(action="handling_record.void").count() == 1


def test_a_row_with_records_cannot_be_deleted(client_for, admin_user, municipality, table, people):
    make(table["1-1"], people["handler"], aware(2026, 4, 1, 10, 0))
    response = client_for(admin_user).post(f"/m/{municipality.code}/rows/{table['1-1'].pk}/delete/", follow=True)
    assert "取扱記録があるため削除できません" in response.content.decode()
    assert HandlingRow.objects.filter(pk=table["1-1"].pk).exists()


def test_entry_form_takes_wareki_dates_and_refuses_a_disposal_without_witness(client_for, admin_user, municipality,
                                                                                process, table, people):
    client = client_for(admin_user)
    url = f"/m/{municipality.code}/processes/{process.pk}/records/new/"
    page = client.get(url).content.decode()
    assert "取扱者" in page and "1-1 減免申請書" in page
    data = {"handling_row": table["1-2"].pk, "occurred_on": "R8.4.1", "occurred_time": "9:30",
            "person": people["handler"].pk, "action": "dispose", "count": 5, "disposal_method": "溶解処理"}
    refused = client.post(url, data)
    assert refused.status_code == 200 and "立会者" in refused.content.decode()
    assert not HandlingRecord.objects.exists()
    response = client.post(url, data | {"witness": "課長 一郎"})
    assert response.status_code == 302
    item = HandlingRecord.objects.get()
    assert timezone.localtime(item.occurred_at) == aware(2026, 4, 1, 9, 30) and item.count == 5


def test_list_filters_and_void_page(client_for, admin_user, municipality, process, table, people):
    client = client_for(admin_user)
    kept = make(table["1-1"], people["handler"], aware(2026, 4, 1, 10, 0), purpose="審査のため")
    make(table["1-2"], people["chief"], aware(2026, 5, 1, 10, 0), action="dispose", disposal_method="裁断",
         witness="担当 花子", purpose="保存期間満了")
    base = f"/m/{municipality.code}/records/"
    html = client.get(base).content.decode()
    assert "審査のため" in html and "保存期間満了" in html and "令和8年4月1日 10:00" in html
    html = client.get(base, {"action": "dispose"}).content.decode()
    assert "保存期間満了" in html and "審査のため" not in html
    html = client.get(base, {"date_from": "R8.4.15", "date_to": "令和8年5月1日"}).content.decode()
    assert "保存期間満了" in html and "審査のため" not in html
    html = client.get(base, {"person": people["handler"].pk, "row": table["1-1"].pk}).content.decode()
    assert "審査のため" in html and "保存期間満了" not in html
    assert client.get(base, {"date_from": "R8.13.40"}).status_code == 200  # a bad filter is shown, not a 500
    void_url = f"/m/{municipality.code}/records/{kept.pk}/void/"
    assert "取消理由" in client.get(void_url).content.decode()
    assert client.post(void_url, {"void_reason": "入力誤り"}).status_code == 302
    html = client.get(f"/m/{municipality.code}/processes/{process.pk}/records/", {"state": "void"}).content.decode()
    assert "入力誤り" in html and "保存期間満了" not in html


def test_list_query_count_is_fixed(client_for, admin_user, municipality, process, table, people):
    client = client_for(admin_user)
    counts = {}
    for size in (3, 60):
        while HandlingRecord.objects.count() < size:
            n = HandlingRecord.objects.count()
            make(table["1-1"], people["handler" if n % 2 else "chief"], aware(2026, 1, 1, 9, 0) + dt.timedelta(hours=n),
                 approver=people["chief"])
        for path in (f"/m/{municipality.code}/records/", f"/m/{municipality.code}/processes/{process.pk}/records/",
                     f"/m/{municipality.code}/records.xlsx"):
            with CaptureQueriesContext(connection) as captured:
                assert client.get(path, {"sort": "person"}).status_code == 200
            counts.setdefault(path, []).append(len(captured))
    for path, (small, large) in counts.items():
        assert small == large, (path, small, large)
        assert large <= 16, (path, large)


def test_analysis_review_and_page(client_for, admin_user, municipality, process, table):
    client = client_for(admin_user)
    page = client.get(f"/m/{municipality.code}/processes/{process.pk}/analysis/").content.decode()
    assert "定期的な見直し" in page and "未実施" in page and "期限切れ" in page
    response = client.post(f"/m/{municipality.code}/processes/{process.pk}/review/",
                           {"reviewed_on": "R8.4.1", "review_interval_months": "6"})
    assert response.status_code == 302
    analysis = ProcessAnalysis.objects.get(process=process)
    assert (analysis.last_reviewed_on, analysis.review_interval_months) == (dt.date(2026, 4, 1), 6)
    assert AuditEntry.objects.filter(action="analysis.reviewed").count() == 1
    page = client.get(f"/m/{municipality.code}/processes/{process.pk}/analysis/").content.decode()
    assert "令和8年4月1日" in page and "令和8年10月1日" in page
    future = client.post(f"/m/{municipality.code}/processes/{process.pk}/review/",
                         {"reviewed_on": "2100-01-01"}, follow=True).content.decode()
    assert "今日以前" in future


def test_rules_documents_page_and_review(client_for, admin_user, municipality, department):
    client = client_for(admin_user)
    assert department.name in client.get(f"/m/{municipality.code}/rules/").content.decode()
    response = client.post(f"/m/{municipality.code}/departments/{department.pk}/rules/review/",
                           {"reviewed_on": "令和7年4月1日"})
    assert response.status_code == 302
    document = RulesDocument.objects.get()
    assert document.last_reviewed_on == dt.date(2025, 4, 1) and document.review_interval_months is None
    assert "令和8年4月1日" in client.get(f"/m/{municipality.code}/rules/").content.decode()


def test_reviews_due_and_record_gaps_in_a_fixed_number_of_queries(beppyo, django_assert_max_num_queries):
    """Three queries for reviews, two for gaps, at 2 and at 12 municipalities."""
    as_of = dt.date(2026, 12, 4)
    association = Association.objects.create(name="見直し協議会", review_interval_months=12, record_window_months=6)
    ids = []
    for i in range(12):
        municipality = Municipality.objects.create(code=with_check_digit(f"99{300 + i}"), name=f"市{i}",
                                                   association=association if i % 3 else None)
        department = Department.objects.create(municipality=municipality, name="税務課")
        person = Staff.objects.create(municipality=municipality, staff_number="S1", name="担当", role="handler")
        process = Process.objects.create(municipality=municipality, name=f"事務{i}", department=department)
        row = services.save_handling_row(actor=None, via="command", process=process, row_id="1-1", asset_name="申請書",
                                         kind="paper", stage="use", confidentiality=3, integrity=2, availability=2,
                                         records_kept=True)
        if i % 2:
            services.create_record(actor=None, via="command", handling_row=row, person=person, action="use",
                                   occurred_at=aware(2026, 11, 1, 9, 0))
        services.mark_analysis_reviewed(actor=None, via="command", process=process,
                                        reviewed_on=dt.date(2025, 12, 4) if i % 4 else dt.date(2025, 12, 3))
        services.mark_rules_reviewed(actor=None, via="command", department=department,
                                     reviewed_on=dt.date(2026, 6, 1), interval_months=6)
        ids.append(municipality.pk)
    for some in (ids[:2], ids):
        with django_assert_max_num_queries(3):
            due = queries.reviews_due(some, as_of)
        with django_assert_max_num_queries(2):
            gaps = queries.record_gaps(some, as_of)
    # Analyses reviewed 2025-12-03 (i % 4 == 0) are past due; 2025-12-04 are due exactly today: both listed.
    analyses = [d for d in due if d.kind == "analysis"]
    assert len(analyses) == 12 and analyses[0].due_on == dt.date(2026, 12, 3)
    documents = [d for d in due if d.kind == "rules_document"]
    assert len(documents) == 12 and all(d.due_on == dt.date(2026, 12, 1) and d.process_id is None for d in documents)
    assert "税務課" in documents[0].name
    assert not [d for d in queries.reviews_due(ids, dt.date(2026, 11, 1)) if d.kind == "analysis"]
    assert len(queries.reviews_due(ids, dt.date(2026, 11, 4), within_days=30)) == 24  # both kinds due by 12-04
    # Gaps: the processes never recorded (even i); odd ones recorded 2026-11-01, inside 6 (or 12) months.
    assert sorted(g.process_name for g in gaps) == sorted(f"事務{i}" for i in range(0, 12, 2))
    assert {g.window_months for g in gaps} == {6, 12}  # 12 where the municipality has no association
    # Past the window the recorded ones are gaps too; a record after as_of does not count, nor a voided one.
    later = queries.record_gaps(ids, dt.date(2027, 6, 1))
    assert {g.process_name for g in later if g.window_months == 6} >= {"事務1", "事務5"}
    assert "事務1" in {g.process_name for g in queries.record_gaps(ids, dt.date(2026, 10, 31))}
    first = HandlingRecord.objects.get(process__name="事務1")
    services.void_record(actor=None, via="command", record_id=first.pk, reason="誤登録")
    assert "事務1" in {g.process_name for g in queries.record_gaps(ids, as_of)}


def test_never_reviewed_analysis_is_due_now_and_approval_counts(process, table, admin_user):
    due = queries.reviews_due([process.municipality_id], dt.date(2026, 1, 1))
    assert [(d.kind, d.due_on, d.last_reviewed_on) for d in due] == [("analysis", None, None)]
    from jichitai.handling.models import ApprovalEvent

    analysis = ProcessAnalysis.objects.get(process=process)
    ApprovalEvent.objects.create(analysis=analysis, action="approved", at=aware(2025, 6, 1, 12, 0), by_name="x")
    assert queries.reviews_due([process.municipality_id], dt.date(2026, 5, 31)) == []
    assert queries.reviews_due([process.municipality_id], dt.date(2026, 6, 1))[0].due_on == dt.date(2026, 6, 1)
