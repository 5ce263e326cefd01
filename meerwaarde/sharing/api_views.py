"""The sharing API: what was shared with the key's organisation, and public impact pages.

Every figure comes from ``sharing.dashboards.shared_figures`` (suppressed); a grant that ended
or was revoked is a 404, exactly as on the partner's pages.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated, NotFound
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from meerwaarde.sharing import selectors
from meerwaarde.sharing.api import ApiTokenAuthentication, HasPartnerKey, partner_of
from meerwaarde.sharing.api_data import figures_data
from meerwaarde.sharing.dashboards import filters_described, shared_figures
from meerwaarde.sharing.models import AccessGrant, GrantKind

_TAGS = ["delen"]


class OrganisationRefSerializer(serializers.Serializer):
    name = serializers.CharField()
    slug = serializers.CharField()


class FilterSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class SharedGrantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=GrantKind.choices)
    organisation = OrganisationRefSerializer(help_text=_("De organisatie die deelt."))
    subject = serializers.CharField(help_text=_("Wat gedeeld is, in woorden."))
    ends_on = serializers.DateField(help_text=_("De laatste dag van de toegang."))
    filters = FilterSerializer(many=True)
    figures_url = serializers.CharField(
        allow_null=True, help_text=_("Waar de cijfers staan (alleen bij resultaten).")
    )


class SharedListSerializer(serializers.Serializer):
    partner = OrganisationRefSerializer()
    results = SharedGrantSerializer(many=True)


def _org(organisation) -> dict:
    return {"name": organisation.name, "slug": organisation.slug}


def _filters(grant: AccessGrant) -> list[dict]:
    if grant.kind != GrantKind.DASHBOARD:
        return []
    parts = filters_described(organisation=grant.organisation, filters=grant.filters)
    return [{"label": part.label, "value": part.value} for part in parts]


class _PartnerView(APIView):
    authentication_classes = [ApiTokenAuthentication]
    permission_classes = [HasPartnerKey]

    def permission_denied(self, request: Request, message=None, code=None) -> None:
        # Without a key DRF's own words are generic; ours say how to send one (still a 401).
        if request.successful_authenticator is None:
            raise NotAuthenticated(HasPartnerKey.message)
        super().permission_denied(request, message, code)


class SharedListView(_PartnerView):
    @extend_schema(
        operation_id="shared_list",
        summary=_("Wat met uw organisatie gedeeld is"),
        description=_(
            "De toegang die andere organisaties aan de organisatie van de API-sleutel gaven en "
            "die vandaag geldt, met de laatste dag."
        ),
        responses={200: SharedListSerializer, 401: OpenApiResponse(OpenApiTypes.OBJECT)},
        tags=_TAGS,
    )
    def get(self, request: Request) -> Response:
        partner = partner_of(request)
        assert partner is not None  # HasPartnerKey
        grants = selectors.grants_for_partner(partner=partner)
        results = [
            {
                "id": grant.pk,
                "kind": grant.kind,
                "organisation": _org(grant.organisation),
                "subject": grant.subject,
                "ends_on": grant.ends_on,
                "filters": _filters(grant),
                "figures_url": (
                    request.build_absolute_uri(reverse("sharing_api:shared", args=[grant.pk]))
                    if grant.kind == GrantKind.DASHBOARD
                    else None
                ),
            }
            for grant in grants
        ]
        return Response(SharedListSerializer({"partner": _org(partner), "results": results}).data)


class SharedFiguresView(_PartnerView):
    @extend_schema(
        operation_id="shared_figures",
        summary=_("Gedeelde resultaten"),
        description=_(
            "De gebundelde cijfers van gedeelde resultaten, met de filters die de eigenaar "
            'koos. Een verborgen cijfer (te weinig deelnemers) is null, met "hidden": true '
            "ernaast. Na de laatste dag of na intrekken: 404."
        ),
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT),
            401: OpenApiResponse(OpenApiTypes.OBJECT),
            404: OpenApiResponse(OpenApiTypes.OBJECT),
        },
        tags=_TAGS,
    )
    def get(self, request: Request, pk: int) -> Response:
        partner = partner_of(request)
        assert partner is not None
        grant = selectors.grant_get_for_partner(partner=partner, pk=pk, kind=GrantKind.DASHBOARD)
        figures = shared_figures(organisation=grant.organisation, filters=grant.filters)
        if figures is None:
            raise NotFound(_("De gedeelde selectie bestaat niet meer in deze vorm."))
        return Response(
            {
                "id": grant.pk,
                "organisation": _org(grant.organisation),
                "ends_on": grant.ends_on,
                "filters": _filters(grant),
                "figures": figures_data(figures),
            }
        )


class ImpactPageView(APIView):
    authentication_classes = [ApiTokenAuthentication]

    @extend_schema(
        operation_id="impact_page",
        summary=_("Openbare impactpagina"),
        description=_(
            "De cijfers die een organisatie op haar impactpagina publiceert; zonder sleutel "
            'te lezen. Een verborgen cijfer is null, met "hidden": true ernaast. Een '
            "organisatie zonder gepubliceerde pagina: 404."
        ),
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT),
            404: OpenApiResponse(OpenApiTypes.OBJECT),
        },
        tags=_TAGS,
    )
    def get(self, request: Request, slug: str) -> Response:
        page = selectors.impact_page_get_published(slug=slug)
        figures = shared_figures(organisation=page.organisation, filters=page.filters)
        if figures is None:
            raise NotFound(_("De gekozen selectie bestaat niet meer in deze vorm."))
        return Response(
            {
                "organisation": _org(page.organisation),
                "introduction": page.introduction,
                "sections": page.sections,
                "filters": [
                    {"label": p.label, "value": p.value}
                    for p in filters_described(organisation=page.organisation, filters=page.filters)
                ],
                "figures": figures_data(figures, sections=page.sections),
            }
        )
