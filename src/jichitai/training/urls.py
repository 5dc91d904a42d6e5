from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("m/<str:code>/training/", views.DashboardView.as_view(), name="dashboard"),
    path("m/<str:code>/training/status.xlsx", views.StatusExportView.as_view(), name="status_export"),
    path("m/<str:code>/training/sessions/", views.SessionListView.as_view(), name="sessions"),
    path("m/<str:code>/training/sessions.xlsx", views.SessionExportView.as_view(), name="sessions_export"),
    path("m/<str:code>/training/sessions/new/", views.SessionFormView.as_view(), name="session_new"),
    path("m/<str:code>/training/sessions/<int:session>/edit/", views.SessionFormView.as_view(), name="session_edit"),
    path("m/<str:code>/training/sessions/<int:session>/attendance/", views.AttendanceView.as_view(),
         name="attendance"),
    path("m/<str:code>/training/courses/", views.CourseListView.as_view(), name="courses"),
    path("m/<str:code>/training/plans/<int:year>/", views.PlanView.as_view(), name="plan"),
    path("m/<str:code>/training/plans/<int:year>/items/new/", views.PlanItemFormView.as_view(), name="plan_item_new"),
    path("m/<str:code>/training/plan-items/<int:item>/", views.PlanItemFormView.as_view(), name="plan_item_edit"),
    path("m/<str:code>/training/plan-items/<int:item>/delete/", views.PlanItemDeleteView.as_view(),
         name="plan_item_delete"),
    path("a/<int:pk>/training/", views.AssociationTrainingView.as_view(), name="association"),
    path("a/<int:pk>/training/courses/new/", views.AssociationCourseView.as_view(), name="association_course_new"),
    path("a/<int:pk>/training/sessions/new/", views.JointSessionFormView.as_view(), name="joint_session_new"),
    path("a/<int:pk>/training/sessions/<int:session>/edit/", views.JointSessionFormView.as_view(),
         name="joint_session_edit"),
    path("a/<int:pk>/training/settings/", views.TrainingSettingsView.as_view(), name="settings"),
]
