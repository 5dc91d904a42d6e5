"""A cloud plan's KPIs: added, changed and removed on a form, checked in Japanese, their history in the audit log."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jichitai.audit.models import AuditEntry
from jichitai.cloud import rules, services
from jichitai.cloud.forms import KpisForm
from jichitai.cloud.models import CloudPlan
from tests.helpers import db_state


@pytest.fixture(autouse=True)
def japanese():
    """Messages in Japanese whatever language an earlier test's request left active in this thread."""
    with translation.override("ja"):
        yield


@pytest.fixture
def plan(association):
    return CloudPlan.objects.create(association=association, name="住基クラウド", category="住基", start_fy=2029,
                                    kpis=[{"name": "参加団体数", "target": "5", "actual": ""}],
                                    result={"category": "住基", "start_fy": 2029, "members": []})


def test_kpis_are_replaced_and_both_lists_audited(plan, association):
    kpis = [{"name": "参加団体数", "target": "5", "actual": "3"}, {"name": "移行済み業務", "target": "20", "actual": ""}]
    services.save_kpis(actor=None, via="command", plan=plan, kpis=kpis)
    plan.refresh_from_db()
    assert plan.kpis == kpis
    entry = AuditEntry.objects.get(action="cloud_plan.update")
    assert entry.before["kpis"] == [{"name": "参加団体数", "target": "5", "actual": ""}]
    assert entry.after["kpis"] == kpis and entry.association == association
    services.save_kpis(actor=None, via="command", plan=plan, kpis=kpis)
    assert AuditEntry.objects.filter(action="cloud_plan.update").count() == 1  # unchanged: nothing recorded


@pytest.mark.parametrize(("kpis", "message"), [
    ([{"name": "", "target": "5", "actual": ""}], "1件目: KPIの名称を入力してください。"),
    ([{"name": "長" * 101, "target": "", "actual": ""}], "1件目: KPIの名称は100文字以内にしてください。"),
    ([{"name": "A", "target": "5" * 101, "actual": ""}], "1件目: 目標は100文字以内にしてください。"),
    ([{"name": "A", "target": "", "actual": "5" * 101}], "1件目: 実績は100文字以内にしてください。"),
    ([{"name": "A", "target": "", "actual": ""}, {"name": "A", "target": "", "actual": ""}],
     "2件目: KPI「A」が重複しています。"),
    ([{"name": f"K{n}", "target": "", "actual": ""} for n in range(21)], "KPIは20件までです。"),
    ([{"name": "A", "target": 5, "actual": ""}], "1件目: KPIは文字で入力してください。"),
    ([{"name": "A", "weight": "1"}], "1件目: KPIは名称・目標・実績で入力してください。"),
    ("参加団体数", "1件目: KPIは名称・目標・実績で入力してください。"),
])
def test_bad_kpis_are_refused_in_japanese_and_nothing_is_written(plan, kpis, message):
    before = db_state()
    with pytest.raises(ValidationError) as exc:
        services.save_kpis(actor=None, via="command", plan=plan, kpis=kpis)
    assert message in exc.value.messages
    assert db_state() == before


def test_the_form_reads_rows_and_skips_empty_and_removed_ones():
    form = KpisForm({"name_0": "参加団体数", "target_0": "5", "actual_0": "3", "name_1": "廃止するKPI", "remove_1": "on",
                     "name_2": "", "target_2": "", "name_3": " 移行済み業務 ", "target_3": "20"})
    assert form.is_valid(), form.errors
    assert form.kpis == [{"name": "参加団体数", "target": "5", "actual": "3"},
                         {"name": "移行済み業務", "target": "20", "actual": ""}]
    orphan = KpisForm({"name_0": "", "target_0": "5"})
    assert not orphan.is_valid() and orphan.errors["name_0"]
    too_long = KpisForm({"name_0": "長" * 101})
    assert not too_long.is_valid() and too_long.errors["name_0"]
    many = KpisForm({f"name_{n}": f"K{n}" for n in range(200)})
    assert many.count == rules.MAX_KPIS + KpisForm.EXTRA  # rows past the bound are never read
    assert not many.is_valid()


def test_the_kpi_page_saves_and_shows_the_history(client_for, secretariat_user, admin_user, association, plan):
    client = client_for(secretariat_user)
    url = f"/a/{association.pk}/cloud/plans/{plan.pk}/kpis/"
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"].count == 1 + KpisForm.EXTRA
    response = client.post(url, {"name_0": "参加団体数", "target_0": "5", "actual_0": "4",
                                 "name_1": "移行済み業務", "target_1": "20"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert [k["name"] for k in plan.kpis] == ["参加団体数", "移行済み業務"]
    client.post(url, {"name_0": "参加団体数", "target_0": "5", "actual_0": "5", "name_1": "移行済み業務",
                      "remove_1": "on"})
    plan.refresh_from_db()
    assert plan.kpis == [{"name": "参加団体数", "target": "5", "actual": "5"}]
    history = client.get(url).context["history"]
    assert len(history) == 2
    assert history[0]["after"] == "参加団体数（目標 5 / 実績 5）"
    assert history[1]["before"] == "参加団体数（目標 5 / 実績 —）"
    refused = client.post(url, {"name_0": "", "target_0": "5"})
    assert refused.status_code == 200
    assert client_for(admin_user).get(url).status_code == 404  # the secretariat's page
