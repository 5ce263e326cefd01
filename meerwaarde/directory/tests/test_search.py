"""The search service: matching, correction, filters, distance, facets, paging and bad input.

The suite runs on SQLite and on PostgreSQL, so every test here checks both backends.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from meerwaarde.directory.search import store
from meerwaarde.directory.search.service import search
from meerwaarde.directory.search.types import SearchParams
from meerwaarde.offers.constants import Access, Cost, OfferStatus, ServiceArea
from meerwaarde.offers.models import Offer
from meerwaarde.offers.signals import offer_changed
from meerwaarde.offers.tests.factories import OfferFactory, OfferLocationFactory
from meerwaarde.places.tests.factories import PlaceFactory
from meerwaarde.vocabulary.models import Concept
from meerwaarde.vocabulary.services import vocabulary_load

VOCABULARY = Path(__file__).resolve().parents[2] / "vocabulary" / "data" / "vocabulary.json"
ZWOLLE = (52.5125, 6.0944)
DEVENTER = (52.255, 6.1639)  # 29 km south of Zwolle
KAMPEN = (52.555, 5.9111)  # 13 km west of Zwolle


@pytest.fixture(autouse=True)
def _fresh_store():
    store.clear()
    yield
    store.clear()


def concept(code: str) -> Concept:
    return Concept.objects.get(code=code)


def make_offer(place: tuple[float, float], **kwargs) -> Offer:
    name = kwargs.pop("place_name", "Zwolle")
    offer = OfferFactory(location=None, **kwargs)
    OfferLocationFactory(
        offer=offer,
        place=PlaceFactory(name=name, latitude=place[0], longitude=place[1]),
        latitude=place[0],
        longitude=place[1],
    )
    offer_changed.send(sender=Offer, offer=offer)
    return offer


@pytest.fixture
def directory(db):
    vocabulary_load(data=json.loads(VOCABULARY.read_text(encoding="utf-8")))
    debt = concept("thema-armoede-schulden")
    lonely = concept("thema-eenzaamheid")
    elderly = concept("doelgroep-ouderen")
    buddy = concept("interventie-maatjesproject")
    return {
        "debt": make_offer(
            ZWOLLE,
            name="Schuldhulpverlening Zwolle",
            intervention_type=concept("interventie-vroegsignalering-schulden"),
            description="Wij helpen u uit de schulden en brengen uw administratie op orde.",
            themes=[debt],
            cost=Cost.FREE,
            access=Access.REFERRAL,
        ),
        "buddy": make_offer(
            ZWOLLE,
            name="Samen op pad",
            intervention_type=buddy,
            description="Een vrijwilliger komt wekelijks langs voor koffie en een wandeling.",
            themes=[lonely],
            target_groups=[elderly],
            age_min=65,
            cost=Cost.CONTRIBUTION,
            cost_amount="10.00",
            access=Access.WALK_IN,
        ),
        "deventer": make_offer(
            DEVENTER,
            name="Huiskamer Deventer",
            place_name="Deventer",
            intervention_type=concept("interventie-huiskamer"),
            description="Een plek om mensen te ontmoeten tegen eenzaamheid.",
            themes=[lonely],
        ),
        "area": make_offer(
            KAMPEN,
            name="Thuisadministratie Kampen",
            place_name="Kampen",
            intervention_type=concept("interventie-thuisadministratie"),
            description="Vrijwilligers helpen met post en formulieren, in de hele gemeente.",
            themes=[debt],
            service_area=ServiceArea.MUNICIPALITY,
        ),
        "paused": make_offer(
            ZWOLLE,
            name="Gepauzeerd schuldenproject",
            intervention_type=concept("interventie-vroegsignalering-schulden"),
            description="Schulden.",
            status=OfferStatus.PAUSED,
        ),
        "stale": make_offer(
            ZWOLLE,
            name="Oud schuldenproject",
            intervention_type=concept("interventie-vroegsignalering-schulden"),
            description="Schulden.",
            last_confirmed_on=timezone.localdate() - datetime.timedelta(days=600),
        ),
    }


def ids(result) -> list[int]:
    return [hit.offer_id for hit in result.hits]


def test_it_finds_an_offer_through_a_synonym_of_its_theme(directory):
    assert directory["debt"].pk in ids(search(SearchParams(q="geldzorgen")))


def test_it_finds_buddy_projects_for_maatje(directory):
    assert ids(search(SearchParams(q="maatje")))[0] == directory["buddy"].pk


def test_a_compound_is_found_from_its_first_part(directory):
    result = search(SearchParams(q="schuldhulp"))
    assert ids(result)[0] == directory["debt"].pk
    assert "schuldhulpverlen" in result.hits[0].matched_stems


def test_a_misspelt_word_is_corrected_and_said(directory):
    result = search(SearchParams(q="eenzaamheit"))
    assert result.corrected_q == "eenzaamheid"
    assert set(ids(result)) >= {directory["buddy"].pk, directory["deventer"].pk}
    assert result.unknown_words == ()


def test_a_word_without_a_close_spelling_is_reported(directory):
    result = search(SearchParams(q="schulden xyzzyqw"))
    assert result.unknown_words == ("xyzzyqw",)
    assert directory["debt"].pk in ids(result)


def test_paused_and_stale_offers_stay_out(directory):
    found = ids(search(SearchParams(q="schuldenproject schulden")))
    assert directory["paused"].pk not in found
    assert directory["stale"].pk not in found


def test_a_natural_query_ranks_the_offer_matching_most_words_first(directory):
    result = search(SearchParams(q="eenzame oudere die graag wandelen"))
    assert ids(result)[0] == directory["buddy"].pk


def test_filters_narrow_the_result(directory):
    debt = "thema-armoede-schulden"
    assert set(ids(search(SearchParams(themes=(debt,))))) == {
        directory["debt"].pk,
        directory["area"].pk,
    }
    assert directory["buddy"].pk not in ids(search(SearchParams(free_only=True)))
    assert directory["debt"].pk not in ids(search(SearchParams(walk_in_only=True)))
    assert directory["buddy"].pk not in ids(search(SearchParams(age=30)))
    assert directory["buddy"].pk in ids(search(SearchParams(age=70)))


def test_distance_keeps_offers_within_the_radius_and_reach(directory):
    near_zwolle = search(SearchParams(lat=ZWOLLE[0], lon=ZWOLLE[1], proximity_km=10))
    found = ids(near_zwolle)
    assert directory["deventer"].pk not in found
    # Kampen is 13 km away, but the area offer reaches 10 km around it.
    assert directory["area"].pk in found
    area_hit = next(h for h in near_zwolle.hits if h.offer_id == directory["area"].pk)
    assert area_hit.distance_km == pytest.approx(3.0, abs=1.0)
    assert near_zwolle.hits[0].distance_km == 0.0
    wide = search(SearchParams(lat=ZWOLLE[0], lon=ZWOLLE[1], proximity_km=50))
    assert directory["deventer"].pk in ids(wide)


def test_without_words_nearby_offers_come_nearest_first(directory):
    result = search(SearchParams(lat=DEVENTER[0], lon=DEVENTER[1], proximity_km=50))
    assert ids(result)[0] == directory["deventer"].pk
    distances = [h.distance_km for h in result.hits]
    assert distances[0] == 0.0


def test_without_words_or_place_everything_public_comes_by_name(directory):
    result = search(SearchParams())
    assert result.total == 4
    names = [Offer.objects.get(pk=pk).name for pk in ids(result)]
    assert names == sorted(names, key=str.casefold)


def test_facets_count_the_whole_result_per_value(directory):
    result = search(SearchParams(q="schulden eenzaamheid", themes=("thema-armoede-schulden",)))
    themes = {f.value: f.count for f in result.facets["themes"]}
    # A dimension's own filter is left out of its counts, so other themes stay choosable.
    assert themes["thema-armoede-schulden"] == 2
    assert themes["thema-eenzaamheid"] >= 1
    assert result.total == 2
    assert {f.value: f.count for f in result.facets["free"]} == {"1": 2}


def test_pages_split_the_result(directory):
    first = search(SearchParams(page_size=2))
    second = search(SearchParams(page_size=2, page=2))
    assert first.total == second.total == 4
    assert first.pages == 2
    assert not set(ids(first)) & set(ids(second))
    assert search(SearchParams(page_size=2, page=9)).hits == []


HOSTILE = [
    "a" * 1000,
    " ".join(["schulden"] * 300),
    '"',
    '"schulden',
    "schulden*",
    "NEAR(schulden eenzaamheid)",
    "schulden OR eenzaamheid AND NOT x",
    "^schulden -eenzaamheid name:schulden {name}: x",
    "'; DROP TABLE offers_offer; --",
    "1' OR '1'='1",
    "schulden'); SELECT * FROM directory_searchterm; --",
    "\\ \x00 \u200b ☃ 𝔰𝔠𝔥𝔲𝔩𝔡𝔢𝔫 ",
    "!!! ??? ... :::",
    "&|!():*",
    "de het een",  # only stop words
]


@pytest.mark.parametrize("q", HOSTILE)
def test_hostile_queries_never_raise(directory, q):
    result = search(SearchParams(q=q, lat=ZWOLLE[0], lon=ZWOLLE[1]))
    assert result.total >= 0
    result = search(SearchParams(q=q))
    assert Offer.objects.filter(pk=directory["debt"].pk).exists()


def test_out_of_range_paging_and_distance_are_clamped(directory):
    result = search(SearchParams(page=0, page_size=10_000, proximity_km=-5, lat=52.5, lon=6.1))
    assert result.params.page == 1
    assert result.params.page_size == 100
    assert result.params.proximity_km >= 1


def test_the_index_follows_an_edit_a_delete_and_a_new_offer(directory):
    assert ids(search(SearchParams(q="wekelijks"))) == [directory["buddy"].pk]
    buddy = directory["buddy"]
    buddy.description = "Samen fietsen door de polder."
    buddy.save()
    offer_changed.send(sender=Offer, offer=buddy)
    result = search(SearchParams(q="wekelijks"))
    assert buddy.pk not in ids(result), (result.corrected_q, result.hits)
    assert ids(search(SearchParams(q="fietsen"))) == [buddy.pk]

    buddy.delete()
    assert ids(search(SearchParams(q="fietsen"))) == []
    assert search(SearchParams()).total == 3

    new = make_offer(ZWOLLE, name="Fietsmaatjes", description="Samen fietsen.")
    assert ids(search(SearchParams(q="fietsen"))) == [new.pk]
    assert search(SearchParams(q="fietsen")).corrected_q is None


def test_a_new_synonym_of_a_concept_finds_the_offers_using_it(directory):
    search(SearchParams(q="maatje"))  # the store is loaded before the change
    buddy = concept("interventie-maatjesproject")
    buddy.synonyms = [*buddy.synonyms, "wandelvriend"]
    buddy.save()
    assert ids(search(SearchParams(q="wandelvriend"))) == [directory["buddy"].pk]


def test_the_rebuilt_index_answers_the_same(directory):
    queries = [
        SearchParams(q="schulden"),
        SearchParams(q="eenzaamheit", lat=ZWOLLE[0], lon=ZWOLLE[1], proximity_km=50),
        SearchParams(lat=ZWOLLE[0], lon=ZWOLLE[1]),
    ]
    before = [search(p) for p in queries]
    call_command("rebuild_search_index", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = [search(p) for p in queries]
    for one, two in zip(before, after, strict=True):
        assert one.hits == two.hits
        assert one.total == two.total
        assert one.facets == two.facets


def test_a_query_of_unknown_words_finds_nothing_rather_than_everything(directory):
    result = search(SearchParams(q="xyzzyqw"))
    assert result.total == 0
    assert result.unknown_words == ("xyzzyqw",)
