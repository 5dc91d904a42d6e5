from django.contrib.auth import views as auth_views
from django.urls import include, path

from jichitai.accounts.views import LoginView
from jichitai.api.api import api
from jichitai.ops.views import healthz
from jichitai.todo.views import HomeView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("healthz", healthz, name="healthz"),  # for the proxy and monitoring: no login, no data (ops.views)
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("", include("jichitai.accounts.urls")),
    path("", include("jichitai.processes.urls")),
    path("", include("jichitai.orgs.urls")),
    path("", include("jichitai.orgs.audit_urls")),
    path("operator/", include("jichitai.orgs.operator_urls")),
    path("", include("jichitai.exchange.urls")),
    path("", include("jichitai.handling.urls")),
    path("", include("jichitai.risk.urls")),
    path("", include("jichitai.training.urls")),
    path("", include("jichitai.measures.urls")),
    path("", include("jichitai.linkage.urls")),
    path("", include("jichitai.checklist.urls")),
    path("", include("jichitai.pia.urls")),
    path("", include("jichitai.incidents.urls")),
    path("", include("jichitai.planning.urls")),
    path("", include("jichitai.cloud.urls")),
    path("", include("jichitai.todo.urls")),
]

# When not debugging: Japanese pages (templates/400.html …), JSON with a Japanese "detail" under /api/.
handler400 = "jichitai.core.errors.bad_request"
handler403 = "jichitai.core.errors.permission_denied"
handler404 = "jichitai.core.errors.page_not_found"
handler500 = "jichitai.core.errors.server_error"
