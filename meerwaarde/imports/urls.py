# Included under /organisaties/<slug>/import/.
from django.urls import path

from meerwaarde.imports import views, views_restore

app_name = "imports"
urlpatterns = [
    path("", views.import_start, name="start"),
    path("voorbeeld/<str:kind>.csv", views.import_template, name="template"),
    path("export-inlezen/", views_restore.restore_upload, name="restore"),
    path("export-inlezen/<int:pk>/", views_restore.restore_detail, name="restore_detail"),
    path("<uuid:uuid>/", views.import_detail, name="detail"),
    path("<uuid:uuid>/kolommen/", views.import_columns, name="columns"),
    path("<uuid:uuid>/namen/", views.import_names, name="names"),
    path("<uuid:uuid>/controle/", views.import_preview, name="preview"),
    path("<uuid:uuid>/controle/heel-bestand/", views.import_check, name="check"),
    path("<uuid:uuid>/verwijderen/", views.import_discard, name="discard"),
]
