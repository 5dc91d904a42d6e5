import datetime as dt

from ninja import Schema
from pydantic import ConfigDict


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
    rows: list[ProgressRowOut]
    totals: dict[str, dict[str, int]]
