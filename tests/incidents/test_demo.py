import random

from django.utils import timezone

from jichitai.demo.builder import build
from jichitai.incidents import demo
from jichitai.incidents.models import Drill, Incident, Measure
from jichitai.incidents.queries import overdue_incidents, serious_incident_dates
from jichitai.training.models import Attendance


def test_populate_makes_each_kind_of_case_and_is_idempotent(db):
    result = build(members=4, with_users=False, seed=7)
    Drill.objects.all().delete()  # demo.build may already call populate once the integrator wires it
    Incident.objects.all().delete()
    today = timezone.localdate()
    totals = demo.populate(result.municipalities, today, random.Random(7))  # noqa: S311 - reproducible demo data
    assert totals == {"incidents": 4, "drills": 3}
    by_title = {i.title: i for i in Incident.objects.all()}
    large = by_title["住民税通知書の一斉メール誤送信"]
    assert large.serious and large.persons_affected > 100
    assert by_title["職員による特定個人情報の不正閲覧・持ち出し"].serious  # ground 2
    assert not by_title["暗号化USBメモリの紛失"].serious  # encrypted
    assert not by_title["窓口での申請書控えの誤交付"].serious  # one person
    ids = [m.pk for m in result.municipalities]
    overdue = overdue_incidents(ids, today)
    assert [(o.title, o.report) for o in overdue] == [("住民税通知書の一斉メール誤送信", "final")]
    assert set(serious_incident_dates(ids)) == {large.municipality_id,
                                                by_title["職員による特定個人情報の不正閲覧・持ち出し"].municipality_id}
    assert Measure.objects.count() == 4 and large.phases.count() == 3
    assert Measure.objects.filter(incident=large, follow_up__isnull=False).exists()  # the seed member's rows
    for drill in Drill.objects.select_related("session__course"):
        assert drill.session.course.code in ("⑥", "⑦", "⑧")
        attended = set(Attendance.objects.filter(session=drill.session, attended=True).values_list("staff", flat=True))
        assert attended == set(drill.participants.values_list("pk", flat=True)) and attended
    again = demo.populate(result.municipalities, today, random.Random(7))  # noqa: S311 - reproducible demo data
    assert again == {"incidents": 0, "drills": 0}
    assert Incident.objects.count() == 4 and Drill.objects.count() == 3
