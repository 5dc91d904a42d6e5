"""`jichitai serve` (issue 15): gunicorn started as a municipality starts it, on its own SQLite file whatever
database the suite runs on, answering /healthz; the access log masks an individual number in the query string;
refused with debugging on; the number of workers."""

import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from jichitai.core.mynumber import my_number_check_digit
from jichitai.ops.management.commands.serve import MAX_WORKERS, default_workers
from tests.test_concurrency import free_port

JICHITAI = [sys.executable, "-m", "jichitai.cli"]  # the `jichitai` console script
MY_NUMBER = "12345678901" + str(my_number_check_digit("12345678901"))


def production_env(directory: Path, **more) -> dict:
    """The real settings with debugging off, on directory/jichitai.sqlite3: DATABASE_URL is dropped, so the
    PostgreSQL run of CI does not send the server to pytest-django's test database."""
    inherited = {key: value for key, value in os.environ.items()
                 if key not in ("DATABASE_URL", "JICHITAI_CONN_MAX_AGE", "JICHITAI_LOG_FORMAT")}
    return inherited | {"DJANGO_SETTINGS_MODULE": "jichitai.settings", "JICHITAI_DATA_DIR": str(directory),
                        "JICHITAI_SECRET_KEY": "serve-test-secret-key-" + "k" * 40, "JICHITAI_DEBUG": "0",
                        "JICHITAI_ALLOWED_HOSTS": "127.0.0.1"} | more


def get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own server on loopback
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_answers_healthz_and_masks_the_access_log(tmp_path):
    env = production_env(tmp_path)
    migrate = subprocess.run([*JICHITAI, "migrate", "-v0"], env=env, cwd=tmp_path, capture_output=True, text=True,
                             timeout=120)
    assert migrate.returncode == 0, migrate.stderr
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen([*JICHITAI, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
                              env=env, cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT)
    try:
        base, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 20
        while True:
            try:
                status, body = get(f"{base}/healthz")
                break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
        assert (status, json.loads(body)) == (200, {"status": "ok"})
        # The guard refuses the number (400); the access log line of that request must not hold it either.
        assert get(f"{base}/accounts/login/?q={MY_NUMBER}")[0] == 400
        assert get(f"{base}/accounts/login/")[0] == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
    output = (tmp_path / "serve.log").read_text()
    assert "Jichitai を 127.0.0.1:" in output and "ワーカー 1" in output
    assert '"GET /healthz HTTP/1.1" 200' in output
    assert '"GET /accounts/login/?q=［個人番号と思われる数字］ HTTP/1.1" 400' in output
    assert MY_NUMBER not in output


def test_serve_refuses_with_debug_on(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError) as refused:
        call_command("serve")
    assert refused.value.returncode == 2
    assert "JICHITAI_DEBUG が有効なため起動しません" in str(refused.value)


@pytest.mark.django_db
def test_serve_refuses_a_database_that_lacks_a_migration(monkeypatch):
    monkeypatch.setattr("jichitai.ops.schema.pending_migrations",
                        lambda: ["cloud.0009_future", "orgs.0042_future"])
    with pytest.raises(CommandError) as refused:
        call_command("serve", "--workers", "1")
    assert refused.value.returncode == 2
    assert "未適用の移行が 2 件" in str(refused.value) and "jichitai upgrade" in str(refused.value)


@pytest.mark.parametrize(("cpus", "workers"), [(1, 3), (2, 5), (3, 7), (4, MAX_WORKERS), (64, MAX_WORKERS)])
def test_workers_are_two_per_cpu_plus_one_capped(cpus, workers):
    assert default_workers(cpus) == workers


def test_workers_out_of_range_are_refused(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError) as refused:
        call_command("serve", "--workers", "0")
    assert refused.value.returncode == 2 and "--workers" in str(refused.value)
