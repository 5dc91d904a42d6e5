from django.urls import path

from . import views

app_name = "exchange"

urlpatterns = [
    path("m/<str:code>/import/", views.ProgressImportView.as_view(), name="import"),
    path("m/<str:code>/processes/<int:pk>/linkage/import/", views.LinkageSheetImportView.as_view(),
         name="linkage_import"),
]
