"""Error pages when not debugging (settings.DEBUG off): Japanese, never a traceback.

Pages get templates/400.html, 403.html, 404.html and 500.html; anything under /api/ gets JSON with a Japanese
`detail`, as the API's own exception handlers answer. Wired in jichitai/urls.py (handler400 … handler500).
"""

from django.http import JsonResponse
from django.views import defaults

API_PREFIX = "/api/"

DETAILS = {
    400: "リクエストが正しくありません。",
    403: "この操作を行う権限がありません。",
    404: "見つかりません。",
    500: "サーバーでエラーが発生しました。時間をおいてもう一度お試しください。",
}


def _api(request) -> bool:
    return request.path.startswith(API_PREFIX)


def _json(status: int) -> JsonResponse:
    return JsonResponse({"detail": DETAILS[status]}, status=status, json_dumps_params={"ensure_ascii": False})


def bad_request(request, exception):
    return _json(400) if _api(request) else defaults.bad_request(request, exception)


def permission_denied(request, exception):
    return _json(403) if _api(request) else defaults.permission_denied(request, exception)


def page_not_found(request, exception):
    return _json(404) if _api(request) else defaults.page_not_found(request, exception)


def server_error(request):
    return _json(500) if _api(request) else defaults.server_error(request)
