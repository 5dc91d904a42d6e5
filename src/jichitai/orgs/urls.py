from django.urls import path

from . import staff_views, views

app_name = "orgs"

urlpatterns = [
    path("m/<str:code>/staff/", staff_views.StaffListView.as_view(), name="staff"),
    path("m/<str:code>/staff.xlsx", staff_views.StaffExportView.as_view(), name="staff_export"),
    path("m/<str:code>/staff/new/", views.StaffCreateView.as_view(), name="staff_new"),
    path("m/<str:code>/staff/<int:staff>/", staff_views.StaffDetailView.as_view(), name="staff_detail"),
    path("m/<str:code>/staff/<int:staff>/edit/", staff_views.StaffEditView.as_view(), name="staff_edit"),
    path("m/<str:code>/staff/<int:staff>/transfer/", staff_views.StaffReassignView.as_view(), name="staff_transfer"),
    path("m/<str:code>/staff/<int:staff>/retire/", staff_views.StaffRetireView.as_view(), name="staff_retire"),
    path("m/<str:code>/departments/", staff_views.DepartmentListView.as_view(), name="departments"),
    path("m/<str:code>/departments/new/", views.DepartmentCreateView.as_view(), name="department_new"),
    path("m/<str:code>/departments/<int:department>/rename/", staff_views.DepartmentRenameView.as_view(),
         name="department_rename"),
    path("m/<str:code>/departments/<int:department>/merge/", staff_views.DepartmentMergeView.as_view(),
         name="department_merge"),
    path("m/<str:code>/departments/<int:department>/abolish/", staff_views.DepartmentAbolishView.as_view(),
         name="department_abolish"),
    path("m/<str:code>/audit/", views.AuditLogView.as_view(), name="audit"),
    # 利用者管理
    path("m/<str:code>/users/", views.UsersView.as_view(), name="users"),
    path("m/<str:code>/users.xlsx", views.UsersExportView.as_view(), name="users_export"),
    path("m/<str:code>/users/new/", views.UserAddView.as_view(), name="user_new"),
    path("m/<str:code>/users/<int:membership>/role/", views.UserRoleView.as_view(), name="user_role"),
    path("m/<str:code>/users/<int:membership>/revoke/", views.UserRevokeView.as_view(), name="user_revoke"),
    path("m/<str:code>/users/<int:membership>/deactivate/", views.UserDeactivateView.as_view(),
         name="user_deactivate"),
    path("m/<str:code>/users/<int:membership>/reset/", views.UserResetView.as_view(), name="user_reset"),
    path("m/<str:code>/users/<int:membership>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
    path("a/<int:pk>/settings/", views.AssociationSettingsView.as_view(), name="association_settings"),
    path("a/<int:pk>/users/", views.AssociationUsersView.as_view(), name="association_users"),
    path("a/<int:pk>/users.xlsx", views.AssociationUsersExportView.as_view(), name="association_users_export"),
    path("a/<int:pk>/users/new/", views.AssociationUserAddView.as_view(), name="association_user_new"),
    path("a/<int:pk>/users/<int:membership>/role/", views.AssociationUserRoleView.as_view(),
         name="association_user_role"),
    path("a/<int:pk>/users/<int:membership>/revoke/", views.AssociationUserRevokeView.as_view(),
         name="association_user_revoke"),
    path("a/<int:pk>/users/<int:membership>/deactivate/", views.AssociationUserDeactivateView.as_view(),
         name="association_user_deactivate"),
    path("a/<int:pk>/users/<int:membership>/reset/", views.AssociationUserResetView.as_view(),
         name="association_user_reset"),
    path("a/<int:pk>/users/<int:membership>/unlock/", views.AssociationUserUnlockView.as_view(),
         name="association_user_unlock"),
    path("accounts/setup/<str:token>/", views.SetupView.as_view(), name="setup"),
]
