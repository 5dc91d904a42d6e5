import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.core.codes import with_check_digit
from jichitai.orgs.models import Municipality, Staff
from jichitai.orgs.scoping import visible
from jichitai.processes.models import Process, ProcessAssignment
from jichitai.training import queries, services
from jichitai.training.models import TrainingPlan, TrainingSettings
from tests.training.conftest import attend, make_people

AS_OF = dt.date(2026, 6, 15)


def session(course, held_on, municipality=None, association=None, participants=(), **flags):
    return services.save_session(actor=None, via="command", organiser_municipality=municipality,
                                 organiser_association=association, participants=list(participants), course=course,
                                 held_on=held_on, **flags)


def test_status_of_each_person(municipality, process, department, curriculum):
    trained, soon, lapsed, never = make_people(municipality, process, 4, department=department)
    attend(session(curriculum["①-②"], dt.date(2025, 12, 1), municipality), [trained])
    attend(session(curriculum["⑥"], dt.date(2025, 7, 1), municipality), [soon])  # due 2026-07-01: 16 days left
    attend(session(curriculum["①-②"], dt.date(2025, 6, 1), municipality), [lapsed])  # due 2026-06-01
    # Not counted: a non-statutory course, an absence, and a session after the as-of date.
    attend(session(curriculum["②"], dt.date(2026, 1, 10), municipality), [never])
    attend(session(curriculum["①-②"], dt.date(2026, 2, 1), municipality), [never], attended=False)
    attend(session(curriculum["⑥"], dt.date(2026, 6, 20), municipality), [never])
    result = {p.staff_number: p for p in queries.training_status([municipality.pk], AS_OF)}
    assert [(p.status, p.last_trained, p.due_on, p.days_overdue, p.days_left) for p in result.values()] == [
        ("trained", dt.date(2025, 12, 1), dt.date(2026, 12, 1), 0, 169),
        ("due_soon", dt.date(2025, 7, 1), dt.date(2026, 7, 1), 0, 16),
        ("untrained", dt.date(2025, 6, 1), dt.date(2026, 6, 1), 14, None),
        ("untrained", None, None, None, None),
    ]
    first = result["P0000"]
    assert (first.name, first.department, first.role_label, first.municipality_id) == (
        "職員 P0", "子育て支援課", "事務取扱担当者", municipality.pk)


def test_only_assigned_handlers_and_officers_must_be_trained(municipality, process, curriculum):
    make_people(municipality, process, 1, prefix="H")
    make_people(municipality, process, 1, prefix="O", role="protection_officer")
    make_people(municipality, process, 1, prefix="I", role="it")  # assigned, but not a role that must be trained
    Staff.objects.create(municipality=municipality, staff_number="U1", name="未配置", role="handler")
    make_people(municipality, process, 1, prefix="L", assigned_on=dt.date(2026, 7, 1))  # assigned after the date
    other = Process.objects.create(municipality=municipality, name="別の事務")
    twice = make_people(municipality, process, 1, prefix="T")[0]
    ProcessAssignment.objects.create(process=other, staff=twice, assigned_on=dt.date(2024, 4, 1))
    numbers = [p.staff_number for p in queries.training_status([municipality.pk], AS_OF)]
    assert numbers == ["H0000", "O0000", "T0000"]  # once each, even with two assignments


def test_association_settings_change_the_window(municipality, association, process, curriculum):
    person = make_people(municipality, process, 1)[0]
    attend(session(curriculum["①-②"], dt.date(2025, 9, 1), municipality), [person])
    assert queries.training_status([municipality.pk], AS_OF)[0].status == "trained"
    TrainingSettings.objects.create(association=association, window_months=6, due_soon_days=10)
    status = queries.training_status([municipality.pk], AS_OF)[0]
    assert (status.status, status.due_on, status.days_overdue) == ("untrained", dt.date(2026, 3, 1), 106)
    assert queries.settings_for(municipality) == queries.EffectiveSettings(6, 10)


def _populate(municipalities, process_of, course, people_each):
    joint = session(course, dt.date(2026, 1, 10), association=municipalities[0].association,
                    participants=municipalities)
    for index, m in enumerate(municipalities):
        people = make_people(m, process_of(m), people_each, prefix=f"M{index}-")
        attend(joint, people[: people_each // 2])


@pytest.mark.parametrize("sizes", [((1, 10), (1, 300)), ((2, 5), (12, 25))])
def test_training_status_query_count_is_constant(association, statutory, beppyo, sizes):
    counts = []
    for step, (members, people_each) in enumerate(sizes):
        municipalities = [Municipality.objects.create(code=with_check_digit(f"97{step}{i:02d}"), name=f"町{step}-{i}",
                                                      association=association) for i in range(members)]
        _populate(municipalities, lambda m: Process.objects.create(municipality=m, name="事務"), statutory, people_each)
        ids = [m.pk for m in municipalities]
        with CaptureQueriesContext(connection) as captured:
            result = queries.training_status(ids, AS_OF)
        assert len(result) == members * people_each
        assert sum(p.status == "trained" for p in result) == members * (people_each // 2)
        counts.append(len(captured))
    assert counts[0] == counts[1] == 3, counts


def test_training_status_accepts_a_scoped_subquery(municipality, other_municipality, process, admin_user, statutory):
    make_people(municipality, process, 2)
    other_process = Process.objects.create(municipality=other_municipality, name="よその事務")
    make_people(other_municipality, other_process, 3, prefix="X")
    ids = visible(Municipality.objects.all(), admin_user).values("id")
    assert [p.staff_number for p in queries.training_status(ids, AS_OF)] == ["P0000", "P0001"]


def test_plan_exists(municipality, other_municipality):
    TrainingPlan.objects.create(municipality=municipality, fiscal_year=2026)
    TrainingPlan.objects.create(municipality=other_municipality, fiscal_year=2025)
    assert queries.plan_exists([municipality.pk, other_municipality.pk], 2026) == {municipality.pk}
    assert queries.plan_exists([municipality.pk], 2025) == set()


def test_sessions_missing_records(municipality, other_municipality, association, process, curriculum):
    people = make_people(municipality, process, 2)
    complete = session(curriculum["①-②"], dt.date(2026, 5, 1), municipality, has_test=True, has_survey=True)
    attend(complete, people, test_score=80, survey_submitted=True)
    no_test = session(curriculum["⑥"], dt.date(2026, 5, 2), municipality, has_survey=True)
    attend(no_test, people, survey_submitted=True)
    missing = session(curriculum["①-①"], dt.date(2026, 5, 3), association=association, participants=[municipality],
                      has_test=True, has_survey=True)
    attend(missing, people[:1], test_score=None, survey_submitted=False)
    attend(missing, people[1:], test_score=90, survey_submitted=True)
    nobody = session(curriculum["②"], dt.date(2026, 5, 4), municipality, has_test=True, has_survey=True)
    session(curriculum["②"], dt.date(2026, 3, 31), municipality)  # previous fiscal year
    session(curriculum["②"], dt.date(2026, 6, 20), municipality)  # after the as-of date
    other_process = Process.objects.create(municipality=other_municipality, name="よその事務")
    session(curriculum["②"], dt.date(2026, 5, 5), other_municipality)  # not ours
    attend(complete, make_people(other_municipality, other_process, 1, prefix="X"))  # others' records do not count
    gaps = queries.sessions_missing_records([municipality.pk], AS_OF)
    assert [(g.session.pk, g.reasons) for g in gaps] == [
        (no_test.pk, ["テストなし"]),
        (missing.pk, ["点数未記録 1名", "アンケート未提出 1名"]),
        (nobody.pk, ["受講記録なし"]),
    ]


def test_sessions_are_seen_by_organiser_and_participants_only(municipality, other_municipality, association,
                                                              admin_user, outsider_user, secretariat_user, statutory):
    own = session(statutory, dt.date(2026, 5, 1), municipality)
    joint = session(statutory, dt.date(2026, 5, 2), association=association, participants=[municipality])
    excluded = session(statutory, dt.date(2026, 5, 3), association=association, participants=[])
    theirs = session(statutory, dt.date(2026, 5, 4), other_municipality)
    assert set(queries.sessions_visible_to(admin_user, municipality)) == {own, joint}
    assert set(queries.sessions_visible_to(outsider_user)) == {theirs}
    assert set(queries.sessions_visible_to(secretariat_user)) == {own, joint}
    assert set(queries.association_sessions(secretariat_user, association)) == {joint, excluded}
    assert set(queries.association_sessions(admin_user, association, write=True)) == set()
