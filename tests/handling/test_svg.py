"""The server-rendered swim-lane SVG of a business flow (pure: no database)."""

import re
import xml.etree.ElementTree as ET

import pytest

from jichitai.handling.rules import LANES
from jichitai.handling.svg import EMPTY_MESSAGE, render_flow_svg

NS = {"s": "http://www.w3.org/2000/svg"}
SVG = "{http://www.w3.org/2000/svg}"
HOSTILE = '<script>&"'


def parse(svg: str) -> ET.Element:
    # Our own output, parsed to check it: no untrusted XML is involved.
    return ET.fromstring(svg)  # noqa: S314


def step(order, lane="staff", action="受付", business_function="", stage=None):
    return {"order": order, "lane": lane, "action": action, "business_function": business_function, "stage": stage}


def step_groups(root):
    return root.findall(".//s:g[@class='step']", NS)


def box_of(group):
    rect = group.find("s:rect[@class='step-box']", NS)
    return {key: int(rect.get(key)) for key in ("x", "y", "width", "height")}


def lines_of(group, css_class="action"):
    text = group.find(f"s:text[@class='{css_class}']", NS)
    return [] if text is None else [tspan.text for tspan in text.findall("s:tspan", NS)]


def units(text):
    """Width in half-width units, measured independently of the module: ASCII is 1, the rest here is 2."""
    return sum(1 if ord(char) < 0x80 else 2 for char in text)


def arrows(root):
    return root.findall(".//s:path[@class='arrow']", NS)


THREE_STEPS = [
    step(1, "resident", "申告書を提出する", stage="acquire"),
    step(2, "counter", "本人確認を行う", "軽自動車税の賦課に関する事務"),
    step(3, "system", "税務システムに入力する", stage="store"),
]


# ---- document --------------------------------------------------------------------------------------------


def test_output_is_a_standalone_accessible_svg():
    svg = render_flow_svg("軽自動車税 業務フロー", THREE_STEPS)
    root = parse(svg)
    assert root.tag == f"{SVG}svg"
    width, height = int(root.get("width")), int(root.get("height"))
    assert root.get("viewBox") == f"0 0 {width} {height}"
    # 3 boxes of 172 with 2 gaps of 40, 24 padding each side, 88 header, 16 margins; 6 lanes of 160 under 56.
    assert (width, height) == (16 + 88 + 24 + 3 * 172 + 2 * 40 + 24 + 16, 56 + 6 * 160 + 16)
    assert root.get("role") == "img"
    assert root.get("aria-label") == "軽自動車税 業務フロー"
    assert root.find("s:title", NS).text == "軽自動車税 業務フロー"
    assert root.get("font-family") == (
        "'Noto Sans CJK JP', 'Hiragino Kaku Gothic ProN', 'Yu Gothic', 'Meiryo', sans-serif"
    )
    assert not svg.startswith("<?xml")  # inlined in HTML as is


def test_no_external_references_scripts_or_styles():
    svg = render_flow_svg("フロー", THREE_STEPS)
    assert svg.count("http://") == 1
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "https://" not in svg
    assert "href" not in svg
    root = parse(svg)
    tags = {element.tag.removeprefix(SVG) for element in root.iter()}
    assert tags.isdisjoint({"script", "image", "style", "foreignObject", "use"})


def test_long_title_widens_the_drawing():
    short = parse(render_flow_svg("短い", [step(1)]))
    long = parse(render_flow_svg("あ" * 40, [step(1)]))
    assert int(short.get("width")) == 16 + 88 + 24 + 172 + 24 + 16
    assert int(long.get("width")) == 16 + 40 * 18 + 16


# ---- lanes -----------------------------------------------------------------------------------------------


def test_all_six_lane_labels_from_top_to_bottom():
    root = parse(render_flow_svg("フロー", [step(1, "chief")]))
    labels = root.findall(".//s:text[@class='lane-label']", NS)
    assert [label.text for label in labels] == ["住民", "窓口", "担当課員", "課長", "システム", "委託先"]
    ys = [int(label.get("y")) for label in labels]
    assert ys == sorted(ys) and len(set(ys)) == 6
    assert [lane.get("data-lane") for lane in root.findall(".//s:g[@class='lane']", NS)] == [k for k, _ in LANES]


def test_lane_bands_alternate_backgrounds_and_do_not_overlap():
    root = parse(render_flow_svg("フロー", []))
    bands = root.findall(".//s:rect[@class='lane-band']", NS)
    assert [band.get("fill") for band in bands] == ["#f5f8fc", "#ffffff"] * 3
    tops = [int(band.get("y")) for band in bands]
    assert tops == [56 + 160 * i for i in range(6)]
    assert {int(band.get("height")) for band in bands} == {160}


@pytest.mark.parametrize("lane", [key for key, _ in LANES])
def test_step_box_lies_within_its_lane_band(lane):
    long_everything = step(1, lane, "あ" * 100, "い" * 100, "dispose")  # tallest possible box
    root = parse(render_flow_svg("フロー", [long_everything]))
    band = root.find(f".//s:g[@data-lane='{lane}'][@class='lane']/s:rect[@class='lane-band']", NS)
    band_top, band_bottom = int(band.get("y")), int(band.get("y")) + int(band.get("height"))
    (group,) = step_groups(root)
    assert group.get("data-lane") == lane
    box = box_of(group)
    assert band_top < box["y"] and box["y"] + box["height"] < band_bottom
    assert box["height"] == 8 + 20 + 4 * 18 + 4 + 2 * 15 + 8


def test_unknown_lane_or_stage_is_refused():
    with pytest.raises(ValueError, match="unknown lane: 'mayor'"):
        render_flow_svg("フロー", [step(1, "mayor")])
    with pytest.raises(ValueError, match="unknown stage: 'keep'"):
        render_flow_svg("フロー", [step(1, stage="keep")])


# ---- steps and arrows ------------------------------------------------------------------------------------


def test_one_group_and_box_per_step_and_one_arrow_between_consecutive_steps():
    root = parse(render_flow_svg("フロー", THREE_STEPS))
    groups = step_groups(root)
    assert [group.get("data-order") for group in groups] == ["1", "2", "3"]
    assert len(root.findall(".//s:rect[@class='step-box']", NS)) == 3
    assert len(arrows(root)) == 2
    marker = root.find("s:defs/s:marker", NS)
    assert marker.get("id") == "jichitai-flow-arrow"
    assert {arrow.get("marker-end") for arrow in arrows(root)} == {"url(#jichitai-flow-arrow)"}


def test_single_step_has_no_arrow():
    root = parse(render_flow_svg("フロー", [step(1)]))
    assert len(step_groups(root)) == 1
    assert arrows(root) == []


def test_steps_given_out_of_order_are_placed_by_order():
    steps = [step(30, action="三"), step(10, action="一"), step(20, action="二")]
    root = parse(render_flow_svg("フロー", steps))
    placed = sorted(step_groups(root), key=lambda group: box_of(group)["x"])
    assert [group.get("data-order") for group in placed] == ["10", "20", "30"]
    assert [lines_of(group) for group in placed] == [["一"], ["二"], ["三"]]
    assert [box_of(group)["x"] for group in placed] == [128, 128 + 212, 128 + 2 * 212]
    assert [group.find("s:text[@class='step-number']", NS).text for group in placed] == ["10", "20", "30"]


def test_arrow_runs_from_right_edge_to_left_edge_with_an_elbow_between_lanes():
    root = parse(render_flow_svg("フロー", [step(1, "resident"), step(2, "system"), step(3, "system")]))
    first, second, third = (box_of(group) for group in step_groups(root))
    down, along = (arrow.get("d") for arrow in arrows(root))
    first_mid, second_mid = first["y"] + first["height"] // 2, second["y"] + second["height"] // 2
    assert first_mid == 56 + 80 and second_mid == 56 + 4 * 160 + 80  # centre lines of 住民 and システム
    elbow = (first["x"] + 172 + second["x"]) // 2
    assert down == f"M{first['x'] + 172},{first_mid} H{elbow} V{second_mid} H{second['x']}"
    assert along == f"M{second['x'] + 172},{second_mid} H{third['x']}"


# ---- text in a step --------------------------------------------------------------------------------------


def test_long_japanese_action_is_wrapped_within_budget_and_cut_with_ellipsis():
    action = "申告書を受け付け本人確認書類を確認し個人番号を記載した申告書を担当課へ回付して台帳に記録する作業を行う"
    root = parse(render_flow_svg("フロー", [step(1, action=action)]))
    lines = lines_of(step_groups(root)[0])
    assert len(lines) == 4
    assert all(units(line) <= 24 for line in lines)
    assert lines[:3] == [action[:12], action[12:24], action[24:36]]
    assert lines[3] == action[36:47] + "…"


def test_action_that_fits_in_four_lines_is_not_cut():
    action = "あ" * 48
    lines = lines_of(step_groups(parse(render_flow_svg("フロー", [step(1, action=action)])))[0])
    assert lines == ["あ" * 12] * 4


def test_latin_text_counts_half_width():
    root = parse(render_flow_svg("フロー", [step(1, action="a" * 30), step(2, action="AB" + "あ" * 11 + "OCR")]))
    latin, mixed = (lines_of(group) for group in step_groups(root))
    assert latin == ["a" * 24, "a" * 6]
    assert mixed == ["AB" + "あ" * 11, "OCR"]
    assert [units(line) for line in latin + mixed] == [24, 6, 24, 3]


def test_line_does_not_start_with_closing_punctuation():
    # Greedy wrapping would put 「。」 alone on the second line; one character moves down with it.
    lines = lines_of(step_groups(parse(render_flow_svg("フロー", [step(1, action="あ" * 12 + "。")])))[0])
    assert lines == ["あ" * 11, "あ。"]


def test_explicit_line_breaks_are_kept_and_blank_lines_dropped():
    lines = lines_of(step_groups(parse(render_flow_svg("フロー", [step(1, action="受付\n\n確認\r\n回付")])))[0])
    assert lines == ["受付", "確認", "回付"]


def test_business_function_is_shown_smaller_and_grey_under_the_action():
    root = parse(render_flow_svg("フロー", THREE_STEPS))
    with_function = step_groups(root)[1]
    assert lines_of(with_function, "business-function") == ["軽自動車税の賦課に関する事務"]
    action = with_function.find("s:text[@class='action']", NS)
    function = with_function.find("s:text[@class='business-function']", NS)
    assert (int(action.get("font-size")), int(function.get("font-size"))) == (13, 11)
    assert function.get("fill") == "#5f6b7a"
    action_y = int(action.find("s:tspan", NS).get("y"))
    assert int(function.find("s:tspan", NS).get("y")) > action_y
    assert step_groups(root)[0].find("s:text[@class='business-function']", NS) is None


def test_stage_badge_only_when_stage_is_set():
    root = parse(render_flow_svg("フロー", THREE_STEPS))
    badges = [group.find("s:g[@class='stage-badge']", NS) for group in step_groups(root)]
    assert badges[1] is None
    assert [badges[0].get("data-stage"), badges[2].get("data-stage")] == ["acquire", "store"]
    assert [badges[0].find("s:text", NS).text, badges[2].find("s:text", NS).text] == ["「取得」", "「保存」"]


def test_every_stage_has_its_label_in_the_badge():
    stages = ["acquire", "use", "store", "provide", "dispose"]
    root = parse(render_flow_svg("フロー", [step(i, stage=stage) for i, stage in enumerate(stages)]))
    texts = [group.find("s:g[@class='stage-badge']/s:text", NS).text for group in step_groups(root)]
    assert texts == ["「取得」", "「利用」", "「保存」", "「提供」", "「削除・廃棄」"]


def test_full_text_is_kept_as_a_tooltip():
    action = "あ" * 60
    (group,) = step_groups(parse(render_flow_svg("フロー", [step(1, action=action, business_function="賦課")])))
    assert group.find("s:title", NS).text == action + "\n賦課"


# ---- escaping --------------------------------------------------------------------------------------------


def test_user_text_is_escaped_and_survives_a_round_trip():
    svg = render_flow_svg(HOSTILE, [step(1, action=HOSTILE, business_function=HOSTILE)])
    assert "<script>" not in svg
    assert "&lt;script&gt;&amp;" in svg
    root = parse(svg)
    assert root.find("s:title", NS).text == HOSTILE
    assert root.get("aria-label") == HOSTILE
    assert root.find("s:text[@class='flow-title']", NS).text == HOSTILE
    (group,) = step_groups(root)
    assert lines_of(group) == [HOSTILE]
    assert lines_of(group, "business-function") == [HOSTILE]
    assert not [element for element in root.iter() if element.tag == f"{SVG}script"]


def test_control_characters_that_xml_forbids_are_dropped():
    root = parse(render_flow_svg("題\x0b名", [step(1, action="受\x00付\x1f")]))
    assert root.find("s:title", NS).text == "題名"
    assert lines_of(step_groups(root)[0]) == ["受付"]


# ---- no steps --------------------------------------------------------------------------------------------


def test_no_steps_still_draws_the_lanes_and_a_centred_message():
    svg = render_flow_svg("軽自動車税", [])
    root = parse(svg)
    message = root.find(".//s:text[@class='empty-message']", NS)
    assert message.text == EMPTY_MESSAGE == "業務フローが未作成です"
    assert message.get("text-anchor") == "middle"
    width = int(root.get("width"))
    assert width == 16 + 88 + 480 + 16
    assert int(message.get("x")) == 16 + 88 + 240
    assert len(root.findall(".//s:text[@class='lane-label']", NS)) == 6
    assert step_groups(root) == [] and arrows(root) == []
    assert re.search(r'viewBox="0 0 600 1032"', svg)
