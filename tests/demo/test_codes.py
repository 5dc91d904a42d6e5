"""Fictional municipality codes for demo and bench data, enough for a national-size bench (1,741 and more)."""

import pytest

from jichitai.core.codes import is_valid_municipality_code
from jichitai.demo.builder import municipality_code


def test_the_first_four_hundred_are_the_codes_the_demo_always_used():
    assert [municipality_code(i) for i in (0, 1, 399)] == ["992011", "992038", "999997"]


def test_national_size_codes_are_valid_distinct_and_under_no_real_prefecture():
    codes = [municipality_code(i) for i in range(1_741)]
    assert len(set(codes)) == 1_741
    assert all(is_valid_municipality_code(code) for code in codes)
    assert all(int(code[:2]) >= 48 for code in codes)  # prefectures are 01 … 47
    assert municipality_code(400)[:5] == "99202" and municipality_code(798)[:5] == "99998"
    assert municipality_code(799)[:5] == "98201"


def test_beyond_the_fictional_prefectures_it_refuses():
    last = 799 * 52 - 1
    assert municipality_code(last)[:2] == "48"
    with pytest.raises(ValueError):
        municipality_code(last + 1)
    with pytest.raises(ValueError):
        municipality_code(-1)
