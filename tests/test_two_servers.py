"""Stateless app servers (issue 12): two servers on two ports share one database, and nothing a request needs is
kept in one server's memory or on its disk. A write through one is read through the other; a session begun on
one is signed in on the other. On PostgreSQL both use the test database; on SQLite both open one file."""

import json
import re
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from jichitai.orgs.token_services import create_api_token
from tests.test_concurrency import call, on_a_file, on_the_test_database, runserver  # noqa: F401 - a fixture

PASSWORD = "pw-for-tests-only"


def _json(url: str, token: str):
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})  # noqa: S310 - our own server
    with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - our own server
        return json.loads(response.read())


@pytest.mark.django_db(transaction=True)
def test_a_write_through_one_server_is_read_through_the_other(process, admin_user, runserver, tmp_path):  # noqa: F811
    # The servers run the real settings, whose hashers do not include the tests' fast one (set before the token:
    # a token ends with a password change).
    admin_user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    admin_user.save(update_fields=["password"])
    token = create_api_token(actor=None, via="command", user=admin_user)
    env = (on_the_test_database(tmp_path) if connection.vendor == "postgresql" else on_a_file(tmp_path)) | {
        "JICHITAI_SECURE_COOKIES": "0"}
    probe = f"/api/v1/processes/{process.pk}"
    first, second = runserver(env, probe, token), runserver(env, probe, token)
    assert first != second

    def cells_on_the_second():
        rows = _json(f"{second}/api/v1/municipalities/{process.municipality.code}/progress/rows", token)
        return next(row["cells"] for row in rows["items"] if row["id"] == process.pk)

    assert "done" not in cells_on_the_second().values()
    assert call(f"{first}/api/v1/processes/{process.pk}/progress", token, "PATCH",
                {"column": "flow", "status": "done"}) == 200
    assert "done" in cells_on_the_second().values()

    # A session begun on the first server is signed in on the second (sessions live in the database).
    jar = CookieJar()
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = browser.open(f"{first}/accounts/login/").read().decode()
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    signed_in = browser.open(f"{first}/accounts/login/", data=urlencode({
        "csrfmiddlewaretoken": csrf, "username": admin_user.username, "password": PASSWORD}).encode())
    assert "/accounts/login/" not in signed_in.url, signed_in.read().decode()[-1500:]
    answer = browser.open(f"{second}/m/{process.municipality.code}/")
    assert answer.status == 200 and answer.url == f"{second}/m/{process.municipality.code}/", answer.url
    body = answer.read().decode()
    assert process.name in body
