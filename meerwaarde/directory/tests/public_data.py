"""A small public directory for the page, API and map tests: places, concepts and offers."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from meerwaarde.offers.constants import (
    Access,
    Accessibility,
    Cost,
    EvidenceLevel,
    OfferStatus,
    ServiceArea,
)
from meerwaarde.offers.models import Offer
from meerwaarde.offers.signals import offer_changed
from meerwaarde.offers.tests.factories import OfferFactory, OfferLocationFactory
from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.places.constants import Province
from meerwaarde.places.models import Place
from meerwaarde.places.tests.factories import PlaceFactory
from meerwaarde.vocabulary.models import Concept
from meerwaarde.vocabulary.tests.factories import ConceptFactory, ConceptSchemeFactory


@dataclass
class Directory:
    zwolle: Place
    deventer: Place
    kampen: Place
    debt: Concept  # theme
    loneliness: Concept  # theme
    elderly: Concept  # target group
    buddy_debt: Concept  # intervention type
    buddy: Concept  # intervention type
    debt_buddy_offer: Offer
    elderly_offer: Offer
    deventer_offer: Offer
    area_offer: Offer
    paused_offer: Offer
    stale_offer: Offer


def _concept(scheme: str, code: str, nl: str, en: str, **kwargs) -> Concept:
    return ConceptFactory(
        scheme=ConceptSchemeFactory(code=scheme),
        code=code,
        pref_label_nl=nl,
        pref_label_en=en,
        **kwargs,
    )


def make_directory() -> Directory:
    zwolle = PlaceFactory(
        name="Zwolle",
        province=Province.OVERIJSSEL,
        latitude=52.5125,
        longitude=6.0944,
        population=130_000,
    )
    deventer = PlaceFactory(
        name="Deventer",
        province=Province.OVERIJSSEL,
        latitude=52.255,
        longitude=6.1639,
        population=100_000,
    )
    kampen = PlaceFactory(
        name="Kampen",
        province=Province.OVERIJSSEL,
        latitude=52.555,
        longitude=5.9111,
        population=50_000,
    )
    # Two places called Hengelo, to test the ambiguous place message.
    PlaceFactory(name="Hengelo", province=Province.OVERIJSSEL, latitude=52.2658, longitude=6.7931)
    PlaceFactory(name="Hengelo", province=Province.GELDERLAND, latitude=52.05, longitude=6.3)
    debt = _concept("themes", "thema-armoede-schulden", "Armoede en schulden", "Poverty and debt")
    loneliness = _concept("themes", "thema-eenzaamheid", "Eenzaamheid", "Loneliness")
    elderly = _concept("target_groups", "doelgroep-ouderen", "Ouderen", "Older people")
    buddy_debt = _concept(
        "intervention_types",
        "interventie-schuldhulpmaatje",
        "Schuldhulpmaatje",
        "Debt buddy",
        definition="Een getrainde vrijwilliger helpt iemand met geldzorgen.",
    )
    buddy = _concept(
        "intervention_types", "interventie-maatjesproject", "Maatjesproject", "Buddy project"
    )
    org = OrganisationFactory(name="Welzijn Zwolle", website="https://welzijn-zwolle.example")

    def offer(place: Place, **kwargs) -> Offer:
        made = OfferFactory(organisation=org, location=None, **kwargs)
        OfferLocationFactory(
            offer=made,
            place=place,
            address="Grote Markt 1",
            postcode="8011 LW",
            name=f"Buurthuis {place.name}",
        )
        return made

    debt_buddy_offer = offer(
        zwolle,
        name="Schuldhulpmaatje Zwolle",
        intervention_type=buddy_debt,
        description=(
            "Vrijwilligers helpen u bij schulden en geldzorgen. Samen zetten we de post op "
            "orde en zoeken we de weg naar hulp. <script>alert(1)</script>"
        ),
        themes=[debt],
        cost=Cost.FREE,
        access=Access.WALK_IN,
        evidence_level=EvidenceLevel.WELL_FOUNDED,
        evidence_assessed_on=datetime.date(2024, 3, 1),
        phone="038 123 45 67",
        email="info@schuldhulpmaatje.example",
        website="https://schuldhulpmaatje.example",
        schedule="Maandag en donderdag, 9.00–12.00 uur",
        sign_up="Bel of mail ons; we bellen binnen een week terug.",
        languages=["nl", "ar", "tr"],
        accessibility=Accessibility.ACCESSIBLE,
    )
    elderly_offer = offer(
        zwolle,
        name="Maatje voor ouderen",
        intervention_type=buddy,
        description="Een vrijwilliger komt op bezoek bij ouderen die eenzaam zijn.",
        themes=[loneliness],
        target_groups=[elderly],
        age_min=65,
        cost=Cost.CONTRIBUTION,
        cost_amount="15.00",
        access=Access.REFERRAL,
        referral_note="Huisarts, POH-GGZ of wijkteam",
    )
    deventer_offer = offer(
        deventer,
        name="Buurtkamer Deventer",
        intervention_type=buddy,
        description="Een huiskamer in de wijk tegen eenzaamheid.",
        themes=[loneliness],
    )
    area_offer = offer(
        kampen,
        name="Thuisadministratie Kampen",
        intervention_type=buddy_debt,
        description="Hulp bij de thuisadministratie en schulden, in de hele gemeente.",
        themes=[debt],
        service_area=ServiceArea.MUNICIPALITY,
    )
    paused_offer = offer(
        zwolle,
        name="Gepauzeerd schuldenproject",
        intervention_type=buddy_debt,
        description="Schulden.",
        status=OfferStatus.PAUSED,
    )
    stale_offer = offer(
        zwolle,
        name="Oud schuldenproject",
        intervention_type=buddy_debt,
        description="Schulden.",
        last_confirmed_on=timezone.localdate() - datetime.timedelta(days=600),
    )
    # The factories send no signals; the search index follows offers through this one.
    for made in Offer.objects.all():
        offer_changed.send(sender=Offer, offer=made)
    return Directory(
        zwolle,
        deventer,
        kampen,
        debt,
        loneliness,
        elderly,
        buddy_debt,
        buddy,
        debt_buddy_offer,
        elderly_offer,
        deventer_offer,
        area_offer,
        paused_offer,
        stale_offer,
    )
