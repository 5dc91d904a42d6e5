from django.urls import path

from . import views

app_name = "linkage"

urlpatterns = [
    path("m/<str:code>/processes/<int:pk>/linkage/", views.ProcessLinkageView.as_view(), name="process"),
    path("m/<str:code>/processes/<int:pk>/linkage/profile/", views.ProfileView.as_view(), name="profile"),
    path("m/<str:code>/processes/<int:pk>/linkage.xlsx", views.SheetExportView.as_view(), name="export"),
    path("m/<str:code>/processes/<int:pk>/linkage/items/new/", views.ItemFormView.as_view(), name="item_new"),
    path("m/<str:code>/linkage/items/<int:item>/edit/", views.ItemFormView.as_view(), name="item_edit"),
    path("m/<str:code>/linkage/items/<int:item>/delete/", views.ItemDeleteView.as_view(), name="item_delete"),
    path("m/<str:code>/systems/", views.SystemsView.as_view(), name="systems"),
    path("m/<str:code>/systems.xlsx", views.SystemsExportView.as_view(), name="systems_export"),
    path("m/<str:code>/systems/sync/", views.SystemsSyncView.as_view(), name="systems_sync"),
    path("m/<str:code>/systems/new/", views.SystemFormView.as_view(), name="system_new"),
    path("m/<str:code>/systems/<int:system>/edit/", views.SystemFormView.as_view(), name="system_edit"),
]
