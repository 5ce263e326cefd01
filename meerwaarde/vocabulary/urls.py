# Temporary routes so the shell can be run while the vocabulary app is built.
from django.http import HttpResponse
from django.urls import path

app_name = "vocabulary"


def _todo(request, **kwargs):
    return HttpResponse("vocabulary")


urlpatterns = [
    path("vocabulaire/", _todo, name="scheme_list"),
    path("vocabulaire/beheer/", _todo, name="curation"),
    path("organisaties/<slug:org_slug>/lokale-namen/", _todo, name="mapping_list"),
    path("organisaties/<slug:org_slug>/lokale-namen/nieuw/", _todo, name="mapping_create"),
]
