# Included under /organisaties/<slug>/resultaten/.
from django.urls import path

from meerwaarde.analysis import views

app_name = "analysis"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("download/", views.csv_download, name="csv"),
]
