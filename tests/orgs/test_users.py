"""利用者管理: services (who may do what, audit), the `jichitai user` command, the pages, and a fresh install
made usable with the commands alone."""

import io
import json
import sys

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from jichitai.audit.models import AuditEntry
from jichitai.core.codes import with_check_digit
from jichitai.orgs import scoping, services
from jichitai.orgs.models import Association, Membership, Municipality
from tests.helpers import enrol_two_factor_on_the_web

GOOD_PASSWORD = "hamanasu-kaido-29"
User = get_user_model()


def run(capsys, *args, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        args = (*args, "--password-stdin")
    call_command("user", *args)
    return json.loads(capsys.readouterr().out) if "--format" in args else capsys.readouterr().out


# --- scoping ------------------------------------------------------------------------------------------------


def test_secretariat_admin_reads_like_the_secretariat(secretariat_admin_user, municipality, association):
    assert list(scoping.visible(Municipality.objects.all(), secretariat_admin_user)) == [municipality]
    assert list(scoping.visible(Association.objects.all(), secretariat_admin_user)) == [association]
    assert scoping.access(secretariat_admin_user, municipality) == (False, True)
    assert scoping.is_secretariat(secretariat_admin_user, association)


def test_operator_manages_users_but_sees_no_tenant_data(operator_user, municipality, admin_user):
    assert scoping.visible(Municipality.objects.all(), operator_user).count() == 0
    assert scoping.visible(Association.objects.all(), operator_user).count() == 0
    assert scoping.manages_user(operator_user, admin_user)
    assert scoping.may_grant(operator_user, "admin", municipality=municipality)


def test_who_may_grant_what(admin_user, viewer_user, secretariat_user, secretariat_admin_user, municipality,
                            other_municipality, association):
    assert scoping.may_grant(admin_user, "editor", municipality=municipality)
    assert not scoping.may_grant(admin_user, "editor", municipality=other_municipality)
    assert not scoping.may_grant(admin_user, "secretariat", association=association)
    assert not scoping.may_grant(viewer_user, "viewer", municipality=municipality)
    assert not scoping.may_grant(secretariat_user, "admin", municipality=municipality)
    assert scoping.may_grant(secretariat_admin_user, "secretariat", association=association)
    # The first 管理者 of a member: only while no admin has signed in there.
    assert scoping.may_grant(secretariat_admin_user, "admin", municipality=municipality)
    assert not scoping.may_grant(secretariat_admin_user, "editor", municipality=municipality)
    User.objects.filter(pk=admin_user.pk).update(last_login="2026-04-01T09:00+09:00")
    assert not scoping.may_grant(secretariat_admin_user, "admin", municipality=municipality)
    assert not scoping.may_grant(secretariat_admin_user, "admin", municipality=other_municipality)


# --- services -----------------------------------------------------------------------------------------------


def test_add_user_with_a_password_is_audited_in_the_municipality(admin_user, municipality):
    user, token = services.add_user(actor=admin_user, via="web", username="sato", name="佐藤 花子", role="editor",
                                    municipality=municipality, password=GOOD_PASSWORD)
    assert token is None and user.check_password(GOOD_PASSWORD) and user.first_name == "佐藤 花子"
    assert user.memberships.get().role == "editor"
    actions = set(AuditEntry.objects.filter(municipality=municipality).values_list("action", flat=True))
    assert {"user.create", "membership.grant"} <= actions


@pytest.mark.parametrize("password", ["sato12345678", "19700101", "short", "password1234"])
def test_weak_passwords_are_refused(admin_user, municipality, password):
    with pytest.raises(ValidationError):
        services.add_user(actor=admin_user, via="web", username="sato12345678", role="viewer",
                          municipality=municipality, password=password)
    assert not User.objects.filter(username="sato12345678").exists()


def test_set_up_link_works_once_and_a_reset_ends_the_old_one(admin_user, municipality):
    user, token = services.add_user(actor=admin_user, via="web", username="suzuki", role="viewer",
                                    municipality=municipality)
    assert not user.has_usable_password()
    assert services.user_for_setup_token(token) == user
    assert services.user_for_setup_token(token + "x") is None
    new_token = services.reset_password(actor=admin_user, via="web", user=user)
    assert services.user_for_setup_token(token) is None
    services.set_password_from_link(token=new_token, password=GOOD_PASSWORD)
    user.refresh_from_db()
    assert user.check_password(GOOD_PASSWORD)
    with pytest.raises(ValidationError, match="無効か、期限"):
        services.set_password_from_link(token=new_token, password=GOOD_PASSWORD + "x")


def test_set_up_link_expires_after_72_hours(admin_user, municipality, monkeypatch):
    user, token = services.add_user(actor=admin_user, via="web", username="kato", role="viewer",
                                    municipality=municipality)
    import time

    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + 72 * 3600 + 5)
    assert services.user_for_setup_token(token) is None


def test_admins_act_only_on_their_own_users(admin_user, outsider_user, viewer_user, municipality,
                                            other_municipality):
    with pytest.raises(PermissionDenied):
        services.add_user(actor=outsider_user, via="web", username="x1", role="viewer", municipality=municipality)
    with pytest.raises(PermissionDenied):
        services.deactivate_user(actor=outsider_user, via="web", user=viewer_user)
    with pytest.raises(PermissionDenied):
        services.reset_password(actor=viewer_user, via="web", user=admin_user)
    # Someone who also works for another municipality is not deactivated by this one's admin.
    services.grant_role(actor=None, via="command", user=viewer_user, role="viewer", municipality=other_municipality)
    with pytest.raises(PermissionDenied):
        services.deactivate_user(actor=admin_user, via="web", user=viewer_user)
    own = viewer_user.memberships.get(municipality=municipality)
    services.revoke_role(actor=admin_user, via="web", membership=own)
    assert list(viewer_user.memberships.values_list("municipality", flat=True)) == [other_municipality.pk]


def test_one_person_holds_roles_in_several_municipalities(viewer_user, municipality, other_municipality):
    services.grant_role(actor=None, via="command", user=viewer_user, role="editor", municipality=other_municipality)
    assert set(scoping.visible(Municipality.objects.all(), viewer_user)) == {municipality, other_municipality}
    assert not scoping.can_write(viewer_user, municipality) and scoping.can_write(viewer_user, other_municipality)
    # A second grant in the same municipality changes the role rather than adding one.
    services.grant_role(actor=None, via="command", user=viewer_user, role="admin", municipality=municipality)
    assert viewer_user.memberships.count() == 2 and scoping.can_write(viewer_user, municipality)


def test_deactivate_keeps_the_account_and_the_name_in_the_audit(admin_user, viewer_user, municipality):
    services.deactivate_user(actor=admin_user, via="web", user=viewer_user)
    viewer_user.refresh_from_db()
    assert not viewer_user.is_active and User.objects.filter(username="viewer").exists()
    entry = AuditEntry.objects.get(action="user.deactivate")
    assert entry.municipality == municipality and entry.object_repr == "viewer"
    with pytest.raises(ValidationError):
        services.deactivate_user(actor=admin_user, via="web", user=admin_user)


def test_unlock_clears_an_axes_lockout_and_is_audited(admin_user, viewer_user, municipality, settings):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(username="viewer", ip_address="192.0.2.1", user_agent="t", get_data="",
                                 post_data="", http_accept="", path_info="/accounts/login/",
                                 failures_since_start=settings.AXES_FAILURE_LIMIT)
    assert services.lockout_status(["viewer"]) == {"viewer": True}
    services.unlock_user(actor=admin_user, via="web", user=viewer_user)
    assert services.lockout_status(["viewer"]) == {"viewer": False}
    assert AuditEntry.objects.filter(action="user.unlock", municipality=municipality).exists()


def test_role_and_scope_must_fit(admin_user, municipality, association):
    with pytest.raises(ValidationError, match="協議会を指定"):
        services.add_user(actor=None, via="command", username="x", role="secretariat", municipality=municipality)
    with pytest.raises(ValidationError, match="既に使われています"):
        services.add_user(actor=None, via="command", username="admin", role="viewer", municipality=municipality)


# --- the command --------------------------------------------------------------------------------------------


def test_user_add_with_set_up_link_json(capsys, municipality):
    data = run(capsys, "add", "tanaka", "--municipality", municipality.code, "--role", "editor",
               "--name", "田中 一郎", "--format", "json")
    assert data["ok"] and data["setup_path"].startswith("/accounts/setup/")
    assert services.user_for_setup_token(data["setup_path"].split("/")[3]).username == "tanaka"
    assert AuditEntry.objects.filter(action="user.create", via="command", actor_name="system").exists()


def test_user_add_password_stdin_grant_list_revoke_deactivate_unlock(capsys, monkeypatch, municipality,
                                                                     other_municipality, association):
    out = run(capsys, "add", "kyoku", "--association", association.name, "--role", "secretariat_admin",
              stdin=GOOD_PASSWORD + "\n", monkeypatch=monkeypatch)
    assert "事務局管理者" in out
    assert User.objects.get(username="kyoku").check_password(GOOD_PASSWORD)
    run(capsys, "grant", "kyoku", "--municipality", other_municipality.code, "--role", "viewer")
    listing = run(capsys, "list", "--format", "json")
    assert {(u["username"], u["role"]) for u in listing["users"]} >= {("kyoku", "secretariat_admin"),
                                                                      ("kyoku", "viewer")}
    assert "kyoku" in run(capsys, "list", "--association", association.name)
    run(capsys, "revoke", "kyoku", "--municipality", other_municipality.code)
    assert Membership.objects.filter(user__username="kyoku").count() == 1
    assert "ロックを解除" in run(capsys, "unlock", "kyoku")
    assert "無効" in run(capsys, "deactivate", "kyoku")
    assert not User.objects.get(username="kyoku").is_active


def test_operator_add(capsys, monkeypatch, db):
    run(capsys, "add", "ops", "--operator", stdin=GOOD_PASSWORD + "\n", monkeypatch=monkeypatch)
    assert Membership.objects.get(user__username="ops").role == "operator"


@pytest.mark.parametrize("args", [
    ["add", "x", "--municipality", "123456", "--role", "admin"],  # bad check digit
    ["add", "x", "--association", "ない協議会", "--role", "secretariat"],
    ["add", "x", "--association", "A県市町村振興協会", "--role", "admin"],  # role does not fit the scope
    ["deactivate", "nobody"],
])
def test_invalid_input_exits_2_and_writes_nothing(capsys, association, args):
    with pytest.raises(CommandError) as caught:
        call_command("user", *args, "--format", "json")
    assert caught.value.returncode == 2
    assert json.loads(capsys.readouterr().out)["ok"] is False
    assert not User.objects.filter(username="x").exists()


# --- the pages ----------------------------------------------------------------------------------------------


def test_admin_lists_filters_and_exports(client_for, admin_user, viewer_user, secretariat_user, municipality):
    client = client_for(admin_user)
    html = client.get(f"/m/{municipality.code}/users/").content.decode()
    assert "viewer" in html and "admin" in html and "secretariat" not in html
    html = client.get(f"/m/{municipality.code}/users/?role=viewer").content.decode()
    assert "<td>viewer</td>" in html and "<td>admin</td>" not in html
    response = client.get(f"/m/{municipality.code}/users.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell.value for row in sheet.iter_rows() for cell in row]
    assert "viewer" in values and "閲覧者" in values and "未設定" in values


def test_admin_adds_with_initial_password_shown_once(client_for, admin_user, municipality):
    client = client_for(admin_user)
    response = client.post(f"/m/{municipality.code}/users/new/",
                           {"username": "ito", "name": "伊藤", "role": "editor", "method": "password"})
    assert response.status_code == 200
    password = response.context["password"]
    assert User.objects.get(username="ito").check_password(password)
    assert password not in client.get(f"/m/{municipality.code}/users/").content.decode()


def test_admin_changes_role_resets_and_deactivates(client_for, admin_user, viewer_user, municipality):
    client = client_for(admin_user)
    membership = viewer_user.memberships.get()
    base = f"/m/{municipality.code}/users/{membership.pk}"
    assert client.post(f"{base}/role/", {"role": "editor"}).status_code == 302
    assert Membership.objects.get(pk=membership.pk).role == "editor"
    response = client.post(f"{base}/reset/")
    assert "/accounts/setup/" in response.context["link"]
    assert client.post(f"{base}/deactivate/").status_code == 302
    assert not User.objects.get(pk=viewer_user.pk).is_active


def test_admin_cannot_reach_another_municipalitys_membership(client_for, admin_user, outsider_user, municipality):
    other = outsider_user.memberships.get()
    assert client_for(admin_user).post(f"/m/{municipality.code}/users/{other.pk}/deactivate/").status_code == 404
    assert User.objects.get(pk=outsider_user.pk).is_active


def test_secretariat_admin_adds_secretariat_user_and_first_member_admin(client_for, secretariat_admin_user,
                                                                         association, municipality):
    client = client_for(secretariat_admin_user)
    assert client.get(f"/a/{association.pk}/users/").status_code == 200
    response = client.post(f"/a/{association.pk}/users/new/", {"username": "kyoku2", "role": "secretariat",
                                                               "method": "link"})
    assert response.status_code == 200 and Membership.objects.get(user__username="kyoku2").association == association
    response = client.post(f"/a/{association.pk}/users/new/", {"username": "first_admin", "role": "admin",
                                                               "municipality": municipality.pk, "method": "link"})
    assert response.status_code == 200
    assert Membership.objects.get(user__username="first_admin").municipality == municipality


def test_setup_page_sets_a_password_with_the_validators(client, admin_user, municipality):
    user, token = services.add_user(actor=admin_user, via="web", username="watanabe", name="渡辺",
                                    role="viewer", municipality=municipality)
    response = client.post(f"/accounts/setup/{token}/", {"password1": "watanabe", "password2": "watanabe"})
    assert response.status_code == 200 and response.context["form"].errors
    response = client.post(f"/accounts/setup/{token}/", {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD})
    assert response.status_code == 302
    assert client.get(f"/accounts/setup/{token}/").context["setup_user"] is None


# --- a fresh installation -----------------------------------------------------------------------------------


def login(client, username, password):
    client.logout()
    response = client.post("/accounts/login/", {"username": username, "password": password})
    assert response.status_code == 302, response.content[:500]
    return client


def test_fresh_install_is_made_usable_with_the_commands_alone(capsys, monkeypatch, tmp_path, client, db):
    # The test database is migrated already (the `jichitai migrate` step).
    call_command("loadreference")
    code = with_check_digit("99201")
    members = tmp_path / "団体一覧.csv"
    members.write_text(f"団体コード,団体名,人口\n{code},テスト市,50000\n", encoding="utf-8")
    call_command("import", str(members), "--association", "A県市町村振興協会")
    capsys.readouterr()
    for args in (["ops", "--operator"], ["kyoku", "--association", "A県市町村振興協会", "--role", "secretariat_admin"],
                 ["shichou", "--municipality", code, "--role", "admin", "--name", "市 管理者"]):
        run(capsys, "add", *args, stdin=GOOD_PASSWORD + "\n", monkeypatch=monkeypatch)

    login(client, "ops", GOOD_PASSWORD)
    assert client.get("/")["Location"] == "/account/2fa/"  # the operator registers an authenticator first
    enrol_two_factor_on_the_web(client, "ops")
    assert client.get("/")["Location"] == "/operator/"  # no tenant data: 団体管理 (tests/orgs/test_operator_pages.py)
    association = Association.objects.get()

    login(client, "kyoku", GOOD_PASSWORD)
    assert client.get(f"/a/{association.pk}/").status_code == 200
    response = client.post(f"/a/{association.pk}/users/new/", {"username": "kyoku_staff", "role": "secretariat",
                                                               "method": "password"})
    assert response.status_code == 200
    staff_password = response.context["password"]

    login(client, "shichou", GOOD_PASSWORD)
    assert client.get(f"/m/{code}/").status_code == 200
    response = client.post(f"/m/{code}/users/new/", {"username": "henshu", "role": "editor", "method": "link"})
    link = response.context["link"]
    client.logout()
    token_path = link[link.index("/accounts/setup/"):]
    assert client.post(token_path, {"password1": GOOD_PASSWORD, "password2": GOOD_PASSWORD}).status_code == 302

    login(client, "henshu", GOOD_PASSWORD)
    assert client.get(f"/m/{code}/").status_code == 200
    login(client, "kyoku_staff", staff_password)
    assert client.get(f"/a/{association.pk}/").status_code == 200
    assert AuditEntry.objects.filter(action="user.create").count() == 5


def test_the_menu_offers_user_management_to_those_who_manage(client_for, admin_user, viewer_user, secretariat_user,
                                                             secretariat_admin_user, municipality, association):
    users_url, association_users_url = f"/m/{municipality.code}/users/", f"/a/{association.pk}/users/"
    assert users_url in client_for(admin_user).get(f"/m/{municipality.code}/").content.decode()
    assert users_url not in client_for(viewer_user).get(f"/m/{municipality.code}/").content.decode()
    assert users_url not in client_for(secretariat_user).get(f"/m/{municipality.code}/").content.decode()
    assert association_users_url not in client_for(secretariat_user).get(f"/a/{association.pk}/").content.decode()
    page = client_for(secretariat_admin_user).get(f"/a/{association.pk}/").content.decode()
    assert association_users_url in page and f"/a/{association.pk}/audit/" in page
