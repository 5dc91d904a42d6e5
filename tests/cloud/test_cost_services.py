"""cloud.cost_services.update_plan_costs: audited, refused values in Japanese, nothing written on error."""

import pytest
from django.core.exceptions import ValidationError

from jichitai.audit.labels import action_label
from jichitai.audit.models import AuditEntry
from jichitai.cloud import cost_services
from jichitai.cloud.models import CloudPlan


@pytest.fixture
def plan(association, municipality):
    plan = CloudPlan.objects.create(association=association, name="住基クラウド", category="住基", start_fy=2029,
                                    result={"category": "住基", "start_fy": 2029, "members": []})
    plan.members.add(municipality)
    return plan


def test_costs_are_saved_and_audited_with_before_and_after(plan, secretariat_user):
    cost_services.update_plan_costs(actor=secretariat_user, via="web", plan=plan, joint_initial_cost=3000,
                                    joint_annual_cost=12000, share_rule="mixed", equal_share_percent=30,
                                    cost_years=7)
    plan.refresh_from_db()
    assert (plan.joint_initial_cost, plan.joint_annual_cost, plan.share_rule, plan.equal_share_percent,
            plan.cost_years) == (3000, 12000, "mixed", 30, 7)
    entry = AuditEntry.objects.get(action="cloud_plan.costs")
    assert entry.before == {"joint_initial_cost": None, "joint_annual_cost": None, "share_rule": "equal",
                            "equal_share_percent": 50, "cost_years": 5}
    assert entry.after["share_rule"] == "mixed" and entry.after["joint_annual_cost"] == 12000
    assert entry.association_id == plan.association_id and entry.actor_name == "secretariat"
    assert action_label("cloud_plan.costs") == "クラウド化計画の経費見積りの変更"


def test_the_same_values_again_record_nothing(plan):
    cost_services.update_plan_costs(actor=None, via="command", plan=plan, cost_years=5, share_rule="equal")
    assert not AuditEntry.objects.filter(action="cloud_plan.costs").exists()


@pytest.mark.parametrize("fields, field, message", [
    ({"joint_annual_cost": -1}, "joint_annual_cost", "0〜999,999,999"),
    ({"joint_initial_cost": 1_000_000_000}, "joint_initial_cost", "範囲"),
    ({"joint_initial_cost": "100"}, "joint_initial_cost", "整数"),
    ({"equal_share_percent": 101}, "equal_share_percent", "0〜100"),
    ({"equal_share_percent": None}, "equal_share_percent", "入力してください"),
    ({"cost_years": 0}, "cost_years", "1〜20"),
    ({"cost_years": 21}, "cost_years", "1〜20"),
    ({"cost_years": True}, "cost_years", "整数"),
    ({"share_rule": "weighted"}, "share_rule", "均等割・人口割・併用"),
    ({"name": "改名"}, "name", "経費の項目ではありません"),
])
def test_refused_values_write_nothing(plan, fields, field, message):
    with pytest.raises(ValidationError) as refused:
        cost_services.update_plan_costs(actor=None, via="command", plan=plan, **({"cost_years": 9} | fields))
    assert message in " ".join(refused.value.message_dict[field])
    plan.refresh_from_db()
    assert plan.cost_years == 5 and plan.name == "住基クラウド"
    assert not AuditEntry.objects.filter(action="cloud_plan.costs").exists()


def test_boundaries_are_accepted(plan):
    cost_services.update_plan_costs(actor=None, via="command", plan=plan, joint_initial_cost=0,
                                    joint_annual_cost=999_999_999, equal_share_percent=0, cost_years=20)
    cost_services.update_plan_costs(actor=None, via="command", plan=plan, equal_share_percent=100, cost_years=1,
                                    joint_initial_cost=None)
    plan.refresh_from_db()
    assert (plan.joint_initial_cost, plan.joint_annual_cost, plan.equal_share_percent, plan.cost_years) == (
        None, 999_999_999, 100, 1)
    assert AuditEntry.objects.filter(action="cloud_plan.costs").count() == 2
