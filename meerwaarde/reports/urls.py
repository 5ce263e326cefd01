# Included under /organisaties/<slug>/verantwoording/.
from django.urls import path

from meerwaarde.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.report_list, name="list"),
    path("nieuw/", views.report_create, name="create"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/bewerken/", views.report_edit, name="edit"),
    path("<int:pk>/maken/", views.report_render, name="render"),
    path("<int:pk>/download/<str:fmt>/", views.report_download, name="download"),
]
