"""Shared test helpers: workbooks built in memory, and a snapshot of the database to compare before/after."""

from django.apps import apps

from jichitai.demo.seed_sheets import workbook_bytes  # noqa: F401 - re-exported for the tests
from jichitai.processes import rules

SEED_HEADER = ["別表1事務"] + [name for _, name in rules.COLUMNS]


def progress_sheet(rows: list[list], date_line: str = "令和8年4月1日現在") -> bytes:
    return workbook_bytes({"進捗状況": [
        ["〇〇市役所 業務フロー等進捗状況"], [], [date_line], ["〇完了 △着手 ×未着手 -不要"], SEED_HEADER, *rows,
    ]})


def db_state() -> dict[str, list]:
    """Every row of every project table, as tuples: equal before and after means nothing was written."""
    state = {}
    for model in apps.get_models():
        if model._meta.app_label in {"orgs", "processes", "audit", "handling", "risk", "training", "measures", "linkage", "checklist", "pia", "planning", "cloud",
                                   "incidents"}:
            state[model._meta.label] = list(model.objects.order_by("pk").values_list())
    return state
