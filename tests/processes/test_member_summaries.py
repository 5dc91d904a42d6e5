"""The members' stored summaries (issue 12): equal to the live figures, stale after any write, re-evaluated on the
page (a few members) or by a run (many), whose progress the page shows."""

import datetime as dt

import pytest
from django.utils import timezone

from jichitai.audit.models import AuditEntry
from jichitai.checklist.models import MemberChecklist
from jichitai.checklist.queries import evaluate
from jichitai.demo.builder import build
from jichitai.orgs.scoping import COMMAND_LINE
from jichitai.processes import summary_views
from jichitai.processes.models import MemberEvaluation, MemberProgress
from jichitai.processes.queries import association_comparison
from jichitai.processes.services import set_progress
from jichitai.processes.summary_queries import stale_member_ids
from jichitai.processes.views import _sort_key
from tests.conftest import make_user


@pytest.fixture
def demo(db):
    result = build(members=4, association_name="要約テスト協議会", with_users=False, seed=7, first_code_index=300)
    return result, make_user("summary-sec", "secretariat", association=result.association)


def test_stored_figures_equal_the_live_ones(demo):
    result, _user = demo
    today = timezone.localdate()
    live = {s.municipality.pk: s for s in association_comparison(COMMAND_LINE, result.association, today)}
    stored = {p.municipality_id: p for p in MemberProgress.objects.filter(municipality__in=result.municipalities)}
    assert set(stored) == set(live) and all(p.as_of == today for p in stored.values())
    for pk, summary in live.items():
        assert (stored[pk].processes, stored[pk].totals) == (summary.processes, summary.totals)
    verdicts = evaluate(COMMAND_LINE, result.municipalities, today)
    for checklist in MemberChecklist.objects.filter(municipality__in=result.municipalities):
        assert checklist.items == [(i.id, i.status, len(i.findings)) for i in verdicts[checklist.municipality_id]]


@pytest.mark.parametrize("sort", ["flow", "ordinance", "overall", "processes", "name"])
def test_the_database_sorts_as_the_rule_does(client_for, demo, sort):
    result, user = demo
    page = client_for(user).get(f"/a/{result.association.pk}/?sort={sort}")
    shown = page.context["summaries"]
    keys = [_sort_key(s, sort) for s in shown]
    assert keys == sorted(keys, reverse=sort != "name")
    assert len(shown) == len(result.municipalities)


def test_a_write_makes_its_member_stale_and_the_page_counts_it_again(client_for, demo):
    result, user = demo
    member = result.municipalities[1]
    assert stale_member_ids(user, result.association, timezone.localdate()) == []
    process = member.processes.order_by("pk").first()
    before = MemberProgress.objects.get(municipality=member)
    status = "not_needed" if before.ordinance_not_needed == 0 else "done"
    set_progress(actor=None, via="web", process=process, column="ordinance", status=status)
    assert stale_member_ids(user, result.association, timezone.localdate()) == [member.pk]
    page = client_for(user).get(f"/a/{result.association.pk}/")
    shown = {s.municipality.pk: s for s in page.context["summaries"]}
    live = {s.municipality.pk: s for s in association_comparison(COMMAND_LINE, result.association,
                                                                 timezone.localdate())}
    assert shown[member.pk].totals == live[member.pk].totals != before.totals
    assert stale_member_ids(user, result.association, timezone.localdate()) == []


def test_sign_ins_and_accounts_leave_the_summaries_fresh(client_for, demo):
    from jichitai.accounts.services import login_succeeded
    from jichitai.orgs.services import add_user

    result, user = demo
    member = result.municipalities[0]
    login_succeeded(user=user, request=None)  # audited in the association's chain
    add_user(actor=None, via="command", username="new_admin", role="admin", municipality=member)
    assert stale_member_ids(user, result.association, timezone.localdate()) == []


def test_many_stale_members_wait_for_a_run_whose_progress_the_page_shows(client_for, demo, monkeypatch,
                                                                         django_capture_on_commit_callbacks):
    result, user = demo
    monkeypatch.setattr(summary_views, "INLINE_REFRESH", 2)
    MemberProgress.objects.filter(municipality__in=result.municipalities).update(as_of=dt.date(2026, 1, 5))
    client = client_for(user)
    page = client.get(f"/a/{result.association.pk}/checklist/")
    assert page.context["stale_members"] == 4
    assert "4団体の集計が記録より古い" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the run starts once the request has committed
        response = client.post(f"/a/{result.association.pk}/evaluation/start/",
                               {"next": f"/a/{result.association.pk}/checklist/"})
    assert response.status_code == 302 and response["Location"] == f"/a/{result.association.pk}/checklist/"
    run = MemberEvaluation.objects.get(association=result.association)
    assert (run.state, run.done, run.total) == ("done", 4, 4)
    assert AuditEntry.objects.filter(action="members.evaluate", association=result.association).count() == 1
    assert client.get(f"/a/{result.association.pk}/").context["stale_members"] == 0
    status = client.get(f"/a/{result.association.pk}/evaluation/").content.decode()
    assert "全構成団体の最終集計" in status and "hx-trigger" not in status


def test_a_running_run_is_polled_and_a_silent_one_is_interrupted(client_for, demo, django_capture_on_commit_callbacks):
    result, user = demo
    run = MemberEvaluation.objects.create(association=result.association, as_of=timezone.localdate(), total=40,
                                          done=10, state="running", heartbeat_at=timezone.now())
    client = client_for(user)
    running = client.get(f"/a/{result.association.pk}/evaluation/").content.decode()
    assert "10 / 40 (25%)" in running and 'hx-trigger="every 2s"' in running
    MemberEvaluation.objects.filter(pk=run.pk).update(heartbeat_at=timezone.now() - dt.timedelta(minutes=11))
    stopped = client.get(f"/a/{result.association.pk}/evaluation/").content.decode()
    assert "中断" in stopped and "hx-trigger" not in stopped
    with django_capture_on_commit_callbacks(execute=True):  # an interrupted run may be started again
        client.post(f"/a/{result.association.pk}/evaluation/start/")
    assert MemberEvaluation.objects.filter(association=result.association, state="done").count() == 1


def test_a_failed_run_keeps_why(demo, monkeypatch, django_capture_on_commit_callbacks):
    from jichitai.processes import summary_services

    result, _user = demo

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(summary_services, "evaluate_members", broken)
    with django_capture_on_commit_callbacks(execute=True):
        run = summary_services.start_evaluation(actor=None, via="command", association=result.association,
                                                member_ids=[m.pk for m in result.municipalities])
    run.refresh_from_db()
    assert (run.state, run.message) == ("failed", "RuntimeError")


def test_the_data_heads_are_the_last_data_change_of_each_chain(demo, client_for):
    """DataHead (a read model of the log) against its definition, after data changes and sign-ins."""
    from django.db.models import Max

    from jichitai.accounts.services import login_succeeded
    from jichitai.audit.models import DataHead
    from jichitai.audit.services import NOT_DATA_CHANGES

    result, user = demo
    set_progress(actor=None, via="web", process=result.municipalities[2].processes.first(), column="pia",
                 status="not_needed")
    login_succeeded(user=user, request=None)
    expected = dict(AuditEntry.objects.filter(seq__isnull=False).exclude(chain="i").exclude(
        action__regex=r"^(" + "|".join(p.replace(".", r"\.") for p in NOT_DATA_CHANGES) + ")").order_by()
        .values("chain").annotate(last=Max("seq")).values_list("chain", "last"))
    assert dict(DataHead.objects.values_list("chain", "seq")) == expected
    assert AuditEntry.objects.filter(action="login.success").exists()
