import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jichitai.audit.models import AuditEntry
from jichitai.core.codes import with_check_digit
from jichitai.orgs.models import Municipality
from jichitai.processes.models import Process
from jichitai.training import services
from jichitai.training.models import Attendance, Course, TrainingSettings
from tests.training.conftest import full_db_state, make_people

FAKE_MY_NUMBER = "123456789018"


def test_plan_is_prefilled_and_unique_per_year(municipality, curriculum):
    courses = [curriculum["①-①"], curriculum["⑥"]]
    plan = services.create_plan(actor=None, via="command", municipality=municipality, fiscal_year=2026, courses=courses)
    assert [(i.course.code, i.roles) for i in plan.items.order_by("course__code")] == [
        ("①-①", ["protection_officer"]), ("⑥", ["protection_officer", "handler"])]
    entry = AuditEntry.objects.get(action="training_plan.create")
    assert entry.after == {"fiscal_year": 2026, "items": ["①-①", "⑥"]} and entry.municipality == municipality
    before = full_db_state()
    with pytest.raises(ValidationError):
        services.create_plan(actor=None, via="command", municipality=municipality, fiscal_year=2026, courses=courses)
    assert full_db_state() == before


def test_plan_item_dates_must_fall_in_the_fiscal_year(municipality, curriculum):
    plan = services.create_plan(actor=None, via="command", municipality=municipality, fiscal_year=2026, courses=[])
    item = services.save_plan_item(actor=None, via="command", plan=plan, course=curriculum["⑥"], roles=["handler"],
                                   planned_on=dt.date(2027, 3, 31))
    assert item.pk and item.planned_on == dt.date(2027, 3, 31)
    with pytest.raises(ValidationError) as exc:
        services.save_plan_item(actor=None, via="command", plan=plan, item=item, planned_on=dt.date(2026, 3, 31))
    assert "計画の年度内" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        services.save_plan_item(actor=None, via="command", plan=plan, course=curriculum["⑥"], roles=["chief"])
    with pytest.raises(ValidationError):
        services.save_plan_item(actor=None, via="command", plan=plan, course=curriculum["⑥"], notes=FAKE_MY_NUMBER)
    item.refresh_from_db()
    assert item.planned_on == dt.date(2027, 3, 31)
    services.save_plan_item(actor=None, via="command", plan=plan, item=item, planned_month=3)
    assert AuditEntry.objects.filter(action="plan_item.update").get().after["planned_month"] == 3


def test_joint_session_participants_must_be_members(association, municipality, other_municipality, statutory):
    with pytest.raises(ValidationError):
        services.save_session(actor=None, via="command", organiser_association=association, course=statutory,
                              held_on=dt.date(2026, 5, 1), participants=[municipality, other_municipality])
    session = services.save_session(actor=None, via="command", organiser_association=association, course=statutory,
                                    held_on=dt.date(2026, 5, 1), participants=[municipality])
    assert list(session.participants.all()) == [municipality]
    assert AuditEntry.objects.get(action="session.create").association == association


def test_municipal_session_has_its_organiser_as_only_participant(municipality, other_municipality, statutory):
    session = services.save_session(actor=None, via="command", organiser_municipality=municipality, course=statutory,
                                    held_on=dt.date(2026, 5, 1), participants=[other_municipality])
    assert list(session.participants.all()) == [municipality]


def test_a_session_teaches_a_course_of_its_organiser(association, municipality, other_municipality, statutory):
    theirs = services.create_course(actor=None, via="command", municipality=other_municipality, code="X1",
                                    title="よその研修")
    ours = services.create_course(actor=None, via="command", association=association, code="A1", title="協議会研修")
    with pytest.raises(ValidationError):
        services.save_session(actor=None, via="command", organiser_municipality=municipality, course=theirs,
                              held_on=dt.date(2026, 5, 1))
    assert services.save_session(actor=None, via="command", organiser_municipality=municipality, course=ours,
                                 held_on=dt.date(2026, 5, 1)).pk


def test_course_codes_are_unique_per_owner(association, municipality, curriculum):
    services.create_course(actor=None, via="command", municipality=municipality, code="①-②", title="同じコード")
    with pytest.raises(ValidationError):
        services.create_course(actor=None, via="command", municipality=municipality, code="①-②", title="二つ目")
    with pytest.raises(ValidationError):
        services.create_course(actor=None, via="command", association=association, municipality=municipality,
                               code="Z", title="二つの持ち主")
    with pytest.raises(ValidationError):
        services.create_course(actor=None, via="command", association=association, code="Z", title="t",
                               audience=["mayor"])
    assert Course.objects.filter(code="①-②").count() == 2  # the shipped one and the municipality's


def test_mark_attendance_creates_updates_and_refuses_strangers(municipality, other_municipality, association, process,
                                                               statutory):
    a, b = make_people(municipality, process, 2)
    session = services.save_session(actor=None, via="command", organiser_association=association, course=statutory,
                                    held_on=dt.date(2026, 5, 1), participants=[municipality])
    created, updated = services.mark_attendance(actor=None, via="command", session=session, municipality=municipality,
                                                entries=[{"staff": a, "attended": True, "test_score": 70,
                                                          "survey_submitted": True},
                                                         {"staff": b, "attended": False, "test_score": None,
                                                          "survey_submitted": False}])
    assert (created, updated) == (1, 0)
    assert services.mark_attendance(actor=None, via="command", session=session, municipality=municipality,
                                    entries=[{"staff": a, "attended": True, "test_score": 85,
                                              "survey_submitted": True}]) == (0, 1)
    assert Attendance.objects.get(staff=a).test_score == 85
    assert AuditEntry.objects.filter(action="attendance.mark").count() == 2
    stranger = make_people(other_municipality, Process.objects.create(municipality=other_municipality, name="x"), 1,
                           prefix="X")[0]
    not_taking_part = Municipality.objects.create(code=with_check_digit("99301"), name="不参加町",
                                                  association=association)
    before = full_db_state()
    for entries in ([{"staff": stranger, "attended": True}], [{"staff": a, "attended": True, "test_score": 101}]):
        with pytest.raises(ValidationError):
            services.mark_attendance(actor=None, via="command", session=session, municipality=municipality,
                                     entries=entries)
    with pytest.raises(ValidationError):
        services.mark_attendance(actor=None, via="command", session=session, municipality=not_taking_part, entries=[])
    assert full_db_state() == before


def test_settings_are_validated_and_audited(association):
    services.update_settings(actor=None, via="command", association=association, window_months=12, due_soon_days=30)
    assert TrainingSettings.objects.get(association=association).due_soon_days == 30
    with pytest.raises(ValidationError):
        services.update_settings(actor=None, via="command", association=association, window_months=0,
                                 due_soon_days=30)
    assert AuditEntry.objects.get(action="training.settings").after == {"window_months": 12, "due_soon_days": 30}
