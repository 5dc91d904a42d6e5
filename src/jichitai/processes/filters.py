"""One filter for the matrix page, its export and the API: queryset part first, derived-status part after."""

from django.db.models import Q

from . import rules
from .queries import Matrix

STATUS_ORDER = {code: i for i, code in enumerate(rules.STATUS_CODES)}


def filter_processes(qs, params: dict):
    if params.get("q"):
        qs = qs.filter(Q(name__icontains=params["q"]) | Q(systems__icontains=params["q"])
                       | Q(notes__icontains=params["q"]))
    if params.get("department"):
        qs = qs.filter(department=params["department"])
    basis = params.get("basis")
    if basis == "beppyo":
        qs = qs.filter(beppyo_item__isnull=False)
    elif basis == "ordinance":
        qs = qs.filter(ordinance__isnull=False)
    elif basis == "none":
        qs = qs.filter(beppyo_item__isnull=True, ordinance__isnull=True)
    return qs


def filter_rows(matrix: Matrix, params: dict) -> Matrix:
    rows = matrix.rows
    column, status = params.get("column"), params.get("status")
    if column and status:
        rows = [row for row in rows if row.cells[column] == status]
    elif status:
        rows = [row for row in rows if status in row.cells.values()]
    sort = params.get("sort") or "basis"
    if sort == "name":
        rows = sorted(rows, key=lambda row: row.process.name)
    elif sort in rules.COLUMN_KEYS:
        rows = sorted(rows, key=lambda row: (STATUS_ORDER[row.cells[sort]], row.process.name))
    return Matrix(matrix.municipality, matrix.as_of, rows)
