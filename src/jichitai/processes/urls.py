from django.urls import path

from . import ordinance_views, summary_views, views

app_name = "processes"

urlpatterns = [
    path("legal-basis/", views.LegalBasisListView.as_view(), name="legal_basis"),
    path("m/<str:code>/", views.MatrixView.as_view(), name="matrix"),
    path("m/<str:code>/progress.xlsx", views.MatrixExportView.as_view(), name="matrix_export"),
    path("m/<str:code>/cell/<int:pk>/<str:column>/", views.CellView.as_view(), name="cell"),
    path("m/<str:code>/processes/new/", views.ProcessFormView.as_view(), name="process_new"),
    path("m/<str:code>/processes/<int:pk>/", views.ProcessDetailView.as_view(), name="process"),
    path("m/<str:code>/processes/<int:pk>/edit/", views.ProcessFormView.as_view(), name="process_edit"),
    path("m/<str:code>/ordinances/", ordinance_views.OrdinanceListView.as_view(), name="ordinances"),
    path("m/<str:code>/ordinances/<int:ordinance>/", ordinance_views.OrdinanceDetailView.as_view(), name="ordinance"),
    path("m/<str:code>/ordinances/<int:ordinance>/edit/", ordinance_views.OrdinanceEditView.as_view(),
         name="ordinance_edit"),
    path("m/<str:code>/ordinances/<int:ordinance>/amend/", ordinance_views.OrdinanceAmendView.as_view(),
         name="ordinance_amend"),
    path("m/<str:code>/ordinances/<int:ordinance>/repeal/", ordinance_views.OrdinanceRepealView.as_view(),
         name="ordinance_repeal"),
    path("m/<str:code>/ordinances/<int:ordinance>/delete/", ordinance_views.OrdinanceDeleteView.as_view(),
         name="ordinance_delete"),
    path("a/<int:pk>/", views.AssociationView.as_view(), name="association"),
    path("a/<int:pk>/progress.xlsx", views.AssociationExportView.as_view(), name="association_export"),
    path("a/<int:pk>/evaluation/", summary_views.EvaluationStatusView.as_view(), name="evaluation"),
    path("a/<int:pk>/evaluation/start/", summary_views.EvaluationStartView.as_view(), name="evaluation_start"),
]
