from django.urls import path

from . import two_factor_views, user_admin_views, views

app_name = "accounts"

urlpatterns = [
    path("account/", views.AccountView.as_view(), name="account"),
    path("account/password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("account/sessions/logout-others/", views.LogOutOtherSessionsView.as_view(), name="logout_others"),
    path("account/tokens/", views.TokenCreateView.as_view(), name="token_create"),
    path("account/tokens/revoke/", views.TokenRevokeView.as_view(), name="token_revoke"),
    path("account/2fa/", two_factor_views.TwoFactorView.as_view(), name="two_factor"),
    path("account/2fa/enrol/", two_factor_views.EnrolView.as_view(), name="two_factor_enrol"),
    path("account/2fa/confirm/", two_factor_views.ConfirmView.as_view(), name="two_factor_confirm"),
    path("account/2fa/recovery-codes/", two_factor_views.RecoveryCodesView.as_view(), name="two_factor_recovery"),
    path("account/2fa/disable/", two_factor_views.DisableView.as_view(), name="two_factor_disable"),
    path("m/<str:code>/users/two-factor/", user_admin_views.TwoFactorPolicyView.as_view(), name="two_factor_policy"),
    path("m/<str:code>/users/<int:membership>/two-factor-reset/", user_admin_views.UserTwoFactorResetView.as_view(),
         name="user_two_factor_reset"),
    path("a/<int:pk>/users/two-factor/", user_admin_views.AssociationTwoFactorPolicyView.as_view(),
         name="association_two_factor_policy"),
    path("a/<int:pk>/users/<int:membership>/two-factor-reset/",
         user_admin_views.AssociationUserTwoFactorResetView.as_view(), name="association_user_two_factor_reset"),
    path("account/2fa/verify/", two_factor_views.VerifyView.as_view(), name="two_factor_verify"),
]
