"""Joint-cloud alignment (issue 6, scope 5): pure, no Django.

For one system category, member m's current contract ends with fiscal year e_m and may be re-leased
for r_m years, so m can join a joint cloud in any fiscal year e_m + 1 … e_m + 1 + r_m. The proposed
start year Y (not before the current fiscal year + lead time) maximises the members that can join in
Y; ties go to the smallest total re-lease Σ(Y − e_m − 1), then to the earliest Y.

Phases, one per fiscal year (decided here, the issue fixes only the last three): with J the year the
member joins, 調達 is J − 1, 移行 J, 本稼動 from J + 1; 仕様作成 is J − 2 and 業務整理・標準化整理 the
ORGANISE_YEARS years before it — the seed's B機関 plan puts 業務整理・標準化整理 over several years ahead
of 仕様作成. Earlier years show the contract: 現行システム up to e_m, then 再リース (aligned members)
or 現行システム (an interim renewal is a new contract of the current system). Preparatory work takes
precedence over the contract label in a year where both apply; the re-lease count is reported apart.
"""

from dataclasses import dataclass, field

CURRENT = "現行システム"
RE_LEASE = "再リース"
ORGANISE = "業務整理・標準化整理"
SPECIFY = "仕様作成"
PROCURE = "調達"
MIGRATE = "移行"
LIVE = "本稼動"
PHASES = (CURRENT, RE_LEASE, ORGANISE, SPECIFY, PROCURE, MIGRATE, LIVE)

ALIGNED, FOLLOWER, INTERIM = "aligned", "follower", "interim"
PATH_LABEL = {ALIGNED: "同時参加（再リースで調整）", FOLLOWER: "後続参加", INTERIM: "暫定更新の後に参加"}
DEFAULT_LEAD_TIME = 2
DEFAULT_RE_LEASE_YEARS = 2
DEFAULT_INTERIM_YEARS = 5
ORGANISE_YEARS = 2

# ---- costs (千円) ----
COST_MAX = 999_999_999
SHARE_EQUAL, SHARE_POPULATION, SHARE_MIXED = "equal", "population", "mixed"
SHARE_RULES = [(SHARE_EQUAL, "均等割"), (SHARE_POPULATION, "人口割"), (SHARE_MIXED, "均等割と人口割の併用")]


@dataclass(frozen=True)
class Member:
    code: str
    contract_end_fy: int  # the last fiscal year of the current contract
    re_lease_years: int = DEFAULT_RE_LEASE_YEARS
    early_termination: bool = False

    def can_join(self, year: int) -> bool:
        return self.contract_end_fy + 1 <= year <= self.contract_end_fy + 1 + self.re_lease_years


@dataclass(frozen=True)
class Assignment:
    code: str
    join_fy: int
    path: str
    re_lease_years: int
    phases: dict[int, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Alignment:
    start_fy: int
    members: list[Assignment]


def propose_start(members: list[Member], current_fy: int, lead_time: int = DEFAULT_LEAD_TIME) -> int:
    """The start year Y: most members joinable, then least re-lease, then earliest."""
    earliest = current_fy + lead_time
    if not members:
        return earliest
    last = max(earliest, max(m.contract_end_fy + 1 + m.re_lease_years for m in members))
    # Windows are counted with a difference array: O(members + years), fine for all 1,741 municipalities.
    span = last - earliest + 2
    count, base = [0] * span, [0] * span
    for m in members:
        start = max(m.contract_end_fy + 1, earliest)
        end = m.contract_end_fy + 1 + m.re_lease_years
        if start > end:
            continue
        count[start - earliest] += 1
        count[end - earliest + 1] -= 1
        # Σ(Y − e − 1) = n·Y − Σ(e + 1) over the joinable members.
        base[start - earliest] += m.contract_end_fy + 1
        base[end - earliest + 1] -= m.contract_end_fy + 1
    best, running_n, running_base = None, 0, 0
    for offset in range(span - 1):
        running_n += count[offset]
        running_base += base[offset]
        year = earliest + offset
        key = (-running_n, running_n * year - running_base, year)
        if best is None or key < best:
            best = key
    return best[2]


def join_year(member: Member, start_fy: int, interim_years: int = DEFAULT_INTERIM_YEARS) -> tuple[int, str, int]:
    """(join year, path, re-lease years) of one member for a start year."""
    if member.can_join(start_fy):
        return start_fy, ALIGNED, start_fy - member.contract_end_fy - 1
    if member.contract_end_fy + 1 > start_fy:
        return member.contract_end_fy + 1, FOLLOWER, 0
    if member.early_termination:
        return start_fy, INTERIM, 0
    join = member.contract_end_fy + 1 + interim_years
    # An interim contract that would end before the group starts is renewed again (never join before Y).
    while join < start_fy:
        join += interim_years
    return join, INTERIM, 0


def phase(year: int, join_fy: int, contract_end_fy: int, path: str) -> str:
    if year > join_fy:
        return LIVE
    if year == join_fy:
        return MIGRATE
    if year == join_fy - 1:
        return PROCURE
    if year == join_fy - 2:
        return SPECIFY
    if year >= join_fy - 2 - ORGANISE_YEARS:
        return ORGANISE
    if year <= contract_end_fy or path != ALIGNED:
        return CURRENT
    return RE_LEASE


def phases(join_fy: int, contract_end_fy: int, path: str, first: int, last: int) -> dict[int, str]:
    return {year: phase(year, join_fy, contract_end_fy, path) for year in range(first, last + 1)}


def align(members: list[Member], current_fy: int, *, lead_time: int = DEFAULT_LEAD_TIME,
          interim_years: int = DEFAULT_INTERIM_YEARS, start_fy: int | None = None) -> Alignment:
    """Every member's path to the proposed (or a given) start year, phases from now to Y + 2."""
    year = propose_start(members, current_fy, lead_time) if start_fy is None else start_fy
    result = []
    for m in members:
        join, path, re_lease = join_year(m, year, interim_years)
        result.append(Assignment(m.code, join, path, re_lease,
                                 phases(join, m.contract_end_fy, path, current_fy, year + 2)))
    return Alignment(year, result)


# ---- KPIs of a cloud plan (the seed's クラウドモデルプラン: 指標, 目標, 実績) --------------------------------------

MAX_KPIS = 20
KPI_NAME_MAX = 100
KPI_VALUE_MAX = 100
KPI_KEYS = ("name", "target", "actual")


def kpi_errors(kpis: list[dict]) -> list[str]:
    """What is wrong with a plan's KPIs, in Japanese: each has a name; texts and count are bounded; names differ."""
    errors = []
    if len(kpis) > MAX_KPIS:
        errors.append(f"KPIは{MAX_KPIS}件までです。")
    seen = set()
    for n, kpi in enumerate(kpis, start=1):
        if not isinstance(kpi, dict) or set(kpi) - set(KPI_KEYS):
            errors.append(f"{n}件目: KPIは名称・目標・実績で入力してください。")
            continue
        values = {key: kpi.get(key, "") for key in KPI_KEYS}
        if not all(isinstance(v, str) for v in values.values()):
            errors.append(f"{n}件目: KPIは文字で入力してください。")
            continue
        name = values["name"].strip()
        if not name:
            errors.append(f"{n}件目: KPIの名称を入力してください。")
        elif len(name) > KPI_NAME_MAX:
            errors.append(f"{n}件目: KPIの名称は{KPI_NAME_MAX}文字以内にしてください。")
        elif name in seen:
            errors.append(f"{n}件目: KPI「{name}」が重複しています。")
        seen.add(name)
        for key, label in (("target", "目標"), ("actual", "実績")):
            if len(values[key]) > KPI_VALUE_MAX:
                errors.append(f"{n}件目: {label}は{KPI_VALUE_MAX}文字以内にしてください。")
    return errors


def kpi_text(kpis: list[dict] | None) -> str:
    """KPIs in words, for the change history: 名称（目標 5 / 実績 3）、…"""
    if not kpis:
        return "なし"
    return "、".join(f"{k.get('name', '')}（目標 {k.get('target') or '—'} / 実績 {k.get('actual') or '—'}）"
                    for k in kpis)
