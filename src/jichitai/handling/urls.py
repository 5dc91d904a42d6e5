from django.urls import path

from . import record_views, views

app_name = "handling"

urlpatterns = [
    path("m/<str:code>/processes/<int:pk>/analysis/", views.AnalysisView.as_view(), name="analysis"),
    path("m/<str:code>/processes/<int:pk>/flow.svg", views.FlowSvgView.as_view(), name="flow_svg"),
    path("m/<str:code>/processes/<int:pk>/steps/new/", views.FlowStepView.as_view(), name="step_new"),
    path("m/<str:code>/steps/<int:step>/", views.FlowStepView.as_view(), name="step"),
    path("m/<str:code>/steps/<int:step>/delete/", views.FlowStepDeleteView.as_view(), name="step_delete"),
    path("m/<str:code>/processes/<int:pk>/rows/new/", views.HandlingRowFormView.as_view(), name="row_new"),
    path("m/<str:code>/rows/<int:row>/edit/", views.HandlingRowFormView.as_view(), name="row_edit"),
    path("m/<str:code>/rows/<int:row>/delete/", views.HandlingRowDeleteView.as_view(), name="row_delete"),
    path("m/<str:code>/rows/<int:row>/risk/", views.RiskRowFormView.as_view(), name="risk_edit"),
    path("m/<str:code>/processes/<int:pk>/approve/", views.ApproveView.as_view(), name="approve"),
    path("m/<str:code>/processes/<int:pk>/analysis.xlsx", views.SheetsExportView.as_view(), name="export"),
    path("a/<int:pk>/templates/", views.TemplateListView.as_view(), name="templates"),
    path("m/<str:code>/templates/", views.MemberTemplatesView.as_view(), name="member_templates"),
    path("m/<str:code>/templates/<int:template>/copy/", views.TemplateCopyView.as_view(), name="template_copy"),
    path("m/<str:code>/departments/<int:department>/rules.docx", views.RulesDraftView.as_view(),
         name="rules_draft"),
    path("m/<str:code>/records/", record_views.RecordListView.as_view(), name="records"),
    path("m/<str:code>/records.xlsx", record_views.RecordExportView.as_view(), name="records_export"),
    path("m/<str:code>/processes/<int:pk>/records/", record_views.RecordListView.as_view(), name="process_records"),
    path("m/<str:code>/processes/<int:pk>/records/new/", record_views.RecordCreateView.as_view(), name="record_new"),
    path("m/<str:code>/records/<int:record>/void/", record_views.RecordVoidView.as_view(), name="record_void"),
    path("m/<str:code>/processes/<int:pk>/review/", record_views.AnalysisReviewView.as_view(), name="analysis_review"),
    path("m/<str:code>/rules/", record_views.RulesDocumentsView.as_view(), name="rules_documents"),
    path("m/<str:code>/departments/<int:department>/rules/review/", record_views.RulesReviewView.as_view(),
         name="rules_review"),
]
