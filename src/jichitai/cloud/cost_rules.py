"""経費比較 of a joint-cloud plan (issue 14): pure, no Django. Every amount is an integer in 千円.

What the seed says, and what is decided here:

- 割り勘効果. The seed (6.「自治体クラウドのこれから」) describes the 自治体クラウド as grouping what members have in
  common 「地域ごとに共通部分を共同化して業務効率化やコスト削減につなげる」, and names the rising cost of going
  alone among the problems (7.「情報担当職員問題構造分析」: 「ベンダー依存と費用の高騰化」, 「コスト高になると脱退…」).
  The saving is measured here as each member's current annual cost of its systems in the plan against its share
  of the joint cloud's estimate. The seed gives no sharing formula; three usual ones are offered:
  均等割 (equal parts), 人口割 (in proportion to population) and 併用 (equal_percent % in equal parts, the rest
  by population).
- 再リースと早期更新の比較. The seed's 「クラウドモデルプランの例 B県B機関」 bridges the years between the end of
  the current contract and the joint cloud with 再リース (システム更新 → 再リース → 新クラウド導入). The alignment
  (cloud/rules.py) decides how many years each system is re-leased; here their cost,
  years × (再リース年額, else the annual cost), is set against the other way to bridge them, an early (interim)
  renewal: a new contract's initial cost + the same years × the annual cost.

Exactness. Shares are exact fractions (fractions.Fraction) summing to exactly 1. Amounts are split with the
largest-remainder rule (`allocate`): every member first gets the whole 千円 below its exact share; the 千円 left
over go one each to the members with the largest remainders, ties to the smaller 団体コード — so the members'
amounts always add up to the estimate. Percentages shown are split the same way in 0.01 % steps (they add up
to 100.00 %).

Missing data is never a silent 0: a member without population under 人口割, a system without annual cost, an
estimate not entered — each gives None (shown as 要確認) with a Japanese reason.
"""

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction

from .rules import SHARE_EQUAL, SHARE_MIXED, SHARE_POPULATION, SHARE_RULES

REVIEW = "要確認"
NO_SYSTEMS = f"計画の対象システムがありません（{REVIEW}）。"
RULE_LABELS = dict(SHARE_RULES)
BASIS_POINTS = 10_000  # 100.00 %


# ---- sharing -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shares:
    """Each member's exact fraction (empty when they cannot be computed) and why not, in Japanese."""

    fractions: dict[str, Fraction]
    problems: tuple[str, ...] = ()
    missing_population: tuple[str, ...] = ()  # codes of the members the rule needs a population of

    @property
    def ok(self) -> bool:
        return not self.problems


def rule_text(rule: str, equal_percent: int) -> str:
    """The sharing rule in words, for the page and the sheet."""
    if rule == SHARE_EQUAL:
        return "均等割（参加団体で等分）"
    if rule == SHARE_POPULATION:
        return "人口割（人口に比例）"
    if rule == SHARE_MIXED:
        return f"均等割{equal_percent}％・人口割{100 - equal_percent}％の併用"
    return f"{REVIEW}（負担割合の決め方が不明です）"


def _population_known(population) -> bool:
    return isinstance(population, int) and not isinstance(population, bool) and population > 0


def shares(members: list[tuple[str, int | None]], rule: str, equal_percent: int = 50) -> Shares:
    """Fractions of the joint cost per member: 均等割, 人口割, or 併用 (equal_percent % equally, the rest by population).

    `members` are (団体コード, population or None). A population that is missing or not positive makes the
    population part impossible: no fractions, and the members concerned are named (要確認), never counted as 0.
    The population is not needed by 均等割, nor by 併用 at 100 %.
    """
    codes = [code for code, _population in members]
    if len(set(codes)) != len(codes):
        raise ValueError("a member appears twice")
    if rule not in RULE_LABELS:
        return Shares({}, (f"負担割合の決め方が不明です（{REVIEW}）。",))
    if rule == SHARE_MIXED and not (isinstance(equal_percent, int) and 0 <= equal_percent <= 100):
        return Shares({}, (f"均等割の割合は0〜100％で入力してください（{REVIEW}）。",))
    if not members:
        return Shares({})
    equal_part = {SHARE_EQUAL: Fraction(1), SHARE_POPULATION: Fraction(0),
                  SHARE_MIXED: Fraction(equal_percent, 100) if rule == SHARE_MIXED else Fraction(0)}[rule]
    if equal_part == 1:
        return Shares({code: Fraction(1, len(members)) for code in codes})
    missing = tuple(code for code, population in members if not _population_known(population))
    if missing:
        return Shares({}, (f"人口が未登録の団体があるため、人口割を計算できません（{REVIEW}）: {'、'.join(missing)}",),
                      missing)
    total = sum(population for _code, population in members)
    each = equal_part / len(members)
    return Shares({code: each + (1 - equal_part) * Fraction(population, total) for code, population in members})


def allocate(total: int | None, fractions: dict[str, Fraction]) -> dict[str, int] | None:
    """Split an integer total by exact fractions (summing to 1) with the largest-remainder rule.

    Each member gets floor(total × fraction); the units left over go one each to the largest remainders, ties to
    the smaller code. The parts add up to `total` exactly. None when the total is not known; {} without members.
    """
    if total is None:
        return None
    if not fractions:
        return {}
    if sum(fractions.values()) != 1:
        raise ValueError("fractions must add up to 1")
    exact = {code: total * fraction for code, fraction in fractions.items()}
    parts = {code: value.numerator // value.denominator for code, value in exact.items()}
    left = total - sum(parts.values())
    for code in sorted(exact, key=lambda c: (-(exact[c] - parts[c]), c))[:left]:
        parts[code] += 1
    return parts


def percents(fractions: dict[str, Fraction]) -> dict[str, Decimal]:
    """Fractions as percentages with two decimals that add up to 100.00 (the same largest-remainder rule)."""
    points = allocate(BASIS_POINTS, fractions) or {}
    return {code: Decimal(value) / 100 for code, value in points.items()}


# ---- comparison ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SystemCost:
    """One of a member's systems in the plan, as it was when the plan was computed (千円)."""

    name: str
    annual_cost: int | None = None
    initial_cost: int | None = None
    re_lease_annual_cost: int | None = None
    re_lease_years: int = 0  # the years the plan re-leases it (the alignment's re_lease_years)


@dataclass(frozen=True)
class MemberCost:
    code: str
    population: int | None = None
    join_fy: int | None = None  # the fiscal year the member joins the joint cloud
    systems: tuple[SystemCost, ...] = ()


@dataclass(frozen=True)
class Estimate:
    """The secretariat's estimate of the joint cloud and how it is shared."""

    joint_initial_cost: int | None
    joint_annual_cost: int | None
    rule: str = SHARE_EQUAL
    equal_percent: int = 50
    cost_years: int = 5


@dataclass(frozen=True)
class MemberRow:
    """One member's line of the 経費比較. None means 要確認 (see problems), except where noted."""

    code: str
    population: int | None
    share: Fraction | None
    share_percent: Decimal | None
    initial_share: int | None
    annual_share: int | None
    current_annual: int | None
    annual_saving: int | None  # current − annual share (negative: the joint cloud costs more)
    period_saving: int | None  # cost_years × annual saving − initial share
    period_from: int | None  # fiscal years of the period (None when the join year is not known)
    period_to: int | None
    re_lease_years: int  # Σ years the plan re-leases this member's systems; 0: no comparison ("—", not 要確認)
    re_lease_cost: int | None
    renewal_cost: int | None
    re_lease_advantage: int | None  # renewal − re-lease (positive: re-leasing costs less)
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Totals:
    """Sums over the members; None when any member's value is 要確認. The re-lease sums run over the members the
    plan re-leases for (re_lease_years > 0); with none they are None and shown as 「—」."""

    population: int | None
    initial_share: int | None
    annual_share: int | None
    current_annual: int | None
    annual_saving: int | None
    period_saving: int | None
    re_lease_cost: int | None
    renewal_cost: int | None
    re_lease_advantage: int | None
    re_lease_years: int = 0


@dataclass(frozen=True)
class Comparison:
    rule_text: str
    cost_years: int
    rows: list[MemberRow]
    totals: Totals
    problems: tuple[str, ...] = field(default=())  # the plan's own: estimate missing, shares impossible


def _sum(values) -> int | None:
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


def _minus(a: int | None, b: int | None) -> int | None:
    return None if a is None or b is None else a - b


def current_annual(systems: tuple[SystemCost, ...]) -> tuple[int | None, list[str]]:
    """Σ annual cost of the member's systems; None (要確認) when one is missing or the member has none."""
    if not systems:
        return None, [NO_SYSTEMS]
    problems = [f"「{s.name}」の年間経費が未入力です（{REVIEW}）。" for s in systems if s.annual_cost is None]
    return (None if problems else sum(s.annual_cost for s in systems)), problems


def re_lease_versus_renewal(systems: tuple[SystemCost, ...]) -> tuple[int, int | None, int | None, list[str]]:
    """(years, re-lease cost, early-renewal cost, problems) over the systems the plan re-leases.

    再リース: years × (再リース年額, else the annual cost); 早期更新: 初期経費 + the same years × the annual cost.
    """
    leased = [s for s in systems if s.re_lease_years > 0]
    if not leased:
        return 0, None, None, []
    re_lease, renewal, problems = [], [], []
    for s in leased:
        yearly = s.re_lease_annual_cost if s.re_lease_annual_cost is not None else s.annual_cost
        if yearly is None:
            problems.append(f"「{s.name}」の再リース年額も年間経費も未入力です（{REVIEW}）。")
        re_lease.append(None if yearly is None else s.re_lease_years * yearly)
        if s.initial_cost is None:
            problems.append(f"「{s.name}」の初期経費が未入力のため、早期更新と比較できません（{REVIEW}）。")
        renewal.append(None if s.initial_cost is None or s.annual_cost is None
                       else s.initial_cost + s.re_lease_years * s.annual_cost)
    return sum(s.re_lease_years for s in leased), _sum(re_lease), _sum(renewal), problems


def compare(members: list[MemberCost], estimate: Estimate) -> Comparison:
    """Each member's share of the joint cloud against what it pays now, and re-lease against early renewal."""
    if estimate.cost_years < 1:
        raise ValueError("cost_years must be at least 1")
    share_result = shares([(m.code, m.population) for m in members], estimate.rule, estimate.equal_percent)
    problems = list(share_result.problems)
    if estimate.joint_initial_cost is None:
        problems.append(f"共同クラウドの初期経費が未入力です（{REVIEW}）。")
    if estimate.joint_annual_cost is None:
        problems.append(f"共同クラウドの年間経費が未入力です（{REVIEW}）。")
    fractions = share_result.fractions
    initial = allocate(estimate.joint_initial_cost, fractions) if share_result.ok else None
    annual = allocate(estimate.joint_annual_cost, fractions) if share_result.ok else None
    shown = percents(fractions) if share_result.ok else {}
    rows = []
    for m in members:
        current, row_problems = current_annual(m.systems)
        if m.code in share_result.missing_population:
            row_problems.insert(0, f"人口が未登録です（人口割に必要・{REVIEW}）。")
        initial_share = initial.get(m.code) if initial is not None else None
        annual_share = annual.get(m.code) if annual is not None else None
        saving = _minus(current, annual_share)
        period = None if saving is None or initial_share is None else estimate.cost_years * saving - initial_share
        years, re_lease, renewal, lease_problems = re_lease_versus_renewal(m.systems)
        rows.append(MemberRow(
            code=m.code, population=m.population, share=fractions.get(m.code), share_percent=shown.get(m.code),
            initial_share=initial_share, annual_share=annual_share, current_annual=current, annual_saving=saving,
            period_saving=period, period_from=m.join_fy,
            period_to=None if m.join_fy is None else m.join_fy + estimate.cost_years - 1,
            re_lease_years=years, re_lease_cost=re_lease, renewal_cost=renewal,
            re_lease_advantage=_minus(renewal, re_lease), problems=tuple(row_problems + lease_problems)))
    leased = [r for r in rows if r.re_lease_years]

    def lease_sum(values) -> int | None:
        return _sum(values) if leased else None

    populations = [r.population if _population_known(r.population) else None for r in rows]
    totals = Totals(
        population=_sum(populations), initial_share=_sum(r.initial_share for r in rows),
        annual_share=_sum(r.annual_share for r in rows), current_annual=_sum(r.current_annual for r in rows),
        annual_saving=_sum(r.annual_saving for r in rows), period_saving=_sum(r.period_saving for r in rows),
        re_lease_cost=lease_sum(r.re_lease_cost for r in leased),
        renewal_cost=lease_sum(r.renewal_cost for r in leased),
        re_lease_advantage=lease_sum(r.re_lease_advantage for r in leased),
        re_lease_years=sum(r.re_lease_years for r in leased))
    if not members:
        problems.append("参加団体がありません。")
    return Comparison(rule_text(estimate.rule, estimate.equal_percent), estimate.cost_years, rows, totals,
                      tuple(problems))
