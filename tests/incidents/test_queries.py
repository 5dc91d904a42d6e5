import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jichitai.core.codes import with_check_digit
from jichitai.incidents import services
from jichitai.incidents.queries import member_incidents, overdue_incidents, serious_incident_dates
from jichitai.orgs.models import Municipality
from tests.incidents.conftest import KNOWN, make_incident

AS_OF = dt.date(2025, 11, 15)


def members(association, n: int) -> list[Municipality]:
    return [Municipality.objects.create(code=with_check_digit(f"97{i:03d}"), name=f"町{i}", association=association)
            for i in range(n)]


def test_serious_incident_dates_per_municipality(municipality, other_municipality):
    make_incident(municipality, known_at=KNOWN, title="大規模")
    make_incident(municipality, known_at=KNOWN - dt.timedelta(days=40), discovered_at=KNOWN - dt.timedelta(days=41),
                  persons_affected=1, improper_purpose=True)
    make_incident(municipality, persons_affected=3, title="小規模")  # not reportable: not a 重大事故
    make_incident(other_municipality, encrypted_high_standard=True)  # encrypted: not a 重大事故
    # 2025-09-30 16:00 UTC is 10-01 01:00 in Tokyo: the date is the Tokyo date.
    make_incident(other_municipality, known_at=dt.datetime(2025, 9, 30, 16, 0, tzinfo=dt.UTC),
                  discovered_at=dt.datetime(2025, 9, 30, 15, 0, tzinfo=dt.UTC))
    result = serious_incident_dates([municipality.pk, other_municipality.pk])
    assert result == {municipality.pk: [dt.date(2025, 8, 22), dt.date(2025, 10, 1)],
                      other_municipality.pk: [dt.date(2025, 10, 1)]}


def test_overdue_incidents_lists_each_late_report(municipality, association):
    late = make_incident(municipality, title="確報が遅れている", preliminary_sent_on=dt.date(2025, 10, 3))
    make_incident(municipality, title="送付済み", preliminary_sent_on=dt.date(2025, 10, 2),
                  final_sent_on=dt.date(2025, 10, 20))
    improper = make_incident(municipality, title="不正目的", persons_affected=1, improper_purpose=True)
    services.save_settings(actor=None, via="command", association=association, preliminary_days=5)
    result = overdue_incidents([municipality.pk], AS_OF)
    assert [(r.title, r.report, r.due) for r in result] == [
        ("確報が遅れている", "final", dt.date(2025, 10, 31)),
        ("不正目的", "preliminary", dt.date(2025, 10, 6)),  # the association's 5 days; 確報 (11-30) not due yet
    ]
    assert result[0].url == f"/m/{municipality.code}/incidents/{late.pk}/" and result[0].label == "確報"
    assert result[1].incident_id == improper.pk


@pytest.mark.parametrize("size", [1, 6])
def test_queries_for_many_municipalities_are_constant(association, size, django_assert_num_queries):
    for member in members(association, size):
        make_incident(member)
        make_incident(member, persons_affected=2)
    ids = list(Municipality.objects.values_list("id", flat=True))
    with django_assert_num_queries(1):
        assert len(serious_incident_dates(ids)) == size
    with django_assert_num_queries(1):
        assert len(overdue_incidents(ids, AS_OF)) == 2 * size  # neither report sent
    with CaptureQueriesContext(connection) as ctx:
        assert len(member_incidents(ids, AS_OF)) == 2 * size
    assert len(ctx.captured_queries) == 1
