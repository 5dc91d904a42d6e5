"""`jichitai incident-duty` (issue 5 command contract)."""

import datetime as dt
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from tests.helpers import db_state


def duty(capsys, *args, fmt="json"):
    call_command("incident-duty", *args, "--format", fmt)
    out = capsys.readouterr().out
    return json.loads(out) if fmt == "json" else out


def test_json_shape_for_more_than_100_persons_article_2_item_4(capsys):
    assert duty(capsys, "--known-at", "2025-10-01", "--persons", "101") == {
        "reportable": True, "grounds": [4], "preliminary_due": "2025-10-04", "final_due": "2025-10-31",
        "notify_persons": True}


def test_100_persons_are_not_reportable_article_2_item_4(capsys):
    assert duty(capsys, "--known-at", "2025-10-01", "--persons", "100") == {
        "reportable": False, "grounds": [], "preliminary_due": None, "final_due": None, "notify_persons": False}


def test_every_flag_and_60_days_for_improper_purpose_article_3_paragraph_2(capsys):
    data = duty(capsys, "--known-at", "2025-10-01T23:30", "--persons", "1", "--network-or-number-system",
                "--improper-purpose", "--public-exposure")
    assert data["grounds"] == [1, 2, 3]
    assert data["final_due"] == "2025-11-30"


def test_encrypted_excludes_every_ground_article_2_item_1(capsys):
    data = duty(capsys, "--known-at", "2025-10-01", "--persons", "5000", "--network-or-number-system",
                "--improper-purpose", "--public-exposure", "--encrypted")
    assert data == {"reportable": False, "grounds": [], "preliminary_due": None, "final_due": None,
                    "notify_persons": False}


def test_persons_left_out_are_unknown_and_possibly_more_than_100(capsys):
    assert duty(capsys, "--known-at", "2025-10-01")["grounds"] == [4]


def test_text_says_the_preliminary_date_is_guidance(capsys):
    out = duty(capsys, "--known-at", "2025-10-01", "--persons", "101", fmt="text")
    assert "速報: 令和7年10月4日 （目安。法定の日数はなく「速やかに」、報告規則 第3条第1項）" in out
    assert "確報: 令和7年10月31日 まで（報告規則 第3条第2項、知った日から30日以内）" in out


@pytest.mark.parametrize(("args", "message"), [
    (("--known-at", "FUTURE"), "未来の日時"),
    (("--known-at", "2025-10-01", "--persons", "-1"), "負の数"),
    (("--known-at", "2025-10-01", "--persons", "1.5"), "整数"),
    (("--known-at", "2025-10-01", "--persons", "abc"), "整数"),
    (("--known-at", "2025-02-30"), "存在しない日時"),
    (("--known-at", "10/1/2025"), "YYYY-MM-DD"),
])
def test_bad_input_exits_2_and_writes_nothing(capsys, db, args, message):
    future = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    args = tuple(future if a == "FUTURE" else a for a in args)
    before = db_state()
    with pytest.raises(CommandError) as error:
        call_command("incident-duty", *args, "--format", "json")
    assert error.value.returncode == 2
    assert message in str(error.value)
    assert json.loads(capsys.readouterr().out)["ok"] is False
    assert db_state() == before
