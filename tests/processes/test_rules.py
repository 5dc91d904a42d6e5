"""Pure rules of the process register and progress matrix (DOMAIN.md §2–3; the seed's 進捗管理のイメージ)."""

import csv
from importlib import resources

import pytest

from jichitai.processes import rules

# ---- read_status -----------------------------------------------------------------------------------------

# (cell text, code, ambiguous). Characters are spelled by code point so that look-alikes cannot be confused.
# Only the seed legend's own four symbols are unambiguous; every look-alike is accepted but reported.
STATUS_CELLS = [
    # done: the seed's 〇 and the look-alikes of DOMAIN.md §3
    ("\u3007", "done", False),  # 〇 IDEOGRAPHIC NUMBER ZERO (the seed's legend)
    ("\u25cb", "done", True),  # ○ WHITE CIRCLE
    ("\u25ef", "done", True),  # ◯ LARGE CIRCLE
    # started
    ("\u25b3", "started", False),  # △ WHITE UP-POINTING TRIANGLE (the seed's legend)
    ("\u25b2", "started", True),  # ▲ BLACK UP-POINTING TRIANGLE
    # not started
    ("\u00d7", "not_started", False),  # × MULTIPLICATION SIGN (the seed's legend)
    ("\u2715", "not_started", True),  # ✕ MULTIPLICATION X
    ("\u2716", "not_started", True),  # ✖ HEAVY MULTIPLICATION X
    ("x", "not_started", True),  # Latin small x
    ("X", "not_started", True),  # Latin capital X
    # not needed
    ("-", "not_needed", False),  # HYPHEN-MINUS (the seed's legend)
    ("\uff0d", "not_needed", True),  # － FULLWIDTH HYPHEN-MINUS
    ("\u30fc", "not_needed", True),  # ー KATAKANA-HIRAGANA PROLONGED SOUND MARK
    ("\u2015", "not_needed", True),  # ― HORIZONTAL BAR
    ("\u2010", "not_needed", True),  # ‐ HYPHEN
    ("\u2212", "not_needed", True),  # − MINUS SIGN
    ("\u2013", "not_needed", True),  # – EN DASH
    ("\u2014", "not_needed", True),  # — EM DASH
]


@pytest.mark.parametrize(("cell", "code", "ambiguous"), STATUS_CELLS)
def test_read_status_symbols(cell, code, ambiguous):
    assert rules.read_status(cell) == rules.StatusReading(code, ambiguous)


@pytest.mark.parametrize(("cell", "code", "ambiguous"), STATUS_CELLS)
def test_read_status_ignores_surrounding_spaces(cell, code, ambiguous):
    assert rules.read_status(f" {cell} ") == rules.StatusReading(code, ambiguous)
    assert rules.read_status(f"\u3000{cell}\u3000") == rules.StatusReading(code, ambiguous)
    assert rules.read_status(f"\t{cell}\n") == rules.StatusReading(code, ambiguous)


def test_every_symbol_of_the_legend_reads_unambiguously():
    for code, symbol, _label in rules.STATUSES:
        assert rules.read_status(symbol) == rules.StatusReading(code, False)
    assert rules.STATUS_SYMBOL == {"done": "〇", "started": "△", "not_started": "×", "not_needed": "-"}


@pytest.mark.parametrize(
    ("cell", "code"),
    [
        ("完了", "done"),
        ("着手", "started"),
        ("未着手", "not_started"),
        ("不要", "not_needed"),
        ("done", "done"),
        ("started", "started"),
        ("not_started", "not_started"),
        ("not_needed", "not_needed"),
        (" 完了 ", "done"),
    ],
)
def test_read_status_words(cell, code):
    assert rules.read_status(cell) == rules.StatusReading(code, False)


@pytest.mark.parametrize("cell", [None, "", " ", "\u3000", "\u3000 \u3000", "\t"])
def test_blank_is_not_started(cell):
    reading = rules.read_status(cell)
    assert reading.code == "not_started"
    assert reading.ambiguous is False
    assert rules.DEFAULT_STATUS == "not_started"


def test_only_the_legend_symbols_are_unambiguous():
    unambiguous = {cell for cell, _code, ambiguous in STATUS_CELLS if not ambiguous}
    assert unambiguous == {"〇", "△", "×", "-"}


@pytest.mark.parametrize("cell", [0, 1, "O", "o", "0"])
def test_letters_and_digits_are_not_circles(cell):
    # a spreadsheet 0 or a Latin O only looks like 〇: refused, not guessed
    with pytest.raises(rules.UnknownStatus):
        rules.read_status(cell)


@pytest.mark.parametrize(
    "cell",
    ["?", "◎", "●", "□", "〇〇", "〇△", "--", "済", "未", "DONE", "Done", "1", "ｘ", "Ｏ", "〇 完了", "な", "*"],
)
def test_unknown_status_raises(cell):
    with pytest.raises(rules.UnknownStatus) as excinfo:
        rules.read_status(cell)
    assert str(excinfo.value) == cell.strip()


def test_unknown_status_is_a_value_error():
    assert issubclass(rules.UnknownStatus, ValueError)


def test_status_reading_is_frozen():
    reading = rules.read_status("〇")
    with pytest.raises(AttributeError):
        reading.code = "started"


# ---- columns ---------------------------------------------------------------------------------------------


def test_columns_in_seed_order():
    assert rules.COLUMN_KEYS == ("flow", "spi", "risk", "linkage", "ordinance", "pia")
    assert [name for _, name in rules.COLUMNS] == [
        "業務フロー",
        "特定個人情報",
        "リスク評価",
        "関連情報連携洗出",
        "条例案上程",
        "PIA提出",
    ]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("業務フロー", "flow"),
        ("特定個人情報", "spi"),
        ("リスク評価", "risk"),
        ("関連情報連携洗出", "linkage"),
        ("条例案上程", "ordinance"),
        ("PIA提出", "pia"),
        ("ＰＩＡ提出", "pia"),  # full-width letters
        ("業務ﾌﾛｰ", "flow"),  # half-width katakana
        (" 業務フロー\u3000", "flow"),
        ("flow", "flow"),
        ("pia", "pia"),
        (" risk ", "risk"),
    ],
)
def test_column_key(given, expected):
    assert rules.column_key(given) == expected


@pytest.mark.parametrize("given", ["", None, "業務", "業務フロー図", "PIA", "pia提出", "FLOW", "status", "備考"])
def test_column_key_unknown(given):
    assert rules.column_key(given) is None


# ---- resolve_as_of / cell_status -------------------------------------------------------------------------


def test_resolve_as_of_last_change_wins():
    changes = [
        (1, "flow", "not_started"),
        (1, "flow", "started"),
        (2, "flow", "started"),
        (1, "risk", "started"),
        (1, "flow", "done"),
        (2, "flow", "not_needed"),
    ]
    state = rules.resolve_as_of(changes)
    assert state == {(1, "flow"): "done", (2, "flow"): "not_needed", (1, "risk"): "started"}


def test_resolve_as_of_can_go_backwards():
    state = rules.resolve_as_of([(1, "pia", "done"), (1, "pia", "started")])
    assert state == {(1, "pia"): "started"}


def test_resolve_as_of_empty_and_generator():
    assert rules.resolve_as_of([]) == {}
    assert rules.resolve_as_of(iter([(3, "spi", "done")])) == {(3, "spi"): "done"}


def test_cell_status_defaults_to_not_started():
    state = rules.resolve_as_of([(1, "flow", "done")])
    assert rules.cell_status(state, 1, "flow") == "done"
    assert rules.cell_status(state, 1, "risk") == "not_started"
    assert rules.cell_status(state, 2, "flow") == "not_started"


# ---- totals / percent_done / combine_totals / all_columns -----------------------------------------------

# The seed's 12 rows as they are printed (業務フロー 特定個人情報 リスク評価 関連情報連携洗出 条例案上程 PIA提出).
SEED_STATUS_ROWS = [
    "〇△×--×",
    "〇△△--×",
    "△△×△××",
    "×××--×",
    "×××△××",
    "×××△××",
    "×××△××",
    "×××△××",
    "×××△××",
    "×××--×",
    "×××--×",
    "×××--×",
]


def seed_rows():
    return [
        {key: rules.read_status(symbol).code for key, symbol in zip(rules.COLUMN_KEYS, row, strict=True)}
        for row in SEED_STATUS_ROWS
    ]


def zero():
    return {"done": 0, "started": 0, "not_started": 0, "not_needed": 0}


def test_totals_of_the_seed_table():
    counts = rules.totals(seed_rows())
    assert counts == {
        "flow": {"done": 2, "started": 1, "not_started": 9, "not_needed": 0},
        "spi": {"done": 0, "started": 3, "not_started": 9, "not_needed": 0},
        "risk": {"done": 0, "started": 1, "not_started": 11, "not_needed": 0},
        "linkage": {"done": 0, "started": 6, "not_started": 0, "not_needed": 6},
        "ordinance": {"done": 0, "started": 0, "not_started": 6, "not_needed": 6},
        "pia": {"done": 0, "started": 0, "not_started": 12, "not_needed": 0},
    }


def test_percent_done_of_the_seed_table():
    counts = rules.totals(seed_rows())
    percents = {key: rules.percent_done(value) for key, value in counts.items()}
    assert percents == {"flow": 16.7, "spi": 0.0, "risk": 0.0, "linkage": 0.0, "ordinance": 0.0, "pia": 0.0}
    # overall: 2 done of 72 cells, 12 of them 不要 → 2 / 60
    overall = rules.all_columns(counts)
    assert overall == {"done": 2, "started": 11, "not_started": 47, "not_needed": 12}
    assert rules.percent_done(overall) == 3.3


def test_totals_missing_cells_count_as_not_started():
    counts = rules.totals([{}, {"flow": "done"}, {"flow": "not_needed", "pia": "started"}])
    assert counts["flow"] == {"done": 1, "started": 0, "not_started": 1, "not_needed": 1}
    assert counts["pia"] == {"done": 0, "started": 1, "not_started": 2, "not_needed": 0}
    assert counts["risk"] == {"done": 0, "started": 0, "not_started": 3, "not_needed": 0}


def test_totals_ignores_unknown_columns_and_of_nothing_is_zero():
    counts = rules.totals([{"flow": "done", "memo": "done"}])
    assert set(counts) == set(rules.COLUMN_KEYS)
    assert counts["flow"]["done"] == 1
    assert rules.totals([]) == {key: zero() for key in rules.COLUMN_KEYS}


def test_totals_every_column_lists_every_status_in_order():
    counts = rules.totals([{"flow": "done"}])
    for key in rules.COLUMN_KEYS:
        assert tuple(counts[key]) == rules.STATUS_CODES == ("done", "started", "not_started", "not_needed")


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ({"done": 1, "started": 0, "not_started": 0, "not_needed": 0}, 100.0),
        ({"done": 0, "started": 1, "not_started": 1, "not_needed": 0}, 0.0),
        ({"done": 1, "started": 1, "not_started": 0, "not_needed": 0}, 50.0),
        ({"done": 1, "started": 1, "not_started": 1, "not_needed": 0}, 33.3),
        ({"done": 2, "started": 1, "not_started": 0, "not_needed": 0}, 66.7),
        ({"done": 1, "started": 0, "not_started": 0, "not_needed": 5}, 100.0),  # 不要 is left out
        ({"done": 1, "started": 0, "not_started": 1, "not_needed": 8}, 50.0),
        ({"done": 1, "started": 0, "not_started": 2, "not_needed": 0}, 33.3),
        ({"done": 1, "started": 0, "not_started": 5, "not_needed": 0}, 16.7),
        ({"done": 1}, 100.0),  # missing codes count as zero
    ],
)
def test_percent_done(counts, expected):
    assert rules.percent_done(counts) == expected


@pytest.mark.parametrize(
    "counts",
    [
        {"done": 0, "started": 0, "not_started": 0, "not_needed": 3},  # all 不要
        {"done": 0, "started": 0, "not_started": 0, "not_needed": 0},  # no cells
        {"not_needed": 1},
        {},
    ],
)
def test_percent_done_none_when_nothing_is_needed(counts):
    assert rules.percent_done(counts) is None


def test_percent_done_all_not_needed_column_from_rows():
    counts = rules.totals([{key: "not_needed" for key in rules.COLUMN_KEYS}] * 4)
    assert counts["ordinance"] == {"done": 0, "started": 0, "not_started": 0, "not_needed": 4}
    assert rules.percent_done(counts["ordinance"]) is None
    assert rules.percent_done(rules.all_columns(counts)) is None


def test_combine_totals():
    first = rules.totals([{"flow": "done", "risk": "started"}, {"flow": "not_needed"}])
    second = rules.totals([{"flow": "done"}, {"flow": "started", "pia": "done"}, {}])
    combined = rules.combine_totals([first, second])
    assert combined["flow"] == {"done": 2, "started": 1, "not_started": 1, "not_needed": 1}
    assert combined["risk"] == {"done": 0, "started": 1, "not_started": 4, "not_needed": 0}
    assert combined["pia"] == {"done": 1, "started": 0, "not_started": 4, "not_needed": 0}
    assert rules.percent_done(combined["flow"]) == 50.0
    # the inputs are not changed
    assert first["flow"] == {"done": 1, "started": 0, "not_started": 0, "not_needed": 1}


def test_combine_totals_of_nothing_is_zero():
    assert rules.combine_totals([]) == {key: zero() for key in rules.COLUMN_KEYS}
    assert rules.combine_totals(iter([])) == {key: zero() for key in rules.COLUMN_KEYS}


def test_combine_totals_of_one_equals_it():
    one = rules.totals(seed_rows())
    assert rules.combine_totals([one]) == one
    doubled = rules.combine_totals([one, one])
    assert doubled["linkage"] == {"done": 0, "started": 12, "not_started": 0, "not_needed": 12}


def test_all_columns():
    counts = rules.totals([{"flow": "done", "spi": "done", "risk": "started", "linkage": "not_needed"}])
    assert rules.all_columns(counts) == {"done": 2, "started": 1, "not_started": 2, "not_needed": 1}
    assert rules.percent_done(rules.all_columns(counts)) == 40.0


# ---- implementers ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("implementer", "expected"),
    [
        ("市町村長", True),
        ("都道府県知事又は市町村長", True),
        ("都道府県知事等", True),
        ("総務大臣又は地方公共団体の長", True),
        ("都道府県教育委員会又は市町村教育委員会", True),
        ("都道府県知事又は広島市長若しくは長崎市長", True),
        ("厚生労働大臣", False),
        ("都道府県知事", False),
        ("国税庁長官", False),
        ("全国健康保険協会又は健康保険組合", False),
        ("", False),
    ],
)
def test_is_municipal_implementer(implementer, expected):
    assert rules.is_municipal_implementer(implementer) is expected


# ---- item labels -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kanji", "value"),
    [
        ("一", 1),
        ("二", 2),
        ("九", 9),
        ("十", 10),
        ("十一", 11),
        ("十九", 19),
        ("二十", 20),
        ("二十一", 21),
        ("九十九", 99),
        ("百", 100),
        ("百一", 101),
        ("百十", 110),
        ("百三十七", 137),
        ("二百", 200),
        ("九百九十九", 999),
    ],
)
def test_kanji_to_int(kanji, value):
    assert rules.kanji_to_int(kanji) == value


@pytest.mark.parametrize("text", ["千", "〇", "1", "一の二", "二 十", "零"])
def test_kanji_to_int_rejects_other_characters(text):
    with pytest.raises(ValueError, match=text):
        rules.kanji_to_int(text)


@pytest.mark.parametrize(
    ("item", "arabic"),
    [
        ("一", "1"),
        ("二の二", "2-2"),
        ("十", "10"),
        ("八の二", "8-2"),
        ("二十三の八", "23-8"),
        ("百三十七", "137"),
        ("九の二の三", "9-2-3"),
    ],
)
def test_item_label_to_arabic(item, arabic):
    assert rules.item_label_to_arabic(item) == arabic


@pytest.mark.parametrize(
    ("text", "arabic"),
    [
        ("別表9項", "9"),
        ("別表第一9項", "9"),
        ("別表 9-2", "9-2"),
        ("別表9の2項", "9-2"),
        ("別表第一9の2項", "9-2"),
        ("別表9", "9"),
        ("別表9事務", "9"),
        ("別表9項事務", "9"),
        ("別表第9項", "9"),
        ("別表第1 9項", "19"),  # spaces are dropped, so this is read as 第19項 (see the next two)
        ("別表第19項", "19"),
        ("別表第100項", "100"),
        ("別表第1項", "1"),
        ("別表137項", "137"),
        ("別表23の8項", "23-8"),
        ("別表 9 の 2 項", "9-2"),
        ("別表9-2-3", "9-2-3"),
        ("別表\u30009項", "9"),
        ("  別表9項  ", "9"),
        ("別表９項", "9"),  # full-width digits
        ("別表第一９の２項", "9-2"),
        ("別表　９－２", "9-2"),
        ("別表第１項", "1"),
    ],
)
def test_parse_item_label(text, arabic):
    assert rules.parse_item_label(text) == arabic


@pytest.mark.parametrize(
    "text",
    [
        None,
        "",
        "別表",
        "別表項",
        "別表第一",
        "別表二項",  # kanji item numbers are not a label here
        "別表第二9項",  # the removed 別表第二
        "9項",
        "別表1事務の一覧",
        "児童手当法による児童手当の支給に関する事務であって主務省令で定めるもの",
        "別表9項の事務",
        "別表9-",
        "別表9の",
        "番号法別表9項",
    ],
)
def test_parse_item_label_non_labels(text):
    assert rules.parse_item_label(text) is None


@pytest.mark.parametrize("arabic", ["9", "9-2", "137"])
def test_format_item_label_round_trips(arabic):
    assert rules.format_item_label(arabic) == f"別表{arabic}項"
    assert rules.parse_item_label(rules.format_item_label(arabic)) == arabic


# ---- comparable_text -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "児童手当法（昭和四十六年法律第七十三号）による児童手当の支給に関する事務であって主務省令で定めるもの",
            "児童手当法による児童手当の支給",
        ),
        (
            "児童扶養手当法(昭和三十六年法律第二百三十八号)による児童扶養手当の支給に関する事務であって主務省令で定めるもの",
            "児童扶養手当法による児童扶養手当の支給",
        ),
        (
            "恩給法（大正十二年法律第四十八号。他の法律において準用する場合を含む。）による年金である給付",
            "恩給法による年金である給付",
        ),
        ("A（B（C）D）E", "AE"),  # nested brackets, innermost first
        ("A(B（C)D）E", "AE"),  # mixed half- and full-width brackets
        ("A（B）C（D）E", "ACE"),
        ("Ａ　Ｂ ｃ", "ABc"),  # NFKC and no spaces
        ("に関する事務", ""),
        ("であって主務省令で定めるもの", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_comparable_text(text, expected):
    assert rules.comparable_text(text) == expected


def test_comparable_text_keeps_unbalanced_bracket():
    assert rules.comparable_text("A（B") == "A(B"


# ---- match_catalogue -------------------------------------------------------------------------------------


def load_catalogue() -> dict[str, str]:
    source = resources.files("jichitai") / "data" / "beppyo.tsv"
    with source.open(encoding="utf-8", newline="") as handle:
        return {
            row["item_arabic"]: rules.comparable_text(row["process"]) for row in csv.DictReader(handle, delimiter="\t")
        }


@pytest.fixture(scope="module")
def catalogue():
    return load_catalogue()


def test_catalogue_file_shape(catalogue):
    assert len(catalogue) == 220
    assert catalogue["81"] == "児童手当法による児童手当の支給"
    assert "2-2" in catalogue


# The row texts of the seed's progress table (old 別表第一 wording), in order, with the expected item.
SEED_ROWS = [
    (
        "児童福祉法による助産施設における助産の実施又は母子生活支援施設における保護の実施に関する事務であって主務省令で定めるもの",
        "10",
    ),
    (
        "児童扶養手当法(昭和三十六年法律第二百三十八号)による児童扶養手当の支給に関する事務であって主務省令で定めるもの",
        "56",
    ),
    (
        "児童手当法による児童手当又は特例給付(同法附則第二条第一項に規定する給付をいう。以下同じ。)の支給に関する事務であって主務省令で定めるもの",
        "81",
    ),
    (
        "特別児童扶養手当等の支給に関する法律(昭和三十九年法律第百三十四号)による特別児童扶養手当の支給に関する事務であって主務省令で定めるもの",
        "66",
    ),
    (
        "子ども・子育て支援法(平成二十四年法律第六十五号)による子どものための教育・保育給付の支給又は地域子ども・子育て支援事業の実施に関する事務であって主務省令で定めるもの",
        "127",
    ),
    (
        "母子及び寡婦福祉法(昭和三十九年法律第百二十九号)による資金の貸付に関する事務であって主務省令で定めるもの",
        "63",
    ),
    (
        "母子及び寡婦福祉法による配偶者のない者で現に児童を扶養しているもの又は寡婦についての便宜の供与に関する事務であって主務省令で定めるもの",
        "64",
    ),
    (
        "母子及び寡婦福祉法による母子家庭自立支援給付金の支給に関する事務であって主務省令で定めるもの",
        "65",
    ),
    (
        "母子保健法(昭和四十年法律第百四十一号)による保健指導、新生児の訪問指導、健康診査、妊娠の届出、母子健康手帳の交付、妊産婦の訪問指導、低体重児の届出、未熟児の訪問指導、養育医療の給付若しくは養育医療に要する費用の支給又は費用の徴収に関する事務であって主務省令で定めるもの",
        "70",
    ),
    (
        "児童福祉法(昭和二十二年法律第百六十四号)による里親の認定、養育里親の登録、療育の給付、障害児入所給付費、高額障害児入所給付費、特定入所障害児食費等給付費若しくは障害児入所医療費の支給、医療の給付等の事業若しくは日常生活上の援助及び生活指導並びに就業の支援の実施、負担能力の認定又は費用の徴収若しくは支払命令に関する事務であって主務省令で定めるもの",
        "8",
    ),
    (
        "児童福祉法による障害児通所給付費、特例障害児通所給付費、高額障害児通所給付費、肢体不自由児通所医療費、障害児相談支援給付費若しくは特例障害児相談支援給付費の支給、障害福祉サービスの提供、保育所における保育の実施若しくは措置又は費用の徴収に関する事務であって主務省令で定めるもの",
        "9",
    ),
    (
        "身体障害者福祉法(昭和二十四年法律第二百八十三号)による身体障害者手帳の交付に関する事務であって主務省令で定めるもの",
        "20",
    ),
]


@pytest.mark.parametrize(("text", "item"), SEED_ROWS, ids=[item for _, item in SEED_ROWS])
def test_seed_rows_match_their_items(catalogue, text, item):
    match = rules.match_catalogue(text, catalogue)
    assert match.key == item
    assert match.candidates[0] == (item, match.score)
    assert match.score >= rules.MATCH_MIN_SCORE
    assert len(match.candidates) == 3
    # the runner-up is clearly behind
    assert match.candidates[1][1] <= match.score * rules.MATCH_MAX_RUNNER_UP_RATIO


def test_seed_rows_in_order(catalogue):
    keys = [rules.match_catalogue(text, catalogue).key for text, _ in SEED_ROWS]
    assert keys == ["10", "56", "81", "66", "127", "63", "64", "65", "70", "8", "9", "20"]


def test_seed_row_with_the_same_wording_is_exact(catalogue):
    first = rules.match_catalogue(SEED_ROWS[0][0], catalogue)
    assert first.score == 1.0
    assert first.exact is True
    reworded = rules.match_catalogue(SEED_ROWS[2][0], catalogue)  # 児童手当: 特例給付 wording changed since
    assert reworded.key == "81"
    assert reworded.exact is False


def test_matching_ignores_width_and_spaces(catalogue):
    text = "身体障害者福祉法（昭和二十四年法律第二百八十三号）による　身体障害者手帳の交付に関する事務"
    match = rules.match_catalogue(text, catalogue)
    assert match.key == "20"
    assert match.exact is True


def test_unrelated_text_has_no_key(catalogue):
    match = rules.match_catalogue("ごみ収集カレンダーの配布", catalogue)
    assert match.key is None
    assert match.exact is False
    assert match.score < rules.MATCH_MIN_SCORE
    assert len(match.candidates) <= 3


def test_ambiguous_text_has_no_key_but_candidates(catalogue):
    # Both 63 (資金の貸付) and 65 (自立支援給付金) are 母子及び寡婦福祉法 items.
    match = rules.match_catalogue("母子及び寡婦福祉法による事務", catalogue)
    assert match.key is None
    assert match.exact is False
    assert match.score >= rules.MATCH_MIN_SCORE  # not too weak: too close to call
    assert {key for key, _ in match.candidates[:2]} == {"63", "65"}
    assert match.candidates[0][1] == match.score
    assert match.candidates[1][1] > match.score * rules.MATCH_MAX_RUNNER_UP_RATIO


def test_ambiguity_does_not_depend_on_limit(catalogue):
    text = "母子及び寡婦福祉法による事務"
    single = rules.match_catalogue(text, catalogue, limit=1)
    assert single.key is None
    assert len(single.candidates) == 1
    assert single.candidates[0][0] in {"63", "65"}


def test_limit_sets_the_number_of_candidates(catalogue):
    text = SEED_ROWS[1][0]
    assert len(rules.match_catalogue(text, catalogue, limit=5).candidates) == 5
    single = rules.match_catalogue(text, catalogue, limit=1)
    assert single.key == "56"
    assert single.candidates == (("56", 1.0),)


@pytest.mark.parametrize(
    "text", ["", None, "   ", "に関する事務であって主務省令で定めるもの", "（昭和四十年法律第百四十一号）"]
)
def test_empty_text_has_no_match(catalogue, text):
    assert rules.match_catalogue(text, catalogue) == rules.CatalogueMatch(None, 0.0, ())


def test_match_against_a_small_catalogue():
    catalogue = {"1": rules.comparable_text("あいうえおかきくけこ"), "2": rules.comparable_text("さしすせそたちつてと")}
    match = rules.match_catalogue("あいうえおかきくけこに関する事務", catalogue)
    assert match.key == "1"
    assert match.exact is True
    assert match.candidates[0] == ("1", 1.0)
    # half of it: ratio 2·5/15 ≈ 0.667, above the minimum, and the runner-up scores 0
    partial = rules.match_catalogue("あいうえお", catalogue)
    assert partial == rules.CatalogueMatch("1", 0.667, (("1", 0.667), ("2", 0.0)))
    assert partial.exact is False
    # a third of it: 2·3/13 ≈ 0.462, below the minimum
    weak = rules.match_catalogue("あいう", catalogue)
    assert weak == rules.CatalogueMatch(None, 0.462, (("1", 0.462), ("2", 0.0)))
    # too short to be compared at all (quick ratio 2/11 < half the minimum)
    assert rules.match_catalogue("あ", catalogue) == rules.CatalogueMatch(None, 0.0, ())


def test_match_against_an_empty_catalogue():
    assert rules.match_catalogue("児童手当", {}) == rules.CatalogueMatch(None, 0.0, ())
