import datetime as dt
import random
from collections import Counter

from django.utils import timezone

from jichitai.core.wareki import fiscal_year
from jichitai.demo.builder import build
from jichitai.orgs.models import Staff
from jichitai.processes.models import Process, ProcessAssignment
from jichitai.training import demo, queries
from jichitai.training.models import Attendance, Session, TrainingPlan


def _reset() -> None:
    """demo.build already assigns staff and runs populate; start again from none to check populate itself."""
    for model in (Attendance, Session, TrainingPlan, ProcessAssignment):
        model.objects.all().delete()


def _assign(municipalities) -> None:
    """What the integrator does before calling populate: handlers and officers assigned to a process."""
    first_process = {p.municipality_id: p for p in Process.objects.filter(municipality__in=municipalities)}
    ProcessAssignment.objects.bulk_create(
        ProcessAssignment(process=first_process[s.municipality_id], staff=s, assigned_on=dt.date(2024, 4, 1))
        for s in Staff.objects.filter(municipality__in=municipalities, role__in=("handler", "protection_officer")))


def test_demo_gives_a_realistic_mix(db):
    today = timezone.localdate()
    result = build(members=12, with_users=False, seed=7)
    _reset()
    _assign(result.municipalities)
    summary = demo.populate(result.association, result.municipalities, today, random.Random(7))  # noqa: S311 - fictional data
    assert summary["sessions"] == Session.objects.count() == 12
    assert all(s.organiser_association == result.association for s in Session.objects.all())
    oldest = Session.objects.order_by("held_on").first().held_on
    assert (today - oldest).days <= 14 * 31
    plans = queries.plan_exists([m.pk for m in result.municipalities], fiscal_year(today))
    assert 8 <= len(plans) < 12  # most members, not all
    assert TrainingPlan.objects.get(pk=TrainingPlan.objects.first().pk).items.count() == 4
    people = queries.training_status([m.pk for m in result.municipalities], today)
    counts = Counter(p.status for p in people)
    assert counts["trained"] > counts["untrained"] > 0
    lapsing_soon = [p for p in people if p.status == "due_soon" and p.days_left <= 35]
    assert len(lapsing_soon) >= 3
    assert Attendance.objects.count() == summary["attendance"] > len(people) / 2
    assert queries.sessions_missing_records([result.municipalities[0].pk], today)  # the checklist has something


def test_demo_with_a_single_member(db):
    today = timezone.localdate()
    result = build(members=1, with_users=False, seed=3)
    _reset()
    _assign(result.municipalities)
    demo.populate(result.association, result.municipalities, today, random.Random(1))  # noqa: S311 - fictional data
    only = result.municipalities[0]
    assert queries.plan_exists([only.pk], fiscal_year(today)) == {only.pk}
    assert all(list(s.participants.all()) == [only] for s in Session.objects.prefetch_related("participants"))
