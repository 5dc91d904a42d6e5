"""The front door (issue 11): lockout and throttling, login events in the audit log, password rules, sessions,
the 「アカウント」 page, security headers, the API docs, and the secret key check."""

import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from jichitai.audit.models import AuditEntry

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "pw-for-tests-only"
LOGIN = "/accounts/login/"


def login(client, username, password):
    return client.post(LOGIN, {"username": username, "password": password})


def page_text(response) -> str:
    """The page without its CSRF tokens (a new one on every answer)."""
    text = response.content.decode()
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)
    return re.sub(r'"X-CSRFToken": "[^"]+"', "", text)


# ---- Lockout ---------------------------------------------------------------------------------------------------

def test_the_eleventh_wrong_password_and_then_the_right_one_are_refused_until_unlock(client, admin_user):
    assert settings.AXES_FAILURE_LIMIT == 10
    for _ in range(10):
        assert login(client, "admin", "wrong-password").status_code == 200
    eleventh = login(client, "admin", "wrong-password")
    assert eleventh.status_code == 200 and "_auth_user_id" not in client.session
    right = login(client, "admin", PASSWORD)
    assert right.status_code == 200 and "_auth_user_id" not in client.session

    reset(username="admin")  # what the admin's 「ロック解除」 does
    assert login(client, "admin", PASSWORD).status_code == 302
    assert "_auth_user_id" in client.session


def test_the_lock_survives_a_change_of_address(client, admin_user):
    for n in range(10):
        client.post(LOGIN, {"username": "admin", "password": "wrong"}, REMOTE_ADDR=f"10.0.0.{n + 1}")
    response = client.post(LOGIN, {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.9.9.9")
    assert response.status_code == 200 and "_auth_user_id" not in client.session


def test_the_lock_ends_with_the_cool_off(client, admin_user):
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    for _ in range(10):
        login(client, "admin", "wrong")
    assert login(client, "admin", PASSWORD).status_code == 200
    # 16 minutes later
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    assert login(client, "admin", PASSWORD).status_code == 302


def test_a_locked_account_looks_exactly_like_a_wrong_password(client, admin_user, viewer_user):
    for _ in range(10):
        login(client, "admin", "wrong")
    locked = login(client, "admin", PASSWORD)
    wrong = login(client, "viewer", "wrong")
    assert locked.status_code == wrong.status_code == 200
    assert page_text(locked).replace('value="admin"', "") == page_text(wrong).replace('value="viewer"', "")
    # and an unknown username answers the same way
    unknown = login(client, "nobody", "wrong")
    assert page_text(unknown).replace('value="nobody"', "") == page_text(wrong).replace('value="viewer"', "")


def test_one_address_is_throttled_across_accounts(client, admin_user, settings):
    settings.LOGIN_ADDRESS_LIMIT_PER_MINUTE = 3
    for n in range(3):
        assert login(client, f"someone{n}", "wrong").status_code == 200
    refused = login(client, "admin", PASSWORD)
    assert refused.status_code == 429
    assert "ログインの試行が多すぎます" in refused.content.decode()
    # another address is not affected
    other = client.post(LOGIN, {"username": "admin", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")
    assert other.status_code == 302


# ---- Login events in the audit log --------------------------------------------------------------------------

def actions(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id").values_list("action", flat=True))


def test_login_and_logout_are_audited_for_the_municipality(client, admin_user, municipality):
    assert login(client, "admin", PASSWORD).status_code == 302
    client.post("/accounts/logout/")
    assert actions(municipality=municipality) == ["login.success", "logout"]
    entry = AuditEntry.objects.get(action="login.success")
    assert entry.actor == admin_user and entry.object_repr == "admin"


def test_failure_and_lockout_are_audited_without_the_password(client, admin_user, municipality):
    for _ in range(10):
        login(client, "admin", "secret-typed-wrong")
    login(client, "admin", PASSWORD)
    assert actions(municipality=municipality, action="login.failure").__len__() == 11
    assert actions(municipality=municipality, action="login.lockout") == ["login.lockout"]
    everything = str(list(AuditEntry.objects.values()))
    assert "secret-typed-wrong" not in everything and PASSWORD not in everything


def test_the_association_admin_sees_a_secretariat_login(client, secretariat_user, association):
    login(client, "secretariat", PASSWORD)
    assert actions(association=association) == ["login.success"]


def test_a_failed_login_for_nobody_is_an_installation_entry_with_the_typed_name_masked(client, db):
    login(client, "123456789018", "wrong")  # a valid-looking individual number typed as a username
    entry = AuditEntry.objects.get(action="login.failure")
    assert entry.object_type == "installation" and entry.municipality is None
    assert "123456789018" not in str(entry.after)
    login(client, "x" * 400, "wrong")
    assert len(AuditEntry.objects.filter(action="login.failure").last().after["username"]) <= 150


def test_a_password_change_is_audited_and_keeps_this_session(client, admin_user, municipality):
    client.force_login(admin_user)
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "kumo-hashi-sora-77",
                                                  "new_password2": "kumo-hashi-sora-77"})
    assert response.status_code == 302
    assert "password.change" in actions(municipality=municipality)
    assert client.get("/account/").status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.check_password("kumo-hashi-sora-77")


# ---- Password rules and sessions ----------------------------------------------------------------------------

@pytest.mark.parametrize("password", ["19700101", "yamada-taro1", "Abcdefgh!2x", "password1234"])
def test_weak_passwords_are_refused(db, password):
    user = get_user_model()(username="yamada-taro", first_name="Taro", last_name="Yamada")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_good_password_passes(db):
    validate_password("kumo-hashi-sora-77", get_user_model()(username="yamada-taro"))


def test_the_password_change_page_refuses_a_short_password(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "Abcdefgh!2x",
                                                  "new_password2": "Abcdefgh!2x"})
    assert response.status_code == 200
    admin_user.refresh_from_db()
    assert admin_user.check_password(PASSWORD)


def test_sessions_end_after_thirty_idle_minutes(client, admin_user):
    from django.contrib.sessions.models import Session

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    login(client, "admin", PASSWORD)
    key = client.session.session_key
    first = Session.objects.get(pk=key).expire_date
    assert timedelta(minutes=29) < first - timezone.now() <= timedelta(minutes=30)
    # a request within the minute does not write the session; one after it renews the expiry
    client.get("/account/")
    assert Session.objects.get(pk=key).expire_date == first
    session = client.session
    session["_jichitai_seen"] -= 120
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(minutes=5))
    client.get("/account/")
    assert Session.objects.get(pk=key).expire_date - timezone.now() > timedelta(minutes=29)
    # and an idle session is gone
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/account/").status_code == 302


def test_log_out_everywhere_else(client, admin_user, municipality):
    from django.test import Client

    other = Client()
    other.force_login(admin_user)
    client.force_login(admin_user)
    page = client.get("/account/")
    assert page.content.decode().count("この端末") == 1 and page.context["sessions"].__len__() == 2
    assert client.post("/account/sessions/logout-others/").status_code == 302
    assert other.get("/account/").status_code == 302  # sent to the login page
    assert client.get("/account/").status_code == 200
    assert "sessions.logout_others" in actions(municipality=municipality)


# ---- Tokens on the account page (jichitai.orgs.token_services, written in parallel) -----------------------------

def test_tokens_are_listed_created_and_revoked_on_the_account_page(client, admin_user):
    token_services = pytest.importorskip("jichitai.orgs.token_services",
                                         reason="tokens are another part of issue 11 (orgs.token_services)")
    client.force_login(admin_user)
    created = client.post("/account/tokens/", {"name": "集計用", "expires_days": 30, "read_only": "on"})
    assert created.status_code == 200
    token = token_services.tokens_of(admin_user)[0]
    assert token.name == "集計用" and token.read_only
    page = client.get("/account/").content.decode()
    assert token.prefix in page and "集計用" in page
    assert client.post("/account/tokens/revoke/", {"prefix": token.prefix}).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_a_token_cannot_outlive_a_year(client, admin_user):
    pytest.importorskip("jichitai.orgs.token_services")
    client.force_login(admin_user)
    response = client.post("/account/tokens/", {"name": "長すぎ", "expires_days": 400})
    assert response.status_code == 200 and response.context["token_form"].errors


# ---- Headers ------------------------------------------------------------------------------------------------

def csp(response) -> dict:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in header.split(";") if part.strip()}


def test_the_csp_forbids_inline_script_and_other_origins(client, admin_user):
    client.force_login(admin_user)
    policy = csp(client.get("/account/"))
    assert policy["script-src"] == ["'self'"]
    assert policy["default-src"] == ["'self'"]
    for sources in policy.values():
        assert all(s.startswith("'") or s == "data:" for s in sources), sources
    assert "'unsafe-eval'" not in str(policy)


def test_no_template_has_inline_script_or_event_handlers():
    offenders = []
    for template in (ROOT / "src" / "jichitai").rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        for match in re.finditer(r"<script\b[^>]*>", text):
            if "src=" not in match.group(0) and "application/json" not in match.group(0):
                offenders.append(f"{template}: {match.group(0)}")
        offenders += [f"{template}: {m.group(0)}" for m in re.finditer(r"\son[a-z]+\s*=", text)]
    assert offenders == []


def test_hsts_is_sent_over_https(client, db, settings):
    settings.SECURE_HSTS_SECONDS = 31_536_000
    response = client.get(LOGIN, secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def settings_in_subprocess(env: dict, code: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("JICHITAI_", "DJANGO_"))}
    return subprocess.run([sys.executable, "-c", code], env={**base, "PYTHONPATH": str(ROOT / "src"), **env},
                          capture_output=True, text=True, timeout=60, check=False)


LONG_KEY = "k" * 60


def test_hsts_follows_the_secure_cookies_setting():
    code = "import jichitai.settings as s; print(getattr(s, 'SECURE_HSTS_SECONDS', 0))"
    on = settings_in_subprocess({"JICHITAI_SECRET_KEY": LONG_KEY, "JICHITAI_SECURE_COOKIES": "1"}, code)
    off = settings_in_subprocess({"JICHITAI_SECRET_KEY": LONG_KEY, "JICHITAI_SECURE_COOKIES": "0"}, code)
    assert on.stdout.strip() == "31536000" and off.stdout.strip() == "0", (on.stderr, off.stderr)


def test_a_short_secret_key_stops_the_start_with_a_japanese_message():
    short = settings_in_subprocess({"JICHITAI_SECRET_KEY": "abc"}, "import jichitai.settings")
    assert short.returncode != 0
    assert "JICHITAI_SECRET_KEY が短すぎます" in short.stderr and "50 文字以上" in short.stderr
    assert settings_in_subprocess({"JICHITAI_SECRET_KEY": LONG_KEY}, "import jichitai.settings").returncode == 0
    # debugging accepts any key
    assert settings_in_subprocess({"JICHITAI_SECRET_KEY": "abc", "JICHITAI_DEBUG": "1"},
                                  "import jichitai.settings").returncode == 0


# ---- API docs -----------------------------------------------------------------------------------------------

def test_the_api_docs_are_local_and_for_signed_in_users(client, viewer_user):
    anonymous = client.get("/api/v1/docs")
    assert anonymous.status_code in (302, 401)
    if anonymous.status_code == 302:
        assert anonymous["Location"].startswith(LOGIN)
    client.force_login(viewer_user)
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    text = page.content.decode()
    assert "swagger-ui-bundle.js" in text
    external = [url for url in re.findall(r"(?:https?:)?//[^\s\"'<>)]+", text) if "//testserver" not in url]
    assert external == []
    for word in ("cdn", "jsdelivr", "unpkg"):
        assert word not in text.lower()
    # the assets themselves are served by the product
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200
