"""The API's services, shaped after Open Referral HSDS 3.0 where it fits, plus our extras.

The serializers describe the shape (and so the OpenAPI document); ``service_data`` fills it
from an offer, so the page and the API read the same public fields.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers
from rest_framework.request import Request

from meerwaarde.directory.results import concept_label, language_names
from meerwaarde.offers.constants import Access, Cost, OfferStatus, ServiceArea
from meerwaarde.offers.models import Offer
from meerwaarde.vocabulary.models import Concept


class TaxonomyTermSerializer(serializers.Serializer):
    id = serializers.CharField(help_text=_("De vaste code van het begrip."))
    code = serializers.CharField(help_text=_("De vaste code van het begrip."))
    name = serializers.CharField(help_text=_("De voorkeursterm in de gevraagde taal."))
    taxonomy = serializers.CharField(
        help_text=_("De begrippenlijst van het Meerwaarde-vocabulaire, zoals ‘themes’.")
    )
    term_uri = serializers.URLField(help_text=_("De pagina van het begrip in het vocabulaire."))


class AttributeSerializer(serializers.Serializer):
    label = serializers.CharField(
        help_text=_(
            "Waarvoor het begrip staat: theme, target_group, intervention_type of working_element."
        )
    )
    taxonomy_term = TaxonomyTermSerializer()


class AddressSerializer(serializers.Serializer):
    address_1 = serializers.CharField(allow_blank=True)
    city = serializers.CharField()
    state_province = serializers.CharField()
    postal_code = serializers.CharField(allow_blank=True)
    country = serializers.CharField()
    address_type = serializers.CharField()


class LocationSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    location_type = serializers.CharField()
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    addresses = AddressSerializer(many=True)


class ServiceAtLocationSerializer(serializers.Serializer):
    id = serializers.CharField()
    location = LocationSerializer()


class ServiceAreaSerializer(serializers.Serializer):
    name = serializers.CharField()
    description = serializers.CharField()
    extent_type = serializers.CharField(help_text=_("‘municipality’ of ‘region’."))


class PhoneSerializer(serializers.Serializer):
    number = serializers.CharField()
    type = serializers.CharField()


class ScheduleSerializer(serializers.Serializer):
    description = serializers.CharField()


class LanguageSerializer(serializers.Serializer):
    name = serializers.CharField()
    code = serializers.CharField()


class OrganizationSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    website = serializers.CharField(allow_blank=True)


class CostOptionSerializer(serializers.Serializer):
    option = serializers.CharField()
    amount = serializers.DecimalField(max_digits=8, decimal_places=2, allow_null=True)
    currency = serializers.CharField()


class EvidenceSerializer(serializers.Serializer):
    level = serializers.ChoiceField(
        choices=[
            "none",
            "well_described",
            "well_founded",
            "effective_first",
            "effective_good",
            "effective_strong",
        ]
    )
    label = serializers.CharField()
    assessed_on = serializers.DateField(allow_null=True)
    expires_on = serializers.DateField(allow_null=True)
    expired = serializers.BooleanField()


class PlacesAvailableSerializer(serializers.Serializer):
    count = serializers.IntegerField()
    updated_at = serializers.DateTimeField()


class ServiceSerializer(serializers.Serializer):
    id = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField()
    url = serializers.CharField(allow_blank=True, help_text=_("De website van het aanbod."))
    email = serializers.CharField(allow_blank=True)
    status = serializers.CharField()
    fees_description = serializers.CharField()
    cost_options = CostOptionSerializer(many=True)
    eligibility_description = serializers.CharField()
    minimum_age = serializers.IntegerField(allow_null=True)
    maximum_age = serializers.IntegerField(allow_null=True)
    application_process = serializers.CharField()
    accreditations = serializers.CharField(help_text=_("De erkenning door Movisie/NJi."))
    assured_date = serializers.DateField(
        help_text=_("Wanneer de organisatie de gegevens voor het laatst bevestigde.")
    )
    last_modified = serializers.DateTimeField()
    languages = LanguageSerializer(many=True)
    organization = OrganizationSerializer()
    service_areas = ServiceAreaSerializer(many=True)
    service_at_locations = ServiceAtLocationSerializer(many=True)
    phones = PhoneSerializer(many=True)
    schedules = ScheduleSerializer(many=True)
    attributes = AttributeSerializer(many=True)
    # Our extras.
    distance_km = serializers.FloatField(
        allow_null=True,
        help_text=_("Afstand tot de gezochte plaats; 0 als die in het werkgebied ligt."),
    )
    intervention_type = TaxonomyTermSerializer()
    free_of_charge = serializers.BooleanField()
    referral_required = serializers.BooleanField()
    referral_description = serializers.CharField(allow_blank=True)
    accessibility = serializers.CharField()
    evidence = EvidenceSerializer()
    places_available = PlacesAvailableSerializer(allow_null=True)
    directory_url = serializers.URLField(help_text=_("De vaste pagina in de sociale kaart."))


class ServicePageSerializer(serializers.Serializer):
    total_items = serializers.IntegerField()
    total_pages = serializers.IntegerField()
    page_number = serializers.IntegerField()
    size = serializers.IntegerField()
    first_page = serializers.BooleanField()
    last_page = serializers.BooleanField()
    empty = serializers.BooleanField()
    contents = ServiceSerializer(many=True)
    corrected_query = serializers.CharField(
        allow_null=True, help_text=_("De zoekvraag na spellingcorrectie, als die afwijkt.")
    )
    unknown_words = serializers.ListField(child=serializers.CharField())


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    parameter = serializers.CharField(required=False)
    suggestions = serializers.ListField(child=serializers.CharField(), required=False)


def _term(concept: Concept, request: Request) -> dict:
    return {
        "id": concept.code,
        "code": concept.code,
        "name": concept_label(concept),
        "taxonomy": concept.scheme.code,
        "term_uri": request.build_absolute_uri(
            reverse("vocabulary:concept_detail", kwargs={"code": concept.code})
        ),
    }


def _fees(offer: Offer) -> str:
    text = str(offer.get_cost_display())
    if offer.cost_amount is not None:
        text += f": € {offer.cost_amount:.2f}".replace(".", ",")
    if offer.cost_note:
        text += f" — {offer.cost_note}"
    return text


def service_data(offer: Offer, request: Request, *, distance_km: float | None = None) -> dict:
    """One offer as an HSDS-shaped service. Needs the offer's concepts and locations prefetched
    (``public_offer_get`` / ``public_offers_in_order``) and concept schemes, which are few."""
    area = offer.service_area != ServiceArea.LOCATIONS
    locations = list(offer.locations.all())
    attributes = [
        {"label": label, "taxonomy_term": _term(concept, request)}
        for label, concepts in (
            ("intervention_type", [offer.intervention_type]),
            ("theme", offer.themes.all()),
            ("target_group", offer.target_groups.all()),
            ("working_element", offer.working_elements.all()),
        )
        for concept in concepts
    ]
    return {
        "id": str(offer.pk),
        "name": offer.name,
        "description": offer.description,
        "url": offer.website,
        "email": offer.email,
        "status": "active" if offer.status == OfferStatus.ACTIVE else "inactive",
        "fees_description": _fees(offer),
        "cost_options": []
        if offer.cost == Cost.FREE
        else [
            {
                "option": str(offer.get_cost_display()),
                "amount": offer.cost_amount,
                "currency": "EUR",
            }
        ],
        "eligibility_description": ", ".join(concept_label(c) for c in offer.target_groups.all()),
        "minimum_age": offer.age_min,
        "maximum_age": offer.age_max,
        "application_process": offer.sign_up or str(offer.get_access_display()),
        "accreditations": str(offer.get_evidence_level_display()),
        "assured_date": offer.last_confirmed_on,
        "last_modified": offer.updated_at,
        "languages": [
            {"name": name, "code": code}
            for code, name in zip(offer.languages, language_names(offer.languages), strict=True)
        ],
        "organization": {
            "id": str(offer.organisation.pk),
            "name": offer.organisation.name,
            "website": offer.organisation.website,
        },
        "service_areas": [
            {
                "name": location.place.name,
                "description": str(offer.get_service_area_display()),
                "extent_type": offer.service_area,
            }
            for location in locations
        ]
        if area
        else [],
        "service_at_locations": [
            {
                "id": f"{offer.pk}-{location.pk}",
                "location": {
                    "id": str(location.pk),
                    "name": location.name or location.place.name,
                    "location_type": "virtual" if area and not location.address else "physical",
                    "latitude": location.latitude,
                    "longitude": location.longitude,
                    "addresses": [
                        {
                            "address_1": location.address,
                            "city": location.place.name,
                            "state_province": str(location.place.get_province_display()),
                            "postal_code": location.postcode,
                            "country": "NL",
                            "address_type": "physical",
                        }
                    ],
                },
            }
            for location in locations
        ],
        "phones": [{"number": offer.phone, "type": "voice"}] if offer.phone else [],
        "schedules": [{"description": offer.schedule}] if offer.schedule else [],
        "attributes": attributes,
        "distance_km": round(distance_km, 2) if distance_km is not None else None,
        "intervention_type": _term(offer.intervention_type, request),
        "free_of_charge": offer.cost == Cost.FREE,
        "referral_required": offer.access == Access.REFERRAL,
        "referral_description": offer.referral_note,
        "accessibility": str(offer.get_accessibility_display()),
        "evidence": {
            "level": offer.evidence_level,
            "label": str(offer.get_evidence_level_display()),
            "assessed_on": offer.evidence_assessed_on,
            "expires_on": offer.evidence_expires_on,
            "expired": offer.evidence_expired,
        },
        "places_available": {"count": offer.places_available, "updated_at": offer.places_updated_at}
        if offer.places_available is not None
        else None,
        "directory_url": request.build_absolute_uri(reverse("directory:offer", args=[offer.pk])),
    }
