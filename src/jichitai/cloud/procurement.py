"""The procurement-timing board (「各団体の主なシステム調達時期の整理」) arranged from already-fetched rows.

No queries: the view fetches the members and their systems (cloud.queries) and this module places each system
in the band of its procurement start year (cloud.procurement_rules). The page and the .xlsx draw the same board.
"""

from jichitai.core.wareki import fiscal_year_label, format_fiscal_year

from . import procurement_rules as rules


def entry(system, *, as_of_fy: int, lead_years: int, count: int) -> dict:
    """One system in a cell: its name, 分類, procurement start year (and the contract's last year behind it)."""
    placement = rules.place(system.contract_end_fy, as_of_fy=as_of_fy, lead_years=lead_years, count=count)
    year_text = format_fiscal_year(placement.year)
    return {"system": system, "name": system.name, "category": system.category, "year": placement.year,
            "band": placement.band, "overdue": placement.overdue, "label": fiscal_year_label(placement.year),
            "contract_end_label": fiscal_year_label(system.contract_end_fy),
            # the seed's cell text: 住基ネット（平成30年度）; an overdue one says so
            "text": f"{system.name}（{year_text}・{rules.OVERDUE}）" if placement.overdue
            else f"{system.name}（{year_text}）"}


def board(members, systems, *, as_of_fy: int, lead_years: int) -> dict:
    """Rows per member (in the order given), a cell per band, each cell's systems by year, 分類 and name.

    Bands run from the as-of year and reach the latest procurement year of the systems shown (3 to 4 bands, the
    last open-ended); a system whose procurement should already have started sits in the first band, marked
    overdue. Systems of municipalities not among `members` are left out."""
    systems = list(systems)
    bands = rules.bands(as_of_fy, [rules.procurement_year(s.contract_end_fy, lead_years) for s in systems])
    count = len(bands)
    rows = {m.pk: {"municipality": m, "cells": [[] for _ in bands]} for m in members}
    overdue = 0
    for system in systems:
        row = rows.get(system.municipality_id)
        if row is None:
            continue
        item = entry(system, as_of_fy=as_of_fy, lead_years=lead_years, count=count)
        overdue += item["overdue"]
        row["cells"][item["band"]].append(item)
    for row in rows.values():
        for cell in row["cells"]:
            cell.sort(key=lambda item: (item["year"], item["category"], item["name"]))
    return {"as_of": as_of_fy, "as_of_label": fiscal_year_label(as_of_fy), "lead_years": lead_years,
            "bands": [{"first": b.first, "last": b.last, "label": rules.band_label(b),
                       "span": f"{b.first}〜{b.last}年度" if b.last else f"{b.first}年度〜"} for b in bands],
            "rows": list(rows.values()), "overdue": overdue,
            "systems": sum(len(cell) for row in rows.values() for cell in row["cells"])}
