import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from jichitai.audit.models import AuditEntry
from jichitai.measures.models import Assessment, AssessmentChange, Framework, FrameworkItem
from jichitai.measures.services import save_assessment
from jichitai.orgs.models import Department, Staff


def test_first_save_creates_and_audits(municipality, framework, officer, admin_user):
    assessment = save_assessment(actor=admin_user, via="web", municipality=municipality, item=framework["A"],
                                 status="done", evidence_note="基本方針を制定", owner=officer,
                                 review_on=dt.date(2027, 3, 31))
    assert (assessment.status, assessment.department, assessment.owner) == ("done", None, officer)
    entry = AuditEntry.objects.get(action="measure.assess")
    assert (entry.actor, entry.via, entry.municipality) == (admin_user, "web", municipality)
    assert entry.after | {} == {"item": str(framework["A"]), "department": None, "status": "done",
                                "evidence_note": "基本方針を制定", "owner": "高橋 誠", "review_on": "2027-03-31"}
    assert list(assessment.changes.values_list("status", flat=True)) == ["done"]


def test_update_audits_only_real_changes_and_keeps_status_history(municipality, framework, admin_user):
    item = framework["C-a"]
    first = save_assessment(actor=admin_user, via="web", municipality=municipality, item=item, status="in_progress")
    stamp = first.updated_at
    same = save_assessment(actor=admin_user, via="web", municipality=municipality, item=item, status="in_progress")
    assert same.pk == first.pk and same.updated_at == stamp
    assert AuditEntry.objects.filter(action="measure.assess").count() == 1
    save_assessment(actor=admin_user, via="web", municipality=municipality, item=item, status="in_progress",
                    evidence_note="体制図を作成中")
    save_assessment(actor=admin_user, via="api", municipality=municipality, item=item, status="done",
                    evidence_note="体制図を作成中")
    entries = list(AuditEntry.objects.filter(action="measure.assess").order_by("id"))
    assert len(entries) == 3
    assert (entries[2].before["status"], entries[2].after["status"], entries[2].via) == ("in_progress", "done", "api")
    assert Assessment.objects.count() == 1
    assert list(AssessmentChange.objects.values_list("status", flat=True)) == ["in_progress", "done"]


def test_departmental_items_need_a_department_once_departments_exist(municipality, framework, departments):
    with pytest.raises(ValidationError, match="課室ごとに評価"):
        save_assessment(actor=None, via="command", municipality=municipality, item=framework["B"], status="done")
    with pytest.raises(ValidationError, match="団体全体で一度だけ"):
        save_assessment(actor=None, via="command", municipality=municipality, item=framework["A"],
                        department=departments[0], status="done")
    one = save_assessment(actor=None, via="command", municipality=municipality, item=framework["B"],
                          department=departments[0], status="done")
    two = save_assessment(actor=None, via="command", municipality=municipality, item=framework["B"],
                          department=departments[1], status="in_progress")
    assert one.pk != two.pk and Assessment.objects.filter(item=framework["B"]).count() == 2


def test_departmental_item_without_departments_is_assessed_once(municipality, framework):
    assessment = save_assessment(actor=None, via="command", municipality=municipality, item=framework["E-a"],
                                 status="done")
    assert assessment.department is None


def test_refuses_other_municipalities_department_owner_and_list(municipality, other_municipality, framework):
    foreign = Department.objects.create(municipality=other_municipality, name="市民課")
    with pytest.raises(ValidationError, match="この団体の課室ではありません"):
        save_assessment(actor=None, via="command", municipality=municipality, item=framework["B"],
                        department=foreign)
    stranger = Staff.objects.create(municipality=other_municipality, staff_number="X", name="他 人", role="handler")
    with pytest.raises(ValidationError) as exc:
        save_assessment(actor=None, via="command", municipality=municipality, item=framework["A"], owner=stranger)
    assert "owner" in exc.value.message_dict
    own_list = Framework.objects.create(code="own", name="よその町の独自チェック", municipality=other_municipality)
    theirs = FrameworkItem.objects.create(framework=own_list, item_id="1", category="技術的", title="分離")
    with pytest.raises(ValidationError, match="チェックリストに含まれていません"):
        save_assessment(actor=None, via="command", municipality=municipality, item=theirs)
    framework["F-d"].active = False
    framework["F-d"].save()
    with pytest.raises(ValidationError, match="チェックリストに含まれていません"):
        save_assessment(actor=None, via="command", municipality=municipality, item=framework["F-d"])
    assert Assessment.objects.count() == 0 and AuditEntry.objects.filter(action="measure.assess").count() == 0


def test_my_number_in_the_note_is_refused(municipality, framework):
    from tests.measures.test_framework import MY_NUMBER

    with pytest.raises(ValidationError) as exc:
        save_assessment(actor=None, via="command", municipality=municipality, item=framework["A"],
                        evidence_note=f"台帳 {MY_NUMBER}")
    assert MY_NUMBER not in str(exc.value)
    assert Assessment.objects.count() == 0


def test_unknown_status_is_refused(municipality, framework):
    with pytest.raises(ValidationError):
        save_assessment(actor=None, via="command", municipality=municipality, item=framework["A"], status="済")
    assert Assessment.objects.count() == 0 and AssessmentChange.objects.count() == 0
