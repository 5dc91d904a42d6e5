from django.urls import path

from . import cost_views, procurement_views, views

app_name = "cloud"

urlpatterns = [
    path("m/<str:code>/cloud/systems/", views.InventoryView.as_view(), name="inventory"),
    path("m/<str:code>/cloud/systems.xlsx", views.InventoryExportView.as_view(), name="inventory_export"),
    path("m/<str:code>/cloud/systems/new/", views.SystemFormView.as_view(), name="system_new"),
    path("m/<str:code>/cloud/systems/<int:system>/edit/", views.SystemFormView.as_view(), name="system_edit"),
    path("a/<int:pk>/cloud/timeline/", procurement_views.TimelineView.as_view(), name="timeline"),
    path("a/<int:pk>/cloud/timeline.xlsx", procurement_views.TimelineExportView.as_view(), name="timeline_export"),
    path("a/<int:pk>/cloud/align/", views.AlignView.as_view(), name="align"),
    path("a/<int:pk>/cloud/plans/", views.PlansView.as_view(), name="plans"),
    path("a/<int:pk>/cloud/plans/<int:plan>/", views.PlanView.as_view(), name="plan"),
    path("a/<int:pk>/cloud/plans/<int:plan>/recompute/", views.PlanRecomputeView.as_view(), name="plan_recompute"),
    path("a/<int:pk>/cloud/plans/<int:plan>/kpis/", views.KpiView.as_view(), name="kpis"),
    path("a/<int:pk>/cloud/plans/<int:plan>/costs/", cost_views.PlanCostView.as_view(), name="plan_costs"),
    path("a/<int:pk>/cloud/plans/<int:plan>/costs.xlsx", cost_views.PlanCostExportView.as_view(),
         name="plan_costs_export"),
    path("a/<int:pk>/cloud/plans/<int:plan>.xlsx", views.PlanExportView.as_view(), name="plan_export"),
    path("a/<int:pk>/cloud/standardisation/", views.StandardisationView.as_view(), name="standardisation"),
]
