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
            }
            for row in matrix.rows
        ],
        "totals": {rules.COLUMN_NAMES[key]: counts for key, counts in matrix.totals.items()},
    }
