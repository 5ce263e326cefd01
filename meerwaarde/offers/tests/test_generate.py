import json
import math
from collections import Counter
from pathlib import Path

import pytest
from django.utils import timezone

from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.generate import GENERATED_NOTE, generate_offers
from meerwaarde.offers.models import Offer, OfferLocation
from meerwaarde.offers.signals import offer_changed
from meerwaarde.organisations.models import Organisation
from meerwaarde.places.constants import Province
from meerwaarde.places.tests.factories import PlaceFactory
from meerwaarde.vocabulary.services import vocabulary_load

VOCABULARY = Path(__file__).resolve().parents[2] / "vocabulary" / "data" / "vocabulary.json"


@pytest.fixture
def country(db):
    """Three places of very different size, and the real vocabulary."""
    vocabulary_load(data=json.loads(VOCABULARY.read_text(encoding="utf-8")))
    return {
        "big": PlaceFactory(
            name="Grootstad", province=Province.UTRECHT, latitude=52.09, longitude=5.12,
            population=300_000,
        ),
        "middle": PlaceFactory(
            name="Middendorp", province=Province.GRONINGEN, latitude=53.22, longitude=6.57,
            population=30_000,
        ),
        "small": PlaceFactory(
            name="Kleinegat", province=Province.ZEELAND, latitude=51.50, longitude=3.61,
            population=600,
        ),
    }  # fmt: skip


@pytest.fixture
def signals():
    sent = []

    def changed(sender, offer, **kwargs):
        sent.append(offer.pk)

    offer_changed.connect(changed, weak=False)
    yield sent
    offer_changed.disconnect(changed)


def test_it_creates_200_varied_offers_without_signalling_each(country, signals):
    assert generate_offers(200, organisations=5) == 200
    assert Offer.objects.count() == 200
    assert signals == []
    offers = list(Offer.objects.prefetch_related("themes", "target_groups", "locations"))
    assert len({o.description for o in offers}) >= 190
    assert len({o.name for o in offers}) >= 150
    assert len({o.intervention_type_id for o in offers}) >= 40
    assert sum(1 for o in offers if o.themes.all() and o.target_groups.all()) >= 180
    for offer in offers:
        assert offer.description.count(".") >= 2, offer.description
        assert offer.locations.all(), offer.name


def test_it_puts_offers_where_people_live_within_a_kilometre_of_their_place(country):
    generate_offers(200, organisations=5)
    at = Counter(OfferLocation.objects.values_list("place__name", flat=True))
    assert at["Grootstad"] > at["Middendorp"] > at["Kleinegat"]
    for location in OfferLocation.objects.select_related("place"):
        dlat = (location.latitude - location.place.latitude) * 111.32
        dlon = (
            (location.longitude - location.place.longitude)
            * 111.32
            * math.cos(math.radians(location.place.latitude))
        )
        assert abs(dlat) <= 1.01 and abs(dlon) <= 1.01


def test_most_offers_are_active_and_recently_confirmed_some_not(country):
    generate_offers(200, organisations=5)
    today = timezone.localdate()
    recent = Offer.objects.filter(
        status=OfferStatus.ACTIVE, last_confirmed_on__gte=today.replace(year=today.year - 1)
    )
    assert 140 <= recent.count() <= 185
    assert Offer.objects.exclude(status=OfferStatus.ACTIVE).exists()
    assert Offer.objects.public().count() < 200
    assert not Offer.objects.filter(
        places_available__isnull=False, places_updated_at__isnull=True
    ).exists()


def test_it_generates_organisations_with_unique_kvk_numbers_once(country):
    generate_offers(50, organisations=5)
    generate_offers(50, seed=2, organisations=5)
    generated = Organisation.objects.filter(description=GENERATED_NOTE)
    assert generated.count() == 5
    kvks = list(generated.values_list("kvk_number", flat=True))
    assert len(set(kvks)) == 5 and all(len(k) == 8 and k.isdigit() for k in kvks)
    assert Offer.objects.count() == 100
    assert set(Offer.objects.values_list("organisation__description", flat=True)) == {
        GENERATED_NOTE
    }
