"""The index's filter values, points and postings in process memory, as bitsets.

A set of offers is a Python ``int`` whose bit *n* is offer *n*: intersecting two sets of
100,000 offers, or counting one, takes microseconds, which is what makes facet counts over the
whole result cheap. The store is derived from the index tables and follows them by generation:
each search reads the index state (one primary-key lookup) and, when it moved, applies the
changed offers only; a rebuild, a rollback (another token) or a long absence reloads it all.
"""

import bisect
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from django.db import connection

from meerwaarde.directory.index import concept_stems_by_code
from meerwaarde.directory.models import IndexChange, SearchDocument, SearchPoint
from meerwaarde.directory.search.backends import (
    FIELD_ANY,
    FIELD_CONCEPTS,
    FIELD_NAME,
    FIELD_NOT_CONCEPTS,
    backend,
)
from meerwaarde.offers.constants import OfferStatus

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 110.57
KM_PER_DEGREE_LON_EQUATOR = 111.32
NUMPY_FROM = 500  # positions; fewer are set faster one by one
DIRECT_LIMIT = 400  # fewer offers than this: measure each in Python, rather than in numpy
POSTINGS_CACHE_SIZE = 4000
CIRCLE_CACHE_SIZE = 2000
DELTA_LIMIT = 5000  # more changed offers than this: reload everything

# Bucket keys: a kind and a value; every offer is in the buckets of its filter values.
ACTIVE = ("active", "")
FREE = ("free", "")
WALK_IN = ("walk_in", "")
THEME = "theme"
TARGET_GROUP = "target_group"
WORKING_ELEMENT = "working_element"
INTERVENTION_TYPE = "intervention_type"
KIND_OF_SCHEME = {
    "themes": THEME,
    "target_groups": TARGET_GROUP,
    "intervention_types": INTERVENTION_TYPE,
    "working_elements": WORKING_ELEMENT,
}
CONFIRMED = "confirmed"  # value: the date's ordinal
AGE_MIN = "age_min"  # value: the age, or -1 for none
AGE_MAX = "age_max"

Key = tuple[str, str | int]
Point = tuple[float, float, int]  # lat, lon, reach_km

_BIT_OFFSETS = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]
_BIT = tuple(1 << i for i in range(8))
_NONZERO = re.compile(rb"[^\x00]")


def bits_from(positions: Iterable[int] | np.ndarray) -> int:
    """A bitset of the positions: many through a numpy array of flags, few byte by byte."""
    if isinstance(positions, np.ndarray):
        return _bits_from_array(positions)
    found = positions if isinstance(positions, list) else list(positions)
    if not found:
        return 0
    if len(found) > NUMPY_FROM:
        return _bits_from_array(np.array(found, dtype=np.int64))
    buffer = bytearray((max(found) >> 3) + 1)
    for pos in found:
        buffer[pos >> 3] |= _BIT[pos & 7]
    return int.from_bytes(buffer, "little")


def _bits_from_array(positions: np.ndarray) -> int:
    if not len(positions):
        return 0
    flags = np.zeros(int(positions.max()) + 1, dtype=bool)
    flags[positions] = True
    return int.from_bytes(np.packbits(flags, bitorder="little").tobytes(), "little")


def positions_of(bits: int) -> Iterator[int]:
    """The set bits of ``bits``, ascending; C-speed skipping of empty bytes."""
    data = bits.to_bytes((bits.bit_length() + 7) // 8, "little")
    for match in _NONZERO.finditer(data):
        index = match.start()
        base = index << 3
        for offset in _BIT_OFFSETS[data[index]]:
            yield base + offset


def as_bytes(bits: int, size: int) -> bytes:
    """``bits`` as little-endian bytes of ``size``, for testing single bits cheaply."""
    return bits.to_bytes(max(size, (bits.bit_length() + 7) // 8), "little")


def has(data: bytes, pos: int) -> bool:
    index = pos >> 3
    return index < len(data) and bool(data[index] >> (pos & 7) & 1)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def _haversine(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """``haversine_km`` from one point to many."""
    rlat, rp = math.radians(lat), np.radians(lats)
    a = (
        np.sin((rp - rlat) / 2) ** 2
        + math.cos(rlat) * np.cos(rp) * np.sin(np.radians(lons - lon) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))


@dataclass(frozen=True)
class PointTable:
    """Every offer point as parallel arrays (offer position, latitude, longitude, reach),
    grouped by reach and sorted by latitude within a group, so that a circle only measures
    the band of latitudes it can reach."""

    pos: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    groups: tuple[tuple[float, int, int], ...]  # (reach, start, end) of each group

    @classmethod
    def of(cls, docs: "dict[int, Doc]") -> "PointTable":
        rows = sorted(
            (reach, lat, lon, pos) for pos, doc in docs.items() for lat, lon, reach in doc.points
        )
        reach, lat, lon, pos = zip(*rows, strict=True) if rows else ((), (), (), ())
        reaches = np.array(reach, dtype=np.float64)
        values, starts = np.unique(reaches, return_index=True)
        ends = [*starts[1:].tolist(), len(reaches)]
        return cls(
            np.array(pos, dtype=np.int64),
            np.array(lat, dtype=np.float64),
            np.array(lon, dtype=np.float64),
            tuple(zip(values.tolist(), starts.tolist(), ends, strict=True)),
        )


@dataclass(slots=True)
class Doc:
    keys: tuple[Key, ...]
    points: tuple[Point, ...]
    sort_key: str


@dataclass
class Store:
    vendor: str
    generation: int = -1
    token: int = 0
    docs: dict[int, Doc] = field(default_factory=dict)
    buckets: dict[Key, int] = field(default_factory=dict)
    points: "PointTable | None" = None  # every point as arrays, for the circles; None: stale
    name_order: list[tuple[str, int]] = field(default_factory=list)
    postings_cache: OrderedDict[tuple[str, str, bool], int] = field(default_factory=OrderedDict)
    public_cache: dict[int, int] = field(default_factory=dict)
    kind_cache: dict[str, list[tuple[str | int, int]]] = field(default_factory=dict)
    circle_cache: OrderedDict[tuple[float, float, float], int] = field(default_factory=OrderedDict)
    all_bits: int = 0
    concept_stems: dict[str, tuple[str, tuple[str, ...]]] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def size(self) -> int:
        """Bytes that hold a bit for every offer id."""
        return (self.all_bits.bit_length() + 7) // 8 + 1

    # -- loading ---------------------------------------------------------------------------

    def load_all(self, generation: int, token: int) -> None:
        self.concept_stems = concept_stems_by_code()
        docs = _read_docs(None)
        points = _read_points(None)
        members: dict[Key, list[int]] = {}
        for pos, (keys, _sort_key) in docs.items():
            for key in keys:
                members.setdefault(key, []).append(pos)
        self.docs = {
            pos: Doc(keys, tuple(points.get(pos, ())), sort_key)
            for pos, (keys, sort_key) in docs.items()
        }
        self.buckets = {key: bits_from(found) for key, found in members.items()}
        self.all_bits = bits_from(self.docs)
        self.points = None
        self.name_order = sorted((doc.sort_key, pos) for pos, doc in self.docs.items())
        self.postings_cache.clear()
        self.circle_cache.clear()
        self.public_cache.clear()
        self.kind_cache.clear()
        self.generation, self.token = generation, token

    def apply(self, offer_ids: list[int], generation: int, token: int) -> None:
        """Bring the given offers up to date: reread their rows, fix every structure."""
        self.concept_stems = concept_stems_by_code()
        docs = _read_docs(offer_ids)
        points = _read_points(offer_ids)
        stems = _read_stems(offer_ids)
        for pos in offer_ids:
            old = self.docs.pop(pos, None)
            if old is not None:
                for key in old.keys:
                    self.buckets[key] = self.buckets.get(key, 0) & ~(1 << pos)
                index = bisect.bisect_left(self.name_order, (old.sort_key, pos))
                if index < len(self.name_order) and self.name_order[index] == (
                    old.sort_key,
                    pos,
                ):
                    del self.name_order[index]
                self.all_bits &= ~(1 << pos)
            if pos in docs:
                keys, sort_key = docs[pos]
                doc = Doc(keys, tuple(points.get(pos, ())), sort_key)
                self.docs[pos] = doc
                for key in keys:
                    self.buckets[key] = self.buckets.get(key, 0) | (1 << pos)
                bisect.insort(self.name_order, (sort_key, pos))
                self.all_bits |= 1 << pos
        # Cached postings follow the changed offers, decided on their stems as FTS would.
        for posting_key, bits in self.postings_cache.items():
            field_name, stem, prefix = posting_key
            for pos in offer_ids:
                bit = 1 << pos
                if pos in stems and _stems_match(stems[pos], field_name, stem, prefix):
                    bits |= bit
                else:
                    bits &= ~bit
            self.postings_cache[posting_key] = bits
        for circle_key, bits in self.circle_cache.items():
            for pos in offer_ids:
                if self._within(pos, *circle_key):
                    bits |= 1 << pos
                else:
                    bits &= ~(1 << pos)
            self.circle_cache[circle_key] = bits
        self.points = None
        self.public_cache.clear()
        self.kind_cache.clear()
        self.generation, self.token = generation, token

    # -- sets ------------------------------------------------------------------------------

    def of_kind(self, kind: str) -> list[tuple[str | int, int]]:
        """(value, offers) of every bucket of one kind."""
        found = self.kind_cache.get(kind)
        if found is None:
            found = [(v, bits) for (k, v), bits in self.buckets.items() if k == kind and bits]
            self.kind_cache[kind] = found
        return found

    def bucket(self, key: Key) -> int:
        return self.buckets.get(key, 0)

    def any_of(self, kind: str, values: Iterable[str | int]) -> int:
        result = 0
        for value in values:
            result |= self.buckets.get((kind, value), 0)
        return result

    def public(self, hide_before_ordinal: int) -> int:
        """Active offers confirmed on or after the cut-off date."""
        cached = self.public_cache.get(hide_before_ordinal)
        if cached is None:
            recent = 0
            for value, bits in self.of_kind(CONFIRMED):
                if isinstance(value, int) and value >= hide_before_ordinal:
                    recent |= bits
            cached = recent & self.bucket(ACTIVE)
            self.public_cache[hide_before_ordinal] = cached
        return cached

    def age_fits(self, age: int) -> int:
        low, high = 0, 0
        for (kind, value), bits in self.buckets.items():
            if not isinstance(value, int):
                continue
            if kind == AGE_MIN and (value == -1 or value <= age):
                low |= bits
            elif kind == AGE_MAX and (value == -1 or value >= age):
                high |= bits
        return low & high

    def postings(self, field_name: str, stem: str, *, prefix: bool) -> int:
        """Offers with the stem (or, with ``prefix``, a stem starting with it) in the field."""
        key = (field_name, stem, prefix)
        bits = self.postings_cache.get(key)
        if bits is None:
            if field_name == FIELD_CONCEPTS:
                bits = self._concept_postings(stem, prefix) & self.all_bits
                self._cache_posting(key, bits)
            else:
                self.fetch_postings([key])
                bits = self.postings_cache[key]
        else:
            self.postings_cache.move_to_end(key)
        return bits

    def fetch_postings(self, wanted: list[tuple[str, str, bool]]) -> None:
        """Bring the database's postings among ``wanted`` into the cache, in one query."""
        missing = list(
            dict.fromkeys(
                key for key in wanted if key[0] != FIELD_CONCEPTS and key not in self.postings_cache
            )
        )
        if not missing:
            return
        for key, ids in zip(missing, backend().postings_many(missing), strict=True):
            field_name, stem, prefix = key
            bits = bits_from(ids) & self.all_bits
            if field_name == FIELD_NOT_CONCEPTS:
                bits &= ~self._concept_postings(stem, prefix)
            self._cache_posting(key, bits)

    def _cache_posting(self, key: tuple[str, str, bool], bits: int) -> None:
        self.postings_cache[key] = bits
        if len(self.postings_cache) > POSTINGS_CACHE_SIZE:
            self.postings_cache.popitem(last=False)

    def _concept_postings(self, stem: str, prefix: bool) -> int:
        """Offers whose concepts carry the stem: the concept bitsets, as FTS would answer."""
        bits = 0
        for code, (scheme, stems) in self.concept_stems.items():
            if any(s == stem or (prefix and s.startswith(stem)) for s in stems):
                kind = KIND_OF_SCHEME.get(scheme)
                if kind is not None:
                    bits |= self.buckets.get((kind, code), 0)
        return bits

    def near(self, candidates: int, lat: float, lon: float, radius_km: float) -> int:
        """The offers of ``candidates`` with a point within ``radius_km`` plus its reach.

        The circle of every offer is cached per (place, radius): searches come from the
        form's places, so the same circles return; changed offers are re-measured.
        """
        key = (round(lat, 5), round(lon, 5), radius_km)
        circle = self.circle_cache.get(key)
        if circle is None:
            circle = self._circle(self.all_bits, lat, lon, radius_km)
            self.circle_cache[key] = circle
            if len(self.circle_cache) > CIRCLE_CACHE_SIZE:
                self.circle_cache.popitem(last=False)
        else:
            self.circle_cache.move_to_end(key)
        return circle & candidates

    def _within(self, pos: int, lat: float, lon: float, radius_km: float) -> bool:
        doc = self.docs.get(pos)
        return doc is not None and any(
            haversine_km(lat, lon, plat, plon) - reach <= radius_km
            for plat, plon, reach in doc.points
        )

    def _point_table(self) -> "PointTable":
        if self.points is None:
            self.points = PointTable.of(self.docs)
        return self.points

    def _circle(self, candidates: int, lat: float, lon: float, radius_km: float) -> int:
        """The points in the band of latitudes the circle can reach, measured at once with
        numpy: a flat estimate settles all but those within 5% of the circle (it errs by under
        2% in the Netherlands up to the largest radius), which get the haversine: the same
        test as ``_within``, which keeps cached circles up to date after a change."""
        table = self._point_table()
        kx = KM_PER_DEGREE_LON_EQUATOR * math.cos(math.radians(lat))
        flags = np.zeros(self.size * 8, dtype=bool)
        for reach, start, end in table.groups:
            wide = radius_km + reach
            band = wide * 1.05 / KM_PER_DEGREE_LAT
            lats = table.lat[start:end]
            low, high = np.searchsorted(lats, (lat - band, lat + band))
            lats = lats[low:high]
            lons = table.lon[start + low : start + high]
            fy = (lats - lat) * KM_PER_DEGREE_LAT
            fx = (lons - lon) * kx
            flat2 = fx * fx + fy * fy
            inside = flat2 <= (wide * 0.95) ** 2
            unsure = np.flatnonzero(~inside & (flat2 <= (wide * 1.05) ** 2))
            if len(unsure):
                inside[unsure] = _haversine(lat, lon, lats[unsure], lons[unsure]) <= wide
            flags[table.pos[start + low : start + high][inside]] = True
        packed = np.packbits(flags, bitorder="little")
        return int.from_bytes(packed.tobytes(), "little") & candidates

    def raw_distance(self, pos: int, lat: float, lon: float) -> float:
        """Kilometres from (lat, lon) to the offer's nearest point, reach left aside."""
        points = self.docs[pos].points
        return min((haversine_km(lat, lon, p[0], p[1]) for p in points), default=math.inf)

    def nearest(self, members: int, lat: float, lon: float, count: int) -> list[tuple[float, int]]:
        """The ``count`` members nearest to (lat, lon) as (km, offer), ties by name.

        Few members are measured one by one. Many are measured at once with numpy, which
        only picks the candidates: every member as near as the ``count``-th nearest (so ties
        stay in); their distances and order come from the same Python as for few members.
        """
        if members.bit_count() <= DIRECT_LIMIT:
            found = {pos: self.raw_distance(pos, lat, lon) for pos in positions_of(members)}
        else:
            found = {
                pos: self.raw_distance(pos, lat, lon)
                for pos in self._nearest_candidates(members, lat, lon, count)
            }
        ranked = sorted((d, self.docs[pos].sort_key, pos) for pos, d in found.items())
        return [(d, pos) for d, _key, pos in ranked[:count]]

    def _nearest_candidates(self, members: int, lat: float, lon: float, count: int) -> list[int]:
        table = self._point_table()
        flags = np.unpackbits(
            np.frombuffer(as_bytes(members, self.size), dtype=np.uint8), bitorder="little"
        ).view(bool)
        chosen = np.flatnonzero(flags[table.pos])
        if not len(chosen):
            return []
        offers = table.pos[chosen]
        distance = _haversine(lat, lon, table.lat[chosen], table.lon[chosen])
        # The count-th distinct offer among the nearest points sets the threshold; an offer
        # with several points may take several of them, hence the look further on.
        look = min(len(distance), count * 8)
        while True:
            nearest = np.argpartition(distance, look - 1)[:look] if look < len(distance) else None
            order = nearest if nearest is not None else np.arange(len(distance))
            order = order[np.argsort(distance[order], kind="stable")]
            _unique, first = np.unique(offers[order], return_index=True)
            if len(first) >= count or nearest is None:
                break
            look = min(len(distance), look * 4)
        threshold = distance[order[np.sort(first)[:count]][-1]]
        return sorted({int(pos) for pos in offers[distance <= threshold + 1e-6]})

    def distance(self, pos: int, lat: float, lon: float) -> float:
        """Kilometres from (lat, lon) to the offer's nearest point, less that point's reach."""
        points = self.docs[pos].points
        nearest = min(
            (haversine_km(lat, lon, plat, plon) - reach for plat, plon, reach in points),
            default=math.inf,
        )
        return max(0.0, nearest)

    def first_by_name(self, bits: int, count: int, skip: int = 0) -> list[int]:
        """Up to ``count`` members of ``bits`` in name order, after skipping ``skip``."""
        if bits.bit_count() <= 2000:
            ordered = sorted(positions_of(bits), key=lambda p: (self.docs[p].sort_key, p))
            return ordered[skip : skip + count]
        data = as_bytes(bits, self.size)
        result: list[int] = []
        for _key, pos in self.name_order:
            if data[pos >> 3] >> (pos & 7) & 1:
                if skip:
                    skip -= 1
                    continue
                result.append(pos)
                if len(result) >= count:
                    break
        return result


Stems = tuple[set[str], set[str], set[str]]


def _stems_match(stems: Stems, field_name: str, stem: str, prefix: bool) -> bool:
    names, concepts, body = stems
    if field_name == FIELD_NOT_CONCEPTS:
        return _stems_match(stems, FIELD_ANY, stem, prefix) and not _stems_match(
            (set(), concepts, set()), FIELD_ANY, stem, prefix
        )
    pools = {FIELD_NAME: (names,), FIELD_CONCEPTS: (concepts,)}.get(
        field_name, (names, concepts, body)
    )
    for pool in pools:
        if prefix:
            if any(s.startswith(stem) for s in pool):
                return True
        elif stem in pool:
            return True
    return False


def _doc_rows(offer_ids: list[int] | None):  # type: ignore[no-untyped-def]
    rows = SearchDocument.objects.all()
    if offer_ids is not None:
        rows = rows.filter(offer_id__in=offer_ids)
    return rows


def _read_docs(offer_ids: list[int] | None) -> dict[int, tuple[tuple[Key, ...], str]]:
    interned: dict[Key, Key] = {}

    def k(kind: str, value: str | int) -> Key:
        key = (kind, value)
        return interned.setdefault(key, key)

    result = {}
    for (
        pos,
        sort_key,
        status,
        confirmed,
        is_free,
        walk_in,
        age_min,
        age_max,
        itype,
        themes,
        targets,
        elements,
    ) in _doc_rows(offer_ids).values_list(
        "offer_id",
        "sort_key",
        "status",
        "last_confirmed_on",
        "is_free",
        "walk_in",
        "age_min",
        "age_max",
        "intervention_type_code",
        "theme_codes",
        "target_group_codes",
        "working_element_codes",
    ):
        keys = [
            k(CONFIRMED, confirmed.toordinal()),
            k(AGE_MIN, -1 if age_min is None else age_min),
            k(AGE_MAX, -1 if age_max is None else age_max),
            k(INTERVENTION_TYPE, itype),
        ]
        if status == OfferStatus.ACTIVE:
            keys.append(ACTIVE)
        if is_free:
            keys.append(FREE)
        if walk_in:
            keys.append(WALK_IN)
        keys.extend(k(THEME, code) for code in themes.split())
        keys.extend(k(TARGET_GROUP, code) for code in targets.split())
        keys.extend(k(WORKING_ELEMENT, code) for code in elements.split())
        result[pos] = (tuple(keys), sort_key)
    return result


def _read_points(offer_ids: list[int] | None) -> dict[int, list[Point]]:
    rows = SearchPoint.objects.all()
    if offer_ids is not None:
        rows = rows.filter(document_id__in=offer_ids)
    result: dict[int, list[Point]] = {}
    values = rows.values_list("document_id", "latitude", "longitude", "reach_km")
    for pos, lat, lon, reach in values:
        result.setdefault(pos, []).append((lat, lon, reach))
    return result


def _read_stems(offer_ids: list[int]) -> dict[int, Stems]:
    return {
        pos: (set(names.split()), set(concepts.split()), set(body.split()))
        for pos, names, concepts, body in _doc_rows(offer_ids).values_list(
            "offer_id", "name_stems", "concept_stems", "body_stems"
        )
    }


_stores: dict[tuple[str, str], Store] = {}
_stores_lock = threading.Lock()


def _state() -> tuple[int, int]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT generation, token FROM directory_indexstate WHERE id = 1")
        row = cursor.fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def current() -> Store:
    """The store of the current database, brought up to the index's generation."""
    key = (connection.vendor, str(connection.settings_dict.get("NAME")))
    with _stores_lock:
        store = _stores.get(key)
        if store is None:
            store = _stores[key] = Store(vendor=connection.vendor)
    with store.lock:
        generation, token = _state()
        if (generation, token) == (store.generation, store.token):
            return store
        if store.generation < 0 or generation < store.generation:
            store.load_all(generation, token)
            return store
        changes = list(
            IndexChange.objects.filter(generation__gte=store.generation).values_list(
                "generation", "token", "offer_id"
            )
        )
        seen_generations = {g for g, _t, _o in changes if g > store.generation}
        own = [t for g, t, _o in changes if g == store.generation]
        changed = {o for g, _t, o in changes if g > store.generation}
        if (
            own != [store.token] * len(own)
            or not own
            or seen_generations != set(range(store.generation + 1, generation + 1))
            or None in changed
            or len(changed) > DELTA_LIMIT
        ):
            store.load_all(generation, token)
        else:
            store.apply(sorted(o for o in changed if o is not None), generation, token)
        return store


def clear() -> None:
    """Forget every store (tests, and after bulk changes made outside the index writes)."""
    with _stores_lock:
        _stores.clear()
