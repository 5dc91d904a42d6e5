"""The action plan as a server-side SVG Gantt chart: issues down, fiscal-year halves across, no JavaScript."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from jichitai.core.wareki import fiscal_year_label

from . import rules

LABEL_W, SLOT_W, BAR_H, HEAD_H = 240, 120, 22, 44
COLOURS = {"not_started": "#c9d3e0", "in_progress": "#f2b84b", "done": "#5aa469"}
HALF_LABELS = dict(rules.HALVES)


def _text(x, y, text, size=11, anchor="start", weight="normal") -> str:
    return (f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" font-weight="{weight}">'
            f"{escape(text)}</text>")


def render(issues, start_fy: int) -> SafeString:
    """`issues`: objects with .title and .plan_items (items with fiscal_year, half, text, status)."""
    slots = rules.plan_slots(start_fy)
    index = {slot: i for i, slot in enumerate(slots)}
    width = LABEL_W + SLOT_W * len(slots)
    parts, y = [], HEAD_H
    for i, fy in enumerate(range(start_fy, start_fy + rules.PLAN_YEARS)):
        x = LABEL_W + 2 * i * SLOT_W
        parts.append(_text(x + SLOT_W, 16, fiscal_year_label(fy), anchor="middle", weight="bold"))
        for h, (_half, label) in enumerate(rules.HALVES):
            parts.append(_text(x + SLOT_W * h + SLOT_W / 2, 36, label, anchor="middle"))
    for issue in issues:
        items = [item for item in issue.plan_items if (item.fiscal_year, item.half) in index]
        height = max(1, len(items)) * (BAR_H + 4) + 8
        parts.append(f'<line x1="0" y1="{y}" x2="{width}" y2="{y}" stroke="#999"/>')
        parts.append(_text(4, y + 16, issue.title[:22], weight="bold"))
        for n, item in enumerate(items):
            x = LABEL_W + index[(item.fiscal_year, item.half)] * SLOT_W + 2
            top = y + 4 + n * (BAR_H + 4)
            parts.append(f'<rect x="{x}" y="{top}" width="{SLOT_W - 4}" height="{BAR_H}" rx="3" '
                         f'fill="{COLOURS.get(item.status, "#ccc")}"><title>{escape(item.text)}</title></rect>')
            parts.append(_text(x + 4, top + 15, item.text[:10], size=10))
        y += height
    for i in range(len(slots) + 1):
        x = LABEL_W + i * SLOT_W
        parts.append(f'<line x1="{x}" y1="22" x2="{x}" y2="{y}" stroke="#bbb"/>')
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="gantt" width="{width}" height="{y + 4}" '
           f'viewBox="0 0 {width} {y + 4}" role="img">{"".join(parts)}</svg>')
    return mark_safe(svg)  # noqa: S308 — every text above is escaped
