"""API tokens: scope, expiry, revocation, and what ends them; the `apitoken` command."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from jichitai.audit.models import AuditEntry
from jichitai.orgs.models import ApiToken
from jichitai.orgs.token_services import create_api_token, revoke_api_token, token_for, tokens_of


def _patch(client, process, token):
    return client.patch(f"/api/v1/processes/{process.pk}/progress",
                        json.dumps({"column": "業務フロー", "status": "done"}), content_type="application/json",
                        HTTP_AUTHORIZATION=f"Bearer {token}")


def _get(client, token):
    return client.get("/api/v1/municipalities", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_a_token_has_a_name_a_prefix_an_expiry_and_is_audited_where_its_user_works(admin_user, municipality):
    raw = create_api_token(actor=admin_user, via="web", user=admin_user, name="集計スクリプト")
    token = ApiToken.objects.get()
    assert raw.startswith(token.prefix) and len(token.prefix) == 8 and token.key_hash != raw
    assert token.name == "集計スクリプト" and not token.read_only
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)
    audit = AuditEntry.objects.get(action="apitoken.create")
    assert audit.municipality == municipality and audit.after["prefix"] == token.prefix
    assert raw not in json.dumps(audit.after)


@pytest.mark.parametrize("days", [0, 366, -1])
def test_expiry_outside_1_to_365_days_is_refused(admin_user, days):
    with pytest.raises(ValidationError, match="1〜365日"):
        create_api_token(actor=None, via="command", user=admin_user, expires_days=days)
    assert not ApiToken.objects.exists()


@pytest.mark.parametrize("days", [1, 365])
def test_expiry_bounds_are_accepted(admin_user, days):
    assert token_for(create_api_token(actor=None, via="command", user=admin_user, expires_days=days)) is not None


def test_read_only_token_reads_but_every_write_is_403(client, admin_user, process, municipality):
    raw = create_api_token(actor=None, via="command", user=admin_user, read_only=True)
    assert _get(client, raw).status_code == 200
    response = _patch(client, process, raw)
    assert response.status_code == 403
    assert response.json()["detail"] == "読み取り専用のAPIトークンでは変更できません。"
    assert client.post(f"/api/v1/processes/{process.pk}/flow", "{}", content_type="application/json",
                       HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 403
    assert not AuditEntry.objects.filter(action__startswith="progress").exists()
    assert ApiToken.objects.get().last_used_at is not None


def test_read_write_token_writes(client, admin_user, process):
    raw = create_api_token(actor=None, via="command", user=admin_user)
    assert _patch(client, process, raw).status_code == 200


def _assert_401(client, raw):
    response = _get(client, raw)
    assert response.status_code == 401
    assert "APIトークンが無効です" in response.json()["detail"]


def test_revoked_token_is_401(client, admin_user):
    raw = create_api_token(actor=None, via="command", user=admin_user)
    revoke_api_token(actor=admin_user, via="web", token=ApiToken.objects.get())
    _assert_401(client, raw)
    assert AuditEntry.objects.filter(action="apitoken.revoke").count() == 1


def test_expired_token_is_401(client, admin_user):
    raw = create_api_token(actor=None, via="command", user=admin_user, expires_days=1)
    ApiToken.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    _assert_401(client, raw)


def test_token_of_a_user_whose_password_changed_is_401(client, admin_user):
    raw = create_api_token(actor=None, via="command", user=admin_user)
    admin_user.set_password("a-new-long-password-2026")
    admin_user.save()
    _assert_401(client, raw)


def test_token_of_a_deactivated_user_is_401(client, admin_user):
    raw = create_api_token(actor=None, via="command", user=admin_user)
    admin_user.is_active = False
    admin_user.save()
    _assert_401(client, raw)


def test_unknown_token_and_no_credentials_are_401_in_japanese(client, db):
    _assert_401(client, "jt_unknown")
    response = client.get("/api/v1/municipalities")
    assert response.status_code == 401 and "ログイン" in response.json()["detail"]


def test_command_makes_lists_and_revokes(client, admin_user, capsys):
    call_command("apitoken", "admin", "--name", "夜間バッチ", "--expires-days", "30", "--read-only")
    raw = capsys.readouterr().out.strip()
    token = ApiToken.objects.get()
    assert raw.startswith(token.prefix) and token.read_only and token.name == "夜間バッチ"
    call_command("apitoken", "--list", "admin", "--format", "json")
    listed = json.loads(capsys.readouterr().out)["tokens"]
    assert [(t["prefix"], t["state"], t["read_only"]) for t in listed] == [(token.prefix, "active", True)]
    assert raw not in json.dumps(listed)
    call_command("apitoken", "--list", "admin")
    assert "夜間バッチ" in capsys.readouterr().out
    call_command("apitoken", "--revoke", token.prefix)
    assert "失効させました" in capsys.readouterr().out
    assert token_for(raw) is None
    call_command("apitoken", "--list", "admin", "--format", "json")
    assert json.loads(capsys.readouterr().out)["tokens"][0]["state"] == "revoked"
    _assert_401(client, raw)


@pytest.mark.parametrize("args", [["admin", "--expires-days", "366"], ["--revoke", "jt_nope"], ["nobody"], [],
                                  ["admin", "--list", "admin"]])
def test_command_refuses_bad_input_with_exit_2(admin_user, args):
    with pytest.raises(CommandError) as exc:
        call_command("apitoken", *args)
    assert exc.value.returncode == 2


def test_tokens_of_lists_newest_first(admin_user):
    create_api_token(actor=None, via="command", user=admin_user, name="一")
    create_api_token(actor=None, via="command", user=admin_user, name="二")
    assert [t.name for t in tokens_of(admin_user)] == ["二", "一"]
