"""Unit tests of the pure risk scoring rules (DOMAIN.md §4–5). No database."""

from decimal import Decimal

import pytest

from jichitai.risk.rules import (
    DEFAULT_ACCEPTANCE_LEVEL,
    DEFAULT_ASSET_VALUE_METHOD,
    DEFAULT_SCALES,
    InvalidCountermeasure,
    InvalidRating,
    ParsedCountermeasure,
    asset_value,
    evidence_status,
    format_countermeasures,
    needs_attention,
    normalise_number,
    parse_countermeasures,
    read_rating,
    reduced_factor,
    residual_band,
    residual_score,
    stated_differs,
    total_score,
)

D = Decimal

# The seed's 「軽自動車税 情報資産取扱手順表」: ID → (機密性, 完全性, 可用性, 資産価値 as stated).
SEED_CIA = {
    "1-2": (3, 2, 2, 4),
    "1-3": (3, 2, 2, 4),
    "1-4": (3, 2, 2, 4),
    "1-5": (3, 2, 1, 3),
    "1-6": (3, 2, 1, 3),
}

# The seed's 「軽自動車税 リスク分析表」: ID, 資産価値, 脆弱性評価, 脅威評価, 総合評価, 対策 (verbatim), 残存評価.
SEED_RISK_ROWS = [
    ("1-2", "4", "2", "2", "16", "・個人スペースを作る。△0.5 ・周りに人がいないか確認する。△0.5", "8"),
    ("1-3", "4", "2", "2", "16", "・張り紙等によって読み上げないよう注意喚起する事を要領化する。△1", "8"),
    ("1-4", "4", "2", "2", "16",
     "・退席時は、パソコンの画面のフィルタリングをし、申請書は机の中に入れてしまう等、目に付かない所に保管する。△1", "8"),
    ("1-5", "3", "2", "2", "16", "・整理整頓と保存場所の記録と管理。△1", "6"),
    ("1-6", "3", "2", "2", "16", "・書類をすぐに裁断する。 ・ブルーシートを敷くなど、見落しがないようにする。△1", "6"),
]

# The same cells parsed: (text, reduction) per measure.
SEED_PARSED = {
    "1-2": [("個人スペースを作る。", D("0.5")), ("周りに人がいないか確認する。", D("0.5"))],
    "1-3": [("張り紙等によって読み上げないよう注意喚起する事を要領化する。", D("1"))],
    "1-4": [("退席時は、パソコンの画面のフィルタリングをし、申請書は机の中に入れてしまう等、目に付かない所に保管する。",
             D("1"))],
    "1-5": [("整理整頓と保存場所の記録と管理。", D("1"))],
    "1-6": [("書類をすぐに裁断する。", D("0")), ("ブルーシートを敷くなど、見落しがないようにする。", D("1"))],
}


# ---- read_rating ----

@pytest.mark.parametrize(("value", "expected"), [
    (1, 1), (2, 2), (3, 3),
    (3.0, 3), (1.0, 1),
    ("1", 1), ("3", 3), ("3.0", 3),
    ("３", 3), ("１", 1), ("２．０", 2),
    (" 2 ", 2), ("\u30002\u3000", 2), ("2\n", 2),
    (D("2"), 2), (D("3.00"), 3),
])
def test_read_rating_valid(value, expected):
    result = read_rating(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize("value", [
    0, 4, -1, 0.0, 4.0, 3.0001, 0.9999,
    2.5, "2.5", "２．５",
    "0", "4", "", "  ", "a", "高", "1-2",
    None, True, False,
    float("nan"), float("inf"), "nan", "inf",
])
def test_read_rating_invalid_raises(value):
    with pytest.raises(InvalidRating):
        read_rating(value)


def test_invalid_rating_is_a_value_error():
    assert issubclass(InvalidRating, ValueError)
    with pytest.raises(ValueError, match="^a$"):
        read_rating(" a ")


# ---- asset_value ----

def test_default_method_is_sum_minus_3():
    assert DEFAULT_ASSET_VALUE_METHOD == "sum_minus_3"
    assert asset_value(3, 2, 2) == 4


@pytest.mark.parametrize("row_id", sorted(SEED_CIA))
def test_asset_value_reproduces_the_seed(row_id):
    c, i, a, stated = SEED_CIA[row_id]
    assert asset_value(c, i, a) == stated
    assert asset_value(c, i, a, "sum_minus_3") == stated


@pytest.mark.parametrize(("ratings", "method", "expected"), [
    ((3, 2, 2), "sum_minus_3", 4),
    ((3, 2, 1), "sum_minus_3", 3),
    ((1, 1, 1), "sum_minus_3", 0),
    ((3, 3, 3), "sum_minus_3", 6),
    ((1, 2, 3), "sum_minus_3", 3),
    ((3, 2, 2), "max", 3),
    ((3, 2, 1), "max", 3),
    ((1, 1, 1), "max", 1),
    ((3, 3, 3), "max", 3),
    ((1, 2, 1), "max", 2),
    ((1, 1, 3), "max", 3),
    ((3, 2, 2), "sum", 7),
    ((3, 2, 1), "sum", 6),
    ((1, 1, 1), "sum", 3),
    ((3, 3, 3), "sum", 9),
])
def test_asset_value_methods(ratings, method, expected):
    assert asset_value(*ratings, method=method) == expected


@pytest.mark.parametrize("method", ["", "Sum", "sum-3", "average", None])
def test_asset_value_unknown_method_raises(method):
    with pytest.raises(ValueError, match="unknown asset value method"):
        asset_value(3, 2, 2, method)


# ---- total_score ----

@pytest.mark.parametrize(("value", "v", "t", "expected"), [
    (4, 2, 2, 16),  # seed row 1-2
    (3, 2, 2, 12),
    (0, 3, 3, 0),
    (6, 3, 3, 54),
    (1, 1, 1, 1),
    (4, 3, 1, 12),
])
def test_total_score(value, v, t, expected):
    assert total_score(value, v, t) == expected


# ---- reduced_factor ----

@pytest.mark.parametrize(("rating", "reductions", "expected"), [
    (2, [D("0.5"), D("0.5")], D("1")),
    (2, [D("1.5")], D("1")),  # floor at the lowest class
    (2, [D("1"), D("1"), D("1")], D("1")),
    (3, [D("0.5")], D("2.5")),
    (3, [D("1"), D("0.5")], D("1.5")),
    (3, [D("2")], D("1")),
    (3, [D("1.9")], D("1.1")),
    (3, [], D("3")),
    (1, [], D("1")),
    (1, [D("0.5")], D("1")),
    (2, [D("0")], D("2")),
    (2, (r for r in [D("0.5")]), D("1.5")),  # any iterable
])
def test_reduced_factor(rating, reductions, expected):
    result = reduced_factor(rating, reductions)
    assert result == expected
    assert isinstance(result, Decimal)


# ---- residual_score ----

@pytest.mark.parametrize("row", SEED_RISK_ROWS, ids=[r[0] for r in SEED_RISK_ROWS])
def test_residual_score_reproduces_the_seed(row):
    row_id, stated_value, stated_v, stated_t, stated_total, cell, stated_residual = row
    c, i, a, _ = SEED_CIA[row_id]
    value = asset_value(c, i, a)
    v, t = read_rating(stated_v), read_rating(stated_t)
    assert not stated_differs(stated_value, value)
    total = total_score(value, v, t)
    assert total == {"1-2": 16, "1-3": 16, "1-4": 16, "1-5": 12, "1-6": 12}[row_id]
    # The seed states 16 on every row: rows 1-5 and 1-6 (value 3 × 2 × 2 = 12) are a legacy arithmetic error.
    assert stated_total == "16"
    assert stated_differs(stated_total, total) is (row_id in ("1-5", "1-6"))
    measures = parse_countermeasures(cell)
    residual = residual_score(value, v, t, [(m.reduction, "vulnerability") for m in measures])
    assert not stated_differs(stated_residual, residual)
    assert residual == {"1-2": 8, "1-3": 8, "1-4": 8, "1-5": 6, "1-6": 6}[row_id]


def test_residual_scores_of_the_seed_in_order():
    residuals = []
    for row_id, _, v, t, _, cell, _ in SEED_RISK_ROWS:
        value = asset_value(*SEED_CIA[row_id][:3])
        pairs = [(m.reduction, "vulnerability") for m in parse_countermeasures(cell)]
        residuals.append(residual_score(value, int(v), int(t), pairs))
    assert residuals == [8, 8, 8, 6, 6]
    assert [str(r) for r in residuals] == ["8", "8", "8", "6", "6"]


@pytest.mark.parametrize(("value", "v", "t", "pairs", "expected"), [
    (4, 2, 2, [], "16"),  # no countermeasure: the total
    (4, 2, 3, [(D("1"), "threat")], "16"),  # threat 3 → 2
    (4, 2, 2, [(D("1"), "threat")], "8"),
    (4, 2, 2, [(D("0.5"), "threat"), (D("0.5"), "threat")], "8"),
    (4, 3, 3, [(D("1"), "vulnerability"), (D("1"), "threat")], "16"),
    (4, 2, 2, [(D("1"), "vulnerability"), (D("1"), "threat")], "4"),
    (4, 2, 2, [(D("5"), "vulnerability"), (D("5"), "threat")], "4"),  # both floored at 1
    (4, 3, 2, [(D("0.5"), "vulnerability")], "20"),  # 4 × 2.5 × 2
    (4, 3, 3, [(D("0.5"), "vulnerability"), (D("0.5"), "threat")], "25"),  # 4 × 2.5 × 2.5
    (3, 3, 2, [(D("0.5"), "vulnerability")], "15"),
    (1, 3, 3, [(D("0.5"), "vulnerability"), (D("1.5"), "threat")], "3.75"),  # 1 × 2.5 × 1.5
    (3, 3, 3, [(D("0.5"), "threat")], "22.5"),
    (0, 3, 3, [], "0"),
    (4, 2, 2, [("0.5", "vulnerability"), (1, "threat")], "6"),  # reductions coerced to Decimal
])
def test_residual_score(value, v, t, pairs, expected):
    result = residual_score(value, v, t, pairs)
    assert isinstance(result, Decimal)
    assert result == D(expected)
    assert str(result) == expected  # normalised: 8 not 8.00, 22.5 not 22.50


def test_residual_score_with_threat_reduction_differs_from_vulnerability_reduction():
    assert residual_score(4, 3, 2, [(D("1"), "vulnerability")]) == 16  # 4 × 2 × 2
    assert residual_score(4, 3, 2, [(D("1"), "threat")]) == 12  # 4 × 3 × 1


# ---- normalise_number ----

@pytest.mark.parametrize(("number", "expected"), [
    (D("8.00"), "8"),
    (D("7.50"), "7.5"),
    (D("8"), "8"),
    (D("100.0"), "100"),  # not 1E+2
    (D("1E+2"), "100"),
    (D("0.50"), "0.5"),
    (D("0.00"), "0"),
    (D("3.750"), "3.75"),
    (D("22.5"), "22.5"),
    (8, "8"),
    (7.5, "7.5"),
])
def test_normalise_number(number, expected):
    result = normalise_number(number)
    assert isinstance(result, Decimal)
    assert str(result) == expected


# ---- needs_attention ----

def test_default_acceptance_level_is_12():
    assert DEFAULT_ACCEPTANCE_LEVEL == 12


@pytest.mark.parametrize(("residual", "expected"), [
    (D("11.99"), False),
    (D("12"), True),
    (D("12.00"), True),
    (D("12.5"), True),
    (D("8"), False),
    (D("0"), False),
    (16, True),
    (11, False),
])
def test_needs_attention_default_level(residual, expected):
    assert needs_attention(residual) is expected


@pytest.mark.parametrize(("residual", "level", "expected"), [
    (D("7.99"), 8, False),
    (D("8"), 8, True),
    (D("8.5"), 8, True),
    (D("12"), 16, False),
    (D("15.99"), 16, False),
    (D("16"), 16, True),
    (D("12"), 13, False),
])
def test_needs_attention_other_level(residual, level, expected):
    assert needs_attention(residual, level) is expected
    assert needs_attention(residual, acceptance_level=level) is expected


# ---- stated_differs ----

@pytest.mark.parametrize(("stated", "computed", "expected"), [
    (None, 16, False),  # blank: not compared
    ("", 16, False),
    ("  ", 16, False),
    ("\u3000", 16, False),  # a full-width space is blank too
    ("16", 16, False),
    ("16", 12, True),
    ("１６", 16, False),
    ("１６", 12, True),
    (" 16 ", 16, False),
    ("16.0", 16, False),
    ("abc", 16, True),
    ("16点", 16, True),
    ("NaN", 16, True),
    ("sNaN", 16, True),
    (16, 16, False),
    (16, 12, True),
    (8.0, D("8"), False),
    (7.5, D("7.5"), False),
    (7.5, D("8"), True),
    (D("8.00"), D("8"), False),
    ("8", D("8.0"), False),
    ("0", 0, False),
    (0, 8, True),  # zero is a value, not a blank
])
def test_stated_differs(stated, computed, expected):
    assert stated_differs(stated, computed) is expected


# ---- parse_countermeasures ----

@pytest.mark.parametrize("row", SEED_RISK_ROWS, ids=[r[0] for r in SEED_RISK_ROWS])
def test_parse_countermeasures_seed_cells(row):
    row_id, cell = row[0], row[5]
    assert parse_countermeasures(cell) == [ParsedCountermeasure(text, reduction)
                                           for text, reduction in SEED_PARSED[row_id]]


def test_parse_countermeasures_seed_sums():
    sums = {row[0]: sum((m.reduction for m in parse_countermeasures(row[5])), D(0)) for row in SEED_RISK_ROWS}
    assert sums == {"1-2": D("1"), "1-3": D("1"), "1-4": D("1"), "1-5": D("1"), "1-6": D("1")}


def test_parse_countermeasures_row_1_6_first_measure_has_no_reduction():
    first, second = parse_countermeasures(SEED_RISK_ROWS[4][5])
    assert first.text == "書類をすぐに裁断する。"
    assert first.reduction == 0
    assert second.reduction == 1


@pytest.mark.parametrize("cell", [
    "・個人スペースを作る。△0.5\n・周りに人がいないか確認する。△0.5",
    "個人スペースを作る。△0.5\n周りに人がいないか確認する。△0.5",  # line breaks alone
    "個人スペースを作る。△0.5\r\n周りに人がいないか確認する。△0.5",
    "・個人スペースを作る。△0.5\n\n\n・周りに人がいないか確認する。△0.5\n",
    "･個人スペースを作る。△0.5 ･周りに人がいないか確認する。△0.5",  # half-width bullet
    "•個人スペースを作る。△0.5 ●周りに人がいないか確認する。△0.5",
    "・個人スペースを作る。△０．５ ・周りに人がいないか確認する。△０．５",  # full-width digits
    "・個人スペースを作る。▲0.5 ・周りに人がいないか確認する。▲0.5",
    "・個人スペースを作る。△ 0.5  ・周りに人がいないか確認する。△0.5　",
    "・個人スペースを作る。\n△0.5\n・周りに人がいないか確認する。\n△0.5",  # reductions on their own lines
])
def test_parse_countermeasures_separators_and_marks(cell):
    assert parse_countermeasures(cell) == [
        ParsedCountermeasure("個人スペースを作る。", D("0.5")),
        ParsedCountermeasure("周りに人がいないか確認する。", D("0.5")),
    ]


@pytest.mark.parametrize(("cell", "expected"), [
    ("・整理する。▲1", [("整理する。", D("1"))]),
    ("・整理する。△１", [("整理する。", D("1"))]),
    ("・整理する。△1.5", [("整理する。", D("1.5"))]),
    ("・整理する。△0", [("整理する。", D("0"))]),
    ("・整理する。", [("整理する。", D("0"))]),
    ("整理する。", [("整理する。", D("0"))]),
    ("・整理する。\n△1", [("整理する。", D("1"))]),  # alone on the next line: the previous measure's
    ("・整理する。\n・△1", [("整理する。", D("1"))]),
    ("・整理する。△0.5\n△0.5", [("整理する。", D("1.0"))]),  # added to a stated one
    ("・A。\n△1\n・B。△0.5", [("A。", D("1")), ("B。", D("0.5"))]),
])
def test_parse_countermeasures_reductions(cell, expected):
    assert parse_countermeasures(cell) == [ParsedCountermeasure(t, r) for t, r in expected]


@pytest.mark.parametrize("cell", ["", None, "   ", "\n\n", "・", "・ ・", "\u3000"])
def test_parse_countermeasures_empty_cell(cell):
    assert parse_countermeasures(cell) == []


@pytest.mark.parametrize("cell", [
    "・個人スペースを作る。△",  # a mark without a number
    "・個人スペースを作る。▲",
    "・個人スペースを作る。△ ・周りに人がいないか確認する。△0.5",
    "△1",  # a reduction with no measure before it
    "・△1",
    "\n△0.5\n・個人スペースを作る。",
    "・個人スペースを作る。△.5",
    "・個人スペースを作る。△a",
    "・△0.5で個人スペースを作る。",  # the mark must end the measure
    "・個人スペースを作る。△0.5 周りを見る。",
])
def test_parse_countermeasures_invalid_raises(cell):
    with pytest.raises(InvalidCountermeasure):
        parse_countermeasures(cell)


def test_invalid_countermeasure_is_a_value_error_naming_the_part():
    assert issubclass(InvalidCountermeasure, ValueError)
    with pytest.raises(ValueError, match="^個人スペースを作る。△$"):
        parse_countermeasures("・個人スペースを作る。△")


# ---- format_countermeasures ----

def test_format_countermeasures():
    text = format_countermeasures([("個人スペースを作る。", D("0.5")), ("周りに人がいないか確認する。", D("0.50")),
                                   ("書類をすぐに裁断する。", D("0")), ("整理する。", D("1.0"))])
    assert text == "・個人スペースを作る。△0.5\n・周りに人がいないか確認する。△0.5\n・書類をすぐに裁断する。\n・整理する。△1"


def test_format_countermeasures_empty():
    assert format_countermeasures([]) == ""


@pytest.mark.parametrize("row_id", sorted(SEED_PARSED))
def test_format_then_parse_round_trips_the_seed(row_id):
    measures = SEED_PARSED[row_id]
    parsed = parse_countermeasures(format_countermeasures(measures))
    assert [(m.text, m.reduction) for m in parsed] == measures


@pytest.mark.parametrize("row", SEED_RISK_ROWS, ids=[r[0] for r in SEED_RISK_ROWS])
def test_parse_then_format_is_stable(row):
    parsed = parse_countermeasures(row[5])
    formatted = format_countermeasures((m.text, m.reduction) for m in parsed)
    assert parse_countermeasures(formatted) == parsed
    assert format_countermeasures((m.text, m.reduction) for m in parse_countermeasures(formatted)) == formatted


def test_format_of_row_1_2():
    parsed = parse_countermeasures(SEED_RISK_ROWS[0][5])
    assert format_countermeasures((m.text, m.reduction) for m in parsed) == (
        "・個人スペースを作る。△0.5\n・周りに人がいないか確認する。△0.5")


# ---- evidence_status ----

@pytest.mark.parametrize(("present", "complete", "approved", "expected"), [
    (0, False, False, "not_started"),
    (0, True, False, "not_started"),
    (0, True, True, "not_started"),
    (0, False, True, "not_started"),
    (1, False, False, "started"),
    (3, False, False, "started"),
    (3, True, False, "started"),
    (3, False, True, "started"),
    (3, True, True, "done"),
    (1, True, True, "done"),
])
def test_evidence_status(present, complete, approved, expected):
    assert evidence_status(present, complete, approved) == expected


# ---- residual_band ----

@pytest.mark.parametrize(("residual", "expected"), [
    (D("0"), "low"),
    (D("5.99"), "low"),
    (D("6"), "watch"),
    (D("8"), "watch"),
    (D("11.5"), "watch"),
    (D("11.99"), "watch"),
    (D("12"), "attention"),
    (D("16"), "attention"),
])
def test_residual_band_default_level(residual, expected):
    assert residual_band(residual) == expected
    assert residual_band(residual, 12) == expected


@pytest.mark.parametrize(("residual", "level", "expected"), [
    (D("4.49"), 9, "low"),
    (D("4.5"), 9, "watch"),  # half of an odd level
    (D("8.99"), 9, "watch"),
    (D("9"), 9, "attention"),
    (D("7.99"), 16, "low"),
    (D("8"), 16, "watch"),
    (D("12"), 16, "watch"),
    (D("16"), 16, "attention"),
])
def test_residual_band_other_level(residual, level, expected):
    assert residual_band(residual, level) == expected


def test_residual_band_agrees_with_needs_attention():
    for level in (8, 9, 12, 16):
        for residual in (D("0"), D("3.75"), D("6"), D("8"), D("11.99"), D("12"), D("16"), D("54")):
            assert (residual_band(residual, level) == "attention") is needs_attention(residual, level)


# ---- the seed's scales ----

def test_default_scales_are_the_seed():
    assert [(s["rating"], s["class"]) for s in DEFAULT_SCALES["threat"]] == [(3, "高"), (2, "中"), (1, "低")]
    assert [(s["rating"], s["class"]) for s in DEFAULT_SCALES["vulnerability"]] == [(3, "高"), (2, "中"), (1, "低")]
    assert DEFAULT_SCALES["threat"][0]["text"] == "発生する可能性は高い"
    assert DEFAULT_SCALES["vulnerability"][1]["text"] == "管理策の追加等により改善の余地がある"


def test_middle_dot_inside_a_phrase_is_not_a_bullet():
    measures = parse_countermeasures("・パソコン・タブレットの画面を隠す。△1")
    assert measures == [ParsedCountermeasure("パソコン・タブレットの画面を隠す。", Decimal("1"))]
    after_period = parse_countermeasures("・裁断する。・シートを敷く。△1")
    assert [m.text for m in after_period] == ["裁断する。", "シートを敷く。"]


def test_unknown_factor_is_refused():
    with pytest.raises(ValueError):
        residual_score(4, 2, 2, [(Decimal("0.5"), "luck")])


@pytest.mark.parametrize(("value", "expected"), [(D("8.00"), 8), (D("7.50"), 7.5), (16, 16), (D("0.25"), 0.25)])
def test_plain_number(value, expected):
    from jichitai.risk.rules import plain_number

    result = plain_number(value)
    assert result == expected and type(result) is type(expected)
