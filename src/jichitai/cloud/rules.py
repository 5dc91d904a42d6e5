"""Joint-cloud alignment (issue 6 scope 5, issue 14): pure, no Django.

For one system category, each member's system m has a contract ending with fiscal year e_m that may be
re-leased for r_m years, so m can join a joint cloud in any fiscal year e_m + 1 … e_m + 1 + r_m. The proposed
start year Y (not before the current fiscal year + lead time) maximises the members that can join in Y (a
member counts once, by its system due first; members already in the joint cloud are not counted); ties go
to the smallest total re-lease Σ(Y − e_m − 1), then to the earliest Y.

Paths (the seed's クラウド計画の基本的な考え方 I・II): 同時参加 (aligned: re-lease up to Y), 後続参加 (follower: the
contract runs past Y, join when it ends), 暫定更新 (interim: the contract and its re-lease end before Y, so the
current system is renewed — システム更新 — for the interim term, then re-leased or renewed again up to the join
year; with early termination allowed the renewed contract is ended at Y), 既加入 (joined: already in a joint
cloud, 継続 throughout; it helps recruit the newcomers while they prepare).

Each fiscal year has two rows, as the seed's クラウドモデルプラン (B県B機関) draws them:
- the system's state: 現行システム, システム更新 (a renewal starts), 再リース, 新クラウド導入 (the join year J),
  本稼動 (after J), 継続 (already joined);
- the 推進作業: 業務整理・標準化整理 (ORGANISE_YEARS years before 仕様作成), 仕様作成 J − 2, 調達 J − 1, 移行 J,
  and 新規候補団体募集支援 in J + 1 for the founding members (the seed's 「本稼動 新規候補団体募集支援」), and in
  the newcomers' preparation years for members already joined.
"""

from dataclasses import dataclass, field

# The system's state (the seed's first row of a member)
CURRENT = "現行システム"
RENEW = "システム更新"
RE_LEASE = "再リース"
NEW_CLOUD = "新クラウド導入"
LIVE = "本稼動"
CONTINUE = "継続"
# The 推進作業 row
ORGANISE = "業務整理・標準化整理"
SPECIFY = "仕様作成"
PROCURE = "調達"
MIGRATE = "移行"
RECRUIT = "新規候補団体募集支援"
STATES = (CURRENT, RENEW, RE_LEASE, NEW_CLOUD, LIVE, CONTINUE)
WORK = (ORGANISE, SPECIFY, PROCURE, MIGRATE, RECRUIT)
PHASES = STATES + WORK

ALIGNED, FOLLOWER, INTERIM, JOINED = "aligned", "follower", "interim", "joined"
PATHS = (ALIGNED, FOLLOWER, INTERIM, JOINED)
PATH_LABEL = {ALIGNED: "同時参加（再リースで調整）", FOLLOWER: "後続参加", INTERIM: "暫定更新の後に参加",
              JOINED: "既加入（継続）"}
DEFAULT_LEAD_TIME = 2
DEFAULT_RE_LEASE_YEARS = 2
DEFAULT_INTERIM_YEARS = 5
ORGANISE_YEARS = 2
JOINED_HOSTING = "municipal_cloud"  # BusinessSystem.Hosting: a system already run in a joint 自治体クラウド

# ---- costs (千円) ----
COST_MAX = 999_999_999
SHARE_EQUAL, SHARE_POPULATION, SHARE_MIXED = "equal", "population", "mixed"
SHARE_RULES = [(SHARE_EQUAL, "均等割"), (SHARE_POPULATION, "人口割"), (SHARE_MIXED, "均等割と人口割の併用")]


@dataclass(frozen=True)
class Member:
    """One system of one member (a member with three systems of the category is three Members)."""

    code: str
    contract_end_fy: int  # the last fiscal year of the current contract
    re_lease_years: int = DEFAULT_RE_LEASE_YEARS
    early_termination: bool = False
    system: str = ""
    joined: bool = False  # already in a joint cloud

    def can_join(self, year: int) -> bool:
        return self.contract_end_fy + 1 <= year <= self.contract_end_fy + 1 + self.re_lease_years


@dataclass(frozen=True)
class Route:
    """How one system gets to the joint cloud: the join year, the path, re-lease years, renewal years."""

    join_fy: int
    path: str
    re_lease_years: int
    renewals: tuple[int, ...] = ()  # first years of interim contracts (システム更新)


@dataclass(frozen=True)
class Assignment:
    code: str
    join_fy: int
    path: str
    re_lease_years: int
    phases: dict[int, tuple[str, str]] = field(default_factory=dict)  # year → (state, 推進作業)
    system: str = ""


@dataclass(frozen=True)
class Alignment:
    start_fy: int
    members: list[Assignment]


def deciding(members: list[Member]) -> list[Member]:
    """Per member, the system due first among those not yet in the joint cloud: it decides when the member moves."""
    chosen: dict[str, Member] = {}
    for m in members:
        if not m.joined and (m.code not in chosen or m.contract_end_fy < chosen[m.code].contract_end_fy):
            chosen[m.code] = m
    return list(chosen.values())


def propose_start(members: list[Member], current_fy: int, lead_time: int = DEFAULT_LEAD_TIME) -> int:
    """The start year Y: most members joinable, then least re-lease, then earliest."""
    members = deciding(members)
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


def route(member: Member, start_fy: int, interim_years: int = DEFAULT_INTERIM_YEARS) -> Route:
    """The path of one system to a start year Y."""
    if member.joined:
        return Route(start_fy, JOINED, 0)
    if member.can_join(start_fy):
        return Route(start_fy, ALIGNED, start_fy - member.contract_end_fy - 1)
    if member.contract_end_fy + 1 > start_fy:
        return Route(member.contract_end_fy + 1, FOLLOWER, 0)
    # The contract and its re-lease end before Y: renew (システム更新) for the interim term, again if that
    # term and its re-lease still end before Y, then re-lease up to Y or join when the term ends.
    renewals, end = [], member.contract_end_fy
    while True:
        renewals.append(end + 1)
        if member.early_termination:
            return Route(start_fy, INTERIM, 0, tuple(renewals))
        end += interim_years
        if end + 1 > start_fy:
            return Route(end + 1, INTERIM, 0, tuple(renewals))
        if start_fy <= end + 1 + member.re_lease_years:
            return Route(start_fy, INTERIM, start_fy - end - 1, tuple(renewals))


def state(year: int, member: Member, r: Route, interim_years: int = DEFAULT_INTERIM_YEARS) -> str:
    """The system's row in one fiscal year."""
    if r.path == JOINED:
        return CONTINUE
    if year > r.join_fy:
        return LIVE
    if year == r.join_fy:
        return NEW_CLOUD
    if year in r.renewals:
        return RENEW
    return CURRENT if _under_contract(year, member, r, interim_years) else RE_LEASE


def _under_contract(year: int, member: Member, r: Route, interim_years: int) -> bool:
    """The current contract, or an interim one (ended early at the join year when early termination is allowed)."""
    if year <= member.contract_end_fy:
        return True
    for first in r.renewals:
        end = r.join_fy - 1 if member.early_termination else first + interim_years - 1
        if first <= year <= end:
            return True
    return False


def work(year: int, r: Route, start_fy: int) -> str:
    """The 推進作業 row in one fiscal year."""
    if r.path == JOINED:
        return RECRUIT if start_fy - 2 - ORGANISE_YEARS <= year < start_fy else ""
    j = r.join_fy
    if year == j:
        return MIGRATE
    if year == j - 1:
        return PROCURE
    if year == j - 2:
        return SPECIFY
    if j - 2 - ORGANISE_YEARS <= year < j - 2:
        return ORGANISE
    if year == j + 1 and r.path == ALIGNED:
        return RECRUIT
    return ""


def phases(member: Member, r: Route, first: int, last: int, start_fy: int,
           interim_years: int = DEFAULT_INTERIM_YEARS) -> dict[int, tuple[str, str]]:
    return {year: (state(year, member, r, interim_years), work(year, r, start_fy))
            for year in range(first, last + 1)}


def align(members: list[Member], current_fy: int, *, lead_time: int = DEFAULT_LEAD_TIME,
          interim_years: int = DEFAULT_INTERIM_YEARS, start_fy: int | None = None) -> Alignment:
    """Every system's path to the proposed (or a given) start year; phases from now to the last join year + 1
    (at least Y + 2), so a follower's move is always on the plan."""
    year = propose_start(members, current_fy, lead_time) if start_fy is None else start_fy
    routes = [(m, route(m, year, interim_years)) for m in members]
    last = max([year + 2] + [r.join_fy + 1 for _m, r in routes])
    return Alignment(year, [Assignment(m.code, r.join_fy, r.path, r.re_lease_years,
                                       phases(m, r, current_fy, last, year, interim_years), m.system)
                            for m, r in routes])


# ---- a saved plan against today's inventory (issue 14: plans stay true) ---------------------------------------

SNAPSHOT_LABELS = {"category": "分類", "contract_end_fy": "契約終了年度", "re_lease_years": "再リース可能年数",
                   "early_termination": "早期解約", "hosting": "稼働環境", "annual_cost": "年間経費（千円）",
                   "initial_cost": "初期経費（千円）", "re_lease_annual_cost": "再リース年間経費（千円）"}


def inventory_changes(saved: list[dict], current: list[dict]) -> list[dict]:
    """What changed in the systems a plan was computed from: added, removed, or a field changed.
    Systems are keyed by (団体コード, システム名); each change is {code, name, kind, field, before, after}."""
    before = {(s["code"], s["name"]): s for s in saved}
    after = {(s["code"], s["name"]): s for s in current}
    changes = []
    for key in sorted(before.keys() | after.keys()):
        old, new = before.get(key), after.get(key)
        if old is None or new is None:
            changes.append({"code": key[0], "name": key[1], "kind": "added" if old is None else "removed",
                            "field": "", "before": None, "after": None})
            continue
        changes.extend({"code": key[0], "name": key[1], "kind": "changed", "field": label,
                        "before": old.get(name), "after": new.get(name)}
                       for name, label in SNAPSHOT_LABELS.items() if old.get(name) != new.get(name))
    return changes


def result_changes(saved: dict, recomputed: dict) -> list[dict]:
    """How a recomputation would change the plan: the start year, and each system's path, join year, re-lease."""
    changes = []
    if saved.get("start_fy") != recomputed.get("start_fy"):
        changes.append({"code": "", "system": "", "field": "開始年度", "before": saved.get("start_fy"),
                        "after": recomputed.get("start_fy")})
    old = {(m["code"], m.get("system", "")): m for m in saved.get("members", [])}
    new = {(m["code"], m.get("system", "")): m for m in recomputed.get("members", [])}
    for key in sorted(old.keys() | new.keys()):
        a, b = old.get(key), new.get(key)
        if a is None or b is None:
            changes.append({"code": key[0], "system": key[1], "field": "計画への掲載",
                            "before": "あり" if a else "なし", "after": "あり" if b else "なし"})
            continue
        for name, label in (("path", "参加の形"), ("join_fy", "新クラウド導入年度"), ("re_lease_years", "再リース年数")):
            if a.get(name) != b.get(name):
                changes.append({"code": key[0], "system": key[1], "field": label,
                                "before": PATH_LABEL.get(a.get(name), a.get(name)) if name == "path" else a.get(name),
                                "after": PATH_LABEL.get(b.get(name), b.get(name)) if name == "path" else b.get(name)})
    return changes


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
