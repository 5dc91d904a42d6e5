"""The progress matrix as the JSON document of the command contract (also served by the API)."""

from . import rules
from .queries import Matrix


def matrix_json(matrix: Matrix) -> dict:
    return {
        "municipality": matrix.municipality.code,
        "as_of": matrix.as_of.isoformat(),
        "columns": [name for _, name in rules.COLUMNS],
        "rows": [
            {
                "id": row.process.id,
                "process": row.process.name,
                "legal_basis": row.process.legal_basis_label,
                "cells": {rules.COLUMN_NAMES[key]: status for key, status in row.cells.items()},
                # Issue 3 §6: what the evidence supports, and which cells a user's value overrides.
                "evidence": {rules.COLUMN_NAMES[key]: cell.derived for key, cell in row.details.items()
                             if cell.derived is not None},
                "overridden": [rules.COLUMN_NAMES[key] for key, cell in row.details.items() if cell.overridden],
            }
            for row in matrix.rows
        ],
        "totals": {rules.COLUMN_NAMES[key]: counts for key, counts in matrix.totals.items()},
    }
