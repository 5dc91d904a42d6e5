"""create_assessments_bulk: many slots with their history at once (imports, the demo), audited per assessment."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from jichitai.audit.models import AuditEntry
from jichitai.measures.models import Assessment, AssessmentChange
from jichitai.measures.services import create_assessments_bulk, save_assessment
from jichitai.orgs.models import Staff


def _days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def test_creates_each_slot_with_its_dated_history_and_audits_each(municipality, framework, departments, officer):
    done_on = _days_ago(30)
    rows = [
        {"item": framework["A"], "department": None, "status": "done", "evidence_note": "基本方針を制定",
         "owner": officer, "review_on": done_on + dt.timedelta(days=365),
         "history": [("in_progress", _days_ago(200)), ("done", done_on)]},
        {"item": framework["B"], "department": departments[1], "status": "in_progress",
         "history": [("in_progress", _days_ago(90))]},
    ]
    made = create_assessments_bulk(actor=None, via="demo", municipality=municipality, rows=rows)
    assert [a.pk for a in made] == list(Assessment.objects.order_by("pk").values_list("pk", flat=True))
    first = Assessment.objects.get(item=framework["A"])
    assert (first.status, first.owner, first.evidence_note, first.department) == ("done", officer, "基本方針を制定", None)
    # updated_at is the last change's day (known only by its date: the start of that working day)
    assert timezone.localtime(first.updated_at).date() == done_on
    assert list(first.changes.values_list("status", "effective_on")) == [("in_progress", _days_ago(200)),
                                                                         ("done", done_on)]
    entries = AuditEntry.objects.filter(action="measure.assess").order_by("id")
    assert [(e.via, e.municipality, e.object_id) for e in entries] == [
        ("demo", municipality, str(a.pk)) for a in made]
    assert entries[0].after["status"] == "done" and entries[0].after["history"] == [
        ["in_progress", str(_days_ago(200))], ["done", str(done_on)]]
    assert entries[1].after["department"] == "税務課"


def test_without_a_history_the_status_takes_effect_today(municipality, framework):
    before = timezone.now()
    (made,) = create_assessments_bulk(actor=None, via="import", municipality=municipality,
                                      rows=[{"item": framework["C-a"], "status": "not_applicable"}])
    assert list(made.changes.values_list("status", "effective_on")) == [("not_applicable", timezone.localdate())]
    assert made.updated_at >= before
    # the slot then reads as save_assessment left it: saving the same values changes nothing
    save_assessment(actor=None, via="web", municipality=municipality, item=framework["C-a"], status="not_applicable")
    assert AssessmentChange.objects.count() == 1 and AuditEntry.objects.filter(action="measure.assess").count() == 1


def _refused(municipality, rows):
    counts = (Assessment.objects.count(), AssessmentChange.objects.count(), AuditEntry.objects.count())
    with pytest.raises(ValidationError):
        create_assessments_bulk(actor=None, via="demo", municipality=municipality, rows=rows)
    assert (Assessment.objects.count(), AssessmentChange.objects.count(), AuditEntry.objects.count()) == counts


def test_refusals_write_nothing(municipality, other_municipality, framework, departments):
    good = {"item": framework["A"], "status": "done", "history": [("done", _days_ago(10))]}
    stranger = Staff.objects.create(municipality=other_municipality, staff_number="X1", name="他 人", role="handler")
    _refused(municipality, [good, {"item": framework["C-a"], "status": "done", "owner": stranger}])
    _refused(municipality, [good, good])  # the same slot twice in one call
    _refused(municipality, [good, {"item": framework["B"], "status": "done"}])  # departmental: needs a section
    _refused(municipality, [good, {"item": framework["C-a"], "department": departments[0], "status": "done"}])
    _refused(municipality, [good, {"item": framework["C-a"], "status": "done",
                                   "history": [("done", timezone.localdate() + dt.timedelta(days=1))]}])
    _refused(municipality, [good, {"item": framework["C-a"], "status": "done",
                                   "history": [("done", _days_ago(5)), ("in_progress", _days_ago(1))]}])
    _refused(municipality, [good, {"item": framework["C-a"], "status": "done",
                                   "history": [("in_progress", _days_ago(1)), ("done", _days_ago(5))]}])
    _refused(municipality, [good, {"item": framework["C-a"], "status": "finished"}])


def test_a_slot_already_assessed_is_refused(municipality, framework):
    save_assessment(actor=None, via="web", municipality=municipality, item=framework["A"], status="in_progress")
    _refused(municipality, [{"item": framework["C-a"], "status": "done"}, {"item": framework["A"], "status": "done"}])
    assert Assessment.objects.get().status == "in_progress"
