from django.urls import path

from . import operator_views

app_name = "operator"

urlpatterns = [
    path("", operator_views.OperatorHomeView.as_view(), name="home"),
    path("organisations.xlsx", operator_views.OrganisationsExportView.as_view(), name="export"),
    path("associations/new/", operator_views.AssociationCreateView.as_view(), name="association_new"),
    path("municipalities/new/", operator_views.MunicipalityCreateView.as_view(), name="municipality_new"),
    path("associations/<int:pk>/users/new/", operator_views.AssociationUserAddView.as_view(),
         name="association_user_new"),
    path("associations/<int:pk>/joined/", operator_views.JoinedMembersView.as_view(), name="joined_members"),
    path("associations/<int:pk>/joined/<int:link>/leave/", operator_views.LeaveAssociationView.as_view(),
         name="leave_association"),
    path("municipalities/<str:code>/users/new/", operator_views.MunicipalityUserAddView.as_view(),
         name="municipality_user_new"),
]
