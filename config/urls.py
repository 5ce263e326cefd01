from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView

from meerwaarde.directory.api.views import ApiDocsView

urlpatterns = [
    path("", include("meerwaarde.bundling.urls")),
    path("", include("meerwaarde.core.urls")),
    path("account/", include("meerwaarde.accounts.urls")),
    path("organisaties/", include("meerwaarde.organisations.urls")),
    path("organisaties/<slug:slug>/aanbod/", include("meerwaarde.offers.urls")),
    path("organisaties/<slug:slug>/instrumenten/", include("meerwaarde.instruments.urls")),
    path("organisaties/<slug:slug>/deelnemers/", include("meerwaarde.participants.urls")),
    path("organisaties/<slug:slug>/metingen/", include("meerwaarde.measurements.urls")),
    path("organisaties/<slug:slug>/activiteiten/", include("meerwaarde.activities.urls")),
    path("organisaties/<slug:slug>/resultaten/", include("meerwaarde.analysis.urls")),
    path("", include("meerwaarde.programmes.urls")),  # programmas/, its API, the public pages
    path("organisaties/<slug:slug>/verantwoording/", include("meerwaarde.reports.urls")),
    path("organisaties/<slug:slug>/taken/", include("meerwaarde.jobs.urls")),
    path("organisaties/<slug:slug>/export/", include("meerwaarde.exports.urls")),
    path("organisaties/<slug:slug>/import/", include("meerwaarde.imports.urls")),
    path("gedeeld/<int:grant_pk>/verantwoording/", include("meerwaarde.reports.shared_urls")),
    path("", include("meerwaarde.sharing.urls")),
    path("plaatsen/", include("meerwaarde.places.urls")),
    path("", include("meerwaarde.vocabulary.urls")),
    path("sociale-kaart/", include("meerwaarde.directory.urls")),
    path("api/v1/directory/", include("meerwaarde.directory.api.urls")),
    path("api/v1/", include("meerwaarde.sharing.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", ApiDocsView.as_view(url_name="api-schema"), name="api-docs"),
    path("taal/", set_language, name="set_language"),
    path("beheer/", admin.site.urls),
]

handler400 = "meerwaarde.core.views.error_400"
handler403 = "meerwaarde.core.views.error_403"
handler404 = "meerwaarde.core.views.error_404"
handler500 = "meerwaarde.core.views.error_500"
