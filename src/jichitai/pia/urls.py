from django.urls import path

from . import views

app_name = "pia"

urlpatterns = [
    path("m/<str:code>/pia/", views.PiaView.as_view(), name="municipality"),
    path("m/<str:code>/pia.xlsx", views.PiaExportView.as_view(), name="export"),
    path("m/<str:code>/pia/files/new/", views.FileFormView.as_view(), name="file_new"),
    path("m/<str:code>/pia/files/<int:spi_file>/", views.FileView.as_view(), name="file"),
    path("m/<str:code>/pia/files/<int:spi_file>/edit/", views.FileFormView.as_view(), name="file_edit"),
    path("m/<str:code>/pia/files/<int:spi_file>/draft.docx", views.DraftView.as_view(), name="draft"),
    path("m/<str:code>/pia/files/<int:spi_file>/evaluations/new/", views.EvaluationFormView.as_view(),
         name="evaluation_new"),
    path("m/<str:code>/pia/evaluations/<int:evaluation>/edit/", views.EvaluationFormView.as_view(),
         name="evaluation_edit"),
    path("m/<str:code>/pia/files/<int:spi_file>/changes/new/", views.ChangeFormView.as_view(), name="change_new"),
    path("m/<str:code>/pia/changes/<int:change>/edit/", views.ChangeFormView.as_view(), name="change_edit"),
]
