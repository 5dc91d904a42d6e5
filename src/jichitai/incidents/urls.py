from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("m/<str:code>/incidents/", views.RegisterView.as_view(), name="register"),
    path("m/<str:code>/incidents.xlsx", views.RegisterExportView.as_view(), name="export"),
    path("m/<str:code>/incidents/new/", views.IncidentFormView.as_view(), name="new"),
    path("m/<str:code>/incidents/follow-ups/", views.FollowUpsView.as_view(), name="follow_ups"),
    path("m/<str:code>/incidents/<int:incident>/", views.DetailView.as_view(), name="detail"),
    path("m/<str:code>/incidents/<int:incident>/edit/", views.IncidentFormView.as_view(), name="edit"),
    path("m/<str:code>/incidents/<int:incident>/phases/", views.PhaseCreateView.as_view(), name="phase_new"),
    path("m/<str:code>/incidents/<int:incident>/measures/", views.MeasureCreateView.as_view(), name="measure_new"),
    path("m/<str:code>/incident-measures/<int:measure>/", views.MeasureEditView.as_view(), name="measure_edit"),
    path("m/<str:code>/drills/", views.DrillsView.as_view(), name="drills"),
    path("m/<str:code>/drills/new/", views.DrillFormView.as_view(), name="drill_new"),
    path("m/<str:code>/drills/<int:drill>/edit/", views.DrillFormView.as_view(), name="drill_edit"),
    path("a/<int:pk>/incidents/", views.AssociationView.as_view(), name="association"),
    path("a/<int:pk>/incidents/settings/", views.SettingsView.as_view(), name="settings"),
    path("a/<int:pk>/drills/new/", views.AssociationDrillFormView.as_view(), name="association_drill_new"),
    path("a/<int:pk>/drills/<int:drill>/edit/", views.AssociationDrillFormView.as_view(),
         name="association_drill_edit"),
]
