"""django-ninja API at /api/v1/. Session (with CSRF) or `Authorization: Bearer <token>`."""

from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI
from ninja.security import HttpBearer, django_auth

from jichitai.orgs.services import user_for_token

from . import analysis, municipalities, processes
from . import incidents as incidents_api
from . import pia as pia_api


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Jichitai API",
    version="1",
    urls_namespace="api",
    auth=[BearerToken(), django_auth],
    docs_url="/docs",
)


@api.exception_handler(ValidationError)
def validation_error(request, exc):
    return api.create_response(request, {"detail": exc.messages}, status=400)


@api.exception_handler(PermissionDenied)
def permission_denied(request, exc):
    return api.create_response(request, {"detail": "この操作を行う権限がありません。"}, status=403)


api.add_router("/", municipalities.router)
api.add_router("/", processes.router)
api.add_router("/", analysis.router)
api.add_router("/", pia_api.router)
api.add_router("/", incidents_api.router)
