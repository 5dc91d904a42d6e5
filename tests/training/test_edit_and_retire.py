"""Courses and plan items are edited and retired, never deleted once a plan or a session names them (issue 13)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from jichitai.audit.models import AuditEntry
from jichitai.training import queries, services
from jichitai.training.forms import PlanItemForm, SessionForm
from jichitai.training.models import Course, PlanItem
from tests.helpers import db_state
from tests.training.conftest import full_db_state

TODAY = timezone.localdate()


@pytest.fixture(autouse=True)
def japanese():
    """Messages in Japanese whatever language an earlier test's request left active in this thread."""
    with translation.override("ja"):
        yield


@pytest.fixture
def own(municipality):
    return services.create_course(actor=None, via="command", municipality=municipality, code="独自1",
                                  title="庁内研修", audience=["handler"], hours=2)


@pytest.fixture
def plan(municipality):
    return services.create_plan(actor=None, via="command", municipality=municipality, fiscal_year=2026, courses=[])


def test_an_own_course_is_edited_and_the_change_audited(own, municipality):
    services.update_course(actor=None, via="command", course=own, title="庁内 個人番号研修", hours=3)
    own.refresh_from_db()
    assert (own.title, own.hours) == ("庁内 個人番号研修", 3)
    entry = AuditEntry.objects.get(action="course.update")
    assert entry.municipality == municipality
    assert (entry.before["title"], entry.after["title"]) == ("庁内研修", "庁内 個人番号研修")
    assert entry.before["hours"] == "2.0" and entry.after["hours"] == "3"
    services.update_course(actor=None, via="command", course=own, title="庁内 個人番号研修")
    assert AuditEntry.objects.filter(action="course.update").count() == 1  # nothing changed, nothing recorded


def test_a_taken_code_and_the_shipped_curriculum_are_refused_in_japanese(own, municipality, curriculum):
    services.create_course(actor=None, via="command", municipality=municipality, code="独自2", title="別の研修")
    before = full_db_state()
    with pytest.raises(ValidationError) as exc:
        services.update_course(actor=None, via="command", course=own, code="独自2")
    assert exc.value.message_dict["code"] == ["このコードはほかの研修科目で使われています。"]
    with pytest.raises(ValidationError) as exc:
        services.update_course(actor=None, via="command", course=curriculum["⑥"], title="書き換え")
    assert "共通カリキュラム" in exc.value.messages[0]
    for refused in (services.retire_course, services.delete_course):
        with pytest.raises(ValidationError):
            refused(actor=None, via="command", course=curriculum["⑥"])
    assert full_db_state() == before


def test_a_retired_course_leaves_the_choices_of_new_records_but_stays_on_old_ones(own, plan, municipality, admin_user):
    item = services.save_plan_item(actor=None, via="command", plan=plan, course=own, roles=["handler"])
    session = services.save_session(actor=None, via="command", organiser_municipality=municipality, course=own,
                                    held_on=TODAY - dt.timedelta(days=30))
    services.retire_course(actor=None, via="command", course=own, on=TODAY - dt.timedelta(days=1))
    entry = AuditEntry.objects.get(action="course.retire")
    assert entry.before["retired_on"] is None and entry.after["retired_on"] == str(TODAY - dt.timedelta(days=1))
    courses = queries.courses_for_municipality(admin_user, municipality)
    assert own not in PlanItemForm(courses=courses).fields["course"].queryset
    assert own not in SessionForm(courses=courses).fields["course"].queryset
    assert own in PlanItemForm(courses=courses, instance=item).fields["course"].queryset
    assert own in SessionForm(courses=courses, instance=session).fields["course"].queryset
    # The old records still name it, and the plan page shows it, marked.
    assert queries.plan_of(admin_user, municipality, 2026).items.get().course == own
    # No new plan item takes it (the service refuses); the session form no longer offers it. A session that did
    # take place can still be recorded (the attendance import records what happened).
    with pytest.raises(ValidationError) as exc:
        services.save_plan_item(actor=None, via="command", plan=plan, course=own)
    assert "廃止" in exc.value.messages[0]
    form = SessionForm({"course": own.pk, "held_on": "R8.4.1"}, courses=courses)
    assert not form.is_valid() and "course" in form.errors
    # Editing the item that names it keeps it.
    services.save_plan_item(actor=None, via="command", plan=plan, item=item, course=own, planned_month=6)
    # A new plan is not pre-filled with it.
    new = services.create_plan(actor=None, via="command", municipality=municipality, fiscal_year=2027,
                               courses=list(courses))
    assert own not in [i.course for i in new.items.all()]
    services.reactivate_course(actor=None, via="command", course=own)
    assert own in PlanItemForm(courses=courses).fields["course"].queryset
    assert AuditEntry.objects.filter(action="course.reactivate").count() == 1


def test_a_course_in_use_is_not_deleted_an_unused_one_is(own, plan, municipality):
    services.save_plan_item(actor=None, via="command", plan=plan, course=own)
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        services.delete_course(actor=None, via="command", course=own)
    assert "削除できません" in exc.value.messages[0] and "廃止" in exc.value.messages[0]
    assert db_state() == before and Course.objects.filter(pk=own.pk).exists()
    spare = services.create_course(actor=None, via="command", municipality=municipality, code="独自3", title="予備")
    services.delete_course(actor=None, via="command", course=spare)
    assert not Course.objects.filter(pk=spare.pk).exists()
    assert AuditEntry.objects.get(action="course.delete").before["code"] == "独自3"


def test_an_association_course_is_audited_in_the_association_chain(association):
    course = services.create_course(actor=None, via="command", association=association, code="協1", title="協議会研修")
    services.retire_course(actor=None, via="command", course=course)
    entry = AuditEntry.objects.get(action="course.retire")
    assert entry.association == association and entry.municipality is None
    assert entry.after["retired_on"] == str(TODAY)


def test_a_plan_item_a_session_carried_out_is_retired_not_deleted(plan, municipality, statutory, admin_user):
    held = services.save_plan_item(actor=None, via="command", plan=plan, course=statutory, planned_month=6)
    unheld = services.save_plan_item(actor=None, via="command", plan=plan, course=statutory, planned_month=9)
    other = services.save_plan_item(actor=None, via="command", plan=plan,
                                    course=Course.objects.get(code="⑥", municipality=None, association=None))
    services.save_session(actor=None, via="command", organiser_municipality=municipality, course=statutory,
                          held_on=dt.date(2026, 6, 10))
    assert services.plan_item_is_held(held) and services.plan_item_is_held(unheld)
    assert not services.plan_item_is_held(other)
    before = full_db_state()
    with pytest.raises(ValidationError) as exc:
        services.delete_plan_item(actor=None, via="command", item=held)
    assert "廃止してください" in exc.value.messages[0]
    assert full_db_state() == before
    services.retire_plan_item(actor=None, via="command", item=held, on=dt.date(2026, 7, 1))
    entry = AuditEntry.objects.get(action="plan_item.retire")
    assert entry.after["retired_on"] == "2026-07-01" and entry.municipality == municipality
    services.delete_plan_item(actor=None, via="command", item=other)
    assert not PlanItem.objects.filter(pk=other.pk).exists()
    shown = {i.pk: i for i in queries.plan_of(admin_user, municipality, 2026).items.all()}
    assert shown[held.pk].held and shown[held.pk].retired_on == dt.date(2026, 7, 1)  # still on the plan
    services.reactivate_plan_item(actor=None, via="command", item=held)
    held.refresh_from_db()
    assert held.retired_on is None


def test_a_session_of_another_fiscal_year_or_municipality_does_not_hold_the_item(plan, municipality,
                                                                                  other_municipality, statutory):
    item = services.save_plan_item(actor=None, via="command", plan=plan, course=statutory)
    services.save_session(actor=None, via="command", organiser_municipality=municipality, course=statutory,
                          held_on=dt.date(2026, 3, 31))  # fiscal year 2025
    services.save_session(actor=None, via="command", organiser_municipality=other_municipality, course=statutory,
                          held_on=dt.date(2026, 6, 1))
    services.delete_plan_item(actor=None, via="command", item=item)
    assert not PlanItem.objects.filter(pk=item.pk).exists()


# ---- pages ----------------------------------------------------------------------------------------------------


def test_edit_page_audits_what_was_stored_and_retires_with_a_wareki_date(client_for, admin_user, municipality, own):
    client = client_for(admin_user)
    base = f"/m/{municipality.code}/training/courses/{own.pk}"
    assert client.get(f"{base}/edit/").status_code == 200
    response = client.post(f"{base}/edit/", {"code": "独自1", "title": "改めた研修", "hours": "1.5",
                                             "audience": ["handler", "protection_officer"]})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="course.update")
    assert entry.before["title"] == "庁内研修" and entry.after["title"] == "改めた研修"
    assert client.post(f"{base}/retire/", {"retired_on": "R8.4.1"}).status_code == 302
    own.refresh_from_db()
    assert own.retired_on == dt.date(2026, 4, 1)
    page = client.get(f"/m/{municipality.code}/training/courses/").content.decode()
    assert "改めた研修" in page and "令和8年4月1日" in page
    bad = client.post(f"{base}/retire/", {"retired_on": "令和8年13月1日"})
    assert bad.status_code == 200 and "存在しない日付" in bad.content.decode()


def test_the_plan_page_offers_retire_for_a_held_item_and_delete_for_the_others(client_for, admin_user, municipality,
                                                                              plan, statutory):
    held = services.save_plan_item(actor=None, via="command", plan=plan, course=statutory, planned_on=dt.date(2026, 6, 1))
    services.save_session(actor=None, via="command", organiser_municipality=municipality, course=statutory,
                          held_on=dt.date(2026, 6, 1))
    client = client_for(admin_user)
    page = client.get(f"/m/{municipality.code}/training/plans/2026/").content.decode()
    assert f"/plan-items/{held.pk}/retire/" in page and f"/plan-items/{held.pk}/delete/" not in page
    response = client.post(f"/m/{municipality.code}/training/plan-items/{held.pk}/delete/", follow=True)
    assert PlanItem.objects.filter(pk=held.pk).exists() and "Retire it instead" in response.content.decode()
    client.post(f"/m/{municipality.code}/training/plan-items/{held.pk}/", {
        "course": statutory.pk, "planned_on": "令和8年6月2日", "roles": ["handler"]})
    held.refresh_from_db()
    assert held.planned_on == dt.date(2026, 6, 2)
    entry = AuditEntry.objects.get(action="plan_item.update")  # the stored value, not the form's, is "before"
    assert (entry.before["planned_on"], entry.after["planned_on"]) == ("2026-06-01", "2026-06-02")
