from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/sessions/logout-others/", views.LogOutOtherSessionsView.as_view(), name="logout_others"),
    path("account/tokens/", views.TokenCreateView.as_view(), name="token_create"),
    path("account/tokens/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
]
