"""Unit tests of the pure joint-cloud alignment (issue 6, scope 5). No database."""

from jichitai.cloud.rules import (
    ALIGNED,
    CONTINUE,
    CURRENT,
    FOLLOWER,
    INTERIM,
    JOINED,
    LIVE,
    MIGRATE,
    NEW_CLOUD,
    ORGANISE,
    PHASES,
    PROCURE,
    RE_LEASE,
    RECRUIT,
    RENEW,
    SPECIFY,
    STATES,
    WORK,
    Member,
    Route,
    align,
    deciding,
    inventory_changes,
    propose_start,
    result_changes,
    route,
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
    r = route(Member("A", 2020, 0), 2031, interim_years=5)
    assert (r.join_fy, r.path, r.re_lease_years) == (2031, INTERIM, 0)
    r = route(Member("A", 2020, 0), 2032, interim_years=5)
    assert (r.join_fy, r.path, r.re_lease_years) == (2036, INTERIM, 0)


def years(assignment, row: int) -> dict:
    return {year: cell[row] for year, cell in assignment.phases.items()}


def test_phases_of_an_aligned_member_with_re_lease():
    # Contract ends 2026, start 2033: re-lease 2027–2032 as the state; the preparation as 推進作業.
    a = by_code(align([Member("A", 2026, 6)], NOW, start_fy=2033))["A"]
    assert years(a, 0) == {2026: CURRENT, **{y: RE_LEASE for y in range(2027, 2033)}, 2033: NEW_CLOUD,
                           2034: LIVE, 2035: LIVE}
    assert years(a, 1) == {2026: "", 2027: "", 2028: "", 2029: ORGANISE, 2030: ORGANISE, 2031: SPECIFY,
                           2032: PROCURE, 2033: MIGRATE, 2034: RECRUIT, 2035: ""}


def test_phases_from_now_to_start_plus_two():
    alignment = align([Member("A", 2027)], NOW)
    assert alignment.start_fy == 2028
    assert alignment.members[0].phases == {2026: (CURRENT, SPECIFY), 2027: (CURRENT, PROCURE),
                                           2028: (NEW_CLOUD, MIGRATE), 2029: (LIVE, RECRUIT), 2030: (LIVE, "")}


def test_the_plan_runs_to_the_last_follower_joining():
    alignment = align([Member("A", 2027), Member("F", 2040, 0)], NOW)
    assert alignment.start_fy == 2028 and max(alignment.members[1].phases) == 2042
    assert alignment.members[1].phases[2041] == (NEW_CLOUD, MIGRATE)


def test_interim_renewal_shows_system_update_then_re_lease():
    # The seed's B機関: システム更新, 再リース, 新クラウド導入. Ended 2024 (window closed 2026): renewed 2025 for
    # 3 years (to 2027), then re-leased 2028 up to the start 2029.
    r = route(Member("A", 2024, 1), 2029, interim_years=3)
    assert r == Route(2029, INTERIM, 1, (2025,))
    a = by_code(align([Member("A", 2024, 1)], 2025, start_fy=2029, interim_years=3))["A"]
    assert years(a, 0) == {2025: RENEW, 2026: CURRENT, 2027: CURRENT, 2028: RE_LEASE, 2029: NEW_CLOUD,
                           2030: LIVE, 2031: LIVE}


def test_interim_with_early_termination_ends_the_renewed_contract_at_the_join_year():
    a = by_code(align([Member("A", 2025, 0, early_termination=True)], NOW, start_fy=2029))["A"]
    assert (a.path, a.join_fy) == (INTERIM, 2029)
    assert years(a, 0) == {2026: RENEW, 2027: CURRENT, 2028: CURRENT, 2029: NEW_CLOUD, 2030: LIVE, 2031: LIVE}


def test_joined_member_continues_and_recruits_while_the_newcomers_prepare():
    alignment = align([Member("J", 2027, joined=True), Member("A", 2029), Member("B", 2029)], NOW)
    # J is not counted for the start year: A and B decide it (2030).
    assert alignment.start_fy == 2030
    j = by_code(alignment)["J"]
    assert (j.path, j.re_lease_years) == (JOINED, 0)
    assert set(years(j, 0).values()) == {CONTINUE}
    assert years(j, 1) == {2026: RECRUIT, 2027: RECRUIT, 2028: RECRUIT, 2029: RECRUIT, 2030: "", 2031: "", 2032: ""}


def test_a_member_counts_once_by_its_system_due_first():
    # M has three systems; only its first (2028) counts, so B's and C's 2033 window does not outvote… and M's
    # other systems get their own paths to the same start year.
    members = [Member("M", 2028, 2, system="住民記録"), Member("M", 2032, 0, system="印鑑"),
               Member("M", 2034, 0, system="住登外"), Member("B", 2032, 0), Member("C", 2032, 0)]
    assert deciding(members) == [members[0], members[3], members[4]]
    alignment = align(members, NOW)
    assert alignment.start_fy == 2033  # B and C (2), M's first system could wait only to 2031
    paths = {(a.code, a.system): (a.path, a.join_fy) for a in alignment.members}
    assert paths[("M", "印鑑")] == (ALIGNED, 2033) and paths[("M", "住登外")] == (FOLLOWER, 2035)
    assert paths[("M", "住民記録")][0] == INTERIM


def test_every_phase_belongs_to_one_row():
    assert set(STATES) & set(WORK) == set() and set(PHASES) == set(STATES) | set(WORK) and len(PHASES) == 11


def test_inventory_changes_name_each_field_and_system():
    saved = [{"code": "1", "name": "住記", "contract_end_fy": 2028, "annual_cost": 100},
             {"code": "2", "name": "住記", "contract_end_fy": 2030}]
    current = [{"code": "1", "name": "住記", "contract_end_fy": 2029, "annual_cost": 100},
               {"code": "3", "name": "住記", "contract_end_fy": 2030}]
    assert inventory_changes(saved, saved) == []
    assert inventory_changes(saved, current) == [
        {"code": "1", "name": "住記", "kind": "changed", "field": "契約終了年度", "before": 2028, "after": 2029},
        {"code": "2", "name": "住記", "kind": "removed", "field": "", "before": None, "after": None},
        {"code": "3", "name": "住記", "kind": "added", "field": "", "before": None, "after": None}]


def test_result_changes_name_the_start_and_each_system():
    old = {"start_fy": 2029, "members": [{"code": "1", "system": "住記", "path": ALIGNED, "join_fy": 2029,
                                          "re_lease_years": 1}]}
    new = {"start_fy": 2030, "members": [{"code": "1", "system": "住記", "path": FOLLOWER, "join_fy": 2030,
                                          "re_lease_years": 0}]}
    assert result_changes(old, old) == []
    assert [(c["field"], c["before"], c["after"]) for c in result_changes(old, new)] == [
        ("開始年度", 2029, 2030), ("参加の形", "同時参加（再リースで調整）", "後続参加"), ("新クラウド導入年度", 2029, 2030),
        ("再リース年数", 1, 0)]


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

    assert set(PATH_LABEL) == {ALIGNED, FOLLOWER, INTERIM, JOINED} and PATH_LABEL[FOLLOWER] == "後続参加"
    assert PATH_LABEL[JOINED] == "既加入（継続）"
