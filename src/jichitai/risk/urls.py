from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("m/<str:code>/risk/", views.MunicipalityRiskView.as_view(), name="municipality"),
    path("a/<int:pk>/risk/", views.AssociationRiskView.as_view(), name="association"),
    path("a/<int:pk>/risk/settings/", views.RiskSettingsView.as_view(), name="settings"),
]
