from django.urls import path

from meerwaarde.directory.api import views

app_name = "directory_api"

urlpatterns = [
    path("services", views.ServiceListView.as_view(), name="services"),
    path("services/<int:pk>", views.ServiceDetailView.as_view(), name="service"),
]
