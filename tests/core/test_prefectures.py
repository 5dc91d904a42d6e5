import pytest

from jichitai.core import prefectures


def test_forty_seven_prefectures_in_jis_order():
    assert len(prefectures.PREFECTURES) == 47
    assert prefectures.prefecture_name("01") == "北海道"
    assert prefectures.prefecture_name("13") == "東京都"
    assert prefectures.prefecture_name("47") == "沖縄県"


@pytest.mark.parametrize(("number", "name"), [("00", "架空の県（00）"), ("48", "架空の県（48）"),
                                              ("99", "架空の県（99）")])
def test_numbers_no_prefecture_has(number, name):
    assert prefectures.prefecture_name(number) == name


def test_number_from_a_code_and_choices():
    assert prefectures.prefecture_number("131016") == "13" and prefectures.prefecture_number("01100") == "01"
    assert prefectures.choices(["99", "13", "99"]) == [("13", "東京都"), ("99", "架空の県（99）")]
