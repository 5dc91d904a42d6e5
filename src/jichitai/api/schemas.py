import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from ninja import Schema
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

from jichitai.core.validators import FISCAL_YEAR_MAX, FISCAL_YEAR_MIN
from jichitai.core.wareki import (
    WAREKI,
    DateParseError,
    format_fiscal_year,
    parse_date,
    parse_datetime,
    parse_fiscal_year,
)
from jichitai.handling import rules as handling_rules
from jichitai.risk import rules as risk_rules

# ---- Dates sent to the API: the same parser as the forms and the imports (core.wareki) ----
# R8.12.3, 令和8年12月3日, 2026-12-03 for a date; a date-time with an offset (2026-12-03T14:05:00+09:00) as ISO,
# otherwise as the forms read it (R8.12.3 14:05, naive: the routers take it as Tokyo time). Every date input of
# every schema uses these (tests/api/test_wareki_api.py).


def _api_date(value):
    if not isinstance(value, str):
        return value
    try:
        return parse_date(value)
    except DateParseError as exc:
        try:  # an ISO date outside 1868–2100 is the routers' to refuse (400), as before
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            raise PydanticCustomError("wareki_date", "{reason}", {"reason": str(exc)}) from None


def _api_datetime(value):
    if not isinstance(value, str):
        return value
    try:
        return dt.datetime.fromisoformat(value.strip())
    except ValueError:
        pass
    try:
        return parse_datetime(value)
    except DateParseError as exc:
        raise PydanticCustomError("wareki_datetime", "{reason}", {"reason": str(exc)}) from None


WarekiDate = Annotated[dt.date, BeforeValidator(_api_date)]
WarekiDateTime = Annotated[dt.datetime, BeforeValidator(_api_datetime)]


class MunicipalityOut(Schema):
    code: str
    name: str
    population: int | None
    association: str | None


class ProcessOut(Schema):
    id: int
    name: str
    legal_basis: str | None
    department: str | None
    persons_count: int | None
    handlers_count: int | None
    systems: str
    notes: str
    registered_on: dt.date


class ProgressCellIn(Schema):
    model_config = ConfigDict(extra="forbid")

    column: str
    status: str


class ProgressRowOut(Schema):
    id: int
    process: str
    legal_basis: str | None
    cells: dict[str, str]
    evidence: dict[str, str]
    overridden: list[str]


class ProgressMatrixOut(Schema):
    municipality: str
    as_of: dt.date
    columns: list[str]
    totals: dict[str, dict[str, int]]


# ---- Analysis (issue 3 scope 9): flows, handling rows, risk rows, countermeasures ----
# Enumerations come from the rules' choices; ratings are 1–3. Computed values (資産価値, 総合評価, 残存評価)
# are output only. Text is checked for My Number by the models' validators (full_clean in the services → 400).
# In the patch schemas a field typed `str = None` may be left out but not sent as null.

Lane = Literal[tuple(key for key, _ in handling_rules.LANES)]
Stage = Literal[tuple(handling_rules.STAGE_KEYS)]
Kind = Literal[tuple(key for key, _ in handling_rules.KINDS)]
Factor = Literal[tuple(key for key, _ in risk_rules.FACTORS)]
Category = Literal[("", *(key for key, _ in risk_rules.CATEGORIES))]
Rating = Annotated[int, Field(ge=risk_rules.RATING_MIN, le=risk_rules.RATING_MAX)]
Order = Annotated[int, Field(ge=0)]


class FlowStepIn(Schema):
    model_config = ConfigDict(extra="forbid")

    order: Order
    lane: Lane
    action: str
    business_function: str = ""
    stage: Stage | Literal[""] = ""
    assets: str = ""


class FlowStepPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    order: Order = None
    lane: Lane = None
    action: str = None
    business_function: str = None
    stage: Stage | Literal[""] = None
    assets: str = None


class FlowStepOut(Schema):
    id: int
    order: int
    lane: str
    action: str
    business_function: str
    stage: str
    assets: str


class HandlingRowIn(Schema):
    model_config = ConfigDict(extra="forbid")

    row_id: str
    asset_name: str
    kind: Kind
    stage: Stage
    method: str = ""
    procedure: str = ""
    business_function: str = ""
    responsible: str = ""
    responsible_duty: str = ""
    handler: str = ""
    handler_duty: str = ""
    notes: str = ""
    confidentiality: Rating
    integrity: Rating
    availability: Rating


class HandlingRowPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    row_id: str = None
    asset_name: str = None
    kind: Kind = None
    stage: Stage = None
    method: str = None
    procedure: str = None
    business_function: str = None
    responsible: str = None
    responsible_duty: str = None
    handler: str = None
    handler_duty: str = None
    notes: str = None
    confidentiality: Rating = None
    integrity: Rating = None
    availability: Rating = None


class CountermeasureIn(Schema):
    model_config = ConfigDict(extra="forbid")

    text: Annotated[str, Field(min_length=1)]
    reduction: Annotated[Decimal, Field(ge=0, le=2, decimal_places=2)] = Decimal(0)
    factor: Factor = "vulnerability"
    category: Category = ""


class RiskIn(Schema):
    model_config = ConfigDict(extra="forbid")

    vulnerability: str = ""
    vulnerability_rating: Rating
    threat: str = ""
    threat_rating: Rating
    business_function: str = ""
    residual_risk: str = ""
    countermeasures: list[CountermeasureIn]


# The largest list's items (a page holds up to 1,000 rows, each with its risk and countermeasures) are built as
# dicts by the router: plain pydantic models validate them in Rust, without ninja's per-object attribute getter
# (a third of a full page's time, bench/large_lists.py).


class CountermeasureOut(BaseModel):
    text: str
    reduction: int | float
    factor: str
    category: str


class RiskOut(BaseModel):
    vulnerability: str
    vulnerability_rating: int
    threat: str
    threat_rating: int
    business_function: str
    total: int
    residual: int | float
    residual_risk: str
    countermeasures: list[CountermeasureOut]


class HandlingRowOut(BaseModel):
    id: int
    row_id: str
    asset_name: str
    kind: str
    stage: str
    method: str
    procedure: str
    business_function: str
    responsible: str
    responsible_duty: str
    handler: str
    handler_duty: str
    notes: str
    confidentiality: int
    integrity: int
    availability: int
    asset_value: int
    risk: RiskOut | None


class ApproveIn(Schema):
    model_config = ConfigDict(extra="forbid")

    officer_id: int | None = None
    note: Annotated[str, Field(max_length=300)] = ""


class ApproveOut(Schema):
    status: str


# ---- Fiscal years sent to the API: 2026, "R8", "令和8年度", "H32" (core.wareki.parse_fiscal_year), 1989–2100 ----


def _api_fiscal_year(value):
    if isinstance(value, bool):
        raise ValueError(f"年度は{FISCAL_YEAR_MIN}から{FISCAL_YEAR_MAX}までの整数か和暦（例: 2026、R8、令和8年度）で入力してください。")
    if isinstance(value, str):
        try:
            value = parse_fiscal_year(value)
        except DateParseError as exc:
            raise ValueError(str(exc)) from None
    if not isinstance(value, int) or not FISCAL_YEAR_MIN <= value <= FISCAL_YEAR_MAX:
        raise ValueError(f"年度は{FISCAL_YEAR_MIN}年度から{FISCAL_YEAR_MAX}年度までで入力してください（例: 2026、R8、令和8年度）。")
    return value


_FISCAL_YEAR_SCHEMA = {"anyOf": [{"type": "integer", "minimum": FISCAL_YEAR_MIN, "maximum": FISCAL_YEAR_MAX},
                                  {"type": "string"}], "description": "年度: 2026、R8、令和8年度、H32 のいずれか"}
FiscalYear = Annotated[int, BeforeValidator(_api_fiscal_year), WithJsonSchema(_FISCAL_YEAR_SCHEMA)]
# Where a fiscal year may be left empty: null (or leaving the field out) clears it.
OptionalFiscalYear = Annotated[int | None, BeforeValidator(lambda v: None if v is None else _api_fiscal_year(v)),
                               WithJsonSchema({"anyOf": [*_FISCAL_YEAR_SCHEMA["anyOf"], {"type": "null"}],
                                               "description": _FISCAL_YEAR_SCHEMA["description"]})]


def wareki_fiscal_year(year: int | None) -> str | None:
    """The 和暦 label of a stored fiscal year (令和8年度), whatever the viewer's date style."""
    return None if year is None else format_fiscal_year(year, WAREKI)
