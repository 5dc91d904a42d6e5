"""django-ninja API at /api/v1/. Session (with CSRF) or `Authorization: Bearer <token>`."""

import re

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as SchemaValidationError
from ninja.parser import Parser
from ninja.security import HttpBearer, django_auth

from jichitai.audit.labels import field_label
from jichitai.core.mynumber import mask_my_numbers
from jichitai.core.validators import reject_my_number_in_json, reject_null_characters_in_json
from jichitai.orgs.token_services import token_for

from . import analysis, municipalities, processes
from . import cloud as cloud_api
from . import incidents as incidents_api
from . import pia as pia_api
from . import planning as planning_api

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
TOKEN_REFUSED = "APIトークンが無効です（失効・期限切れ・利用者の無効化・パスワード変更のいずれか）。"  # noqa: S105
READ_ONLY_REFUSED = "読み取り専用のAPIトークンでは変更できません。"
NOT_SIGNED_IN = "ログインするか、APIトークンを指定してください。"
NOT_FOUND = "指定されたものは見つかりません（存在しないか、参照する権限がありません）。"
NOT_ALLOWED = "このURLでは使えないメソッドです。使えるメソッド: {allowed}"
_JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
STATUS_MESSAGES = {400: "要求の内容が正しくありません。", 401: NOT_SIGNED_IN, 403: "この操作を行う権限がありません。",
                   404: NOT_FOUND, 405: "このメソッドは使えません。", 409: "他の変更と競合しました。もう一度お試しください。",
                   413: "送信された内容が大きすぎます。", 415: "JSON で送信してください。",
                   429: "要求が多すぎます。しばらく待ってからお試しください。"}


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>`: a token that is not live is 401, a read-only token writing is 403."""

    def authenticate(self, request, token):
        api_token = token_for(token)
        if api_token is None:
            raise AuthenticationError(401, TOKEN_REFUSED)
        if api_token.read_only and request.method not in SAFE_METHODS:
            raise AuthorizationError(403, READ_ONLY_REFUSED)
        request.user = api_token.user
        request.api_token = api_token
        return api_token.user


class GuardedParser(Parser):
    """Bodies are read as ninja reads them, then looked at whole, before any schema (query strings are refused
    earlier, by core.middleware.QueryStringGuardMiddleware, for every route): an
    individual number anywhere (a key, a text, a number, at any depth, whatever the schema would make of it — a
    string of digits sent to a number field included) refuses the request with the one My Number message."""

    def parse_body(self, request):
        data = super().parse_body(request)
        reject_my_number_in_json(data)
        reject_null_characters_in_json(data)
        return data


api = NinjaAPI(
    title="Jichitai API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
    docs_decorator=login_required,  # any signed-in user; anonymous users are sent to the login page
    parser=GuardedParser(),
)


# ---- Errors: never echo what was sent --------------------------------------------------------------------
# A refused value may be an individual number. Pydantic's error dicts carry the value sent ("input"): dropped.
# Everything else that is text (locations, which may name a key the client sent; the context; a service's
# messages, which may quote a value) goes through the My Number mask.

_SCHEMA_MESSAGES = {
    "missing": "必須の項目です。",
    "extra_forbidden": "この項目は受け付けません。",
    "literal_error": "使える値: {expected}",
    "enum": "使える値: {expected}",
    "int_type": "整数で入力してください。",
    "int_parsing": "整数で入力してください。",
    "int_from_float": "整数で入力してください。",
    "float_type": "数値で入力してください。",
    "float_parsing": "数値で入力してください。",
    "decimal_type": "数値で入力してください。",
    "decimal_parsing": "数値で入力してください。",
    "decimal_max_places": "小数点以下は{decimal_places}桁までにしてください。",
    "decimal_max_digits": "数値は{max_digits}桁までにしてください。",
    "greater_than_equal": "{ge}以上にしてください。",
    "greater_than": "{gt}より大きい値にしてください。",
    "less_than_equal": "{le}以下にしてください。",
    "less_than": "{lt}より小さい値にしてください。",
    "bool_type": "true か false で入力してください。",
    "bool_parsing": "true か false で入力してください。",
    "string_type": "文字列で入力してください。",
    "string_too_short": "{min_length}文字以上で入力してください。",
    "string_too_long": "{max_length}文字以内で入力してください。",
    "wareki_date": "{reason}",  # core.wareki's message (api.schemas.WarekiDate)
    "wareki_datetime": "{reason}",
    "date_type": "日付（例: 2026-04-01）で入力してください。",
    "date_parsing": "日付（例: 2026-04-01）で入力してください。",
    "date_from_datetime_parsing": "日付（例: 2026-04-01）で入力してください。",
    "date_from_datetime_inexact": "日付（例: 2026-04-01）で入力してください。",
    "datetime_type": "日時（例: 2026-04-01T10:00:00+09:00）で入力してください。",
    "datetime_parsing": "日時（例: 2026-04-01T10:00:00+09:00）で入力してください。",
    "datetime_from_date_parsing": "日時（例: 2026-04-01T10:00:00+09:00）で入力してください。",
    "list_type": "配列で入力してください。",
    "dict_type": "オブジェクトで入力してください。",
    "model_type": "オブジェクトで入力してください。",
    "model_attributes_type": "オブジェクトで入力してください。",
    "none_required": "null にしてください。",
    "json_invalid": "JSON として読めません。",
}
_SCHEMA_FALLBACK = "入力の形式が正しくありません。"


def _masked(value):
    """A JSON-safe copy with every text masked (ints, floats, booleans and None kept)."""
    if isinstance(value, dict):
        return {mask_my_numbers(str(key)): _masked(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_masked(item) for item in value]
    if value is None or isinstance(value, bool | int | float):
        return value
    return mask_my_numbers(str(value))


def _location_label(location) -> str | None:
    """The Japanese name of the field an error is about (its last named part), when one is known."""
    names = [part for part in location if isinstance(part, str) and part not in ("body", "query", "path", "payload")]
    return field_label(names[-1]) if names else None


def _schema_error(error: dict) -> dict:
    """One pydantic error without the value sent, its message in Japanese."""
    context = _masked(error.get("ctx") or {})
    if isinstance(context.get("expected"), str):  # pydantic's "'a', 'b' or 'c'": the codes, listed in Japanese
        context["expected"] = re.sub(r",\s*|\s+or\s+", "、", context["expected"])
    try:
        message = _SCHEMA_MESSAGES.get(error.get("type"), _SCHEMA_FALLBACK).format(**context)
    except (KeyError, IndexError, ValueError):
        message = _SCHEMA_FALLBACK
    if error.get("type") == "value_error" and _JAPANESE.search(reason := str(context.get("error", ""))):
        message = reason  # a validator's own Japanese message (a 和暦 date it could not read …), masked above
    if label := _location_label(error.get("loc", ())):
        message = f"{label}: {message}"
    result = {"type": _masked(error.get("type")), "loc": _masked(list(error.get("loc", ()))), "msg": message}
    if context:
        result["ctx"] = context
    return result


@api.exception_handler(SchemaValidationError)
def schema_error(request, exc):
    """The body, query or path does not have the documented shape: 422, in Japanese, the values sent left out."""
    return api.create_response(request, {"detail": [_schema_error(error) for error in exc.errors]}, status=422)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    """A service (or a router) refused the values: 400 with its messages, masked (they may quote a value)."""
    return api.create_response(request, {"detail": [mask_my_numbers(str(m)) for m in exc.messages]}, status=400)


@api.exception_handler(HttpError)
def http_error(request, exc):
    """ninja wraps whatever reading the body raised: the guard's refusal is answered as a refusal, a body that
    is not JSON in Japanese; other HTTP errors keep their status, their text masked."""
    cause = exc.__cause__
    if isinstance(exc, AuthenticationError) and str(exc) == "Unauthorized":  # ninja's own: neither way in
        return api.create_response(request, {"detail": NOT_SIGNED_IN}, status=401)
    if isinstance(cause, ValidationError):
        return validation_error(request, cause)
    if isinstance(cause, ValueError):  # json.JSONDecodeError, UnicodeDecodeError
        return api.create_response(request, {"detail": _SCHEMA_MESSAGES["json_invalid"]}, status=400)
    return api.create_response(request, {"detail": _japanese(mask_my_numbers(str(exc)), exc.status_code)},
                               status=exc.status_code)


def _japanese(message: str, status: int) -> str:
    """A message in Japanese: ours are; ninja's and Django's own English ones ("Not Found", "Unauthorized") are
    replaced by the status's Japanese sentence."""
    if _JAPANESE.search(message):
        return message
    return STATUS_MESSAGES.get(status, "要求を処理できませんでした。" if status < 500 else "サーバーでエラーが発生しました。")


@api.exception_handler(Http404)
def not_found(request, exc):
    """Nothing there, or nothing the user may see: the same answer (an outsider learns nothing)."""
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "この操作を行う権限がありません。"}, status=403)


api.add_router("/", municipalities.router)
api.add_router("/", processes.router)
api.add_router("/", analysis.router)
api.add_router("/", pia_api.router)
api.add_router("/", incidents_api.router)
api.add_router("/", planning_api.router)
api.add_router("/", cloud_api.router)


def _not_allowed(path_view):
    """ninja answers a method a path does not serve with the text "Method not allowed": in Japanese, as JSON."""
    def answer():
        allowed = sorted({method for operation in path_view.operations for method in operation.methods})
        response = JsonResponse({"detail": NOT_ALLOWED.format(allowed="、".join(allowed))},
                                status=405, json_dumps_params={"ensure_ascii": False})
        response["Allow"] = ", ".join(allowed)
        return response
    return answer


# The path views the URLs are built from (ninja binds a copy of each router's views to the API; no public hook).
for _bound in api._get_bound_routers():
    for _path_view in _bound.path_operations.values():
        _path_view._not_allowed = _not_allowed(_path_view)
