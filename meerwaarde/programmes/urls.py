"""Every address of programmes, included once at the root (``config/urls.py``):

- ``/organisaties/<slug>/programmas/``: the owner's pages;
- ``/programmas/``: public programmes (only those the owner made public);
- ``/api/v1/programmes/``: the API (public, and with a partner key what was shared).

The partner's page has no address here: ``/gedeeld/<grant>/`` (sharing) calls
``views.shared_programme``.
"""

from django.urls import include, path

from meerwaarde.programmes import node_views, views
from meerwaarde.programmes.api import views as api_views

app_name = "programmes"

_organisation = [
    path("", views.programme_list, name="list"),
    path("nieuw/", views.programme_create, name="create"),
    path("<int:pk>/", views.programme_detail, name="detail"),
    path("<int:pk>/wijzigen/", views.programme_edit, name="edit"),
    path("<int:pk>/verwijderen/", views.programme_delete, name="delete"),
    path("<int:pk>/partners/", views.partners, name="partners"),
    path(
        "<int:pk>/partners/<int:partner_pk>/verwijderen/",
        views.partner_remove,
        name="partner_remove",
    ),
    path("<int:pk>/stappen/nieuw/", node_views.node_create, name="node_create"),
    path("<int:pk>/stappen/<int:node_pk>/", node_views.node_values, name="node_values"),
    path("<int:pk>/stappen/<int:node_pk>/wijzigen/", node_views.node_edit, name="node_edit"),
    path("<int:pk>/stappen/<int:node_pk>/verwijderen/", node_views.node_delete, name="node_delete"),
]

urlpatterns = [
    path("organisaties/<slug:slug>/programmas/", include(_organisation)),
    path("programmas/", views.public_list, name="public_list"),
    path("programmas/<int:pk>/", views.public_detail, name="public_detail"),
    path("api/v1/programmes/", api_views.ProgrammeListView.as_view(), name="api_list"),
    path("api/v1/programmes/<int:pk>/", api_views.ProgrammeDetailView.as_view(), name="api_detail"),
]
