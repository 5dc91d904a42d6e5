from django.urls import path

from . import audit_views

app_name = "audit"

urlpatterns = [
    path("a/<int:pk>/audit/", audit_views.AssociationAuditView.as_view(), name="association"),
    path("a/<int:pk>/audit.xlsx", audit_views.AssociationAuditExportView.as_view(), name="association_export"),
    path("a/<int:pk>/audit.csv", audit_views.AssociationAuditCsvView.as_view(), name="association_csv"),
    path("m/<str:code>/audit.csv", audit_views.MunicipalityAuditCsvView.as_view(), name="municipality_csv"),
    path("audit/", audit_views.OperatorAuditView.as_view(), name="operator"),
    path("audit.xlsx", audit_views.OperatorAuditExportView.as_view(), name="operator_export"),
    path("audit.csv", audit_views.OperatorAuditCsvView.as_view(), name="operator_csv"),
]
