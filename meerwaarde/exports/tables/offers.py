"""The organisation's offers and their locations."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from meerwaarde.exports.columns import Column, Kind, Table, codes, each
from meerwaarde.offers.constants import (
    Access,
    Accessibility,
    Cost,
    EvidenceLevel,
    Language,
    OfferStatus,
    ServiceArea,
)
from meerwaarde.offers.models import Offer, OfferLocation
from meerwaarde.vocabulary.models import Concept

OFFER_ID = Column(
    "aanbod_id",
    Kind.INTEGER,
    _(
        "Nummer van het aanbod in deze export; andere bestanden verwijzen ermee naar het "
        "aanbod. Bij het inlezen krijgt het aanbod een nieuw nummer."
    ),
)

_CODES = Concept.objects.only("code")


def _offers(organisation):
    return (
        Offer.objects.filter(organisation=organisation)
        .select_related("intervention_type")
        .prefetch_related(
            Prefetch("themes", queryset=_CODES),
            Prefetch("target_groups", queryset=_CODES),
            Prefetch("working_elements", queryset=_CODES),
        )
        .order_by("pk")
    )


def _offer_row(offer: Offer) -> tuple:
    return (
        offer.pk,
        offer.name,
        offer.intervention_type.code,
        offer.description,
        codes(offer.themes.all()),
        codes(offer.target_groups.all()),
        codes(offer.working_elements.all()),
        offer.age_min,
        offer.age_max,
        offer.service_area,
        offer.cost,
        offer.cost_amount,
        offer.cost_note,
        offer.access,
        offer.referral_note,
        offer.sign_up,
        offer.phone,
        offer.email,
        offer.website,
        offer.schedule,
        ", ".join(offer.languages),
        offer.accessibility,
        offer.accessibility_note,
        offer.evidence_level,
        offer.evidence_assessed_on,
        offer.last_confirmed_on,
        offer.status,
        offer.places_available,
        offer.places_updated_at,
    )


OFFERS = Table(
    name="aanbod",
    description=_("Het aanbod van de organisatie, zoals de sociale kaart het toont."),
    columns=(
        OFFER_ID,
        Column("aanbod_naam", Kind.TEXT, _("De naam van het aanbod bij de organisatie.")),
        Column(
            "soort_interventie",
            Kind.CODE,
            _("Code van de soort interventie in de uniforme woordenlijst."),
        ),
        Column("beschrijving", Kind.TEXT, _("Beschrijving van het aanbod.")),
        Column("themas", Kind.CODES, _("Codes van de thema's in de uniforme woordenlijst.")),
        Column(
            "doelgroepen", Kind.CODES, _("Codes van de doelgroepen in de uniforme woordenlijst.")
        ),
        Column(
            "werkzame_elementen",
            Kind.CODES,
            _("Codes van de werkzame elementen in de uniforme woordenlijst."),
        ),
        Column("leeftijd_vanaf", Kind.INTEGER, _("Laagste leeftijd; leeg: geen grens.")),
        Column("leeftijd_tot_en_met", Kind.INTEGER, _("Hoogste leeftijd; leeg: geen grens.")),
        Column("waar", Kind.CODE, _("Waar het aanbod wordt gegeven."), ServiceArea),
        Column("kosten", Kind.CODE, _("Wat het aanbod de deelnemer kost."), Cost),
        Column("bedrag", Kind.DECIMAL, _("Bedrag in euro; leeg bij gratis aanbod.")),
        Column("kosten_toelichting", Kind.TEXT, _("Toelichting op de kosten.")),
        Column("toegang", Kind.CODE, _("Of een verwijzing nodig is."), Access),
        Column("wie_kan_verwijzen", Kind.TEXT, _("Wie naar het aanbod kan verwijzen.")),
        Column("aanmelden", Kind.TEXT, _("Hoe iemand zich aanmeldt.")),
        Column("telefoon", Kind.TEXT, _("Telefoonnummer voor het aanbod.")),
        Column("email", Kind.TEXT, _("E-mailadres voor het aanbod.")),
        Column("website", Kind.TEXT, _("Website van het aanbod.")),
        Column("openingstijden", Kind.TEXT, _("Openingstijden of rooster.")),
        Column("talen", Kind.CODES, _("Talen waarin het aanbod wordt gegeven."), Language),
        Column(
            "toegankelijkheid",
            Kind.CODE,
            _("Fysieke toegankelijkheid."),
            Accessibility,
        ),
        Column("toegankelijkheid_toelichting", Kind.TEXT, _("Toelichting op de toegankelijkheid.")),
        Column("erkenning", Kind.CODE, _("Erkenning door Movisie of het NJi."), EvidenceLevel),
        Column("erkenning_beoordeeld_op", Kind.DATE, _("Datum van de beoordeling.")),
        Column("laatst_bevestigd_op", Kind.DATE, _("Wanneer de gegevens laatst zijn bevestigd.")),
        Column("status", Kind.CODE, _("Status van het aanbod."), OfferStatus),
        Column("vrije_plaatsen", Kind.INTEGER, _("Vrije plaatsen (alleen bij opvang).")),
        Column(
            "vrije_plaatsen_bijgewerkt_op",
            Kind.DATETIME,
            _("Wanneer de vrije plaatsen zijn bijgewerkt."),
        ),
    ),
    source=_offers,
    rows=each(_offer_row),
)


OFFER_LOCATIONS = Table(
    name="aanbod_locaties",
    description=_("De plaatsen waar een aanbod wordt gegeven, of die het bedient."),
    columns=(
        OFFER_ID,
        Column(
            "plaats_geonameid",
            Kind.INTEGER,
            _("Nummer van de plaats bij GeoNames; hetzelfde op elk platform."),
        ),
        Column("plaats", Kind.TEXT, _("Naam van de plaats (ter controle).")),
        Column("locatie_naam", Kind.TEXT, _("Naam van de locatie.")),
        Column("adres", Kind.TEXT, _("Adres van de locatie.")),
        Column("postcode", Kind.TEXT, _("Postcode van de locatie.")),
        Column("breedtegraad", Kind.DECIMAL, _("Breedtegraad (WGS84).")),
        Column("lengtegraad", Kind.DECIMAL, _("Lengtegraad (WGS84).")),
        Column("volgorde", Kind.INTEGER, _("Volgorde van de locaties bij het aanbod.")),
    ),
    source=lambda organisation: (
        OfferLocation.objects.filter(offer__organisation=organisation)
        .select_related("place")
        .order_by("offer_id", "position", "pk")
    ),
    rows=each(
        lambda location: (
            location.offer_id,
            location.place.geonameid,
            location.place.name,
            location.name,
            location.address,
            location.postcode,
            location.latitude,
            location.longitude,
            location.position,
        )
    ),
)
