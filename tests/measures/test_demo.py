import datetime as dt
import random

from jichitai.audit.models import AuditEntry
from jichitai.demo.builder import build
from jichitai.measures.demo import populate
from jichitai.measures.models import Assessment, AssessmentChange
from jichitai.measures.queries import member_summaries, open_items
from jichitai.measures.services import DEFAULT_FRAMEWORK_CODE


def test_populate_gives_a_spread_of_members_and_is_idempotent(db):
    result = build(members=3, with_users=False, association_name="デモ協会")
    # demo.build runs populate itself; start again from no assessments to check what populate makes.
    Assessment.objects.all().delete()
    AuditEntry.objects.filter(action="measure.demo").delete()
    members = result.municipalities
    today = dt.date(2026, 6, 1)
    created = populate(members, today, random.Random(7))  # noqa: S311 - fictional data
    # Nine departments per demo member: 12 whole items + 5 departmental × 9 = 57 slots each.
    assert created == 3 * 57 == Assessment.objects.count()
    _frameworks, rows = member_summaries(result.association.members.all())
    percents = [row.summaries[DEFAULT_FRAMEWORK_CODE].percent_done for row in rows]
    assert percents[0] >= 75 and percents[2] <= 40, percents  # nearly complete … far behind
    assert all(row.summaries[DEFAULT_FRAMEWORK_CODE].total == 57 for row in rows)
    done = Assessment.objects.filter(status="done")
    assert done.exists() and not done.filter(review_on__isnull=True).exists()
    assert Assessment.objects.exclude(evidence_note="").exists()
    owners = Assessment.objects.filter(owner__isnull=False).select_related("owner")
    assert owners.exists() and all(a.owner.municipality_id == a.municipality_id for a in owners)
    # Every assessment has a history ending in its status, dated no later than today.
    last = {}
    for change in AssessmentChange.objects.order_by("effective_on", "id"):
        assert change.effective_on <= today
        last[change.assessment_id] = change.status
    assert last == dict(Assessment.objects.values_list("id", "status"))
    assert AuditEntry.objects.filter(action="measure.demo").count() == 3
    # As of long ago nothing was done yet; today, the closed slots are not open.
    ids = [m.id for m in members]
    assert len(open_items(ids, as_of=dt.date(2024, 1, 1))) == 3 * 57
    assert len(open_items(ids)) == Assessment.objects.exclude(status__in=["done", "not_applicable"]).count()
    assert populate(members, today, random.Random(7)) == 0  # noqa: S311
