from django.urls import path

from . import views

app_name = "todo"

urlpatterns = [
    path("m/<str:code>/todo/", views.MunicipalityTodoView.as_view(), name="municipality"),
    path("m/<str:code>/todo.xlsx", views.MunicipalityTodoXlsxView.as_view(), name="municipality_xlsx"),
    path("m/<str:code>/todo.ics", views.MunicipalityTodoIcsView.as_view(), name="municipality_ics"),
    path("a/<int:pk>/todo/", views.AssociationTodoView.as_view(), name="association"),
    path("a/<int:pk>/todo.xlsx", views.AssociationTodoXlsxView.as_view(), name="association_xlsx"),
    path("a/<int:pk>/todo.ics", views.AssociationTodoIcsView.as_view(), name="association_ics"),
]
