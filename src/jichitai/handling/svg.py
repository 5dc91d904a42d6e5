"""Server-side SVG of a business flow (業務フロー) drawn in swim lanes.

Pure: standard library only, no Django. The same string is inlined in the page and offered as a download, so
it must stand alone: no JavaScript, no <style> (an inline <style> would leak into the host page), no web fonts
and no external references (municipal networks are offline). Every piece of user text is XML-escaped.

Layout (all numbers in px, integers so the output is stable and diff-friendly):

    +-------------------------------------------------------------+
    | title                                                       |
    +--------+----------------------------------------------------+
    | 住民   |  [1 取得]        ->  ...                           |  one band per lane, LANES order,
    | 窓口   |        \\-> [2 利用]                                |  all six always drawn
    | ...    |                                                    |
    +--------+----------------------------------------------------+

Column i holds the i-th step after sorting by "order"; each step sits in its lane's band, vertically centred,
so an arrow always leaves a box at its lane's centre line and enters the next one at the next lane's centre.
"""

import re
import unicodedata
from dataclasses import dataclass
from itertools import pairwise
from xml.sax.saxutils import escape

from jichitai.handling.rules import LANE_LABEL, LANES, STAGE_LABEL

SVG_NS = "http://www.w3.org/2000/svg"
EMPTY_MESSAGE = "業務フローが未作成です"

# Single quotes inside the attribute value keep it valid without &quot; noise.
FONT_FAMILY = "'Noto Sans CJK JP', 'Hiragino Kaku Gothic ProN', 'Yu Gothic', 'Meiryo', sans-serif"

# ---- geometry --------------------------------------------------------------------------------------------

MARGIN = 16
TITLE_H = 40  # band above the lanes that holds the title
TITLE_FONT = 18
HEADER_W = 88  # left column with the lane labels
LANE_H = 160  # tallest possible box (142) plus breathing room, so every box fits in its band
BODY_PAD = 24  # space between the header column / right edge and the first / last box
BOX_W = 172
BOX_GAP = 40  # horizontal room for the elbow of an arrow
BOX_PAD = 8
EMPTY_BODY_W = 480  # body width when there are no steps, wide enough for the message

BADGE_ROW_H = 20  # row with the step number and the stage badge
BADGE_H = 16
BADGE_FONT = 10

ACTION_FONT = 13
ACTION_LINE_H = 18
ACTION_BUDGET = 24  # half-width units per line: 12 full-width characters at 13px = 156px = BOX_W - 2 * BOX_PAD
ACTION_MAX_LINES = 4

FUNCTION_FONT = 11
FUNCTION_LINE_H = 15
FUNCTION_GAP = 4
FUNCTION_BUDGET = 28  # 14 full-width characters at 11px = 154px
FUNCTION_MAX_LINES = 2

ELLIPSIS = "…"

# ---- colours ---------------------------------------------------------------------------------------------

LANE_FILLS = ("#f5f8fc", "#ffffff")  # alternating band backgrounds
HEADER_FILLS = ("#e3ebf5", "#edf2f8")
GRID = "#c3cedb"
INK = "#1f2a37"
GREY = "#5f6b7a"
BOX_STROKE = "#4f6f8f"
ARROW = "#4f6f8f"

# (fill, stroke/text) per stage, so the five management stages are told apart at a glance.
STAGE_COLOURS = {
    "acquire": ("#e3f0fb", "#1d5fa8"),
    "use": ("#e6f4ea", "#2e7d32"),
    "store": ("#fff3dc", "#9a5b00"),
    "provide": ("#f1e8fb", "#6a3fb5"),
    "dispose": ("#fde8e8", "#b3261e"),
}

ARROW_MARKER_ID = "jichitai-flow-arrow"

# ---- text measuring and wrapping -------------------------------------------------------------------------

# Characters XML 1.0 forbids (stray control codes pasted from Excel would make the whole SVG unparsable).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# 禁則処理 (simple form): these may not begin a line ...
_NO_LINE_START = set("、。，．,.)）]］」』】〕〉》!！?？:：;；ー・ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ")
# ... and these may not end one.
_NO_LINE_END = set("(（[［「『【〔〈《")


def _clean(text: object) -> str:
    return _XML_INVALID.sub("", "" if text is None else str(text))


def char_units(char: str) -> int:
    """Width of one character in half-width units: 2 for full-width, 1 for Latin, 0 for combining marks.

    East Asian "Ambiguous" characters (○, ※, …, ①) count as full width because CJK fonts draw them so.
    """
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F", "A") else 1


def text_units(text: str) -> int:
    return sum(char_units(char) for char in text)


def wrap_text(text: str, budget: int, max_lines: int) -> list[str]:
    """Wrap by width (Japanese has no spaces to break at), keeping explicit line breaks.

    Each line is at most ``budget`` half-width units; beyond ``max_lines`` the last kept line ends with "…".
    """
    lines: list[str] = []
    for paragraph in _clean(text).splitlines():
        lines.extend(_wrap_paragraph(paragraph.strip(), budget))
    lines = [line for line in lines if line]
    if len(lines) <= max_lines:
        return lines
    return [*lines[: max_lines - 1], _with_ellipsis(lines[max_lines - 1], budget)]


def _wrap_paragraph(paragraph: str, budget: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for char in paragraph:
        if current and text_units(current + char) > budget:
            current, carried = _break_line(current, char)
            lines.append(current)
            current = carried
        current += char
    lines.append(current)
    return lines


def _break_line(line: str, next_char: str) -> tuple[str, str]:
    """Move one character down when the break would put 「。」 at a line start or 「「」 at a line end.

    Moving a character down only shortens this line, so the width budget still holds.
    """
    if len(line) > 1 and (next_char in _NO_LINE_START or line[-1] in _NO_LINE_END):
        return line[:-1], line[-1]
    return line, ""


def _with_ellipsis(line: str, budget: int) -> str:
    room = budget - text_units(ELLIPSIS)
    while line and text_units(line) > room:
        line = line[:-1]
    return line + ELLIPSIS


# ---- XML helpers -----------------------------------------------------------------------------------------


def _text(value: str) -> str:
    return escape(_clean(value))


def _attr(value: object) -> str:
    return escape(_clean(value), {'"': "&quot;"})


def _attrs(**attributes: object) -> str:
    """Render keyword arguments as attributes; trailing "_" is dropped and "_" becomes "-" (font_size)."""
    return " ".join(f'{name.rstrip("_").replace("_", "-")}="{_attr(value)}"' for name, value in attributes.items())


# ---- layout ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StepBox:
    order: int
    lane: str
    stage: str | None
    action_lines: list[str]
    function_lines: list[str]
    tooltip: str
    x: int
    y: int
    height: int

    @property
    def right(self) -> int:
        return self.x + BOX_W

    @property
    def middle(self) -> int:
        return self.y + self.height // 2


def _lane_top(index: int) -> int:
    return MARGIN + TITLE_H + index * LANE_H


_LANE_INDEX = {key: index for index, (key, _) in enumerate(LANES)}


def _box_height(action_lines: list[str], function_lines: list[str]) -> int:
    height = BOX_PAD + BADGE_ROW_H + len(action_lines) * ACTION_LINE_H + BOX_PAD
    if function_lines:
        height += FUNCTION_GAP + len(function_lines) * FUNCTION_LINE_H
    return height


def _layout_step(step: dict, column: int) -> StepBox:
    lane = step["lane"]
    if lane not in LANE_LABEL:
        raise ValueError(f"unknown lane: {lane!r}")
    stage = step.get("stage") or None
    if stage is not None and stage not in STAGE_LABEL:
        raise ValueError(f"unknown stage: {stage!r}")
    action = _clean(step.get("action", ""))
    function = _clean(step.get("business_function", ""))
    action_lines = wrap_text(action, ACTION_BUDGET, ACTION_MAX_LINES)
    function_lines = wrap_text(function, FUNCTION_BUDGET, FUNCTION_MAX_LINES)
    height = _box_height(action_lines, function_lines)
    lane_top = _lane_top(_LANE_INDEX[lane])
    return StepBox(
        order=step["order"],
        lane=lane,
        stage=stage,
        action_lines=action_lines,
        function_lines=function_lines,
        # The full, unwrapped text as a hover tooltip, since long actions are cut with "…".
        tooltip="\n".join(part for part in (action, function) if part),
        x=MARGIN + HEADER_W + BODY_PAD + column * (BOX_W + BOX_GAP),
        y=lane_top + (LANE_H - height) // 2,
        height=height,
    )


def _body_width(step_count: int) -> int:
    if not step_count:
        return EMPTY_BODY_W
    return 2 * BODY_PAD + step_count * BOX_W + (step_count - 1) * BOX_GAP


# ---- rendering -------------------------------------------------------------------------------------------


def _render_defs() -> str:
    # userSpaceOnUse keeps the arrowhead the same size whatever the stroke width.
    return (
        f'<defs><marker id="{ARROW_MARKER_ID}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" '
        f'markerHeight="10" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{ARROW}"/></marker></defs>'
    )


def _render_title(title: str) -> str:
    return (
        f'<text class="flow-title" {_attrs(x=MARGIN, y=MARGIN + 22, font_size=TITLE_FONT, font_weight="bold")} '
        f'fill="{INK}">{_text(title)}</text>'
    )


def _render_lanes(width: int) -> str:
    parts = []
    for index, (key, label) in enumerate(LANES):
        top = _lane_top(index)
        band = _attrs(x=MARGIN, y=top, width=width - 2 * MARGIN, height=LANE_H)
        header = _attrs(x=MARGIN, y=top, width=HEADER_W, height=LANE_H)
        label_at = _attrs(x=MARGIN + HEADER_W // 2, y=top + LANE_H // 2 + 5)
        parts.append(
            f'<g class="lane" data-lane="{key}">'
            f'<rect class="lane-band" {band} fill="{LANE_FILLS[index % 2]}" stroke="{GRID}"/>'
            f'<rect class="lane-header" {header} fill="{HEADER_FILLS[index % 2]}" stroke="{GRID}"/>'
            f'<text class="lane-label" {label_at} text-anchor="middle" font-size="13" font-weight="bold" '
            f'fill="{INK}">{_text(label)}</text></g>'
        )
    return "".join(parts)


def _render_lines(css_class: str, lines: list[str], x: int, first_baseline: int, line_h: int, style: str) -> str:
    """One <text> with a <tspan> per line: absolute coordinates, so no renderer-specific dy arithmetic."""
    spans = "".join(
        f'<tspan {_attrs(x=x, y=first_baseline + i * line_h)}>{_text(line)}</tspan>' for i, line in enumerate(lines)
    )
    return f'<text class="{css_class}" {style}>{spans}</text>'


def _render_number(box: StepBox) -> str:
    label = str(box.order)
    width = 10 + 6 * len(label)
    top = box.y + BOX_PAD
    return (
        f'<rect class="step-number-bg" {_attrs(x=box.x + BOX_PAD, y=top, width=width, height=BADGE_H)} rx="8" '
        f'fill="{BOX_STROKE}"/>'
        f'<text class="step-number" {_attrs(x=box.x + BOX_PAD + width // 2, y=top + 12)} text-anchor="middle" '
        f'font-size="{BADGE_FONT}" font-weight="bold" fill="#ffffff">{_text(label)}</text>'
    )


def _render_stage_badge(box: StepBox) -> str:
    if box.stage is None:
        return ""
    label = f"「{STAGE_LABEL[box.stage]}」"
    fill, ink = STAGE_COLOURS[box.stage]
    width = text_units(label) * BADGE_FONT // 2 + 8
    left = box.right - BOX_PAD - width
    top = box.y + BOX_PAD
    return (
        f'<g class="stage-badge" data-stage="{box.stage}">'
        f'<rect {_attrs(x=left, y=top, width=width, height=BADGE_H)} rx="4" fill="{fill}" stroke="{ink}"/>'
        f'<text {_attrs(x=left + width // 2, y=top + 12)} text-anchor="middle" font-size="{BADGE_FONT}" '
        f'fill="{ink}">{_text(label)}</text></g>'
    )


def _render_step(box: StepBox) -> str:
    text_x = box.x + BOX_PAD
    action_top = box.y + BOX_PAD + BADGE_ROW_H
    parts = [
        f'<g class="step" data-order="{_attr(box.order)}" data-lane="{box.lane}">',
        f"<title>{_text(box.tooltip)}</title>" if box.tooltip else "",
        f'<rect class="step-box" {_attrs(x=box.x, y=box.y, width=BOX_W, height=box.height)} rx="8" '
        f'fill="#ffffff" stroke="{BOX_STROKE}" stroke-width="1.5"/>',
        _render_number(box),
        _render_stage_badge(box),
    ]
    if box.action_lines:
        # Baseline sits about one font size below the top of each line slot.
        style = f'font-size="{ACTION_FONT}" fill="{INK}"'
        parts.append(_render_lines("action", box.action_lines, text_x, action_top + 14, ACTION_LINE_H, style))
    if box.function_lines:
        function_top = action_top + len(box.action_lines) * ACTION_LINE_H + FUNCTION_GAP
        style = f'font-size="{FUNCTION_FONT}" fill="{GREY}"'
        parts.append(
            _render_lines("business-function", box.function_lines, text_x, function_top + 12, FUNCTION_LINE_H, style)
        )
    parts.append("</g>")
    return "".join(parts)


def _render_arrow(start: StepBox, end: StepBox) -> str:
    """Right edge of one box to the left edge of the next; an elbow in the gap when the lane changes.

    The vertical leg runs in the empty gap between columns, so it never crosses a box.
    """
    x1, y1, x2, y2 = start.right, start.middle, end.x, end.middle
    if y1 == y2:
        d = f"M{x1},{y1} H{x2}"
    else:
        elbow = (x1 + x2) // 2
        d = f"M{x1},{y1} H{elbow} V{y2} H{x2}"
    return (
        f'<path class="arrow" d="{d}" fill="none" stroke="{ARROW}" stroke-width="1.5" '
        f'marker-end="url(#{ARROW_MARKER_ID})"/>'
    )


def _render_empty_message(body_left: int, body_w: int) -> str:
    centre_x = body_left + body_w // 2
    centre_y = _lane_top(0) + len(LANES) * LANE_H // 2
    # A white plate keeps the message readable across the lane border it sits on.
    plate = _attrs(x=centre_x - 120, y=centre_y - 20, width=240, height=40)
    return (
        f'<rect class="empty-plate" {plate} rx="6" fill="#ffffff" stroke="{GRID}"/>'
        f'<text class="empty-message" {_attrs(x=centre_x, y=centre_y + 5)} text-anchor="middle" font-size="14" '
        f'fill="{GREY}">{_text(EMPTY_MESSAGE)}</text>'
    )


def render_flow_svg(title: str, steps: list[dict]) -> str:
    """The business flow as a standalone SVG string (no XML declaration, so it can be inlined in HTML)."""
    title = _clean(title).strip() or "業務フロー"
    ordered = sorted(steps, key=lambda step: step["order"])  # stable: equal orders keep their given sequence
    boxes = [_layout_step(step, column) for column, step in enumerate(ordered)]

    body_w = _body_width(len(boxes))
    title_w = text_units(title) * TITLE_FONT // 2
    width = max(MARGIN + HEADER_W + body_w + MARGIN, MARGIN + title_w + MARGIN)
    height = _lane_top(len(LANES)) + MARGIN

    parts = [
        f'<svg xmlns="{SVG_NS}" {_attrs(width=width, height=height)} viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{_attr(title)}" font-family="{FONT_FAMILY}">',
        f"<title>{_text(title)}</title>",
        _render_defs(),
        f'<rect class="background" width="{width}" height="{height}" fill="#ffffff"/>',
        _render_title(title),
        _render_lanes(width),
    ]
    if boxes:
        parts.extend(_render_arrow(a, b) for a, b in pairwise(boxes))
        parts.extend(_render_step(box) for box in boxes)
    else:
        parts.append(_render_empty_message(MARGIN + HEADER_W, body_w))
    parts.append("</svg>")
    return "".join(parts)
