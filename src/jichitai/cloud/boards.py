"""Arranging already-fetched rows for the Gantt and the standardisation dashboard (no queries); the procurement
timeline is cloud.procurement's."""

from jichitai.core.wareki import fiscal_year_label

from . import rules

PHASE_CLASS = {rules.CURRENT: "current", rules.RE_LEASE: "re-lease", rules.ORGANISE: "organise",
               rules.SPECIFY: "specify", rules.PROCURE: "procure", rules.MIGRATE: "migrate", rules.LIVE: "live"}


def gantt(result: dict, names: dict[str, str]) -> dict:
    """A table: fiscal-year columns, one row per member with the phase and its CSS class per year."""
    years = sorted({int(y) for m in result.get("members", []) for y in m["phases"]})
    rows = []
    for member in result.get("members", []):
        phases = {int(y): label for y, label in member["phases"].items()}
        rows.append({"code": member["code"], "name": names.get(member["code"], member["code"]),
                     "path": member["path"], "join_fy": member["join_fy"], "re_lease_years": member["re_lease_years"],
                     "join_label": fiscal_year_label(member["join_fy"]),
                     "cells": [{"phase": phases.get(y, ""), "css": PHASE_CLASS.get(phases.get(y), "")} for y in years]})
    return {"years": [{"year": y, "label": fiscal_year_label(y)} for y in years], "rows": rows,
            "start_label": fiscal_year_label(result["start_fy"]) if result.get("start_fy") else ""}


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
