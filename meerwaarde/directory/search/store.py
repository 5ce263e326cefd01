"""The index's filter values, points and postings in process memory, as bitsets.

A set of offers is a Python ``int`` whose bit *n* is offer *n*: intersecting two sets of
100,000 offers, or counting one, takes microseconds, which is what makes facet counts over the
whole result cheap. The store is derived from the index tables and follows them by generation:
each search reads the index state (one primary-key lookup) and, when it moved, applies the
changed offers only; a rebuild, a rollback (another token) or a long absence reloads it all.
"""

import bisect
import heapq
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

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
# The distance filter's grid: fine cells of about 2.2 × 2 km hold the points; coarse cells of
# 5 × 5 fine cells hold a bitset, so a coarse cell wholly inside the radius costs one OR.
CELL_LAT = 0.02
CELL_LON = 0.03
COARSE = 5
CELL_KM = 2.0  # at least the fine cell's shorter side in the Netherlands
DENSE_CELL = 24  # fine cells with this many points keep a bitset too
DIRECT_LIMIT = 400  # fewer offers than this: measure each, rather than walk the grid
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


def bits_from(positions: Iterable[int]) -> int:
    """A bitset of the positions: bytes set one by one, then one conversion."""
    found = positions if isinstance(positions, list) else list(positions)
    if not found:
        return 0
    buffer = bytearray((max(found) >> 3) + 1)
    for pos in found:
        buffer[pos >> 3] |= _BIT[pos & 7]
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


def _ring(row: int, col: int, k: int) -> Iterator[tuple[int, int]]:
    """The cells at Chebyshev distance ``k`` from (row, col)."""
    if k == 0:
        yield row, col
        return
    for c in range(col - k, col + k + 1):
        yield row - k, c
        yield row + k, c
    for r in range(row - k + 1, row + k):
        yield r, col - k
        yield r, col + k


def _coarse(cell: tuple[int, int]) -> tuple[int, int]:
    return (cell[0] // COARSE, cell[1] // COARSE)


class _Bounds:
    """Distance bounds (km) from a point to grid rectangles, in a flat projection with a 3%
    margin: they only choose between taking a cell whole, skipping it and checking its points
    one by one with the haversine."""

    def __init__(self, lat: float, lon: float) -> None:
        self.lat, self.lon = lat, lon
        self.kx = 111.32 * math.cos(math.radians(lat))

    def dy(self, row: int) -> tuple[float, float]:
        """Near and far north-south offset (km) of a fine row."""
        lat0 = row * CELL_LAT
        lat1 = lat0 + CELL_LAT
        near = max(lat0 - self.lat, 0.0, self.lat - lat1) * KM_PER_DEGREE_LAT
        return near, max(abs(self.lat - lat0), abs(self.lat - lat1)) * KM_PER_DEGREE_LAT

    def dx(self, col: int) -> tuple[float, float]:
        lon0 = col * CELL_LON
        lon1 = lon0 + CELL_LON
        near = max(lon0 - self.lon, 0.0, self.lon - lon1) * self.kx
        return near, max(abs(self.lon - lon0), abs(self.lon - lon1)) * self.kx

    def of(self, row: int, col: int, size: int) -> tuple[float, float]:
        lat0, lon0 = row * size * CELL_LAT, col * size * CELL_LON
        lat1, lon1 = lat0 + size * CELL_LAT, lon0 + size * CELL_LON
        lat, lon = self.lat, self.lon
        dy_near = max(lat0 - lat, 0.0, lat - lat1) * KM_PER_DEGREE_LAT
        dx_near = max(lon0 - lon, 0.0, lon - lon1) * self.kx
        dy_far = max(abs(lat - lat0), abs(lat - lat1)) * KM_PER_DEGREE_LAT
        dx_far = max(abs(lon - lon0), abs(lon - lon1)) * self.kx
        return math.hypot(dx_near, dy_near) * 0.97, math.hypot(dx_far, dy_far) * 1.03


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
    cell_bits: dict[tuple[int, tuple[int, int]], int] = field(default_factory=dict)
    dense_bits: dict[tuple[int, tuple[int, int]], int] = field(default_factory=dict)
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
        self.grid = {}
        for pos, doc in self.docs.items():
            self._grid_add(pos, doc.points, bits=False)
        coarse: dict[tuple[int, tuple[int, int]], list[int]] = {}
        for reach, cells in self.grid.items():
            for cell, entries in cells.items():
                coarse.setdefault((reach, _coarse(cell)), []).extend(e[0] for e in entries)
        self.cell_bits = {key: bits_from(found) for key, found in coarse.items()}
        self.dense_bits = {
            (reach, cell): bits_from(e[0] for e in entries)
            for reach, cells in self.grid.items()
            for cell, entries in cells.items()
            if len(entries) >= DENSE_CELL
        }
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
        self.public_cache.clear()
        self.kind_cache.clear()
        self.generation, self.token = generation, token

    def _grid_add(self, pos: int, points: tuple[Point, ...], *, bits: bool = True) -> None:
        for lat, lon, reach in points:
            cell = _cell(lat, lon)
            self.grid.setdefault(reach, {}).setdefault(cell, []).append((pos, lat, lon))
            if bits:
                key = (reach, _coarse(cell))
                self.cell_bits[key] = self.cell_bits.get(key, 0) | (1 << pos)
                if (reach, cell) in self.dense_bits:
                    self.dense_bits[(reach, cell)] |= 1 << pos

    def _grid_remove(self, pos: int, points: tuple[Point, ...]) -> None:
        for lat, lon, reach in points:
            cell = self.grid.get(reach, {}).get(_cell(lat, lon))
            if cell is not None:
                cell[:] = [p for p in cell if p[0] != pos]
            if (reach, _cell(lat, lon)) in self.dense_bits:
                self.dense_bits[(reach, _cell(lat, lon))] &= ~(1 << pos)
            key = (reach, _coarse(_cell(lat, lon)))
            if key in self.cell_bits:
                self.cell_bits[key] &= ~(1 << pos)

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
            else:
                bits = bits_from(backend().postings(field_name, stem, prefix=prefix))
                bits &= self.all_bits
                if field_name == FIELD_NOT_CONCEPTS:
                    bits &= ~self._concept_postings(stem, prefix)
            self.postings_cache[key] = bits
            if len(self.postings_cache) > POSTINGS_CACHE_SIZE:
                self.postings_cache.popitem(last=False)
        else:
            self.postings_cache.move_to_end(key)
        return bits

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

    def _circle(self, candidates: int, lat: float, lon: float, radius_km: float) -> int:
        """Coarse cells wholly inside count by their bitset, fine cells wholly inside by their
        bitset or list; only the points of fine cells on the circle are measured."""
        data = as_bytes(candidates, self.size)
        bounds = _Bounds(lat, lon)
        inside = 0
        accepted: list[int] = []
        rlat = math.radians(lat)
        cos_lat = math.cos(rlat)
        kx = bounds.kx
        for reach, cells in self.grid.items():
            wide = radius_km + reach
            row_lo, col_lo = _coarse(_cell(lat - wide / KM_PER_DEGREE_LAT, lon - wide / bounds.kx))
            row_hi, col_hi = _coarse(_cell(lat + wide / KM_PER_DEGREE_LAT, lon + wide / bounds.kx))
            for row in range(row_lo, row_hi + 1):
                for col in range(col_lo, col_hi + 1):
                    bits = self.cell_bits.get((reach, (row, col)))
                    if not bits:
                        continue
                    low, high = bounds.of(row, col, COARSE)
                    if high <= wide:
                        inside |= bits
                        continue
                    if low > wide:
                        continue
                    # Per fine row and column the near and far offsets; squared comparisons.
                    low2, high2 = (wide / 0.97) ** 2, (wide / 1.03) ** 2
                    rows = [bounds.dy(frow) for frow in range(row * COARSE, row * COARSE + COARSE)]
                    cols = [bounds.dx(fcol) for fcol in range(col * COARSE, col * COARSE + COARSE)]
                    for i, (dy_near, dy_far) in enumerate(rows):
                        frow = row * COARSE + i
                        for j, (dx_near, dx_far) in enumerate(cols):
                            if dx_near * dx_near + dy_near * dy_near > low2:
                                continue
                            fcell = (frow, col * COARSE + j)
                            points = cells.get(fcell)
                            if not points:
                                continue
                            if dx_far * dx_far + dy_far * dy_far <= high2:
                                dense = self.dense_bits.get((reach, fcell))
                                if dense is not None:
                                    inside |= dense
                                else:
                                    accepted.extend(p[0] for p in points)
                                continue
                            sure_in, sure_out = (wide * 0.98) ** 2, (wide * 1.02) ** 2
                            for pos, plat, plon in points:
                                if not data[pos >> 3] >> (pos & 7) & 1:
                                    continue
                                # A flat estimate settles all but the points near the circle.
                                fy = (plat - lat) * KM_PER_DEGREE_LAT
                                fx = (plon - lon) * kx
                                flat2 = fx * fx + fy * fy
                                if flat2 <= sure_in:
                                    accepted.append(pos)
                                    continue
                                if flat2 > sure_out:
                                    continue
                                rp = math.radians(plat)
                                a = (
                                    math.sin((rp - rlat) / 2) ** 2
                                    + cos_lat
                                    * math.cos(rp)
                                    * math.sin(math.radians(plon - lon) / 2) ** 2
                                )
                                d = 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
                                if d <= wide:
                                    accepted.append(pos)
        return (inside | bits_from(accepted)) & candidates

    def raw_distance(self, pos: int, lat: float, lon: float) -> float:
        """Kilometres from (lat, lon) to the offer's nearest point, reach left aside."""
        points = self.docs[pos].points
        return min((haversine_km(lat, lon, p[0], p[1]) for p in points), default=math.inf)

    def nearest(self, members: int, lat: float, lon: float, count: int) -> list[tuple[float, int]]:
        """The ``count`` members nearest to (lat, lon) as (km, offer), ties by name.

        Few members are measured one by one; many by walking rings of fine cells outwards
        until no further ring can hold anything nearer.
        """
        if members.bit_count() <= DIRECT_LIMIT:
            found = {pos: self.raw_distance(pos, lat, lon) for pos in positions_of(members)}
        else:
            data = as_bytes(members, self.size)
            found = {}
            row0, col0 = _cell(lat, lon)
            grids = list(self.grid.values())
            ring = 0
            while True:
                for row, col in _ring(row0, col0, ring):
                    for cells in grids:
                        for pos, _plat, _plon in cells.get((row, col), ()):
                            if pos not in found and data[pos >> 3] >> (pos & 7) & 1:
                                found[pos] = self.raw_distance(pos, lat, lon)
                if len(found) >= members.bit_count():
                    break
                if len(found) >= count:
                    kth = heapq.nsmallest(count, found.values())[-1]
                    if kth <= ring * CELL_KM:
                        break
                ring += 1
                if ring > 500:
                    break
        ranked = sorted((d, self.docs[pos].sort_key, pos) for pos, d in found.items())
        return [(d, pos) for d, _key, pos in ranked[:count]]

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
