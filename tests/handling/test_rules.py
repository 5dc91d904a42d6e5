"""Unit tests of the pure handling-table rules (DOMAIN.md §4). No database."""

import pytest

from jichitai.handling.rules import (
    KIND_LABEL,
    KINDS,
    STAGE_KEYS,
    STAGE_LABEL,
    UnknownValue,
    read_kind,
    read_row_id,
    read_stage,
    row_id_sort_key,
)

# The seed's 「軽自動車税 情報資産取扱手順表」 (H30.1.10): ID, 種類, 取扱段階 as written on the sheet.
SEED_HANDLING_ROWS = [
    ("1-2", "紙", "取得", "acquire"),
    ("1-3", "紙", "利用", "use"),
    ("1-4", "紙", "利用", "use"),
    ("1-5", "紙", "保管", "store"),
    ("1-6", "紙", "廃棄", "dispose"),
]


# ---- the stage and kind tables ----

def test_stages_are_the_guideline_five_in_order():
    assert STAGE_KEYS == ("acquire", "use", "store", "provide", "dispose")
    assert STAGE_LABEL == {
        "acquire": "取得", "use": "利用", "store": "保存", "provide": "提供", "dispose": "削除・廃棄",
    }


def test_kinds():
    assert KINDS == (("paper", "紙"), ("electronic", "電子"), ("other", "その他"))
    assert KIND_LABEL["paper"] == "紙"


# ---- read_stage ----

@pytest.mark.parametrize(("text", "expected"), [
    ("取得", "acquire"),
    ("利用", "use"),
    ("保存", "store"),
    ("保管", "store"),  # the seed's word for 保存
    ("提供", "provide"),
    ("削除・廃棄", "dispose"),
    ("廃棄", "dispose"),  # the seed's word for 削除・廃棄
    ("削除", "dispose"),
    ("入手", "acquire"),
    ("使用", "use"),
    ("提供・移転", "provide"),
    ("削除/廃棄", "dispose"),
    ("削除／廃棄", "dispose"),  # full-width slash, NFKC
    ("削除廃棄", "dispose"),
])
def test_read_stage_labels_and_aliases(text, expected):
    assert read_stage(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("削除\u30fb廃棄", "dispose"),  # full-width katakana middle dot 「・」
    ("削除\uff65廃棄", "dispose"),  # half-width 「･」
    ("削除 ・ 廃棄", "dispose"),
    ("削除\u3000・\u3000廃棄", "dispose"),  # ideographic spaces
    ("提供\uff65移転", "provide"),
])
def test_read_stage_middle_dot_and_space_variants(text, expected):
    assert read_stage(text) == expected


@pytest.mark.parametrize("text", ["　保管　", " 保 管 ", "\t保管\n", "保管 "])
def test_read_stage_strips_whitespace(text):
    assert read_stage(text) == "store"


@pytest.mark.parametrize("key", ["acquire", "use", "store", "provide", "dispose"])
def test_read_stage_accepts_stage_keys(key):
    assert read_stage(key) == key
    assert read_stage(f" {key} ") == key


@pytest.mark.parametrize("key", ["acquire", "use", "store", "provide", "dispose"])
def test_read_stage_round_trips_labels(key):
    assert read_stage(STAGE_LABEL[key]) == key


@pytest.mark.parametrize(("row_id", "_kind", "stage", "expected"), SEED_HANDLING_ROWS)
def test_read_stage_seed_rows(row_id, _kind, stage, expected):
    assert read_stage(stage) == expected


@pytest.mark.parametrize("text", ["", None, "   ", "保", "取得する", "廃棄・削除", "ACQUIRE", "Store", "移転",
                                  "削除\n廃棄", "保存・提供"])
def test_read_stage_unknown_raises(text):
    with pytest.raises(UnknownValue):
        read_stage(text)


def test_unknown_value_is_a_value_error_and_carries_the_cleaned_text():
    with pytest.raises(ValueError, match="^取得する$"):
        read_stage(" 取得する ")
    assert issubclass(UnknownValue, ValueError)


# ---- read_kind ----

@pytest.mark.parametrize(("text", "expected"), [
    ("紙", "paper"),
    ("紙媒体", "paper"),
    ("電子", "electronic"),
    ("電子媒体", "electronic"),
    ("データ", "electronic"),
    ("ﾃﾞｰﾀ", "electronic"),  # half-width katakana, NFKC
    ("その他", "other"),
    (" 紙 ", "paper"),
    ("　電子　", "electronic"),
    ("paper", "paper"),
    ("electronic", "electronic"),
    ("other", "other"),
])
def test_read_kind(text, expected):
    assert read_kind(text) == expected


@pytest.mark.parametrize(("row_id", "kind", "_stage", "_expected"), SEED_HANDLING_ROWS)
def test_read_kind_seed_rows(row_id, kind, _stage, _expected):
    assert read_kind(kind) == "paper"


@pytest.mark.parametrize("text", ["", None, "紙・電子", "電子データ", "PAPER", "その", "書類"])
def test_read_kind_unknown_raises(text):
    with pytest.raises(UnknownValue):
        read_kind(text)


# ---- read_row_id ----

@pytest.mark.parametrize(("text", "expected"), [
    ("1-2", "1-2"),
    ("１－２", "1-2"),  # full-width digits and hyphen-minus
    ("1‐2", "1-2"),  # U+2010 hyphen
    ("1−2", "1-2"),  # U+2212 minus
    ("1–2", "1-2"),  # en dash
    ("1—2", "1-2"),  # em dash
    ("1ー2", "1-2"),  # prolonged sound mark typed for a dash
    ("1―2", "1-2"),  # horizontal bar
    ("1ｰ2", "1-2"),  # half-width prolonged sound mark, NFKC → 「ー」
    (" 1-2 ", "1-2"),
    ("1 - 2", "1-2"),
    ("3.0", "3"),
    (3.0, "3"),
    (3, "3"),
    ("３．０", "3"),
    ("12", "12"),
    ("1-2-3", "1-2-3"),
    ("10-11", "10-11"),
])
def test_read_row_id(text, expected):
    assert read_row_id(text) == expected


@pytest.mark.parametrize(("row_id", "_kind", "_stage", "_expected"), SEED_HANDLING_ROWS)
def test_read_row_id_seed_rows(row_id, _kind, _stage, _expected):
    assert read_row_id(row_id) == row_id


@pytest.mark.parametrize("text", ["", None, "   ", "a-1", "1-a", "1-", "-1", "1--2", "-", "1.5", "3.00", "1-2.0",
                                  "1.0-2", "1_2", "1/2", "1.2", ".0", "ID"])
def test_read_row_id_bad_raises(text):
    with pytest.raises(UnknownValue):
        read_row_id(text)


# ---- row_id_sort_key ----

def test_row_id_sort_key_values():
    assert row_id_sort_key("1-2") == (1, 2)
    assert row_id_sort_key("1-10") == (1, 10)
    assert row_id_sort_key("3") == (3,)
    assert row_id_sort_key("1-2-3") == (1, 2, 3)


def test_row_id_sort_key_is_numeric_not_textual():
    assert sorted(["1-10", "1-9"]) == ["1-10", "1-9"]  # text order would be wrong
    assert sorted(["1-10", "1-9"], key=row_id_sort_key) == ["1-9", "1-10"]


def test_row_id_sort_key_orders_a_mixed_list():
    ids = ["2-1", "1-10", "10-1", "1-2-1", "1-9", "1", "1-2", "9-99"]
    assert sorted(ids, key=row_id_sort_key) == ["1", "1-2", "1-2-1", "1-9", "1-10", "2-1", "9-99", "10-1"]


def test_row_id_sort_key_after_read_row_id():
    raw = ["１－１０", "1‐9", "1-2", "3.0"]
    assert sorted((read_row_id(r) for r in raw), key=row_id_sort_key) == ["1-2", "1-9", "1-10", "3"]
