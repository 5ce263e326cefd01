"""The store's distance sets against the plain haversine, offer by offer (no database).

Above ``DIRECT_LIMIT`` members the nearest offers and every circle are measured with numpy;
these tests hold that path to the one-by-one Python that the rest of the store uses.
"""

import random

import pytest

from meerwaarde.directory.search.store import DIRECT_LIMIT, Doc, Store, bits_from, positions_of

# Places offers share: many offers at one place's coordinates make ties in distance.
PLACES = [(52.09, 5.12), (52.37, 4.9), (51.92, 4.48), (52.51, 6.09), (53.22, 6.57)]


def _store(count: int, seed: int) -> Store:
    rng = random.Random(seed)
    store = Store(vendor="test")
    for pos in range(1, count + 1):
        points = []
        for _ in range(rng.choice((1, 1, 1, 2, 3))):
            if rng.random() < 0.3:
                lat, lon = rng.choice(PLACES)
            else:
                lat, lon = rng.uniform(50.8, 53.4), rng.uniform(3.5, 7.1)
            reach = rng.choice((0, 0, 0, 12, 30))
            points.append((lat, lon, reach))
        store.docs[pos] = Doc((), tuple(points), f"aanbod {rng.randrange(300):03d}")
    store.all_bits = bits_from(store.docs)
    return store


@pytest.mark.parametrize("radius", [5, 10, 25, 50, 100])
@pytest.mark.parametrize("centre", [PLACES[0], PLACES[3], (51.44, 5.48)])
def test_a_circle_holds_exactly_the_offers_within_radius_and_reach(centre, radius):
    store = _store(1500, seed=radius)
    expected = {pos for pos in store.docs if store._within(pos, *centre, radius)}
    assert set(positions_of(store.near(store.all_bits, *centre, radius))) == expected


@pytest.mark.parametrize("count", [1, 10, 25])
@pytest.mark.parametrize("centre", [PLACES[0], PLACES[4], (51.44, 5.48)])
def test_the_nearest_of_many_members_are_those_of_one_by_one_measuring(centre, count):
    store = _store(2000, seed=count)
    members = bits_from(pos for pos in store.docs if pos % 3)
    assert members.bit_count() > DIRECT_LIMIT
    expected = sorted(
        (store.raw_distance(pos, *centre), store.docs[pos].sort_key, pos)
        for pos in positions_of(members)
    )[:count]
    assert store.nearest(members, *centre, count) == [(d, pos) for d, _key, pos in expected]


def test_the_nearest_keeps_ties_at_one_place_in_name_order():
    store = _store(1000, seed=5)
    at_utrecht = [
        pos for pos, doc in store.docs.items() if any(p[:2] == PLACES[0] for p in doc.points)
    ]
    members = store.all_bits
    found = [pos for _d, pos in store.nearest(members, *PLACES[0], 5)]
    tied = sorted(at_utrecht, key=lambda pos: (store.docs[pos].sort_key, pos))
    assert len(tied) > 5
    assert found == tied[:5]
