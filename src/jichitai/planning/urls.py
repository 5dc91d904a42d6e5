from django.urls import path

from . import views

app_name = "planning"

urlpatterns = [
    path("a/<int:pk>/workshops/", views.WorkshopListView.as_view(), name="workshops"),
    path("a/<int:pk>/workshops/<int:workshop>/", views.WorkshopView.as_view(), name="workshop"),
    path("a/<int:pk>/workshops/<int:workshop>/plan/", views.PlanView.as_view(), name="plan"),
    path("a/<int:pk>/workshops/<int:workshop>/plan.xlsx", views.PlanExportView.as_view(), name="plan_export"),
    path("a/<int:pk>/workshops/<int:workshop>/edit/", views.WorkshopEditView.as_view(), name="workshop_edit"),
    path("a/<int:pk>/workshops/<int:workshop>/criteria/", views.CriteriaView.as_view(), name="criteria"),
    path("a/<int:pk>/workshops/<int:workshop>/issues/new/", views.IssueFormView.as_view(), name="issue_new"),
    path("a/<int:pk>/workshops/<int:workshop>/issues/<int:issue>/", views.IssueFormView.as_view(),
         name="issue_edit"),
    path("a/<int:pk>/workshops/<int:workshop>/issues/<int:issue>/retire/", views.IssueRetireView.as_view(),
         name="issue_retire"),
    path("a/<int:pk>/workshops/<int:workshop>/issues/<int:issue>/reactivate/", views.IssueReactivateView.as_view(),
         name="issue_reactivate"),
    path("a/<int:pk>/workshops/<int:workshop>/issues/<int:issue>/delete/", views.IssueDeleteView.as_view(),
         name="issue_delete"),
    path("a/<int:pk>/workshops/<int:workshop>/actions/<int:item>/", views.ActionEditView.as_view(),
         name="action_edit"),
    path("a/<int:pk>/workshops/<int:workshop>/actions/<int:item>/done/", views.ActionDoneView.as_view(),
         name="action_done"),
    path("a/<int:pk>/workshops/<int:workshop>/actions/<int:item>/retire/", views.ActionRetireView.as_view(),
         name="action_retire"),
    path("a/<int:pk>/workshops/<int:workshop>/actions/<int:item>/reactivate/", views.ActionReactivateView.as_view(),
         name="action_reactivate"),
]
