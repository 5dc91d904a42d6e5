import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jichitai.audit.models import AuditEntry
from jichitai.handling.models import HandlingRow
from jichitai.incidents import services
from jichitai.incidents.models import Drill, Incident, IncidentPhase
from jichitai.orgs.models import Department, Staff
from jichitai.processes.models import Process
from jichitai.training.models import Attendance
from tests.helpers import db_state
from tests.incidents.conftest import KNOWN, NOW, make_incident


def test_save_derives_serious_from_the_rules_and_audits(municipality, process):
    incident = make_incident(municipality, processes=[process])
    assert incident.serious is True  # 150 persons: 報告規則 第2条第4号
    entry = AuditEntry.objects.get(action="incident.create")
    assert entry.after["processes"] == ["児童手当事務"] and entry.municipality == municipality
    services.save_incident(actor=None, via="command", municipality=municipality, incident=incident, now=NOW,
                           persons_affected=100)
    incident.refresh_from_db()
    assert incident.serious is False
    assert AuditEntry.objects.get(action="incident.update").before["persons_affected"] == 150


def test_encrypted_incident_is_not_serious(municipality):
    assert make_incident(municipality, encrypted_high_standard=True, improper_purpose=True).serious is False


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"known_at": NOW + dt.timedelta(days=1)}, "known_at", "未来の日時"),
    ({"discovered_at": KNOWN + dt.timedelta(minutes=5)}, "discovered_at", "発見日時が事態を知った日時より後"),
    ({"persons_affected": -3}, "persons_affected", "負の数"),
    ({"kinds": ["theft"]}, "kinds", "漏えい・滅失"),
    ({"final_sent_on": dt.date(2025, 9, 30)}, "final_sent_on", "事態を知った日より前"),
])
def test_bad_input_is_refused_in_japanese_and_writes_nothing(municipality, fields, field, message):
    before = db_state()
    with pytest.raises(ValidationError) as error:
        make_incident(municipality, **fields)
    assert message in error.value.message_dict[field][0]
    assert db_state() == before


def test_department_and_processes_of_another_municipality_are_refused(municipality, other_municipality, beppyo):
    elsewhere = Department.objects.create(municipality=other_municipality, name="税務課")
    with pytest.raises(ValidationError):
        make_incident(municipality, department=elsewhere)
    stranger = Process.objects.create(municipality=other_municipality, name="よその事務")
    with pytest.raises(ValidationError):
        make_incident(municipality, processes=[stranger])
    assert not Incident.objects.exists()


def test_phases_are_checked_against_now_and_discovery(municipality):
    incident = make_incident(municipality)
    phase = services.add_phase(actor=None, via="command", incident=incident, now=NOW, phase="initial",
                               at=KNOWN + dt.timedelta(hours=1), note="課長に報告")
    assert IncidentPhase.objects.get().note == "課長に報告" and phase.get_phase_display() == "初動"
    with pytest.raises(ValidationError, match="発見日時より前"):
        services.add_phase(actor=None, via="command", incident=incident, now=NOW, phase="detection",
                           at=KNOWN - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="未来の日時"):
        services.update_phase(actor=None, via="command", phase=phase, now=NOW, at=NOW + dt.timedelta(hours=1))
    assert IncidentPhase.objects.count() == 1


def test_measure_follow_up_must_be_a_handling_rule_of_the_same_municipality(municipality, other_municipality,
                                                                              process, beppyo):
    incident = make_incident(municipality)
    row = HandlingRow.objects.create(process=process, row_id="1-2", asset_name="申請書", kind="paper", stage="acquire",
                                     confidentiality=3, integrity=2, availability=2, asset_value=4)
    measure = services.save_measure(actor=None, via="command", incident=incident, text="読み合わせる。", follow_up=row)
    assert measure.follow_up == row and list(row.incident_measures.all()) == [measure]
    foreign = HandlingRow.objects.create(
        process=Process.objects.create(municipality=other_municipality, name="よその事務"), row_id="1-1",
        asset_name="台帳", kind="paper", stage="acquire", confidentiality=1, integrity=1, availability=1, asset_value=0)
    with pytest.raises(ValidationError, match="同じ団体"):
        services.save_measure(actor=None, via="command", incident=incident, measure=measure, follow_up=foreign)
    measure.refresh_from_db()
    assert measure.follow_up == row


def test_drill_counts_as_training_for_the_people_present(municipality, people, drill_courses):
    drill = services.save_drill(actor=None, via="command", municipality=municipality, course=drill_courses["⑦"],
                                held_on=dt.date(2025, 11, 1), scenario="誤送付の想定", participants=people[:2],
                                today=dt.date(2025, 12, 1))
    session = drill.session
    assert (session.course.code, session.held_on, session.organiser_municipality) == (
        "⑦", dt.date(2025, 11, 1), municipality)
    assert sorted(Attendance.objects.filter(session=session, attended=True).values_list("staff_id", flat=True)) == [
        people[0].pk, people[1].pk]
    # Someone removed is marked absent; someone added attends; the date moves with the drill.
    services.save_drill(actor=None, via="command", drill=drill, held_on=dt.date(2025, 11, 2),
                        participants=[people[1], people[2]], today=dt.date(2025, 12, 1))
    attended = dict(Attendance.objects.filter(session=session).values_list("staff_id", "attended"))
    assert attended == {people[0].pk: False, people[1].pk: True, people[2].pk: True}
    session.refresh_from_db()
    assert session.held_on == dt.date(2025, 11, 2)
    assert AuditEntry.objects.filter(action__in=["drill.create", "drill.update"]).count() == 2


def test_joint_drill_makes_a_joint_session_for_the_members_present(municipality, association, people, drill_courses):
    drill = services.save_drill(actor=None, via="command", association=association, course=drill_courses["⑥"],
                                held_on=dt.date(2025, 11, 1), scenario="ボードゲーム", participants=people,
                                today=dt.date(2025, 12, 1))
    assert drill.session.organiser_association == association
    assert list(drill.session.participants.all()) == [municipality]
    assert Attendance.objects.filter(session=drill.session).count() == 3


def test_drill_refuses_future_dates_other_courses_and_strangers(municipality, other_municipality, people,
                                                                drill_courses):
    from jichitai.training.models import Course

    stranger = Staff.objects.create(municipality=other_municipality, staff_number="X1", name="よその人", role="handler")
    before = db_state()
    for fields, field in (({"held_on": dt.date(2025, 12, 2)}, "held_on"),
                          ({"course": Course.objects.get(code="②", association__isnull=True)}, "course"),
                          ({"participants": [stranger]}, "participants")):
        values = {"course": drill_courses["⑥"], "held_on": dt.date(2025, 11, 1), "scenario": "想定",
                  "participants": people} | fields
        with pytest.raises(ValidationError) as error:
            services.save_drill(actor=None, via="command", municipality=municipality, today=dt.date(2025, 12, 1),
                                **values)
        assert field in error.value.message_dict
    assert db_state() == before and not Drill.objects.exists()


def test_settings_change_is_audited(association):
    services.save_settings(actor=None, via="command", association=association, preliminary_days=5)
    services.save_settings(actor=None, via="command", association=association, preliminary_days=5)
    assert association.incident_settings.preliminary_days == 5
    assert AuditEntry.objects.filter(action="incident.settings").count() == 1
    with pytest.raises(ValidationError):
        services.save_settings(actor=None, via="command", association=association, preliminary_days=0)
