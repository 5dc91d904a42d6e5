from django.urls import path

from . import views

app_name = "measures"

urlpatterns = [
    path("m/<str:code>/measures/", views.MeasuresView.as_view(), name="municipality"),
    path("m/<str:code>/measures.xlsx", views.MeasuresExportView.as_view(), name="export"),
    path("m/<str:code>/measures/items/<int:item>/", views.AssessmentEditView.as_view(), name="edit"),
    path("m/<str:code>/measures/items/<int:item>/departments/<int:department>/", views.AssessmentEditView.as_view(),
         name="edit_department"),
    path("a/<int:pk>/measures/", views.AssociationMeasuresView.as_view(), name="association"),
]
