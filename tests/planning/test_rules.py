from decimal import Decimal as D

import pytest

from jichitai.planning import rules
from jichitai.planning.seed_table import ROWS

CRITERIA = rules.DEFAULT_CRITERIA


def test_read_score_bounds_and_one_decimal():
    assert rules.read_score("1") == D(1)
    assert rules.read_score(5) == D(5)
    assert rules.read_score(4.3) == D("4.3")
    for bad in ("0.9", "5.1", "abc", "", None, "4.25", True, "nan"):
        with pytest.raises(rules.InvalidScore):
            rules.read_score(bad)
    assert rules.read_score("4.25", max_decimals=None) == D("4.25")


def test_average_unrounded_and_shown_half_up():
    avg = rules.average([D(4), D(5), D(5)])
    assert rules.one_decimal(avg) == D("4.7")
    assert rules.one_decimal(D("4.25")) == D("4.3")  # half-up, not banker's
    assert rules.one_decimal(D("4.35")) == D("4.4")
    assert rules.average([]) is None


def test_total_uses_unrounded_averages_and_weights():
    third = rules.average([D(4), D(4), D(5)])  # 4.333…
    averages = {"影響性": third, "法令準拠": third, "容易性": third}
    assert rules.one_decimal(rules.total(averages, CRITERIA)) == D("13.0")  # not 4.3 × 3 = 12.9
    weighted = [{"name": "影響性", "weight": 2}, {"name": "法令準拠", "weight": 1}, {"name": "容易性", "weight": 1}]
    assert rules.total({"影響性": D(5), "法令準拠": D(1), "容易性": D(2)}, weighted) == D(13)
    assert rules.total({"影響性": D(5), "法令準拠": None}, CRITERIA) == D(5)


def test_ties_share_a_rank():
    assert rules.ranks([D(10), D(9), D(9), D(8)]) == [1, 2, 2, 4]
    assert rules.ranks([D(1), D(1)]) == [1, 1]
    assert rules.ranks([]) == []


@pytest.mark.parametrize(("stated", "ok"), [
    ("12.9", False), ("13.0", True), ("13.2", True), ("13.26", False), ("13.25", True), ("13.3", False), ("12.95", True)])
def test_total_consistency_boundaries(stated, ok):
    # 4.8 + 5 + 3.3: unrounded averages give totals in [12.95, 13.25)
    shown = {"影響性": D("4.8"), "法令準拠": D(5), "容易性": D("3.3")}
    assert rules.total_range(shown, CRITERIA) == (D("12.95"), D("13.25"))
    assert rules.total_consistent(D(stated), shown, CRITERIA) is ok


def test_half_open_upper_bound():
    shown = {"影響性": D(3), "法令準拠": D(1), "容易性": D("2.3")}  # [6.15, 6.45)
    assert rules.total_consistent(D("6.4"), shown, CRITERIA)
    assert rules.total_consistent(D("6.2"), shown, CRITERIA)
    assert not rules.total_consistent(D("6.5"), shown, CRITERIA)  # needs ≥ 6.45
    assert not rules.total_consistent(D("6.1"), shown, CRITERIA)  # needs < 6.15


def _seed_rows(rows=ROWS):
    return [rules.StatedRow({"影響性": rules.to_decimal(r[3]), "法令準拠": rules.to_decimal(r[4]),
                             "容易性": rules.to_decimal(r[5])}, rules.to_decimal(r[6]), r[0]) for r in rows]


def test_seed_table_has_exactly_one_disagreement():
    found = rules.check_rows(_seed_rows(), CRITERIA)
    assert found == [rules.Disagreement(8, "total", D("6.5"), D("6.3"))]


def test_stated_rank_that_differs_is_reported():
    rows = [list(r) for r in ROWS]
    rows[0][0], rows[5][0] = 1, 2  # swap the ranks of 12.5 and 13.2
    found = rules.check_rows(_seed_rows(rows), CRITERIA)
    assert rules.Disagreement(0, "rank", 1, 2) in found
    assert rules.Disagreement(5, "rank", 2, 1) in found
    assert len(found) == 3  # and the seed's own 6.5


def test_plan_slots_are_two_halves_per_year():
    assert rules.plan_slots(2018) == [(2018, "first"), (2018, "second"), (2019, "first"), (2019, "second"),
                                      (2020, "first"), (2020, "second")]
