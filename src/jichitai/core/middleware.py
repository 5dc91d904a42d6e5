"""ChosenLanguageMiddleware: Japanese unless the user chose otherwise (the browser's Accept-Language is
deliberately ignored: municipal terminals often run browsers set up in English; the staff still expect the
Japanese UI). UploadLimitMiddleware: a body over the upload limit is refused before it is read. DateStyleMiddleware: each
request starts in 和暦 and leaves no display style behind for the next request of the thread.
"""

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.html import escape

from jichitai.core.mynumber import contains_my_number
from jichitai.core.sheets.limits import Limits
from jichitai.core.wareki import WAREKI, reset_date_style, set_date_style


class ChosenLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _ in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class DateStyleMiddleware:
    """The page's view sets the viewing association's style (orgs' view mixins, from the tenant they load); the
    template is rendered after the view returns, so the style is reset here, once the response is complete."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = set_date_style(WAREKI)
        try:
            return self.get_response(request)
        finally:
            reset_date_style(token)


UPLOAD_MARGIN_BYTES = 64 * 1024  # a multipart body's boundaries, headers and other fields around the file


class UploadLimitMiddleware:
    """Answer 413 to a request whose body is larger than JICHITAI_MAX_UPLOAD_MB, before anything reads it.

    Only the declared Content-Length is looked at, so nothing of the body is read or written to disk; Django's
    WSGI request never reads past that length (a body sent without one is read as empty). The import itself
    refuses a file over the same limit (core.sheets.limits), for the command line and anything below the margin.
    The API gets JSON ({"detail": …}), the web a short HTML page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limits = Limits.current()  # read per request: tests override the settings
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > limits.upload_bytes + UPLOAD_MARGIN_BYTES:
            return self.refuse(request, str(limits.too_large()))
        return self.get_response(request)

    @staticmethod
    def refuse(request, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message}, status=413, json_dumps_params={"ensure_ascii": False})
        else:
            response = HttpResponse(
                '<!DOCTYPE html><html lang="ja"><head><meta charset="utf-8"><title>ファイルが大きすぎます</title>'
                f"</head><body><h1>ファイルが大きすぎます</h1><p>{escape(message)}</p>"
                "<p>ブラウザの「戻る」で前の画面に戻ってください。</p></body></html>",
                status=413, content_type="text/html; charset=utf-8")
        response["Connection"] = "close"  # the unread body must not be taken for the next request
        return response


MY_NUMBER_IN_QUERY = "検索条件やアドレスに、個人番号（マイナンバー）と思われる12桁の数字が含まれています。個人番号は入力できません。"
NUL_IN_QUERY = "検索条件やアドレスに、使用できない制御文字（NUL）が含まれています。"


class QueryStringGuardMiddleware:
    """Answer 400 to a request whose query string holds an individual number or a NUL character, before any view
    reads it.

    Forms refuse one in what they validate, but a page also writes its filters back into the page (search boxes,
    export links, the login form's return address, the language switch): refusing the whole query string here
    is the one place that keeps every one of them from echoing it. The answer names no value. A NUL character
    in a filter that reaches PostgreSQL is an error there (SQLite takes it), so it is refused here too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = request.META.get("QUERY_STRING", "")
        if query:
            texts = [text for key, values in request.GET.lists() for text in (key, *values)]
            if any(contains_my_number(text) for text in texts):
                return self.refuse(request, MY_NUMBER_IN_QUERY)
            if any("\x00" in text for text in texts):
                return self.refuse(request, NUL_IN_QUERY)
        return self.get_response(request)

    @staticmethod
    def refuse(request, message: str) -> HttpResponse:
        if request.path.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400, json_dumps_params={"ensure_ascii": False})
        return render(request, "400.html", {"message": message}, status=400)
