"""The result of an import: per-sheet counts, errors and warnings, each with its sheet and cell."""

from dataclasses import asdict, dataclass, field

from jichitai.core.mynumber import mask_my_numbers


@dataclass(frozen=True)
class Problem:
    sheet: str
    cell: str
    message: str

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
        # Messages quote cells; a quoted individual number must never reach the user or a log.
        self.errors.append(Problem(sheet, cell, mask_my_numbers(message)))

    def warn(self, sheet: str, cell: str, message: str) -> None:
        self.warnings.append(Problem(sheet, cell, mask_my_numbers(message)))

    def as_json(self) -> dict:
        return {
            "ok": self.ok,
            "dry_run": self.dry_run,
            "sheets": [{k: v for k, v in asdict(s).items() if k != "details" or v} for s in self.sheets],
            "errors": [asdict(p) for p in self.errors],
            "warnings": [asdict(p) for p in self.warnings],
        }
