"""Two-factor authentication: enrolment, codes at login, recovery codes, reset by an admin and the scopes'
policies. Every change is audited like the other login events (one entry per scope of the user).

django-otp keeps the devices: one TOTPDevice (the authenticator app; unconfirmed until the first right code)
and one StaticDevice named "recovery" whose tokens are the recovery codes, each usable once. Both devices
throttle wrong codes themselves (the wait doubles after every failure).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from jichitai.audit.services import record
from jichitai.orgs import scoping
from jichitai.orgs.models import Membership

from . import rules
from .services import record_login_event

RECOVERY_DEVICE = "recovery"
RECOVERY_CODES = 10
AUTHENTICATOR = "authenticator"
WRONG_CODE = "コードが正しくありません。認証アプリに表示されている 6 桁の数字を入力してください。"


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def required_for(user) -> bool:
    """Whether a policy of one of the user's municipalities or associations (or, for the operator, the setting)
    requires two-factor authentication."""
    pairs = [(m.role, (m.municipality or m.association).two_factor_policy)
             for m in Membership.objects.filter(user=user).select_related("municipality", "association")
             if m.municipality_id or m.association_id]
    if scoping.is_operator(user):
        pairs.append(("operator", rules.POLICY_EVERYONE if settings.JICHITAI_OPERATOR_TWO_FACTOR else rules.POLICY_NONE))
    return rules.requires_two_factor(pairs)


def step_after_password(user) -> str:
    return rules.step_after_password(has_device=has_device(user), required=required_for(user))


def pending_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False, name=AUTHENTICATOR).order_by("-pk").first()


@transaction.atomic
def begin_enrolment(*, user, request=None) -> TOTPDevice:
    """A new authenticator secret, not yet in force (a code from the app confirms it). Replaces an earlier
    unconfirmed one."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR, confirmed=False)
    record_login_event(action="two_factor.enrolment_started", user=user, actor=user, request=request)
    return device


def _new_recovery_codes(user) -> list[str]:
    device, _ = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE, defaults={"confirmed": True})
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


def confirm_enrolment(*, user, code: str, request=None) -> list[str]:
    """The first right code from the app puts the new authenticator in force (replacing an older one) and gives
    new recovery codes, returned once. A wrong code: ValidationError, nothing changes but the device's throttle
    (checked before the transaction, so that a refusal cannot roll the throttle back)."""
    device = pending_device(user)
    if device is None:
        raise ValidationError("登録を始めてからコードを入力してください。")
    if not device.verify_token(_digits(code)):
        raise ValidationError(WRONG_CODE)
    with transaction.atomic():
        replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()[0]
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_recovery_codes(user)
        record_login_event(action="two_factor.enable", user=user, actor=user, request=request,
                           details={"replaced": bool(replaced)})
    return codes


def _digits(code: str) -> str:
    return "".join(str(code or "").split())


def _verify(user, code: str) -> str | None:
    """Which kind of code was right ("totp" or "recovery"), or None. A recovery code is used up."""
    code = _digits(code)
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return "totp"
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code.lower()):
            return "recovery"
    return None


def verify_at_login(*, user, code: str, request=None) -> bool:
    """The second step of a login; every attempt audited (never the code)."""
    kind = _verify(user, code)
    if kind is None:
        record_login_event(action="login.two_factor_failure", user=user, actor=user, request=request)
        return False
    details = {"method": kind}
    if kind == "recovery":
        details["recovery_codes_left"] = recovery_codes_left(user)
    record_login_event(action="login.two_factor_success", user=user, actor=user, request=request, details=details)
    return True


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE).count()


def regenerate_recovery_codes(*, user, code: str, request=None) -> list[str]:
    """New recovery codes for a current code from the app (checked outside the transaction, like every code)."""
    if not has_device(user):
        raise ValidationError("2段階認証が有効になっていません。")
    if _verify(user, code) != "totp":
        raise ValidationError(WRONG_CODE)
    with transaction.atomic():
        codes = _new_recovery_codes(user)
        record_login_event(action="two_factor.recovery_codes", user=user, actor=user, request=request)
    return codes


def _delete_devices(user) -> int:
    return (TOTPDevice.objects.filter(user=user).delete()[0]
            + StaticDevice.objects.filter(user=user).delete()[0])


def disable(*, user, code: str, request=None) -> None:
    """The user switches it off with a current code, only where no policy requires it."""
    if not rules.may_disable(required=required_for(user)):
        raise ValidationError("所属する団体の設定で 2段階認証が必須のため、無効にできません。")
    if _verify(user, code) is None:
        raise ValidationError(WRONG_CODE)
    with transaction.atomic():
        _delete_devices(user)
        record_login_event(action="two_factor.disable", user=user, actor=user, request=request)


@transaction.atomic
def reset_by_admin(*, actor, via: str, user, scope: dict) -> None:
    """A lost phone: the admin removes the user's authenticator and recovery codes; at the next login the user
    enrols again if a policy requires it."""
    if not scoping.manages_user(actor, user):
        raise ValidationError("この利用者を管理する権限がありません。")
    removed = _delete_devices(user)
    record(actor=actor, via=via, action="two_factor.reset", obj=user, **scope,
           after={"user": user.get_username(), "devices_removed": removed})


@transaction.atomic
def set_policy(*, actor, via: str, scope_object, policy: str) -> None:
    """A municipality's admin (or an association's secretariat admin) sets who of its users must use it."""
    key = "municipality" if scope_object._meta.model_name == "municipality" else "association"
    manages = scoping.manages_municipality if key == "municipality" else scoping.manages_association
    if actor is not None and not manages(actor, scope_object):
        raise ValidationError("この団体の利用者を管理する権限がありません。")
    if policy not in rules.POLICIES:
        raise ValidationError("2段階認証の設定を選んでください。")
    before = scope_object.two_factor_policy
    if before == policy:
        return
    scope_object.two_factor_policy = policy
    scope_object.full_clean()
    scope_object.save(update_fields=["two_factor_policy"])
    record(actor=actor, via=via, action="two_factor.policy", obj=scope_object, **{key: scope_object},
           before={"two_factor_policy": before}, after={"two_factor_policy": policy})
