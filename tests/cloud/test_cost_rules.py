"""cloud.cost_rules at its boundaries: sharing rules, the largest-remainder split, missing data as 要確認."""

from decimal import Decimal
from fractions import Fraction

import pytest

from jichitai.cloud import cost_rules as cr
from jichitai.cloud.cost_rules import Estimate, MemberCost, SystemCost

A, B, C = "011002", "012025", "012033"


# ---- shares ------------------------------------------------------------------------------------------------------

def test_no_members_share_nothing():
    for rule in ("equal", "population", "mixed"):
        result = cr.shares([], rule, 50)
        assert result.fractions == {} and result.ok


def test_one_member_pays_everything_under_every_rule():
    for rule, percent in (("equal", 50), ("population", 50), ("mixed", 0), ("mixed", 30), ("mixed", 100)):
        assert cr.shares([(A, 1000)], rule, percent).fractions == {A: Fraction(1)}


def test_equal_shares_need_no_population():
    result = cr.shares([(A, None), (B, None), (C, 0)], "equal", 50)
    assert result.ok
    assert result.fractions == {A: Fraction(1, 3), B: Fraction(1, 3), C: Fraction(1, 3)}
    assert sum(result.fractions.values()) == 1


def test_population_shares_are_proportional_and_sum_to_one():
    result = cr.shares([(A, 30000), (B, 10000)], "population", 50)
    assert result.fractions == {A: Fraction(3, 4), B: Fraction(1, 4)}


def test_mixed_shares_half_equal_half_population():
    # 50 % equally (25 % each) + 50 % by population (37.5 % / 12.5 %).
    result = cr.shares([(A, 30000), (B, 10000)], "mixed", 50)
    assert result.fractions == {A: Fraction(5, 8), B: Fraction(3, 8)}


def test_mixed_at_zero_percent_is_population_and_at_hundred_is_equal():
    members = [(A, 30000), (B, 10000)]
    assert cr.shares(members, "mixed", 0).fractions == cr.shares(members, "population", 0).fractions
    assert cr.shares(members, "mixed", 100).fractions == {A: Fraction(1, 2), B: Fraction(1, 2)}
    # at 100 % the population is not used, so a missing one is no problem
    assert cr.shares([(A, None), (B, 10)], "mixed", 100).ok


@pytest.mark.parametrize("population", [None, 0, -5])
@pytest.mark.parametrize("rule", ["population", "mixed"])
def test_a_missing_or_zero_population_is_to_be_checked_never_zero(population, rule):
    result = cr.shares([(A, 30000), (B, population)], rule, 40)
    assert not result.ok
    assert result.fractions == {}
    assert result.missing_population == (B,)
    assert "要確認" in result.problems[0] and B in result.problems[0]


def test_unknown_rule_or_percentage_is_a_problem_not_a_crash():
    assert not cr.shares([(A, 1)], "=1+2", 50).ok
    assert not cr.shares([(A, 1)], "mixed", 101).ok
    assert "要確認" in cr.rule_text("=1+2", 50)


def test_a_member_twice_is_refused():
    with pytest.raises(ValueError):
        cr.shares([(A, 1), (A, 2)], "equal", 50)


def test_rule_text():
    assert cr.rule_text("mixed", 30) == "均等割30％・人口割70％の併用"
    assert cr.rule_text("equal", 30).startswith("均等割")


# ---- allocate ------------------------------------------------------------------------------------------------------

def test_the_remainder_goes_to_the_largest_remainders_then_the_smaller_code():
    thirds = {C: Fraction(1, 3), A: Fraction(1, 3), B: Fraction(1, 3)}
    assert cr.allocate(100, thirds) == {A: 34, B: 33, C: 33}  # equal remainders: smaller code first
    assert cr.allocate(101, thirds) == {A: 34, B: 34, C: 33}
    shares = {A: Fraction(5, 8), B: Fraction(3, 8)}  # 1000 × 5/8 = 625, 3/8 = 375 exactly
    assert cr.allocate(1000, shares) == {A: 625, B: 375}
    # 7 × 0.7 = 4.9 and 7 × 0.3 = 2.1: 4 + 2, the left 1 to the larger remainder (A's .9)
    assert cr.allocate(7, {A: Fraction(7, 10), B: Fraction(3, 10)}) == {A: 5, B: 2}


@pytest.mark.parametrize("total", [0, 1, 2, 99, 100, 1_000_003, 999_999_999])
def test_parts_always_add_up_to_the_total(total):
    fractions = cr.shares([(A, 123457), (B, 9876), (C, 1)], "mixed", 37).fractions
    parts = cr.allocate(total, fractions)
    assert sum(parts.values()) == total
    for code, fraction in fractions.items():
        assert abs(parts[code] - total * fraction) < 1


def test_allocate_without_a_total_or_members():
    assert cr.allocate(None, {A: Fraction(1)}) is None
    assert cr.allocate(100, {}) == {}
    with pytest.raises(ValueError):
        cr.allocate(100, {A: Fraction(1, 2)})


def test_percents_add_up_to_one_hundred():
    shown = cr.percents({A: Fraction(1, 3), B: Fraction(1, 3), C: Fraction(1, 3)})
    assert shown == {A: Decimal("33.34"), B: Decimal("33.33"), C: Decimal("33.33")}
    assert sum(shown.values()) == 100


# ---- compare ---------------------------------------------------------------------------------------------------------

def estimate(**kwargs) -> Estimate:
    return Estimate(**({"joint_initial_cost": 3000, "joint_annual_cost": 10000, "rule": "equal",
                        "equal_percent": 50, "cost_years": 5} | kwargs))


def test_two_members_equal_shares_savings_and_totals():
    members = [MemberCost(A, 30000, 2029, (SystemCost("住民記録システム", annual_cost=8000),)),
               MemberCost(B, 10000, 2030, (SystemCost("住民記録システム", annual_cost=6000),))]
    result = cr.compare(members, estimate())
    a, b = result.rows
    assert (a.initial_share, a.annual_share, a.current_annual, a.annual_saving) == (1500, 5000, 8000, 3000)
    assert a.period_saving == 5 * 3000 - 1500
    assert (a.period_from, a.period_to) == (2029, 2033)
    assert (b.annual_saving, b.period_saving) == (1000, 5 * 1000 - 1500)
    assert a.share_percent == Decimal("50.00")
    t = result.totals
    assert (t.initial_share, t.annual_share, t.current_annual, t.annual_saving) == (3000, 10000, 14000, 4000)
    assert t.period_saving == 13500 + 3500
    assert t.population == 40000
    assert result.problems == ()


def test_a_negative_saving_is_shown_as_it_is():
    result = cr.compare([MemberCost(A, 1, 2029, (SystemCost("x", annual_cost=100),))], estimate(cost_years=1))
    assert result.rows[0].annual_saving == 100 - 10000
    assert result.rows[0].period_saving == 100 - 10000 - 3000


def test_the_remainder_of_the_estimate_is_allocated_so_shares_add_up():
    members = [MemberCost(code, 1, 2029, (SystemCost("x", annual_cost=1),)) for code in (A, B, C)]
    result = cr.compare(members, estimate(joint_initial_cost=100, joint_annual_cost=1000))
    assert [r.initial_share for r in result.rows] == [34, 33, 33]
    assert [r.annual_share for r in result.rows] == [334, 333, 333]
    assert result.totals.annual_share == 1000 and result.totals.initial_share == 100


def test_a_missing_annual_cost_is_to_be_checked_for_the_member_and_the_totals():
    members = [MemberCost(A, 100, 2029, (SystemCost("住民記録システム", annual_cost=800),
                                         SystemCost("印鑑登録システム", annual_cost=None))),
               MemberCost(B, 100, 2029, (SystemCost("住民記録システム", annual_cost=600),))]
    a, b = cr.compare(members, estimate()).rows
    assert a.current_annual is None and a.annual_saving is None and a.period_saving is None
    assert a.annual_share == 5000  # the share itself is still known
    assert any("印鑑登録システム" in p and "要確認" in p for p in a.problems)
    assert b.current_annual == 600
    totals = cr.compare(members, estimate()).totals
    assert totals.current_annual is None and totals.annual_saving is None
    assert totals.annual_share == 10000


def test_a_member_without_systems_is_to_be_checked():
    row = cr.compare([MemberCost(A, 100, 2029, ())], estimate()).rows[0]
    assert row.current_annual is None and row.problems == (cr.NO_SYSTEMS,)


def test_missing_population_under_population_sharing_leaves_every_share_to_be_checked():
    members = [MemberCost(A, None, 2029, (SystemCost("x", annual_cost=1),)),
               MemberCost(B, 100, 2029, (SystemCost("x", annual_cost=1),))]
    result = cr.compare(members, estimate(rule="population"))
    assert [r.annual_share for r in result.rows] == [None, None]
    assert result.rows[0].problems[0].startswith("人口が未登録です")
    assert result.rows[1].problems == ()
    assert result.totals.annual_share is None and result.totals.population is None
    assert any("人口割を計算できません" in p for p in result.problems)


def test_an_estimate_not_entered_is_to_be_checked():
    members = [MemberCost(A, 100, 2029, (SystemCost("x", annual_cost=500),))]
    result = cr.compare(members, estimate(joint_initial_cost=None, joint_annual_cost=None))
    row = result.rows[0]
    assert (row.initial_share, row.annual_share, row.annual_saving, row.period_saving) == (None, None, None, None)
    assert row.current_annual == 500
    assert len(result.problems) == 2 and all("未入力" in p for p in result.problems)


def test_no_members():
    result = cr.compare([], estimate())
    assert result.rows == []
    assert "参加団体がありません。" in result.problems


def test_period_needs_at_least_one_year():
    with pytest.raises(ValueError):
        cr.compare([], estimate(cost_years=0))


def test_without_a_join_year_the_period_has_no_years_but_the_saving_is_computed():
    row = cr.compare([MemberCost(A, 1, None, (SystemCost("x", annual_cost=12000),))], estimate()).rows[0]
    assert (row.period_from, row.period_to) == (None, None)
    assert row.period_saving == 5 * 2000 - 3000


# ---- re-lease versus early renewal ------------------------------------------------------------------------------------

def test_re_lease_against_early_renewal():
    system = SystemCost("住民記録システム", annual_cost=1000, initial_cost=5000, re_lease_annual_cost=300,
                        re_lease_years=2)
    row = cr.compare([MemberCost(A, 1, 2030, (system,))], estimate()).rows[0]
    assert (row.re_lease_years, row.re_lease_cost, row.renewal_cost) == (2, 600, 5000 + 2000)
    assert row.re_lease_advantage == 6400


def test_re_lease_without_its_own_price_uses_the_annual_cost():
    system = SystemCost("x", annual_cost=1000, initial_cost=5000, re_lease_years=1)
    years, re_lease, renewal, problems = cr.re_lease_versus_renewal((system,))
    assert (years, re_lease, renewal, problems) == (1, 1000, 6000, [])


def test_re_lease_with_costs_missing_is_to_be_checked():
    system = SystemCost("x", annual_cost=None, initial_cost=None, re_lease_years=1)
    years, re_lease, renewal, problems = cr.re_lease_versus_renewal((system,))
    assert (years, re_lease, renewal) == (1, None, None)
    assert len(problems) == 2
    free = SystemCost("y", annual_cost=1000, initial_cost=None, re_lease_annual_cost=0, re_lease_years=2)
    assert cr.re_lease_versus_renewal((free,))[1:3] == (0, None)  # a free re-lease is 0, not missing


def test_no_re_lease_is_no_comparison_and_totals_say_so():
    members = [MemberCost(A, 1, 2029, (SystemCost("x", annual_cost=1, re_lease_years=0),))]
    result = cr.compare(members, estimate())
    assert result.rows[0].re_lease_years == 0 and result.rows[0].re_lease_cost is None
    assert result.rows[0].problems == ()  # not 要確認: nothing to compare
    assert result.totals.re_lease_cost is None and result.totals.re_lease_years == 0


def test_re_lease_totals_run_over_the_members_that_re_lease():
    leased = SystemCost("x", annual_cost=100, initial_cost=1000, re_lease_years=2)
    members = [MemberCost(A, 1, 2029, (leased,)), MemberCost(B, 1, 2029, (SystemCost("x", annual_cost=100),)),
               MemberCost(C, 1, 2029, (leased, SystemCost("y", annual_cost=50, initial_cost=10, re_lease_years=1)))]
    t = cr.compare(members, estimate()).totals
    assert t.re_lease_years == 2 + 3
    assert t.re_lease_cost == 200 + 200 + 50
    assert t.renewal_cost == 1200 + 1200 + 60
    assert t.re_lease_advantage == t.renewal_cost - t.re_lease_cost
