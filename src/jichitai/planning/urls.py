from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("a/<int:pk>/workshops/", views.WorkshopListView.as_view(), name="workshops"),
    path("a/<int:pk>/workshops/<int:workshop>/", views.WorkshopView.as_view(), name="workshop"),
    path("a/<int:pk>/workshops/<int:workshop>/plan/", views.PlanView.as_view(), name="plan"),
    path("a/<int:pk>/workshops/<int:workshop>/plan.xlsx", views.PlanExportView.as_view(), name="plan_export"),
]
