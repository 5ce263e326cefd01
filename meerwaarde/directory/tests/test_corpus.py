import datetime
import json
from pathlib import Path

import pytest
from django.utils import timezone

from meerwaarde.directory.tests.conftest import (
    VOCABULARY,
    load_corpus_places,
    load_vocabulary_seed,
    relevance_queries,
)
from meerwaarde.offers.constants import SHELTER_CONCEPT_CODES, OfferStatus
from meerwaarde.offers.corpus import (
    corpus_place_labels,
    load_offer_corpus,
    read_offer_corpus,
)
from meerwaarde.offers.models import Offer
from meerwaarde.offers.signals import offer_changed
from meerwaarde.organisations.models import Organisation
from meerwaarde.places.selectors import place_get_by_label

ENTRIES = read_offer_corpus()
QUERIES = relevance_queries()
CONCEPTS = {
    scheme["code"]: {c["code"] for c in scheme["concepts"]}
    for scheme in json.loads(VOCABULARY.read_text(encoding="utf-8"))["schemes"]
}


def test_it_has_at_least_150_offers_with_unique_keys_and_names_per_organisation():
    assert len(ENTRIES) >= 150
    assert len({e["key"] for e in ENTRIES}) == len(ENTRIES)
    assert len({(e["organisation"], e["name"]) for e in ENTRIES}) == len(ENTRIES)


def test_it_covers_every_intervention_type_with_codes_from_the_right_lists():
    assert {e["intervention_type"] for e in ENTRIES} == CONCEPTS["intervention_types"]
    for entry in ENTRIES:
        for field in ("themes", "target_groups", "working_elements"):
            assert set(entry[field]) <= CONCEPTS[field], (entry["key"], field)
    shelters = [e for e in ENTRIES if e["places_available"] is not None]
    assert len(shelters) >= 5
    assert all(e["intervention_type"] in SHELTER_CONCEPT_CODES for e in shelters)


def test_it_has_at_least_40_queries_whose_expected_offers_and_filter_codes_exist():
    keys = {e["key"] for e in ENTRIES}
    assert len(QUERIES) >= 40
    for query in QUERIES:
        assert 1 <= len(query["expected"]) <= 3, query["q"]
        assert set(query["expected"]) <= keys, query["q"]
        assert query["q"] or query["filters"], "a query without words needs filters"
        assert (query["place"] is None) == (query["proximity_km"] is None), query["q"]
        for field in ("themes", "target_groups", "intervention_types"):
            assert set(query["filters"].get(field, [])) <= CONCEPTS[field], query["q"]


@pytest.mark.django_db
def test_every_place_label_of_the_offers_and_the_queries_resolves():
    load_corpus_places()
    labels = corpus_place_labels(ENTRIES) | {q["place"] for q in QUERIES if q["place"]}
    assert sorted(label for label in labels if place_get_by_label(label=label) is None) == []


@pytest.mark.django_db
def test_it_loads_every_offer_with_its_concepts_locations_and_organisation(offer_corpus):
    assert set(offer_corpus) == {e["key"] for e in ENTRIES}
    assert Offer.objects.public().count() == len(ENTRIES)
    offers = Offer.objects.select_related("organisation", "intervention_type").prefetch_related(
        "themes", "target_groups", "working_elements", "locations__place"
    )
    by_pk = {o.pk: o for o in offers}
    for entry in ENTRIES:
        offer = by_pk[offer_corpus[entry["key"]].pk]
        assert offer.organisation.kvk_number == entry["organisation"]
        assert offer.intervention_type.code == entry["intervention_type"]
        for field in ("themes", "target_groups", "working_elements"):
            codes = sorted(c.code for c in getattr(offer, field).all())
            assert codes == sorted(entry[field]), (entry["key"], field)
        locations = list(offer.locations.all())
        assert len(locations) == len(entry["places"])
        for location in locations:
            assert (location.latitude, location.longitude) == (
                location.place.latitude,
                location.place.longitude,
            )
    debt = by_pk[offer_corpus["zwolle-schuldhulpmaatje"].pk]
    assert [(loc.place.name, loc.postcode) for loc in debt.locations.all()] == [
        ("Zwolle", "8012 DE")
    ]
    shelters = Offer.objects.filter(places_available__isnull=False)
    assert shelters.count() >= 5 and not shelters.filter(places_updated_at__isnull=True).exists()
    assert {o.intervention_type.code for o in shelters} <= SHELTER_CONCEPT_CODES
    today = timezone.localdate()
    assert min(o.last_confirmed_on for o in by_pk.values()) >= today - datetime.timedelta(540)
    assert any(o.needs_confirmation for o in by_pk.values())
    assert {o.status for o in by_pk.values()} == {OfferStatus.ACTIVE}

    # Twice: nothing new, nothing signalled; a deleted offer comes back, signalled alone.
    sent: list[int] = []

    def changed(sender, offer, **kwargs):
        sent.append(offer.pk)

    offer_changed.connect(changed, weak=False)
    try:
        again = load_offer_corpus()
        assert sent == []
        Offer.objects.filter(pk=offer_corpus["zwolle-belcirkel"].pk).delete()
        load_offer_corpus()
    finally:
        offer_changed.disconnect(changed)
    assert {k: o.pk for k, o in again.items()} == {k: o.pk for k, o in offer_corpus.items()}
    assert Offer.objects.count() == len(ENTRIES)
    assert sent == [Offer.objects.get(name="Belcirkel Zwolle").pk]


@pytest.fixture
def small_corpus(db, tmp_path) -> Path:
    """Three offers, one of an organisation (KvK number) that does not exist."""
    load_corpus_places()
    load_vocabulary_seed()
    entries = [e for e in ENTRIES if e["key"] in {"zwolle-belcirkel", "kampen-seniorenbezoek"}]
    stray = next(e for e in ENTRIES if e["key"] == "leeuwarden-de-terp")
    entries.append({**stray, "organisation": "12345678"})
    path = tmp_path / "offers.json"
    path.write_text(json.dumps(entries), encoding="utf-8")
    return path


def test_it_signals_each_offer_after_its_concepts_and_locations_are_written(small_corpus):
    seen = []

    def changed(sender, offer, **kwargs):
        seen.append((offer.name, offer.themes.exists(), offer.locations.exists()))

    offer_changed.connect(changed, weak=False)
    try:
        load_offer_corpus(path=small_corpus)
    finally:
        offer_changed.disconnect(changed)
    assert sorted(seen) == [
        ("Belcirkel Zwolle", True, True),
        ("Opvanghuis De Terp", True, True),
        ("Seniorenbezoek Kampen", True, True),
    ]


def test_it_creates_a_minimal_organisation_for_an_unknown_kvk_number(small_corpus):
    loaded = load_offer_corpus(path=small_corpus)
    stray = Organisation.objects.get(kvk_number="12345678")
    assert loaded["leeuwarden-de-terp"].organisation == stray
    assert stray.place.name == "Leeuwarden" and stray.kind == "social_work"


def test_it_skips_offers_of_unknown_organisations_when_asked(small_corpus):
    loaded = load_offer_corpus(path=small_corpus, create_organisations=False)
    assert loaded == {}
    assert not Organisation.objects.exists()
    load_offer_corpus(path=small_corpus)
    Offer.objects.filter(name="Opvanghuis De Terp").delete()
    Organisation.objects.filter(kvk_number="12345678").delete()
    assert set(load_offer_corpus(path=small_corpus, create_organisations=False)) == {
        "zwolle-belcirkel",
        "kampen-seniorenbezoek",
    }
