# Included at the root: the public thesaurus lives under /vocabulaire/, an organisation's
# local names under its own /organisaties/<slug>/ address.
from django.urls import path

from meerwaarde.vocabulary import views

app_name = "vocabulary"

urlpatterns = [
    path("vocabulaire/", views.scheme_list, name="scheme_list"),
    # Fixed words before the <slug:scheme> catch-all.
    path("vocabulaire/beheer/", views.curation, name="curation"),
    path("vocabulaire/beheer/nieuw/", views.concept_create, name="concept_create"),
    path("vocabulaire/export.ttl", views.export_turtle, name="export_turtle"),
    path("vocabulaire/export.jsonld", views.export_jsonld, name="export_jsonld"),
    path("vocabulaire/begrip/<str:code>/", views.concept_detail, name="concept_detail"),
    path("vocabulaire/begrip/<str:code>/bewerken/", views.concept_edit, name="concept_edit"),
    path(
        "vocabulaire/begrip/<str:code>/geschiedenis/",
        views.concept_history,
        name="concept_history",
    ),
    path("vocabulaire/<slug:scheme>/", views.scheme_detail, name="scheme_detail"),
    path("organisaties/<slug:org_slug>/lokale-namen/", views.mapping_list, name="mapping_list"),
    path(
        "organisaties/<slug:org_slug>/lokale-namen/nieuw/",
        views.mapping_create,
        name="mapping_create",
    ),
    path(
        "organisaties/<slug:org_slug>/lokale-namen/suggesties/",
        views.mapping_suggestions,
        name="mapping_suggestions",
    ),
    path(
        "organisaties/<slug:org_slug>/lokale-namen/<int:pk>/verwijderen/",
        views.mapping_delete,
        name="mapping_delete",
    ),
]
