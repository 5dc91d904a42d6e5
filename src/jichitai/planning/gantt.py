"""The action plan as a server-side SVG Gantt chart: issues down, fiscal-year halves across, no JavaScript.

The chart shows the fiscal years it is given (planning.rules.plan_window / plan_pages pick them), so no action in
force falls off it. Like the seed's sheet, an issue takes as many rows as its busiest half has actions: the n-th
action of every half shares the issue's n-th row.
"""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jichitai.core.wareki import fiscal_year_label

from . import rules

LABEL_W, SLOT_W, BAR_H, HEAD_H = 240, 120, 22, 44
COLOURS = {"not_started": "#c9d3e0", "in_progress": "#f2b84b", "done": "#5aa469"}


def _text(x, y, text, size=11, anchor="start", weight="normal", css="") -> str:
    css = f' class="{css}"' if css else ""
    return (f'<text x="{x}" y="{y}"{css} font-size="{size}" text-anchor="{anchor}" font-weight="{weight}">'
            f"{escape(text)}</text>")


def render(issues, first_fy: int, last_fy: int) -> SafeString:
    """`issues`: objects with .title and .plan_items (items with fiscal_year, half, text, status); the chart
    runs from fiscal year `first_fy` to `last_fy`, both included (items outside them are on other pages)."""
    years = last_fy - first_fy + 1
    slots = rules.plan_slots(first_fy, years)
    index = {slot: i for i, slot in enumerate(slots)}
    width = LABEL_W + SLOT_W * len(slots)
    parts, y = [], HEAD_H
    for i in range(years):
        x = LABEL_W + 2 * i * SLOT_W
        parts.append(_text(x + SLOT_W, 16, fiscal_year_label(first_fy + i), anchor="middle", weight="bold", css="fy"))
        for h, (_half, label) in enumerate(rules.HALVES):
            parts.append(_text(x + SLOT_W * h + SLOT_W // 2, 36, label, anchor="middle", css="half"))
    for issue in issues:
        rows: dict[int, int] = {}  # slot index → actions placed in it so far
        bars = []
        for item in issue.plan_items:
            slot = index.get((item.fiscal_year, item.half))
            if slot is None:
                continue
            n = rows[slot] = rows.get(slot, -1) + 1
            x, top = LABEL_W + slot * SLOT_W + 2, y + 4 + n * (BAR_H + 4)
            bars.append(f'<rect class="plan-bar" x="{x}" y="{top}" width="{SLOT_W - 4}" height="{BAR_H}" rx="3" '
                        f'fill="{COLOURS.get(item.status, "#ccc")}"><title>{escape(item.text)}</title></rect>')
            bars.append(_text(x + 4, top + 15, item.text[:10], size=10))
        height = (max(rows.values(), default=0) + 1) * (BAR_H + 4) + 8
        parts.append(f'<line x1="0" y1="{y}" x2="{width}" y2="{y}" stroke="#999"/>')
        parts.append(_text(4, y + 16, issue.title[:22], weight="bold"))
        parts.extend(bars)
        y += height
    for i in range(len(slots) + 1):
        x = LABEL_W + i * SLOT_W
        parts.append(f'<line x1="{x}" y1="22" x2="{x}" y2="{y}" stroke="#bbb"/>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" width="{width}" height="{y + 4}" '
           f'viewBox="0 0 {width} {y + 4}" role="img">{"".join(parts)}</svg>')
    return mark_safe(svg)  # noqa: S308 — every text above is escaped
