"""JSON logs (JICHITAI_LOG_FORMAT=json, issue 15): one JSON object per line, the My Number mask kept."""

import json
import logging
import os
import subprocess
import sys

import pytest
from django.test import RequestFactory

from jichitai.core.logs import JsonFormatter
from jichitai.core.mynumber import MASK, my_number_check_digit

MY_NUMBER = "12345678901" + str(my_number_check_digit("12345678901"))


def record(msg, *args, name="jichitai.test", **extra) -> logging.LogRecord:
    made = logging.LogRecord(name, logging.WARNING, __file__, 1, msg, args or None, None)
    made.__dict__.update(extra)
    return made


def test_a_my_number_in_the_message_comes_out_masked_as_valid_json():
    line = JsonFormatter().format(record("届出の番号 %s を確認", MY_NUMBER))
    entry = json.loads(line)
    assert "\n" not in line
    assert entry["message"] == f"届出の番号 {MASK} を確認"
    assert MY_NUMBER not in line
    assert (entry["level"], entry["logger"]) == ("WARNING", "jichitai.test")
    assert entry["time"][:2] == "20" and entry["time"][-6] in "+-"  # ISO 8601 with its offset


def test_the_request_path_and_status_are_fields_and_masked():
    request = RequestFactory().get(f"/m/992011/?q={MY_NUMBER}")
    entry = json.loads(JsonFormatter().format(record("Bad Request: %s", request.path, name="django.request",
                                                     request=request, status_code=400)))
    assert (entry["path"], entry["method"], entry["status"]) == ("/m/992011/", "GET", 400)


def test_gunicorn_access_atoms_become_fields():
    atoms = {"U": "/accounts/login/", "q": f"n={MY_NUMBER}", "m": "GET", "s": "400", "D": 87_000,
             "r": f"GET /accounts/login/?n={MY_NUMBER} HTTP/1.1"}
    made = record('"%(r)s" %(s)s', name="gunicorn.access")
    made.args = atoms
    line = JsonFormatter().format(made)
    entry = json.loads(line)
    assert entry["path"] == f"/accounts/login/?n={MASK}"
    assert (entry["method"], entry["status"], entry["duration_ms"]) == ("GET", 400, 87)
    assert MY_NUMBER not in line


def test_an_exception_is_masked_too():
    try:
        raise ValueError(f"bad value {MY_NUMBER}")
    except ValueError:
        made = record("failed")
        made.exc_info = sys.exc_info()
    entry = json.loads(JsonFormatter().format(made))
    assert "ValueError: bad value" in entry["exception"] and MY_NUMBER not in entry["exception"]


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_the_setting_switches_every_log_line(tmp_path, fmt):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"} | {
        "DJANGO_SETTINGS_MODULE": "jichitai.settings", "JICHITAI_DEBUG": "0", "JICHITAI_DATA_DIR": str(tmp_path),
        "JICHITAI_SECRET_KEY": "log-test-secret-key-" + "k" * 40, "JICHITAI_LOG_FORMAT": fmt}
    code = ("import django, logging; django.setup(); "
            f"logging.getLogger('jichitai.x').warning('番号 %s', '{MY_NUMBER}'); "
            "logging.getLogger('django.request').error('Bad Request: /x')")
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 2 and MY_NUMBER not in done.stderr
    if fmt == "json":
        first, second = map(json.loads, lines)
        assert (first["message"], first["logger"]) == (f"番号 {MASK}", "jichitai.x")
        assert (second["level"], second["logger"]) == ("ERROR", "django.request")
    else:
        assert lines[0] == f"番号 {MASK}"


def test_an_unknown_format_is_refused(tmp_path):
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"} | {
        "DJANGO_SETTINGS_MODULE": "jichitai.settings", "JICHITAI_DEBUG": "1", "JICHITAI_LOG_FORMAT": "xml"}
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode != 0 and "JICHITAI_LOG_FORMAT must be text or json" in done.stderr
