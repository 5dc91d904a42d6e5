"""課題分析 arithmetic (seed section 7, DOMAIN.md §11). Pure: plain values in, plain values out.

Averages are kept unrounded; they are rounded (half-up, one decimal) only for display. 総合 is the
weighted sum of the unrounded averages, and 優先順位 ranks by 総合 with ties sharing a rank (1, 2, 2, 4).
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

DEFAULT_CRITERIA = [{"name": "影響性", "weight": 1}, {"name": "法令準拠", "weight": 1}, {"name": "容易性", "weight": 1}]
SCORE_MIN = Decimal(1)
SCORE_MAX = Decimal(5)
TENTH = Decimal("0.1")
HALF_TENTH = Decimal("0.05")


class InvalidScore(ValueError):
    pass


def to_decimal(value: object) -> Decimal:
    """A cell or form value as a Decimal; floats go through their shortest repr (4.3 → 4.3, not 4.2999…)."""
    if isinstance(value, bool) or value is None:
        raise InvalidScore(value)
    text = repr(value) if isinstance(value, float) else str(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise InvalidScore(value) from None
    if not number.is_finite():
        raise InvalidScore(value)
    return number


def read_score(value: object, *, max_decimals: int | None = 1) -> Decimal:
    """A score from 1 to 5 with at most one decimal (participants' scores); raises InvalidScore."""
    number = to_decimal(value)
    if not SCORE_MIN <= number <= SCORE_MAX:
        raise InvalidScore(value)
    if max_decimals is not None and decimals(number) > max_decimals:
        raise InvalidScore(value)
    return number


def decimals(number: Decimal) -> int:
    exponent = number.normalize().as_tuple().exponent
    return max(0, -exponent) if isinstance(exponent, int) else 0


def one_decimal(number: Decimal) -> Decimal:
    return number.quantize(TENTH, rounding=ROUND_HALF_UP)


def average(values) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return sum(values, Decimal(0)) / len(values)


def is_active(criterion: dict) -> bool:
    """A criterion counts until it is retired (its scores stay, shown beside the others)."""
    return not criterion.get("retired_on")


def weights(criteria: list[dict]) -> dict[str, Decimal]:
    """The weight of each criterion that counts: 総合 = Σ weight × average over these only."""
    return {c["name"]: to_decimal(c.get("weight", 1)) for c in criteria if is_active(c)}


# Bounds of the criteria a workshop may have (Score.criterion holds 50 characters).
MAX_CRITERIA = 10
CRITERION_NAME_MAX = 50
WEIGHT_MIN, WEIGHT_MAX = Decimal(0), Decimal(10)
WEIGHT_DECIMALS = 2


def weight_value(weight: Decimal) -> int | str:
    """A weight as stored in the criteria JSON: a whole number as an int, else its exact decimal text."""
    weight = weight.normalize()
    return int(weight) if weight == weight.to_integral_value() else format(weight, "f")


def criteria_errors(criteria: list[dict]) -> list[str]:
    """What is wrong with a workshop's criteria, in Japanese (DOMAIN.md §11: the weights of 総合)."""
    errors = []
    if len(criteria) > MAX_CRITERIA:
        errors.append(f"評価基準は{MAX_CRITERIA}件までです。")
    if not any(is_active(c) for c in criteria):
        errors.append("使用中の評価基準が少なくとも1件必要です。")
    seen = set()
    for n, criterion in enumerate(criteria, start=1):
        name = str(criterion.get("name", "")).strip()
        if not name:
            errors.append(f"{n}行目: 評価基準の名称を入力してください。")
        elif len(name) > CRITERION_NAME_MAX:
            errors.append(f"{n}行目: 評価基準の名称は{CRITERION_NAME_MAX}文字以内にしてください。")
        elif name in seen:
            errors.append(f"{n}行目: 評価基準「{name}」が重複しています。")
        seen.add(name)
        try:
            weight = to_decimal(criterion.get("weight", 1))
        except InvalidScore:
            errors.append(f"{n}行目: 重みは数値で入力してください。")
            continue
        if not WEIGHT_MIN <= weight <= WEIGHT_MAX or decimals(weight) > WEIGHT_DECIMALS:
            errors.append(f"{n}行目: 重みは{WEIGHT_MIN}〜{WEIGHT_MAX}（小数第{WEIGHT_DECIMALS}位まで）で入力してください。")
    return errors


def total(averages: dict[str, Decimal | None], criteria: list[dict]) -> Decimal:
    """Σ weight × unrounded average; a criterion nobody scored counts as nothing."""
    return sum((w * averages[name] for name, w in weights(criteria).items() if averages.get(name) is not None),
               Decimal(0))


def ranks(totals: list[Decimal]) -> list[int]:
    """Competition ranking, highest first: ties share a rank and the next rank skips (1, 2, 2, 4)."""
    return [1 + sum(1 for other in totals if other > mine) for mine in totals]


def _half_unit(shown: Decimal) -> Decimal:
    """Half a unit of the precision a value is shown with (one decimal at least: 5 on a sheet means 5.0)."""
    return Decimal(5) * Decimal(10) ** -(max(1, decimals(shown)) + 1)


def total_range(shown: dict[str, Decimal], criteria: list[dict]) -> tuple[Decimal, Decimal]:
    """[low, high): every total that unrounded averages rounding to the shown ones can give."""
    low = high = Decimal(0)
    for name, w in weights(criteria).items():
        if shown.get(name) is None:
            continue
        half = _half_unit(shown[name])
        low += w * (shown[name] - half)
        high += w * (shown[name] + half)
    return low, high


def total_consistent(stated: Decimal, shown: dict[str, Decimal], criteria: list[dict]) -> bool:
    """True when some unrounded averages that round to the shown ones give a total shown as `stated`."""
    low, high = total_range(shown, criteria)
    half = _half_unit(stated)
    # Totals rounding to `stated` form [stated − half, stated + half); the two half-open ranges must meet.
    return low < stated + half and stated - half < high


@dataclass(frozen=True)
class StatedRow:
    shown: dict[str, Decimal]  # the averages as written on the sheet
    stated_total: Decimal | None
    stated_rank: int | None


@dataclass(frozen=True)
class Disagreement:
    index: int  # the row's position in the list given
    field: str  # "total" or "rank"
    stated: Decimal | int
    computed: Decimal | int | str  # for a total: the computed total, one decimal


def check_rows(rows: list[StatedRow], criteria: list[dict]) -> list[Disagreement]:
    """Every stated 総合 or 優先順位 that the shown averages cannot give.

    The recomputed rank uses the shown averages as the best estimate of the unknown unrounded ones.
    """
    computed_totals = [total(row.shown, criteria) for row in rows]
    computed_ranks = ranks(computed_totals)
    found = []
    for i, row in enumerate(rows):
        if row.stated_total is not None and not total_consistent(row.stated_total, row.shown, criteria):
            found.append(Disagreement(i, "total", row.stated_total, one_decimal(computed_totals[i])))
        if row.stated_rank is not None and row.stated_rank != computed_ranks[i]:
            found.append(Disagreement(i, "rank", row.stated_rank, computed_ranks[i]))
    return found


# ---- 3カ年業務改善アクションプラン (seed section 7: 主要課題 down, 上期/下期 of three fiscal years across) ----------

HALVES = [("first", "上期"), ("second", "下期")]
STATUSES = [("not_started", "未着手"), ("in_progress", "実施中"), ("done", "完了")]
PLAN_YEARS = 3  # the seed's 3カ年: the shortest window, and the page of a long plan
PLAN_YEARS_MAX = 10  # a window longer than this is shown a page of PLAN_YEARS at a time


def plan_slots(start_fy: int, years: int = PLAN_YEARS) -> list[tuple[int, str]]:
    """The plan's columns: (fiscal year, half) for each half of each of the plan's fiscal years."""
    return [(fy, half) for fy in range(start_fy, start_fy + years) for half, _label in HALVES]


def plan_window(years, default_start: int) -> tuple[int, int]:
    """The fiscal years (first, last, both included) that hold every action in force: from the earliest action's
    year to the latest's, and at least the seed's three years from the first. No action: three years from
    `default_start` (the workshop's fiscal year)."""
    years = list(years)
    first = min(years) if years else default_start
    last = max(years) if years else first
    return first, max(last, first + PLAN_YEARS - 1)


def plan_pages(first: int, last: int, max_years: int = PLAN_YEARS_MAX) -> list[tuple[int, int]]:
    """The window as it is shown: whole if it spans at most `max_years` fiscal years, else pages of the seed's
    three years from `first` (the last page runs its full three years, past `last` if need be)."""
    if last - first + 1 <= max_years:
        return [(first, last)]
    return [(start, start + PLAN_YEARS - 1) for start in range(first, last + 1, PLAN_YEARS)]


def plan_page(pages: list[tuple[int, int]], wanted: int | None) -> int:
    """The index of the page holding fiscal year `wanted`; the first page when it is None or before the window,
    the last when it is after."""
    if wanted is None or wanted < pages[0][0]:
        return 0
    return next((n for n, (_first, last) in enumerate(pages) if wanted <= last), len(pages) - 1)
