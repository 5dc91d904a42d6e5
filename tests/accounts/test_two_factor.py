"""Two-factor authentication (issue 11): the pure rules, enrolment with a QR code drawn on the server, the
second step of a login, recovery codes, the scopes' policies, an admin's reset, and the audit of each."""

import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jichitai.accounts import rules
from jichitai.accounts import two_factor_services as services
from jichitai.accounts.middleware import TWO_FACTOR_STEP
from jichitai.audit.models import AuditEntry
from jichitai.orgs import queries
from jichitai.orgs.models import Membership, TwoFactorPolicy
from tests.helpers import as_if_time_passed, code_for, enrol

PASSWORD = "pw-for-tests-only"


def login(client, user):
    return client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})


def last_entry_id() -> int:
    """The newest entry's id (not the count: PostgreSQL does not reuse ids of rolled-back tests)."""
    return AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def actions(**scope) -> list[str]:
    return list(AuditEntry.objects.filter(**scope).order_by("pk").values_list("action", flat=True))


# ---- rules -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("pairs", "expected"), [
    ([], False),
    ([("viewer", "none")], False),
    ([("viewer", "admins")], False),
    ([("editor", "admins")], False),
    ([("admin", "admins")], True),
    ([("secretariat_admin", "admins")], True),
    ([("secretariat", "admins")], False),
    ([("viewer", "everyone")], True),
    ([("viewer", "none"), ("viewer", "everyone")], True),  # one scope that requires it is enough
    ([("admin", "none"), ("viewer", "admins")], False),  # admin where nobody requires it
    ([("operator", "admins")], True),
    ([("admin", "unknown")], False),
])
def test_who_must_use_two_factor(pairs, expected):
    assert rules.requires_two_factor(pairs) is expected


@pytest.mark.parametrize(("has_device", "required", "step"), [
    (False, False, rules.STEP_NONE), (False, True, rules.STEP_ENROL),
    (True, False, rules.STEP_VERIFY), (True, True, rules.STEP_VERIFY),
])
def test_step_after_password(has_device, required, step):
    assert rules.step_after_password(has_device=has_device, required=required) == step


def test_disable_only_where_not_required():
    assert rules.may_disable(required=False) and not rules.may_disable(required=True)


def test_the_model_choices_are_the_rules_policies():
    assert tuple(TwoFactorPolicy.values) == rules.POLICIES


# ---- enrolment -------------------------------------------------------------------------------------------------

def test_enrolment_draws_the_qr_code_here_and_gives_recovery_codes_once(client_for, admin_user, municipality):
    client = client_for(admin_user)
    page = client.get("/account/2fa/").content.decode()
    assert "<svg" not in page and "未設定" in page
    assert client.post("/account/2fa/enrol/").status_code == 302
    page = client.get("/account/2fa/").content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.S).group(0)
    assert "http" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched from elsewhere
    device = TOTPDevice.objects.get(user=admin_user)
    assert not device.confirmed

    before = last_entry_id()
    wrong = client.post("/account/2fa/confirm/", {"confirm-code": "000000" if code_for(device) != "000000"
                                                   else "111111"})
    assert "コードが正しくありません" in wrong.content.decode()
    assert not TOTPDevice.objects.get(pk=device.pk).confirmed
    as_if_time_passed(device)

    done = client.post("/account/2fa/confirm/", {"confirm-code": code_for(device)})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == 10
    assert set(StaticToken.objects.filter(device__user=admin_user).values_list("token", flat=True)) == set(codes)
    assert TOTPDevice.objects.get(pk=device.pk).confirmed
    assert "two_factor.enable" in actions(municipality=municipality, pk__gt=before)
    # Shown once: the page drawn again has no codes.
    assert not re.findall(r"<li><code>", client.get("/account/2fa/").content.decode())


def test_enrolling_again_replaces_the_old_authenticator(admin_user):
    old, _ = enrol(admin_user)
    new, _ = enrol(admin_user)
    assert list(TOTPDevice.objects.filter(user=admin_user).values_list("pk", flat=True)) == [new.pk]
    assert old.pk != new.pk


# ---- the second step of a login -------------------------------------------------------------------------------

def test_a_login_with_an_authenticator_asks_for_a_code_before_anything_else(client, admin_user, municipality):
    device, _ = enrol(admin_user)
    assert login(client, admin_user)["Location"] == "/"
    assert client.session[TWO_FACTOR_STEP] == "verify"
    page = client.get(f"/m/{municipality.code}/")
    assert page.status_code == 302 and page["Location"] == "/account/2fa/verify/"
    api = client.get("/api/v1/municipalities")
    assert api.status_code == 401 and "2段階認証" in api.json()["detail"]

    before = last_entry_id()
    wrong = client.post("/account/2fa/verify/", {"code": "12345x"})
    assert wrong.status_code == 200 and "コードが正しくありません" in wrong.content.decode()
    assert client.get(f"/m/{municipality.code}/").status_code == 302
    as_if_time_passed(device)
    right = client.post("/account/2fa/verify/", {"code": code_for(device)})
    assert right.status_code == 302 and right["Location"] == "/"
    assert client.get(f"/m/{municipality.code}/").status_code == 200
    assert TWO_FACTOR_STEP not in client.session
    assert actions(municipality=municipality, pk__gt=before) == ["login.two_factor_failure",
                                                                 "login.two_factor_success"]
    success = AuditEntry.objects.filter(action="login.success", municipality=municipality).last()
    assert success.after["two_factor"] == "verify"


def test_a_wrong_code_makes_the_next_one_wait(client, admin_user):
    device, _ = enrol(admin_user)
    login(client, admin_user)
    client.post("/account/2fa/verify/", {"code": "000001" if code_for(device) != "000001" else "000002"})
    # Even the right code is refused at once after a failure (django-otp's throttle doubles the wait).
    assert client.post("/account/2fa/verify/", {"code": code_for(device)}).status_code == 200
    assert client.session[TWO_FACTOR_STEP] == "verify"


def test_a_recovery_code_works_once(client, admin_user, municipality):
    _, codes = enrol(admin_user)
    login(client, admin_user)
    assert client.post("/account/2fa/verify/", {"code": codes[0]})["Location"] == "/"
    assert services.recovery_codes_left(admin_user) == 9
    entry = AuditEntry.objects.filter(action="login.two_factor_success").last()
    assert entry.after["method"] == "recovery" and entry.after["recovery_codes_left"] == 9
    client.post("/accounts/logout/")
    cache.clear()
    login(client, admin_user)
    StaticDevice.objects.filter(user=admin_user).update(throttling_failure_count=0)
    assert client.post("/account/2fa/verify/", {"code": codes[0]}).status_code == 200  # used up
    assert client.session[TWO_FACTOR_STEP] == "verify"


def test_recovery_codes_made_again_end_the_old_ones(client_for, admin_user):
    device, old = enrol(admin_user)
    client = client_for(admin_user)
    page = client.post("/account/2fa/recovery-codes/", {"recovery-code": code_for(device)}).content.decode()
    new = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new) == 10 and not set(new) & set(old)
    assert not StaticToken.objects.filter(token__in=old).exists()
    assert AuditEntry.objects.filter(action="two_factor.recovery_codes").exists()


def test_a_user_switches_it_off_with_a_code_where_it_is_not_required(client_for, admin_user, municipality):
    device, _ = enrol(admin_user)
    client = client_for(admin_user)
    assert client.post("/account/2fa/disable/", {"disable-code": "999999" if code_for(device) != "999999"
                                                 else "888888"}).status_code == 200
    assert TOTPDevice.objects.filter(user=admin_user).exists()
    as_if_time_passed(device)
    assert client.post("/account/2fa/disable/", {"disable-code": code_for(device)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=admin_user).exists()
    assert not StaticToken.objects.filter(device__user=admin_user).exists()
    assert "two_factor.disable" in actions(municipality=municipality)


# ---- policies ---------------------------------------------------------------------------------------------------

def test_a_policy_makes_users_enrol_at_their_next_login(client, client_for, admin_user, viewer_user, municipality):
    admin = client_for(admin_user)
    response = admin.post(f"/m/{municipality.code}/users/two-factor/", {"policy": "everyone"})
    assert response.status_code == 302
    municipality.refresh_from_db()
    assert municipality.two_factor_policy == "everyone"
    entry = AuditEntry.objects.get(action="two_factor.policy", municipality=municipality)
    assert (entry.before, entry.after) == ({"two_factor_policy": "none"}, {"two_factor_policy": "everyone"})
    admin.post("/accounts/logout/")

    login(client, viewer_user)
    assert client.get(f"/m/{municipality.code}/")["Location"] == "/account/2fa/"
    page = client.get("/account/2fa/").content.decode()
    assert "必須" in page and "無効にする" not in page
    client.post("/account/2fa/enrol/")
    device = TOTPDevice.objects.get(user=viewer_user)
    client.post("/account/2fa/confirm/", {"confirm-code": code_for(device)})
    assert client.get(f"/m/{municipality.code}/").status_code == 200
    as_if_time_passed(device)
    refused = client.post("/account/2fa/disable/", {"disable-code": code_for(device)})
    assert "必須のため" in refused.content.decode()
    assert TOTPDevice.objects.filter(user=viewer_user, confirmed=True).exists()


def test_admins_only_leaves_editors_and_viewers_free(viewer_user, admin_user, municipality):
    services.set_policy(actor=admin_user, via="web", scope_object=municipality, policy="admins")
    assert services.required_for(admin_user) and not services.required_for(viewer_user)


def test_an_association_policy_covers_its_secretariat(secretariat_admin_user, secretariat_user, association,
                                                      municipality, admin_user):
    services.set_policy(actor=secretariat_admin_user, via="web", scope_object=association, policy="admins")
    assert services.required_for(secretariat_admin_user)
    assert not services.required_for(secretariat_user) and not services.required_for(admin_user)


def test_only_those_who_manage_the_users_set_the_policy(client_for, viewer_user, secretariat_user, municipality):
    with pytest.raises(ValidationError):
        services.set_policy(actor=viewer_user, via="web", scope_object=municipality, policy="everyone")
    assert client_for(secretariat_user).post(f"/m/{municipality.code}/users/two-factor/",
                                             {"policy": "everyone"}).status_code == 403
    municipality.refresh_from_db()
    assert municipality.two_factor_policy == "none"


def test_the_operator_enrols_unless_the_setting_is_off(client, operator_user, settings):
    assert services.required_for(operator_user)
    login(client, operator_user)
    assert client.session[TWO_FACTOR_STEP] == "enrol"
    settings.JICHITAI_OPERATOR_TWO_FACTOR = False
    assert not services.required_for(operator_user)


# ---- 利用者管理 --------------------------------------------------------------------------------------------------

def test_users_list_shows_two_factor_and_an_admin_resets_it(client_for, admin_user, viewer_user, municipality):
    enrol(viewer_user)
    rows = {row.username: row for row in queries.user_rows(Membership.objects.filter(municipality=municipality))}
    assert rows[viewer_user.username].two_factor is True and rows[admin_user.username].two_factor is False
    membership = Membership.objects.get(user=viewer_user, municipality=municipality)
    client = client_for(admin_user)
    assert "2段階認証をリセット" in client.get(f"/m/{municipality.code}/users/").content.decode()
    response = client.post(f"/m/{municipality.code}/users/{membership.pk}/two-factor-reset/")
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=viewer_user).exists()
    entry = AuditEntry.objects.get(action="two_factor.reset", municipality=municipality)
    assert entry.actor == admin_user and entry.after["user"] == viewer_user.username


def test_a_wrong_code_on_the_settings_page_makes_the_next_one_wait_too(client_for, admin_user):
    """The throttle is checked outside the transaction the refusal rolls back: switching two-factor off cannot be
    guessed at full speed either."""
    device, _ = enrol(admin_user)
    client = client_for(admin_user)
    wrong = "000001" if code_for(device) != "000001" else "000002"
    client.post("/account/2fa/disable/", {"disable-code": wrong})
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert client.post("/account/2fa/disable/", {"disable-code": code_for(device)}).status_code == 200
    assert TOTPDevice.objects.filter(user=admin_user, confirmed=True).exists()
