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

from django.db import connection

from meerwaarde.directory.models import IndexChange, SearchDocument, SearchPoint
from meerwaarde.directory.search.backends import FIELD_CONCEPTS, FIELD_NAME, backend
from meerwaarde.offers.constants import OfferStatus

EARTH_RADIUS_KM = 6371.0088
KM_PER_DEGREE_LAT = 110.57
CELL_LAT = 0.1  # grid cells of about 11 × 10 km for the distance filter
CELL_LON = 0.15
POSTINGS_CACHE_SIZE = 4000
DELTA_LIMIT = 5000  # more changed offers than this: reload everything

# Bucket keys: a kind and a value; every offer is in the buckets of its filter values.
ACTIVE = ("active", "")
FREE = ("free", "")
WALK_IN = ("walk_in", "")
THEME = "theme"
TARGET_GROUP = "target_group"
INTERVENTION_TYPE = "intervention_type"
CONFIRMED = "confirmed"  # value: the date's ordinal
AGE_MIN = "age_min"  # value: the age, or -1 for none
AGE_MAX = "age_max"

Key = tuple[str, str | int]
Point = tuple[float, float, int]  # lat, lon, reach_km

_BIT_OFFSETS = [tuple(i for i in range(8) if byte >> i & 1) for byte in range(256)]
_NONZERO = re.compile(rb"[^\x00]")


def bits_from(positions: Iterable[int]) -> int:
    buffer = bytearray()
    for pos in positions:
        index = pos >> 3
        if index >= len(buffer):
            buffer.extend(bytes(index - len(buffer) + 1 + 1024))
        buffer[index] |= 1 << (pos & 7)
    return int.from_bytes(buffer, "little")


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


def _cell(lat: float, lon: float) -> tuple[int, int]:
    return (math.floor(lat / CELL_LAT), math.floor(lon / CELL_LON))


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
    grid: dict[int, dict[tuple[int, int], list[tuple[int, float, float]]]] = field(
        default_factory=dict
    )
    name_order: list[tuple[str, int]] = field(default_factory=list)
    postings_cache: OrderedDict[tuple[str, str, bool], int] = field(default_factory=OrderedDict)
    public_cache: dict[int, int] = field(default_factory=dict)
    all_bits: int = 0
    lock: threading.RLock = field(default_factory=threading.RLock)

    @property
    def size(self) -> int:
        """Bytes that hold a bit for every offer id."""
        return (self.all_bits.bit_length() + 7) // 8 + 1

    # -- loading ---------------------------------------------------------------------------

    def load_all(self, generation: int, token: int) -> None:
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
        self.grid = {}
        for pos, doc in self.docs.items():
            self._grid_add(pos, doc.points)
        self.name_order = sorted((doc.sort_key, pos) for pos, doc in self.docs.items())
        self.postings_cache.clear()
        self.public_cache.clear()
        self.generation, self.token = generation, token

    def apply(self, offer_ids: list[int], generation: int, token: int) -> None:
        """Bring the given offers up to date: reread their rows, fix every structure."""
        docs = _read_docs(offer_ids)
        points = _read_points(offer_ids)
        stems = _read_stems(offer_ids)
        for pos in offer_ids:
            old = self.docs.pop(pos, None)
            if old is not None:
                for key in old.keys:
                    self.buckets[key] = self.buckets.get(key, 0) & ~(1 << pos)
                self._grid_remove(pos, old.points)
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
                self._grid_add(pos, doc.points)
                bisect.insort(self.name_order, (sort_key, pos))
                self.all_bits |= 1 << pos
        # Cached postings follow the changed offers, decided on their stems as FTS would.
        for key, bits in self.postings_cache.items():
            field_name, stem, prefix = key
            for pos in offer_ids:
                bit = 1 << pos
                if pos in stems and _stems_match(stems[pos], field_name, stem, prefix):
                    bits |= bit
                else:
                    bits &= ~bit
            self.postings_cache[key] = bits
        self.public_cache.clear()
        self.generation, self.token = generation, token

    def _grid_add(self, pos: int, points: tuple[Point, ...]) -> None:
        for lat, lon, reach in points:
            self.grid.setdefault(reach, {}).setdefault(_cell(lat, lon), []).append((pos, lat, lon))

    def _grid_remove(self, pos: int, points: tuple[Point, ...]) -> None:
        for lat, lon, reach in points:
            cell = self.grid.get(reach, {}).get(_cell(lat, lon))
            if cell is not None:
                cell[:] = [p for p in cell if p[0] != pos]

    # -- sets ------------------------------------------------------------------------------

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
            for (kind, value), bits in self.buckets.items():
                if kind == CONFIRMED and isinstance(value, int) and value >= hide_before_ordinal:
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
        key = (field_name, stem, prefix)
        bits = self.postings_cache.get(key)
        if bits is None:
            bits = bits_from(backend().postings(field_name, stem, prefix=prefix)) & self.all_bits
            self.postings_cache[key] = bits
            if len(self.postings_cache) > POSTINGS_CACHE_SIZE:
                self.postings_cache.popitem(last=False)
        else:
            self.postings_cache.move_to_end(key)
        return bits

    def near(self, candidates: int, lat: float, lon: float, radius_km: float) -> dict[int, float]:
        """Offers of ``candidates`` within ``radius_km`` (+ their reach) and their distance."""
        data = as_bytes(candidates, self.size)
        found: dict[int, float] = {}
        rlat = math.radians(lat)
        cos_lat = math.cos(rlat)
        for reach, cells in self.grid.items():
            wide = radius_km + reach
            dlat = wide / KM_PER_DEGREE_LAT
            dlon = wide / (111.32 * max(cos_lat, 0.1))
            row_lo, col_lo = _cell(lat - dlat, lon - dlon)
            row_hi, col_hi = _cell(lat + dlat, lon + dlon)
            for row in range(row_lo, row_hi + 1):
                for col in range(col_lo, col_hi + 1):
                    for pos, plat, plon in cells.get((row, col), ()):
                        if not data[pos >> 3] >> (pos & 7) & 1:
                            continue
                        rp = math.radians(plat)
                        a = (
                            math.sin((rp - rlat) / 2) ** 2
                            + cos_lat * math.cos(rp) * math.sin(math.radians(plon - lon) / 2) ** 2
                        )
                        d = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a))) - reach
                        if d <= radius_km:
                            d = max(d, 0.0)
                            if d < found.get(pos, math.inf):
                                found[pos] = d
        return found

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
