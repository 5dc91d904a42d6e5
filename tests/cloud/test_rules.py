"""Unit tests of the pure joint-cloud alignment (issue 6, scope 5). No database."""

from jichitai.cloud.rules import (
    ALIGNED,
    CURRENT,
    FOLLOWER,
    INTERIM,
    LIVE,
    MIGRATE,
    ORGANISE,
    PROCURE,
    RE_LEASE,
    SPECIFY,
    Member,
    align,
    join_year,
    phases,
    propose_start,
)

NOW = 2026


def by_code(alignment):
    return {a.code: a for a in alignment.members}


def test_start_maximises_members_joining():
    # Windows: A 2029–2031, B 2030–2032, C 2031–2033, D 2035–2037 → 2031 is joinable by A, B and C.
    members = [Member("A", 2028), Member("B", 2029), Member("C", 2030), Member("D", 2034)]
    assert propose_start(members, NOW) == 2031


def test_start_never_before_lead_time():
    # Both windows open in 2027, but specification and procurement need two years: 2028 at the earliest.
    members = [Member("A", 2026), Member("B", 2026)]
    assert propose_start(members, NOW) == 2028
    assert propose_start(members, NOW, lead_time=3) == 2029


def test_tie_on_count_goes_to_least_re_lease():
    # Two members either way: 2030 (A re-leases 1, B 0 → 1) and 2033 (C, D both 0 → 0) → 2033.
    members = [Member("A", 2028, 2), Member("B", 2029, 0), Member("C", 2032, 0), Member("D", 2032, 0)]
    assert propose_start(members, NOW) == 2033


def test_tie_on_count_and_re_lease_goes_to_earliest():
    # 2030 (A, B, no re-lease) or 2034 (C, D, no re-lease): equal on both → the earlier year.
    members = [Member("A", 2029, 0), Member("B", 2029, 0), Member("C", 2033, 0), Member("D", 2033, 0)]
    assert propose_start(members, NOW) == 2030


def test_re_lease_tie_break_prefers_earlier_year_within_a_window():
    # Same members joinable in 2030, 2031, 2032; re-lease totals 0, 2, 4 → 2030.
    members = [Member("A", 2029), Member("B", 2029)]
    assert propose_start(members, NOW) == 2030


def test_aligned_path_counts_re_lease_years():
    alignment = align([Member("A", 2028), Member("B", 2030)], NOW)
    assert alignment.start_fy == 2031
    a, b = by_code(alignment)["A"], by_code(alignment)["B"]
    assert (a.join_fy, a.path, a.re_lease_years) == (2031, ALIGNED, 2)
    assert (b.join_fy, b.path, b.re_lease_years) == (2031, ALIGNED, 0)


def test_follower_joins_when_its_contract_ends():
    alignment = align([Member("A", 2028), Member("B", 2028), Member("F", 2036)], NOW)
    assert alignment.start_fy == 2029
    f = by_code(alignment)["F"]
    assert (f.join_fy, f.path, f.re_lease_years) == (2037, FOLLOWER, 0)


def test_interim_renews_for_l_years():
    # A's window (2027–2027) closes before the earliest start 2028.
    alignment = align([Member("A", 2026, 0), Member("B", 2029), Member("C", 2029)], NOW)
    assert alignment.start_fy == 2030
    a = by_code(alignment)["A"]
    assert (a.join_fy, a.path, a.re_lease_years) == (2032, INTERIM, 0)
    three = align([Member("A", 2026, 0), Member("B", 2029), Member("C", 2029)], NOW, interim_years=3)
    assert by_code(three)["A"].join_fy == 2030


def test_interim_with_early_termination_joins_at_start():
    alignment = align([Member("A", 2026, 0, early_termination=True), Member("B", 2029), Member("C", 2029)], NOW)
    a = by_code(alignment)["A"]
    assert (a.join_fy, a.path) == (2030, INTERIM)


def test_interim_contract_renewed_again_when_it_ends_before_start():
    assert join_year(Member("A", 2020, 0), 2031, interim_years=5) == (2031, INTERIM, 0)
    assert join_year(Member("A", 2020, 0), 2032, interim_years=5) == (2036, INTERIM, 0)


def test_phases_of_an_aligned_member_with_re_lease():
    # Contract ends 2026, start 2033: re-lease 2027–2028, then the preparation years.
    got = phases(2033, 2026, ALIGNED, 2026, 2035)
    assert got == {2026: CURRENT, 2027: RE_LEASE, 2028: RE_LEASE, 2029: ORGANISE, 2030: ORGANISE,
                   2031: SPECIFY, 2032: PROCURE, 2033: MIGRATE, 2034: LIVE, 2035: LIVE}


def test_phases_from_now_to_start_plus_two():
    alignment = align([Member("A", 2027)], NOW)
    assert alignment.start_fy == 2028
    assert alignment.members[0].phases == {2026: SPECIFY, 2027: PROCURE, 2028: MIGRATE, 2029: LIVE, 2030: LIVE}


def test_interim_years_after_contract_show_current_system():
    got = phases(2034, 2026, INTERIM, 2026, 2029)
    assert got == {2026: CURRENT, 2027: CURRENT, 2028: CURRENT, 2029: CURRENT}


def test_no_member_joinable_falls_back_to_earliest_start():
    alignment = align([Member("A", 2020, 0)], NOW)
    assert alignment.start_fy == 2028
    assert alignment.members[0].path == INTERIM


def test_given_start_year_is_used():
    alignment = align([Member("A", 2028), Member("B", 2035)], NOW, start_fy=2036)
    assert by_code(alignment)["B"].path == ALIGNED
    assert by_code(alignment)["A"].path == INTERIM


def test_every_path_has_a_japanese_label():
    from jichitai.cloud.rules import ALIGNED, FOLLOWER, INTERIM, PATH_LABEL

    assert set(PATH_LABEL) == {ALIGNED, FOLLOWER, INTERIM} and PATH_LABEL[FOLLOWER] == "後続参加"
