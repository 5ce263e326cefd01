# Included at the root: the organisation's sharing pages, the partner area, public impact pages.
from django.urls import path

from meerwaarde.sharing import partner_views, views

app_name = "sharing"
urlpatterns = [
    path("organisaties/<slug:slug>/delen/", views.overview, name="overview"),
    path("organisaties/<slug:slug>/delen/nieuw/", views.grant_create, name="grant_create"),
    path(
        "organisaties/<slug:slug>/delen/<int:pk>/intrekken/",
        views.grant_revoke,
        name="grant_revoke",
    ),
    path(
        "organisaties/<slug:slug>/delen/impactpagina/",
        views.impact_settings,
        name="impact_settings",
    ),
    path(
        "organisaties/<slug:slug>/delen/impactpagina/voorbeeld/",
        views.impact_preview,
        name="impact_preview",
    ),
    path(
        "organisaties/<slug:slug>/delen/impactpagina/publiceren/",
        views.impact_publish,
        name="impact_publish",
    ),
    path(
        "organisaties/<slug:slug>/delen/impactpagina/offline/",
        views.impact_unpublish,
        name="impact_unpublish",
    ),
    path("organisaties/<slug:slug>/delen/api-sleutels/", views.api_tokens, name="api_tokens"),
    path(
        "organisaties/<slug:slug>/delen/api-sleutels/<int:pk>/intrekken/",
        views.api_token_revoke,
        name="api_token_revoke",
    ),
    path("gedeeld/", partner_views.shared_list, name="shared_list"),
    path("gedeeld/<int:pk>/", partner_views.shared_detail, name="shared_detail"),
    path("impact/<slug:slug>/", partner_views.impact_page, name="impact_page"),
]
