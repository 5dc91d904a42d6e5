from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("m/<str:code>/staff/", views.StaffListView.as_view(), name="staff"),
    path("m/<str:code>/staff/new/", views.StaffCreateView.as_view(), name="staff_new"),
    path("m/<str:code>/departments/new/", views.DepartmentCreateView.as_view(), name="department_new"),
    path("m/<str:code>/audit/", views.AuditLogView.as_view(), name="audit"),
]
