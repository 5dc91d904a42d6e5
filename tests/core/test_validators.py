"""The validators every model uses: the My Number guard (text and JSON), counts of people, fiscal years."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from jichitai.core.mynumber import MASK
from jichitai.core.validators import (
    FISCAL_YEAR_MAX,
    FISCAL_YEAR_MIN,
    MAX_PERSONS,
    reject_my_number,
    reject_my_number_in_json,
    validate_fiscal_year,
    validate_municipality_code,
    validate_person_count,
)

NUMBER = "123456789018"
WRONG = "123456789017"


def messages(error: ValidationError) -> str:
    with translation.override("ja"):
        return " ".join(error.messages)


@pytest.mark.parametrize("value", [NUMBER, int(NUMBER), f"備考 {NUMBER[:4]}-{NUMBER[4:8]}-{NUMBER[8:]}",
                                   "１２３４\u3000５６７８\u3000９０１８"])
def test_reject_my_number_refuses_without_quoting(value):
    with pytest.raises(ValidationError) as caught:
        reject_my_number(value)
    assert caught.value.code == "my_number"
    text = messages(caught.value)
    assert "個人番号" in text and NUMBER not in text and NUMBER[:4] not in text


@pytest.mark.parametrize("value", [WRONG, NUMBER[:11], "1" + NUMBER, "", None, 0, "1234--5678--9018"])
def test_reject_my_number_accepts_near_misses(value):
    reject_my_number(value)


@pytest.mark.parametrize("value", [
    {"kpi": NUMBER}, {NUMBER: "key"}, [1, [2, {"x": f"番号 {NUMBER}"}]], int(NUMBER), [int(NUMBER)],
    {"target": float(NUMBER)}, {"target": int(NUMBER)},
])
def test_json_guard_looks_at_every_key_and_value(value):
    with pytest.raises(ValidationError) as caught:
        reject_my_number_in_json(value)
    assert caught.value.code == "my_number"


@pytest.mark.parametrize("value", [None, {}, [], {"kpi": WRONG}, [True, False, None, 1.5], {"a": [NUMBER[:11]]}])
def test_json_guard_accepts_what_holds_no_number(value):
    reject_my_number_in_json(value)


def test_person_count_bound():
    for value in (None, 0, 1, 123_800_000, MAX_PERSONS):
        validate_person_count(value)
    for value in (MAX_PERSONS + 1, int(NUMBER), int(WRONG), 10**12):
        with pytest.raises(ValidationError) as caught:
            validate_person_count(value)
        assert caught.value.code == "max_persons"
        text = messages(caught.value)
        assert "130,000,000" in text and str(value) not in text
        assert "日本の人口" in text or "人口" in text


def test_population_of_japan_is_below_the_bound_and_twelve_digits_above_it():
    assert 123_800_000 < MAX_PERSONS < 10**11


def test_fiscal_year_range():
    assert (FISCAL_YEAR_MIN, FISCAL_YEAR_MAX) == (1989, 2100)
    for value in (None, 1989, 2026, 2100):
        validate_fiscal_year(value)
    for value in (0, 1, 1988, 2101, 99999, int(NUMBER)):
        with pytest.raises(ValidationError) as caught:
            validate_fiscal_year(value)
        assert caught.value.code == "fiscal_year"
        text = messages(caught.value)
        assert "1989" in text and "2100" in text and "年度" in text


def test_municipality_code_message_never_quotes_a_number():
    with pytest.raises(ValidationError) as caught:
        validate_municipality_code(NUMBER)
    text = messages(caught.value)
    assert NUMBER not in text and MASK in text
    with pytest.raises(ValidationError) as caught:
        validate_municipality_code("131017")
    assert "131017" in messages(caught.value)  # an ordinary wrong code is still quoted
