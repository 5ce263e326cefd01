from django.urls import path

from meerwaarde.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("overzicht/", views.dashboard, name="dashboard"),
]
