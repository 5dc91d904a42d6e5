"""Arranging already-fetched rows for the Gantt and the standardisation dashboard (no queries); the procurement
timeline is cloud.procurement's."""

from jichitai.core.wareki import fiscal_year_label

from . import rules
from .models import BusinessSystem

# One CSS class and one fill colour per phase: the screen (app.css .gantt td.<class>) and the .xlsx share them.
PHASE_STYLE = {rules.CURRENT: ("current", "E6E6E6"), rules.RENEW: ("renew", "FDE68A"),
               rules.RE_LEASE: ("re-lease", "FFE7B3"), rules.NEW_CLOUD: ("new-cloud", "FCA5A5"),
               rules.LIVE: ("live", "BBF7D0"), rules.CONTINUE: ("continue", "A7F3D0"),
               rules.ORGANISE: ("organise", "DBEAFE"), rules.SPECIFY: ("specify", "BFDBFE"),
               rules.PROCURE: ("procure", "93C5FD"), rules.MIGRATE: ("migrate", "F9A8D4"),
               rules.RECRUIT: ("recruit", "DDD6FE")}


def _cell(label: str) -> dict:
    return {"phase": label, "css": PHASE_STYLE[label][0] if label in PHASE_STYLE else ""}


def _pair(value) -> tuple[str, str]:
    """A saved year: [state, 推進作業] (a plan saved before the two rows is migrated, cloud 0003)."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return str(value[0] or ""), str(value[1] or "")
    return "", ""


def gantt(result: dict, names: dict[str, str]) -> dict:
    """The cloud model plan as the seed draws it: per member and system a state row and a 推進作業 row,
    fiscal-year columns; the legend lists every phase with its colour."""
    members = result.get("members", [])
    years = sorted({int(y) for m in members for y in m.get("phases", {})})
    rows = []
    for member in members:
        phases = {int(y): _pair(value) for y, value in member.get("phases", {}).items()}
        rows.append({"code": member["code"], "name": names.get(member["code"], member["code"]),
                     "system": member.get("system") or result.get("category", ""),
                     "path": member["path"], "path_label": rules.PATH_LABEL.get(member["path"], member["path"]),
                     "join_fy": member["join_fy"], "re_lease_years": member["re_lease_years"],
                     "join_label": "—" if member["path"] == rules.JOINED else fiscal_year_label(member["join_fy"]),
                     "state": [_cell(phases.get(y, ("", ""))[0]) for y in years],
                     "work": [_cell(phases.get(y, ("", ""))[1]) for y in years]})
    return {"years": [{"year": y, "label": fiscal_year_label(y)} for y in years], "rows": rows,
            "start_label": fiscal_year_label(result["start_fy"]) if result.get("start_fy") else "",
            "legend": [{"phase": label, "css": css} for label, (css, _colour) in PHASE_STYLE.items()]}


YEAR_FIELDS = {"契約終了年度", "新クラウド導入年度", "開始年度"}
HOSTING_LABELS = dict(BusinessSystem.Hosting.choices)


def change_text(field: str, value) -> str:
    """A before/after value of rules.inventory_changes / result_changes in words."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "可" if value else "不可"
    if field in YEAR_FIELDS and isinstance(value, int):
        return fiscal_year_label(value)
    return HOSTING_LABELS.get(value, str(value)) if isinstance(value, str) else f"{value:,}"


def worded(changes: list[dict]) -> list[dict]:
    return [c | {"before_text": change_text(c["field"], c["before"]), "after_text": change_text(c["field"], c["after"])}
            for c in changes]


STATUS_RANK = ("not_started", "in_progress", "special_support", "standard_conforming", "gov_cloud")


def standardisation(areas, members, systems, targets: dict) -> list[dict]:
    """Areas × members: the least advanced status among the member's systems for the area (what still remains)."""
    status: dict[tuple[int, int], object] = {}
    for system in systems:
        key = (system.standard_area_id, system.municipality_id)
        current = status.get(key)
        if current is None or STATUS_RANK.index(system.migration_status) < STATUS_RANK.index(current.migration_status):
            status[key] = system
    rows = []
    for area in areas:
        cells = []
        for member in members:
            system = status.get((area.pk, member.pk))
            cells.append({"system": system, "status": system.migration_status if system else "",
                          "label": system.get_migration_status_display() if system else "",
                          "target": targets.get(system.migration_status) if system else None})
        rows.append({"area": area, "cells": cells})
    return rows
