"""A cloud plan's 経費比較 for its page and its sheet: the saved plan arranged into cost_rules' inputs. No queries.

The systems and their costs come from the plan's inventory snapshot (`plan.inventory`, the systems as they were
when the plan was computed), the years each system is re-leased and the join years from the saved alignment
(`plan.result["members"]`), the populations from the members given. A plan saved before costs were kept has an
empty snapshot: its current costs are 要確認（経費データなし）, never 0.
"""

from dataclasses import dataclass, field, replace

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jichitai.core.wareki import format_fiscal_year

from . import cost_rules
from .cost_rules import NO_SYSTEMS, REVIEW

NO_DATA = f"{REVIEW}（経費データなし）"
NO_DATA_NOTE = (f"{NO_DATA}: この計画は経費を記録する前に保存されたため、現行経費が分かりません。"
                "システム一覧に経費を入力してから計画を作り直してください。")
DASH = "—"
NOT_REGISTERED = "未登録"


def _amount(value) -> int | None:
    """A stored amount (千円) if it is one: a non-negative integer; anything else is unknown."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _year(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 9999 else None


def money(value: int | None) -> str:
    """1,234 (千円); 要確認 when not known."""
    return REVIEW if value is None else f"{value:,}"


@dataclass(frozen=True)
class Cell:
    """An amount as the page shows it: 1,234 or 要確認 (review: True, drawn as a warning)."""

    text: str
    review: bool


def cell(value: int | None) -> Cell:
    return Cell(money(value), value is None)


@dataclass(frozen=True)
class Line:
    """A member's line: its name and the computed row."""

    name: str
    row: cost_rules.MemberRow
    systems: tuple[str, ...] = ()

    @property
    def period_label(self) -> str:
        if self.row.period_from is None:
            return ""
        return f"{format_fiscal_year(self.row.period_from)}〜{format_fiscal_year(self.row.period_to)}"

    @property
    def share_label(self) -> str:
        return REVIEW if self.row.share_percent is None else f"{self.row.share_percent:.2f}％"

    @property
    def population_label(self) -> str:
        """未登録 when unknown: a 要確認 only where a rule needs it (the reason is then in the row's problems)."""
        return NOT_REGISTERED if self.row.population is None or self.row.population <= 0 else f"{self.row.population:,}"

    @property
    def amounts(self) -> list[Cell]:
        """初期負担, 年間負担, 現行年額, 年間削減額, 期間削減額."""
        r = self.row
        return [cell(v) for v in (r.initial_share, r.annual_share, r.current_annual, r.annual_saving, r.period_saving)]

    @property
    def lease_amounts(self) -> list[Cell]:
        """再リース経費, 早期更新経費, 差額."""
        return [cell(v) for v in (self.row.re_lease_cost, self.row.renewal_cost, self.row.re_lease_advantage)]


@dataclass(frozen=True)
class CostTable:
    title: str
    category: str
    rule_text: str
    cost_years: int
    joint_initial_cost: int | None
    joint_annual_cost: int | None
    has_data: bool  # the plan has an inventory snapshot
    lines: list[Line]
    totals: cost_rules.Totals
    problems: tuple[str, ...] = field(default=())

    @property
    def re_leases(self) -> list[Line]:
        return [line for line in self.lines if line.row.re_lease_years]

    @property
    def joint_initial_label(self) -> str:
        return money(self.joint_initial_cost)

    @property
    def joint_annual_label(self) -> str:
        return money(self.joint_annual_cost)

    @property
    def population_total(self) -> str:
        return DASH if self.totals.population is None else f"{self.totals.population:,}"

    @property
    def total_amounts(self) -> list[Cell]:
        t = self.totals
        return [cell(v) for v in (t.initial_share, t.annual_share, t.current_annual, t.annual_saving, t.period_saving)]

    @property
    def total_lease_amounts(self) -> list[Cell]:
        t = self.totals
        return [cell(v) for v in (t.re_lease_cost, t.renewal_cost, t.re_lease_advantage)]


def _re_lease_years(result: dict) -> tuple[dict, dict]:
    """({(code, system name): years}, {code: years}) from the saved alignment; the second for entries that do not
    name their system (plans saved before the result kept one entry per system)."""
    by_system, by_code = {}, {}
    for entry in result.get("members") or []:
        if not isinstance(entry, dict):
            continue
        years = entry.get("re_lease_years")
        years = years if isinstance(years, int) and not isinstance(years, bool) and years > 0 else 0
        if isinstance(entry.get("system"), str):
            by_system[(entry.get("code"), entry["system"])] = years
        else:
            by_code[entry.get("code")] = years
    return by_system, by_code


def _join_years(result: dict) -> dict[str, int]:
    """Each member's first join year over its systems."""
    years: dict[str, int] = {}
    for entry in result.get("members") or []:
        if isinstance(entry, dict) and _year(entry.get("join_fy")) is not None:
            code = entry.get("code")
            years[code] = min(years.get(code, entry["join_fy"]), entry["join_fy"])
    return years


def member_systems(plan) -> dict[str, list[cost_rules.SystemCost]]:
    """The inventory snapshot's systems of the plan's category per member code, with the plan's re-lease years."""
    result = plan.result if isinstance(plan.result, dict) else {}
    by_system, by_code = _re_lease_years(result)
    snapshot = [s for s in (plan.inventory if isinstance(plan.inventory, list) else []) if isinstance(s, dict)]
    systems: dict[str, list[dict]] = {}
    for s in snapshot:
        if "category" in s and plan.category and s["category"] != plan.category:
            continue
        systems.setdefault(s.get("code"), []).append(s)
    arranged = {}
    for code, rows in systems.items():
        # An entry without a system name stands for the member's system due first (how the alignment chose it).
        first = min(rows, key=lambda s: (_year(s.get("contract_end_fy")) or 9999, str(s.get("name", ""))))
        arranged[code] = [cost_rules.SystemCost(
            name=str(s.get("name", "")), annual_cost=_amount(s.get("annual_cost")),
            initial_cost=_amount(s.get("initial_cost")), re_lease_annual_cost=_amount(s.get("re_lease_annual_cost")),
            re_lease_years=by_system.get((code, s.get("name")), by_code.get(code, 0) if s is first else 0))
            for s in rows]
    return arranged


def table(plan, members) -> CostTable:
    """The plan's 経費比較. `members`: the plan's members (objects with code, name and population), e.g.
    `plan.members.all()` as prefetched by queries.plans; read in 団体コード order."""
    members = sorted(members, key=lambda m: m.code)
    has_data = bool(plan.inventory) and isinstance(plan.inventory, list)
    systems = member_systems(plan) if has_data else {}
    joins = _join_years(plan.result if isinstance(plan.result, dict) else {})
    inputs = [cost_rules.MemberCost(code=m.code, population=m.population, join_fy=joins.get(m.code),
                                    systems=tuple(systems.get(m.code, ()))) for m in members]
    years = plan.cost_years if isinstance(plan.cost_years, int) and plan.cost_years >= 1 else 1
    comparison = cost_rules.compare(inputs, cost_rules.Estimate(
        joint_initial_cost=plan.joint_initial_cost, joint_annual_cost=plan.joint_annual_cost, rule=plan.share_rule,
        equal_percent=plan.equal_share_percent, cost_years=years))
    lines = []
    for member, row in zip(members, comparison.rows, strict=True):
        if not has_data:  # not "no system": nothing was recorded
            row = replace(row, problems=tuple(NO_DATA if p == NO_SYSTEMS else p for p in row.problems))
        lines.append(Line(member.name, row, tuple(s.name for s in systems.get(member.code, ()))))
    problems = ((NO_DATA_NOTE,) if not has_data else ()) + comparison.problems
    return CostTable(title=plan.name, category=plan.category, rule_text=comparison.rule_text, cost_years=years,
                     joint_initial_cost=plan.joint_initial_cost, joint_annual_cost=plan.joint_annual_cost,
                     has_data=has_data, lines=lines, totals=comparison.totals, problems=problems)


# ---- the chart ------------------------------------------------------------------------------------------------

LABEL_W, BAR_MAX, BAR_H, GAP, HEAD_H, VALUE_W = 180, 420, 14, 12, 34, 110
CURRENT_COLOUR, SHARE_COLOUR = "#8da4c4", "#2f855a"


def _text(x, y, text, size=11, anchor="start", weight="normal") -> str:
    return (f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}">'
            f"{escape(text)}</text>")


def _bar(x, y, value: int | None, scale: float, colour: str, what: str) -> list[str]:
    if value is None:
        return [_text(x + 2, y + BAR_H - 3, f"{what} {REVIEW}", size=10)]
    width = max(1, round(value * scale)) if value else 0
    return [f'<rect x="{x}" y="{y}" width="{width}" height="{BAR_H}" fill="{colour}">'
            f"<title>{escape(f'{what} {money(value)}千円')}</title></rect>",
            _text(x + width + 4, y + BAR_H - 3, f"{money(value)}千円", size=10)]


def chart(cost_table: CostTable) -> SafeString:
    """現行年額 against 共同クラウドの年間負担, two bars per member, as SVG (no JavaScript); every text escaped."""
    values = [v for line in cost_table.lines for v in (line.row.current_annual, line.row.annual_share)
              if v is not None]
    top = max(values, default=0)
    scale = BAR_MAX / top if top else 0
    width = LABEL_W + BAR_MAX + VALUE_W
    parts = [f'<rect x="{LABEL_W}" y="6" width="12" height="12" fill="{CURRENT_COLOUR}"/>',
             _text(LABEL_W + 16, 16, "現行年額"),
             f'<rect x="{LABEL_W + 110}" y="6" width="12" height="12" fill="{SHARE_COLOUR}"/>',
             _text(LABEL_W + 126, 16, "共同クラウドの年間負担"),
             _text(width - 4, 16, "（千円）", anchor="end")]
    y = HEAD_H
    for line in cost_table.lines:
        parts.append(f'<line x1="0" y1="{y - GAP / 2}" x2="{width}" y2="{y - GAP / 2}" stroke="#ddd"/>')
        parts.append(_text(4, y + BAR_H + 4, line.name[:14], weight="bold"))
        parts += _bar(LABEL_W, y, line.row.current_annual, scale, CURRENT_COLOUR, "現行年額")
        parts += _bar(LABEL_W, y + BAR_H + 2, line.row.annual_share, scale, SHARE_COLOUR, "年間負担")
        y += 2 * BAR_H + 2 + GAP
    if not cost_table.lines:
        parts.append(_text(4, y + 12, "参加団体がありません。"))
        y += 20
    parts.append(f'<line x1="{LABEL_W}" y1="{HEAD_H - 4}" x2="{LABEL_W}" y2="{y}" stroke="#999"/>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="cost-chart" width="{width}" height="{y + 4}" '
           f'viewBox="0 0 {width} {y + 4}" role="img" aria-label="経費比較のグラフ">{"".join(parts)}</svg>')
    return mark_safe(svg)  # noqa: S308 — every text above is escaped
