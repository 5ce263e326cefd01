"""The directory API: the same search as the page, for other systems. Anonymous, read-only."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meerwaarde.directory import results
from meerwaarde.directory.api.serializers import (
    ErrorSerializer,
    ServicePageSerializer,
    ServiceSerializer,
    service_data,
)
from meerwaarde.directory.params import API_NAMES, SearchParamError, parse_search_params
from meerwaarde.directory.search.service import search
from meerwaarde.directory.search.types import (
    DEFAULT_PAGE_SIZE,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    PROXIMITY_CHOICES_KM,
)

_CODES = _("Een of meer codes uit het vocabulaire; herhaal de parameter of scheid met komma's.")
SEARCH_PARAMETERS = [
    OpenApiParameter(
        "q", str, description=_("Zoekvraag, hooguit %(n)d tekens.") % {"n": MAX_QUERY_LENGTH}
    ),
    OpenApiParameter(
        "place",
        str,
        description=_(
            "Nederlandse plaats, zoals ‘Zwolle’ of ‘Hengelo (Overijssel)’. Niet samen met lat/lon."
        ),
    ),
    OpenApiParameter(
        "lat", OpenApiTypes.DOUBLE, description=_("Breedtegraad binnen Nederland (met lon).")
    ),
    OpenApiParameter(
        "lon", OpenApiTypes.DOUBLE, description=_("Lengtegraad binnen Nederland (met lat).")
    ),
    OpenApiParameter(
        "proximity_km",
        int,
        enum=list(PROXIMITY_CHOICES_KM),
        description=_("Zoekafstand rond de plaats in km; standaard 10."),
    ),
    OpenApiParameter("theme", str, many=True, explode=True, description=_CODES),
    OpenApiParameter("target_group", str, many=True, explode=True, description=_CODES),
    OpenApiParameter("intervention_type", str, many=True, explode=True, description=_CODES),
    OpenApiParameter("free", bool, description=_("Alleen gratis aanbod.")),
    OpenApiParameter("walk_in", bool, description=_("Alleen aanbod zonder verwijzing.")),
    OpenApiParameter("age", int, description=_("Leeftijd (0–120) waarvoor het aanbod past.")),
    OpenApiParameter("page", int, description=_("Paginanummer, vanaf 1.")),
    OpenApiParameter(
        "page_size",
        int,
        description=_("Resultaten per pagina (1–%(max)d, standaard %(default)d).")
        % {"max": MAX_PAGE_SIZE, "default": DEFAULT_PAGE_SIZE},
    ),
]


class ServiceListView(APIView):
    @extend_schema(
        operation_id="directory_services_list",
        summary=_("Aanbod zoeken"),
        description=_(
            "Zoekt in de sociale kaart zoals de zoekpagina doet: dezelfde parameters, dezelfde "
            "volgorde (relevantie en afstand). Diensten volgen de vorm van Open Referral HSDS 3.0."
        ),
        parameters=SEARCH_PARAMETERS,
        responses={200: ServicePageSerializer, 400: ErrorSerializer},
        tags=["sociale kaart"],
    )
    def get(self, request: Request) -> Response:
        try:
            parsed = parse_search_params(request.query_params, names=API_NAMES, strict=True)
        except SearchParamError as exc:
            return Response(
                {"detail": exc.message, "parameter": exc.field, "suggestions": exc.suggestions},
                status=400,
            )
        result = search(parsed.params, facets=False)
        distances = {hit.offer_id: hit.distance_km for hit in result.hits}
        offers = results.public_offers_in_order([hit.offer_id for hit in result.hits])
        contents = [service_data(o, request, distance_km=distances[o.pk]) for o in offers]
        params = result.params
        page = {
            "total_items": result.total,
            "total_pages": result.pages,
            "page_number": params.page,
            "size": params.page_size,
            "first_page": params.page == 1,
            "last_page": params.page >= result.pages,
            "empty": not contents,
            "contents": contents,
            "corrected_query": result.corrected_q,
            "unknown_words": list(result.unknown_words),
        }
        return Response(ServicePageSerializer(page).data)


class ServiceDetailView(APIView):
    @extend_schema(
        operation_id="directory_services_retrieve",
        summary=_("Eén aanbod"),
        description=_("Het aanbod met dit id, als het in de openbare sociale kaart staat."),
        responses={200: ServiceSerializer, 404: ErrorSerializer},
        tags=["sociale kaart"],
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            offer = results.public_offer_get(pk=pk)
        except Http404:
            raise NotFound(
                _("Dit aanbod bestaat niet of staat niet (meer) in de sociale kaart.")
            ) from None
        return Response(ServiceSerializer(service_data(offer, request)).data)


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI from the sidecar's own files: its set-up script is a file too (strict CSP)."""

    template_name = "directory/api_docs.html"
