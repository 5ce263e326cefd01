"""The programmes API: public programmes for everyone; with a partner's key
(``Authorization: Token <key>``) also the programmes shared with that partner. Progress is
always the suppressed one; anything else is a 404."""

import math

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meerwaarde.programmes import selectors
from meerwaarde.programmes.api.serializers import (
    ProgrammeDetailSerializer,
    ProgrammeErrorSerializer,
    ProgrammePageSerializer,
    programme_data,
    progress_data,
)
from meerwaarde.programmes.progress import programme_progress
from meerwaarde.sharing.api import ApiTokenAuthentication, partner_of

PAGE_SIZE = 50
_TAGS = ["programma's"]
_AUTH = _(
    "Zonder sleutel alleen openbare programma's; met de API-sleutel van een partner ook de "
    "programma's die met die partner gedeeld zijn."
)


class ProgrammeListView(APIView):
    authentication_classes = [ApiTokenAuthentication]

    @extend_schema(
        operation_id="programmes_list",
        summary=_("Programma's"),
        description=_AUTH,
        parameters=[OpenApiParameter("page", int, description=_("Paginanummer, vanaf 1."))],
        responses={200: ProgrammePageSerializer, 401: ProgrammeErrorSerializer},
        tags=_TAGS,
    )
    def get(self, request: Request) -> Response:
        programmes = selectors.programme_list_visible(partner=partner_of(request))
        count = programmes.count()
        pages = max(math.ceil(count / PAGE_SIZE), 1)
        try:
            page = min(max(int(request.query_params.get("page", 1)), 1), pages)
        except ValueError:
            page = 1
        chosen = programmes.prefetch_related("places", "themes", "target_groups", "partners")[
            (page - 1) * PAGE_SIZE : page * PAGE_SIZE
        ]
        data = {
            "count": count,
            "page": page,
            "pages": pages,
            "results": [programme_data(programme, request) for programme in chosen],
        }
        return Response(ProgrammePageSerializer(data).data)


class ProgrammeDetailView(APIView):
    authentication_classes = [ApiTokenAuthentication]

    @extend_schema(
        operation_id="programmes_retrieve",
        summary=_("Eén programma met zijn voortgang"),
        description=_AUTH
        + " "
        + _(
            "Per stap van de resultatenketen en per jaar: doel, waarde en stand. Waarden die op "
            "minder dan k deelnemers rusten zijn null met hidden: true."
        ),
        responses={
            200: ProgrammeDetailSerializer,
            401: ProgrammeErrorSerializer,
            404: ProgrammeErrorSerializer,
        },
        tags=_TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        try:
            programme = selectors.programme_get_visible(partner=partner_of(request), pk=pk)
        except Http404:
            raise NotFound(_("Dit programma bestaat niet of is niet met u gedeeld.")) from None
        progress = programme_progress(programme=programme, suppressed=True)
        return Response(ProgrammeDetailSerializer(progress_data(progress, request)).data)
