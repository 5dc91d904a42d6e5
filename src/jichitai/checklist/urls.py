from django.urls import path

from . import views

app_name = "checklist"

urlpatterns = [
    path("m/<str:code>/checklist/", views.MunicipalityChecklistView.as_view(), name="municipality"),
    path("m/<str:code>/checklist.xlsx", views.MunicipalityChecklistExportView.as_view(), name="municipality_export"),
    path("a/<int:pk>/checklist/", views.AssociationChecklistView.as_view(), name="association"),
    path("a/<int:pk>/checklist.xlsx", views.AssociationChecklistExportView.as_view(), name="association_export"),
]
