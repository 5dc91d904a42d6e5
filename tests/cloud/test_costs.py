"""cloud.costs: a saved plan (inventory snapshot, saved alignment, members) arranged into the 経費比較, and its chart."""

from types import SimpleNamespace

from jichitai.cloud import costs

A, B = "011002", "012025"


def plan(**kwargs):
    base = {"name": "住基クラウド", "category": "住基", "joint_initial_cost": 2000, "joint_annual_cost": 9000,
            "share_rule": "population", "equal_share_percent": 50, "cost_years": 5,
            "inventory": [
                {"code": A, "name": "住民記録システム", "category": "住基", "contract_end_fy": 2027,
                 "re_lease_years": 2, "annual_cost": 7000, "initial_cost": 20000, "re_lease_annual_cost": 2000},
                {"code": A, "name": "印鑑登録システム", "category": "住基", "contract_end_fy": 2029,
                 "re_lease_years": 1, "annual_cost": 500, "initial_cost": None, "re_lease_annual_cost": None},
                {"code": A, "name": "税務システム", "category": "税", "contract_end_fy": 2027, "annual_cost": 99999},
                {"code": B, "name": "住民記録システム", "category": "住基", "contract_end_fy": 2029,
                 "re_lease_years": 2, "annual_cost": 4000, "initial_cost": 9000, "re_lease_annual_cost": None}],
            "result": {"category": "住基", "start_fy": 2029, "members": [
                {"code": A, "system": "住民記録システム", "join_fy": 2029, "path": "aligned", "re_lease_years": 1},
                {"code": A, "system": "印鑑登録システム", "join_fy": 2030, "path": "follower", "re_lease_years": 0},
                {"code": B, "system": "住民記録システム", "join_fy": 2030, "path": "follower", "re_lease_years": 0}]}}
    return SimpleNamespace(**(base | kwargs))


MEMBERS = [SimpleNamespace(code=B, name="東町", population=10000), SimpleNamespace(code=A, name="西市", population=30000)]


def test_the_snapshot_the_alignment_and_the_populations_make_the_table():
    table = costs.table(plan(), MEMBERS)
    assert table.has_data and table.problems == ()
    a, b = table.lines  # in code order
    assert (a.name, b.name) == ("西市", "東町")
    assert a.systems == ("住民記録システム", "印鑑登録システム")  # the 税 system is not in the plan
    assert a.row.current_annual == 7500 and b.row.current_annual == 4000
    assert (a.row.annual_share, b.row.annual_share) == (6750, 2250)  # 3 : 1 by population
    assert (a.row.initial_share, b.row.initial_share) == (1500, 500)
    assert a.row.annual_saving == 750 and a.row.period_saving == 5 * 750 - 1500
    assert b.row.period_saving == 5 * 1750 - 500
    assert a.row.period_from == 2029 and b.row.period_from == 2030  # the member's first join year
    # re-leased one year as planned (not the two the contract would allow), at the re-lease price
    assert (a.row.re_lease_years, a.row.re_lease_cost, a.row.renewal_cost) == (1, 2000, 20000 + 7000)
    assert [line.name for line in table.re_leases] == ["西市"]
    assert table.totals.annual_share == 9000 and table.totals.current_annual == 11500
    assert a.share_label == "75.00％" and a.population_label == "30,000"
    assert [c.text for c in a.amounts] == ["1,500", "6,750", "7,500", "750", "2,250"]


def test_a_plan_saved_before_costs_were_kept_says_no_data_never_zero():
    table = costs.table(plan(inventory=[]), MEMBERS)
    assert not table.has_data
    assert table.problems[0].startswith(costs.NO_DATA)
    for line in table.lines:
        assert line.row.current_annual is None
        assert line.row.problems == (costs.NO_DATA,)
        assert line.amounts[2].text == "要確認" and line.amounts[2].review
    assert table.lines[0].row.annual_share == 6750  # the estimate is still shared
    assert table.population_total == "40,000"
    unknown = costs.table(plan(share_rule="equal"), [SimpleNamespace(code=A, name="西市", population=None)])
    assert unknown.lines[0].population_label == "未登録" and unknown.population_total == "—"
    assert unknown.lines[0].row.problems == ()  # 均等割 does not need it
    assert table.totals.current_annual is None


def test_an_old_result_without_system_names_re_leases_the_system_due_first():
    old = plan(result={"members": [{"code": A, "join_fy": 2029, "re_lease_years": 1}]})
    a = costs.table(old, MEMBERS).lines[0]
    assert (a.row.re_lease_years, a.row.re_lease_cost) == (1, 2000)  # 住民記録 ends 2027, before 印鑑登録


def test_odd_stored_values_are_unknown_not_numbers():
    odd = plan(inventory=[{"code": A, "name": "=1+2", "category": "住基", "annual_cost": "700"},
                          {"code": B, "name": "x", "category": "住基", "annual_cost": True}],
               result={"members": "oops"}, share_rule="=1+3")
    table = costs.table(odd, MEMBERS)
    assert [line.row.current_annual for line in table.lines] == [None, None]
    assert "要確認" in table.rule_text
    assert table.lines[0].row.period_from is None


def test_the_chart_draws_both_bars_and_escapes_names():
    members = [SimpleNamespace(code=A, name="<script>西市", population=30000),
               SimpleNamespace(code=B, name="東町", population=None)]
    svg = str(costs.chart(costs.table(plan(share_rule="equal"), members)))
    assert svg.startswith("<svg") and "<script>" not in svg and "&lt;script&gt;西市" in svg
    assert svg.count("<rect") == 2 + 4  # the legend's two keys, two bars per member
    assert "7,500千円" in svg and "4,500千円" in svg  # 西市's current cost; the equal share of 9,000


def test_the_chart_says_what_is_to_be_checked():
    svg = str(costs.chart(costs.table(plan(inventory=[], joint_annual_cost=None), MEMBERS)))
    assert svg.count("要確認") == 4 and svg.count("<rect") == 2
    empty = str(costs.chart(costs.table(plan(), [])))
    assert "参加団体がありません。" in empty
