# Included under /organisaties/<slug>/export/.
from django.urls import path

from meerwaarde.exports import views

app_name = "exports"
urlpatterns = [
    path("", views.export_start, name="start"),
]
