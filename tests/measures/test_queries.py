import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from jichitai.core.codes import with_check_digit
from jichitai.measures.models import AssessmentChange, Framework, FrameworkItem
from jichitai.measures.queries import OpenItem, member_summaries, open_items
from jichitai.measures.services import DEFAULT_FRAMEWORK_CODE, save_assessment
from jichitai.orgs.models import Department, Municipality

CODE = DEFAULT_FRAMEWORK_CODE


def assess(municipality, item, status, department=None):
    return save_assessment(actor=None, via="command", municipality=municipality, item=item, department=department,
                           status=status)


def test_open_items_lists_every_open_slot(municipality, framework, departments):
    assess(municipality, framework["A"], "done")
    assess(municipality, framework["C-a"], "not_applicable")
    assess(municipality, framework["C-d"], "in_progress")
    assess(municipality, framework["B"], "done", departments[0])  # 子育て支援課 done, 税務課 not yet
    items = open_items([municipality.id])
    # 17 items, 5 of them per department (2 departments) = 22 slots; three of them are closed above.
    assert len(items) == 22 - 3
    assert items[0] == OpenItem(municipality.id, CODE, "B", "取扱規程等の策定", departments[1].id, "税務課",
                                "not_started")
    by_key = {(i.item_id, i.department_name): i for i in items}
    assert by_key[("C-d", "")].status == "in_progress"
    assert ("A", "") not in by_key and ("C-a", "") not in by_key and ("B", "子育て支援課") not in by_key
    assert {(i.item_id, i.department_name) for i in items if i.item_id == "E-a"} == {
        ("E-a", "子育て支援課"), ("E-a", "税務課")}


def test_open_items_without_departments_counts_departmental_items_once(municipality, framework):
    items = open_items([municipality.id])
    assert len(items) == 17
    assert {i.department_id for i in items} == {None}


def test_open_items_include_only_each_municipalitys_own_lists(municipality, other_municipality, framework):
    own = Framework.objects.create(code="own", name="独自チェック", municipality=other_municipality)
    FrameworkItem.objects.create(framework=own, item_id="X-1", category="技術的", title="分離")
    retired = FrameworkItem.objects.create(framework=own, item_id="X-2", category="技術的", title="旧項目",
                                           active=False)
    items = open_items(Municipality.objects.filter(pk__in=[municipality.pk, other_municipality.pk]).values("id"))
    mine = [i for i in items if i.municipality_id == municipality.id]
    theirs = [i for i in items if i.municipality_id == other_municipality.id]
    assert len(mine) == 17 and len(theirs) == 18
    assert [i.item_id for i in theirs if i.framework_code == "own"] == ["X-1"]
    assert retired.item_id not in {i.item_id for i in items}
    assert open_items([]) == []


def test_open_items_as_of_a_past_date_uses_the_history(municipality, framework):
    done = assess(municipality, framework["A"], "done")
    later = assess(municipality, framework["F-a"], "done")
    AssessmentChange.objects.filter(assessment=done).update(effective_on=dt.date(2025, 4, 1))
    AssessmentChange.objects.filter(assessment=later).update(effective_on=dt.date(2025, 10, 1))
    AssessmentChange.objects.create(assessment=later, status="in_progress", effective_on=dt.date(2025, 6, 1))
    open_ids = {i.item_id: i.status for i in open_items([municipality.id], as_of=dt.date(2025, 7, 1))}
    assert "A" not in open_ids and open_ids["F-a"] == "in_progress"
    before_all = {i.item_id for i in open_items([municipality.id], as_of=dt.date(2025, 1, 1))}
    assert {"A", "F-a"} <= before_all
    assert not {"A", "F-a"} & {i.item_id for i in open_items([municipality.id], as_of=timezone.localdate())}


def _members(association, count: int, departments: int, start: int = 100) -> list[int]:
    ids = []
    for n in range(start, start + count):
        member = Municipality.objects.create(code=with_check_digit(f"98{n:03d}"), name=f"町{n}",
                                             association=association)
        Department.objects.bulk_create(Department(municipality=member, name=f"課{d}") for d in range(departments))
        ids.append(member.id)
    return ids


def test_open_items_query_count_is_constant(association, framework):
    counts = []
    for members, departments, start in ((1, 2, 100), (20, 40, 200)):
        ids = _members(association, members, departments, start)
        with CaptureQueriesContext(connection) as queries:
            items = open_items(ids)
        counts.append(len(queries))
        assert len(items) == members * (12 + 5 * departments)
    assert counts == [3, 3]


def test_member_summaries_complete_missing_slots_as_not_started(association, municipality, framework, departments):
    assess(municipality, framework["A"], "done")
    assess(municipality, framework["C-a"], "not_applicable")
    assess(municipality, framework["B"], "in_progress", departments[0])
    other = Municipality.objects.create(code=with_check_digit("99203"), name="つぎの町", association=association)
    frameworks, rows = member_summaries(Municipality.objects.filter(association=association))
    assert [f.code for f in frameworks] == [CODE]
    first, second = rows
    assert first.municipality == municipality and second.municipality == other
    summary = first.summaries[CODE]
    assert (summary.done, summary.in_progress, summary.not_started, summary.not_applicable) == (1, 1, 19, 1)
    assert summary.total == 12 + 5 * 2 and summary.percent_done == round(100 / 21, 1)
    assert second.summaries[CODE].not_started == 17 and second.cells == [second.summaries[CODE]]
    assert first.value(CODE, "done") == 1 and second.value(CODE, "percent_done") == 0.0


def test_member_summaries_ignore_assessments_that_no_longer_answer_a_slot(association, municipality, framework):
    assess(municipality, framework["E-a"], "done")  # assessed as a whole before departments were registered
    Department.objects.create(municipality=municipality, name="市民課")
    _frameworks, rows = member_summaries(Municipality.objects.filter(pk=municipality.pk))
    summary = rows[0].summaries[CODE]
    assert (summary.done, summary.not_started, summary.total) == (0, 17, 17)


def test_member_summaries_mark_other_members_own_lists(association, municipality, framework):
    other = Municipality.objects.create(code=with_check_digit("99203"), name="つぎの町", association=association)
    own = Framework.objects.create(code="own", name="独自", municipality=other)
    FrameworkItem.objects.create(framework=own, item_id="1", category="技術的", title="分離")
    _frameworks, rows = member_summaries(Municipality.objects.filter(association=association))
    assert rows[0].summaries["own"] is None and rows[0].value("own", "done") == -1
    assert rows[1].summaries["own"].not_started == 1


def test_member_summaries_query_count_is_constant(association, framework):
    counts = []
    for members, departments, start in ((1, 2, 100), (20, 40, 200)):
        _members(association, members, departments, start)
        with CaptureQueriesContext(connection) as queries:
            member_summaries(Municipality.objects.filter(association=association))
        counts.append(len(queries))
    assert counts == [4, 4]
