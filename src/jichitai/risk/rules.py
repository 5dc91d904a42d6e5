"""Pure risk scoring of the seed's 「軽自動車税 リスク分析表」 (DOMAIN.md §4–5). No Django imports.

- 資産価値 from 機密性/完全性/可用性 (1–3 each): the seed's rows give C3 I2 A2 → 4 and C3 I2 A1 → 3, i.e.
  C+I+A−3. Inferred from two rows, so the method is an association setting (sum_minus_3 default, max, sum).
- 総合評価 = 資産価値 × 脆弱性評価 × 脅威評価 (seed row 1-2: 4×2×2 = 16).
- 残存評価 = 資産価値 × (脆弱性 − Σ reductions) × (脅威 − Σ reductions), each reduced factor floored at 1,
  the scale's lowest class (seed row 1-2: △0.5 + △0.5 → 4×1×2 = 8).
- Countermeasure categories follow the guideline's 別添 C 組織的 · D 人的 · E 物理的 · F 技術的.
"""

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from jichitai.core.numbers import normalise_number, plain_number  # noqa: F401 - scores are shown this way

ASSET_VALUE_METHODS: tuple[tuple[str, str], ...] = (
    ("sum_minus_3", "機密性+完全性+可用性−3"),
    ("max", "最大値"),
    ("sum", "合計"),
)
DEFAULT_ASSET_VALUE_METHOD = "sum_minus_3"
RATING_MIN, RATING_MAX = 1, 3
DEFAULT_ACCEPTANCE_LEVEL = 12  # residual ≥ 12 needs attention (issue 3 default)

FACTORS: tuple[tuple[str, str], ...] = (("vulnerability", "脆弱性"), ("threat", "脅威"))
CATEGORIES: tuple[tuple[str, str], ...] = (
    ("organisational", "組織的"),
    ("human", "人的"),
    ("physical", "物理的"),
    ("technical", "技術的"),
)

# The seed's scales (3 高 / 2 中 / 1 低), shipped as data (data/risk_scales.json); associations may replace them.
_SCALES_FILE = Path(__file__).resolve().parent.parent / "data" / "risk_scales.json"
DEFAULT_SCALES = {key: value for key, value in json.loads(_SCALES_FILE.read_text(encoding="utf-8")).items()
                  if key in ("threat", "vulnerability")}


class InvalidRating(ValueError):
    pass


def read_rating(value: object) -> int:
    """A 1–3 rating from a cell: 3, 3.0, '3', '３'. Anything else raises InvalidRating."""
    if isinstance(value, bool):
        raise InvalidRating(str(value))
    if isinstance(value, int | float):
        number = float(value)
    else:
        text = unicodedata.normalize("NFKC", "" if value is None else str(value)).strip()
        try:
            number = float(text)
        except ValueError:
            raise InvalidRating(text) from None
    if not number.is_integer() or not RATING_MIN <= number <= RATING_MAX:
        raise InvalidRating(str(value))
    return int(number)


def asset_value(confidentiality: int, integrity: int, availability: int,
                method: str = DEFAULT_ASSET_VALUE_METHOD) -> int:
    ratings = (confidentiality, integrity, availability)
    if method == "sum_minus_3":
        return sum(ratings) - 3
    if method == "max":
        return max(ratings)
    if method == "sum":
        return sum(ratings)
    raise ValueError(f"unknown asset value method: {method}")


def total_score(value: int, vulnerability: int, threat: int) -> int:
    return value * vulnerability * threat


def reduced_factor(rating: int, reductions: Iterable[Decimal]) -> Decimal:
    """A rating less the reductions, never below the scale's lowest class (1)."""
    total = sum((Decimal(str(r)) for r in reductions), Decimal(0))
    return max(Decimal(RATING_MIN), Decimal(rating) - total)


def residual_score(value: int, vulnerability: int, threat: int,
                   countermeasures: Iterable[tuple[Decimal, str]]) -> Decimal:
    """`countermeasures` are (reduction, factor) pairs; factor is 'vulnerability' or 'threat'."""
    by_factor: dict[str, list[Decimal]] = {"vulnerability": [], "threat": []}
    for reduction, factor in countermeasures:
        if factor not in by_factor:
            raise ValueError(f"unknown factor: {factor}")
        by_factor[factor].append(Decimal(str(reduction)))
    result = (Decimal(value) * reduced_factor(vulnerability, by_factor["vulnerability"])
              * reduced_factor(threat, by_factor["threat"]))
    return normalise_number(result)


def needs_attention(residual: Decimal, acceptance_level: int = DEFAULT_ACCEPTANCE_LEVEL) -> bool:
    return Decimal(residual) >= acceptance_level


def stated_differs(stated: object, computed: Decimal | int) -> bool:
    """True when a sheet's stated number is not the computed one (blank cells are not compared)."""
    text = unicodedata.normalize("NFKC", "" if stated is None else str(stated)).strip()
    if not text:
        return False
    try:
        value = Decimal(text)
    except InvalidOperation:
        return True
    return value.is_nan() or value != Decimal(computed)


# ---- The 対策 cell: 「・個人スペースを作る。△0.5 ・周りに人がいないか確認する。△0.5」 ----

# A bullet starts a line or follows a space or 「。」; a 「・」 inside a phrase (パソコン・タブレット) is not one.
_BULLETS = re.compile(r"(?:^|(?<=[\s。]))[・•●◦▪■□◆◇]", re.MULTILINE)
# 「…△0.5」, optionally 「…△0.5（脅威）」 when the measure lowers the threat rather than the vulnerability.
_REDUCTION = re.compile(r"[△▲]\s*(\d+(?:\.\d+)?)\s*(?:[(（]\s*(脅威|脆弱性|ぜい弱性)\s*[)）])?\s*$")
# An optional leading 「【技術的】」 names the guideline category (別添 C–F).
_CATEGORY = re.compile(r"^[【\[]\s*(組織的|人的|物理的|技術的)\s*[】\]]\s*")
_CATEGORY_KEYS = {label: key for key, label in CATEGORIES}
_STRAY_MARK = re.compile(r"[△▲]")


@dataclass(frozen=True)
class ParsedCountermeasure:
    text: str
    reduction: Decimal  # 0 when the measure states none
    factor: str = "vulnerability"
    category: str = ""


class InvalidCountermeasure(ValueError):
    pass


def parse_countermeasures(cell: object) -> list[ParsedCountermeasure]:
    """Split a 対策 cell into measures (bullets 「・」 or line breaks), each with its 「△0.5」 reduction."""
    text = unicodedata.normalize("NFKC", "" if cell is None else str(cell))
    parts = [p.strip() for chunk in text.splitlines() for p in _BULLETS.split(chunk)]
    measures = []
    for part in parts:
        if not part:
            continue
        category = ""
        if found := _CATEGORY.match(part):
            category, part = _CATEGORY_KEYS[found.group(1)], part[found.end():]
        match = _REDUCTION.search(part)
        reduction = Decimal(match.group(1)) if match else Decimal(0)
        factor = "threat" if match and match.group(2) == "脅威" else "vulnerability"
        body = part[: match.start()].strip() if match else part
        if _STRAY_MARK.search(body):
            raise InvalidCountermeasure(part)
        if not body:
            if measures and match:  # 「…する。」 then 「△1」 on the next line: it belongs to the previous measure
                previous = measures.pop()
                measures.append(ParsedCountermeasure(previous.text, previous.reduction + reduction,
                                                     previous.factor, previous.category))
                continue
            raise InvalidCountermeasure(part)
        measures.append(ParsedCountermeasure(body, reduction, factor, category))
    return measures


def format_countermeasures(measures: Iterable[tuple]) -> str:
    """The inverse of parse_countermeasures, one bullet per line.

    Items are (text, reduction) or (text, reduction, factor, category); a threat reduction is written
    「△0.5（脅威）」 and a category 「【技術的】」, so that an exported sheet imports back unchanged.
    """
    labels = dict(CATEGORIES)
    lines = []
    for text, reduction, *rest in measures:
        factor = rest[0] if rest else "vulnerability"
        category = rest[1] if len(rest) > 1 else ""
        prefix = f"【{labels[category]}】" if category else ""
        mark = f"△{normalise_number(Decimal(reduction))}" if Decimal(reduction) else ""
        if mark and factor == "threat":
            mark += "（脅威）"
        lines.append(f"・{prefix}{text}{mark}")
    return "\n".join(lines)


# ---- Evidence for the progress matrix (issue 3 §6) ----

def evidence_status(present: int, complete: bool, approved: bool) -> str:
    """〇 when present, complete and approved; △ when something is there; × when nothing is."""
    if present and complete and approved:
        return "done"
    if present:
        return "started"
    return "not_started"


def residual_band(residual: Decimal, acceptance_level: int = DEFAULT_ACCEPTANCE_LEVEL) -> str:
    """Bands for the association's distribution: below half the level, below the level, at or above it."""
    value = Decimal(residual)
    if value >= acceptance_level:
        return "attention"
    if value >= Decimal(acceptance_level) / 2:
        return "watch"
    return "low"
