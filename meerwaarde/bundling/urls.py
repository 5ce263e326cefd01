# Included at the root: the pages live under several prefixes.
from django.urls import path

from meerwaarde.bundling import views
from meerwaarde.bundling.api import views as api

app_name = "bundling"
urlpatterns = [
    path("sociaal-werk-in-beeld/", views.public_sector, name="public"),
    path("sector/", views.sector, name="sector"),
    path(
        "organisaties/<slug:slug>/resultaten/vergelijking/",
        views.comparison,
        name="comparison",
    ),
    path("api/v1/figures/", api.FiguresView.as_view(), name="api_figures"),
]
