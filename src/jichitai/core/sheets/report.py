"""The result of an import: per-sheet counts, errors and warnings, each with its sheet and cell.

Nothing in a report ever holds an individual number: sheet names (a sheet, or a JSON file's name, may be named
with one), cell references and messages (which quote cells) are masked when they are recorded.
"""

from dataclasses import asdict, dataclass, field

from jichitai.core.mynumber import mask_my_numbers


def _masked(value: object) -> object:
    """Strings masked at any depth of a JSON-like value (a kind's details)."""
    if isinstance(value, str):
        return mask_my_numbers(value)
    if isinstance(value, dict):
        return {_masked(key): _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    return value


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str
    message: str

    def __post_init__(self):
        for name in ("sheet", "cell", "message"):
            object.__setattr__(self, name, _masked(getattr(self, name)))

    def __str__(self) -> str:
        where = f"{self.sheet}!{self.cell}" if self.cell else self.sheet
        return f"{where}: {self.message}"


@dataclass
class SheetResult:
    sheet: str
    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    details: dict = field(default_factory=dict)  # what a kind adds (a framework's retired items, …)

    def __post_init__(self):
        self.sheet = _masked(self.sheet)


@dataclass
class ImportReport:
    sheets: list[SheetResult] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, sheet: str, cell: str, message: str) -> None:
        # Messages quote cells; a quoted individual number must never reach the user or a log (Problem masks).
        self.errors.append(Problem(sheet, cell, message))

    def warn(self, sheet: str, cell: str, message: str) -> None:
        self.warnings.append(Problem(sheet, cell, message))

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "sheets": [_masked({k: v for k, v in asdict(s).items() if k != "details" or v}) for s in self.sheets],
            "errors": [asdict(p) for p in self.errors],
            "warnings": [asdict(p) for p in self.warnings],
        }
