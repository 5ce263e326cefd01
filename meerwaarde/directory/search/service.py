"""The directory search: one entry point for the page, the API and the benchmark (ADR 0005).

The database answers only "which offers hold this stem, in which field" (FTS5 on SQLite,
tsvector on PostgreSQL) and "which words look like this one" (trigrams). Everything else is
the same Python on both: spelling correction, matching, scoring, filters, distance, facets and
paging, over the bitsets of ``store.py``.

Matching: every content word of the query (stop words dropped, at most ``MAX_TERMS``) is a
term; a word unknown to the index is corrected to the closest dictionary word, or else left
out and reported. An offer must match all terms of a one- or two-term query and at least half
of a longer one ("eenzame oudere na overlijden partner": two of four); when that finds nothing,
fewer terms will do. A term matches a stem that starts with it (from four letters on), so
"schuldhulp" finds "schuldhulpverlening"; synonyms of the offer's concepts are in its index.

Scoring: per term its rarity (idf) times the best field it matched in (name 3, concepts 2,
other text 1; a prefix-only match counts 0.7), summed and scaled to 0..1; with a place the
score drops linearly with distance to half at the edge of the chosen radius.
"""

import heapq
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace

from rapidfuzz.distance import DamerauLevenshtein

from meerwaarde.directory.models import SearchDocument
from meerwaarde.directory.search import store as store_module
from meerwaarde.directory.search.backends import (
    FIELD_CONCEPTS,
    FIELD_NAME,
    FIELD_NOT_CONCEPTS,
    Term,
    backend,
)
from meerwaarde.directory.search.store import (
    FREE,
    INTERVENTION_TYPE,
    TARGET_GROUP,
    THEME,
    WALK_IN,
    Store,
)
from meerwaarde.directory.search.types import (
    FACET_FREE,
    FACET_INTERVENTION_TYPES,
    FACET_TARGET_GROUPS,
    FACET_THEMES,
    FACET_WALK_IN,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    FacetValue,
    SearchHit,
    SearchParams,
    SearchResult,
)
from meerwaarde.directory.text import content_words, stem
from meerwaarde.offers.models import confirmation_cutoffs

MAX_TERMS = 8
PREFIX_MIN = 4  # shorter stems match only themselves
WEIGHT_NAME = 3.0
WEIGHT_CONCEPTS = 2.0
WEIGHT_BODY = 1.0
PREFIX_FACTOR = 0.7
DISTANCE_WEIGHT = 0.5  # share of the score lost at the edge of the radius
MAX_PROXIMITY_KM = 100


@dataclass
class QueryTerm:
    word: str  # as searched (after correction)
    stem: str
    prefix: bool
    any_bits: int
    idf: float
    levels: list[tuple[float, int]]  # (contribution, offers), disjoint, best first


def _correct(word: str, candidates: Iterable[Term]) -> Term | None:
    """The closest dictionary word: fewest edits (1 for short words, 2 from 8 letters on),
    then the most offers, then alphabetical, so both backends choose the same."""
    allowed = 1 if len(word) < 8 else 2
    best: tuple[int, int, str] | None = None
    chosen = None
    for term in candidates:
        if term.word == word or term.doc_count <= 0:
            continue
        distance = DamerauLevenshtein.distance(word, term.word, score_cutoff=allowed)
        if distance > allowed:
            continue
        key = (distance, -term.doc_count, term.word)
        if best is None or key < best:
            best, chosen = key, term
    return chosen


def _postings_of(stem_: str) -> list[tuple[str, str, bool]]:
    """The database postings ``_term`` reads for a stem."""
    prefix = len(stem_) >= PREFIX_MIN
    wanted = [(FIELD_NOT_CONCEPTS, stem_, prefix), (FIELD_NAME, stem_, prefix)]
    if prefix:
        wanted.append((FIELD_NAME, stem_, False))
    return wanted


def _term(store: Store, word: str, stem_: str, total: int) -> QueryTerm | None:
    prefix = len(stem_) >= PREFIX_MIN
    store.fetch_postings(_postings_of(stem_))
    in_concepts = store.postings(FIELD_CONCEPTS, stem_, prefix=prefix)
    any_bits = in_concepts | store.postings(FIELD_NOT_CONCEPTS, stem_, prefix=prefix)
    if not any_bits:
        return None
    name = store.postings(FIELD_NAME, stem_, prefix=prefix)
    concepts = in_concepts & ~name
    body = any_bits & ~name & ~concepts
    # Whether the whole word matched (not only a longer compound) is told apart in the name
    # and the concepts, which cost little; in the other text it is not.
    name_exact = store.postings(FIELD_NAME, stem_, prefix=False) if prefix else name
    concepts_exact = store.postings(FIELD_CONCEPTS, stem_, prefix=False) if prefix else concepts
    idf = math.log(1 + total / (1 + any_bits.bit_count()))
    levels = []
    for weight, bits, exact in (
        (WEIGHT_NAME, name, name_exact),
        (WEIGHT_CONCEPTS, concepts, concepts_exact),
        (WEIGHT_BODY, body, body),
    ):
        for factor, part in ((1.0, bits & exact), (PREFIX_FACTOR, bits & ~exact)):
            if part:
                levels.append((idf * weight * factor, part))
    levels.sort(key=lambda level: -level[0])
    return QueryTerm(word, stem_, prefix, any_bits, idf, levels)


def _parse(store: Store, q: str) -> tuple[list[QueryTerm], dict[str, str], list[str]]:
    """Terms of the query, spelling corrections {typed: corrected} and unknown words."""
    terms: list[QueryTerm] = []
    corrections: dict[str, str] = {}
    unknown: list[str] = []
    seen: set[str] = set()
    total = max(1, len(store.docs))
    words = content_words(q[:MAX_QUERY_LENGTH])
    # Every word's postings in one query (corrected words, which are rare, fetch their own).
    store.fetch_postings([p for word in words[: MAX_TERMS * 2] for p in _postings_of(stem(word))])
    for word in words:
        if len(terms) >= MAX_TERMS:
            break
        stem_ = stem(word)
        if stem_ in seen or word in unknown:
            continue
        term = _term(store, word, stem_, total)
        if term is None and len(word) >= PREFIX_MIN:
            better = _correct(word, backend().candidates(word))
            if better is not None and better.stem not in seen:
                term = _term(store, better.word, better.stem, total)
                if term is not None:
                    corrections[word] = better.word
        if term is None:
            unknown.append(word)
            continue
        seen.add(term.stem)
        terms.append(term)
    return terms, corrections, unknown


def _at_least(terms: list[QueryTerm], base: int) -> list[int]:
    """``result[k]``: offers of ``base`` matching at least k terms (bit-sliced counting)."""
    counts = [base] + [0] * len(terms)
    for term in terms:
        bits = term.any_bits & base
        for k in range(len(terms), 0, -1):
            counts[k] |= counts[k - 1] & bits
    return counts


def _required(n: int) -> int:
    return n if n <= 2 else math.ceil(n / 2)


def _classes(terms: list[QueryTerm], matched: int) -> Iterator[tuple[float, int]]:
    """The matched offers in classes of equal relevance (0..1), most relevant first.

    A class holds the offers that match every term at the same level. Best-first search
    over the terms, so only the classes a page needs are ever split off.
    """
    if not terms:
        yield 1.0, matched
        return
    maximum = sum(t.levels[0][0] if t.levels else 0.0 for t in terms) or 1.0
    parts = [[*t.levels, (0.0, ~t.any_bits)] for t in terms]
    best_rest = [0.0] * (len(terms) + 1)
    for i in range(len(terms) - 1, -1, -1):
        best_rest[i] = best_rest[i + 1] + (terms[i].levels[0][0] if terms[i].levels else 0.0)
    heap: list[tuple[float, int, int, float, int]] = [(-best_rest[0], 0, 0, 0.0, matched)]
    serial = 1
    while heap:
        _bound, _n, depth, acc, bits = heapq.heappop(heap)
        if depth == len(terms):
            yield acc / maximum, bits
            continue
        for contribution, part in parts[depth]:
            sub = bits & part
            if sub:
                value = acc + contribution
                bound = -(value + best_rest[depth + 1])
                heapq.heappush(heap, (bound, serial, depth + 1, value, sub))
                serial += 1


def _ranked_without_place(
    store: Store, terms: list[QueryTerm], matched: int, start: int, count: int
) -> list[tuple[int, float, float | None]]:
    """Best first by relevance, ties by name."""
    if not terms:
        return [(pos, 0.0, None) for pos in store.first_by_name(matched, count, start)]
    result: list[tuple[int, float, float | None]] = []
    skip = start
    for relevance, bits in _classes(terms, matched):
        size = bits.bit_count()
        if skip >= size:
            skip -= size
            continue
        for pos in store.first_by_name(bits, count - len(result), skip):
            result.append((pos, relevance, None))
        skip = 0
        if len(result) >= count:
            break
    return result


def _ranked_with_place(
    store: Store,
    terms: list[QueryTerm],
    matched: int,
    params: SearchParams,
    start: int,
    count: int,
) -> list[tuple[int, float, float | None]]:
    """Best first by relevance times distance, then nearest, then name.

    The distance that ranks is to where the offer is given, so an area offer does not crowd
    out one round the corner; the distance shown is the contract's (0 inside its reach).
    Classes come in falling relevance; distance can only lower a score, so once the page is
    full and a class's relevance is below the page's lowest score, no later class can enter.
    Within a class only the nearest offers are measured.
    """
    assert params.lat is not None and params.lon is not None
    lat, lon, radius = params.lat, params.lon, float(params.proximity_km)
    need = start + count
    scored: list[tuple[float, float, str, int]] = []
    for relevance, bits in _classes(terms, matched):
        if len(scored) >= need:
            lowest = -heapq.nsmallest(need, scored)[-1][0]
            if relevance < lowest:
                break
        for distance, pos in store.nearest(bits, lat, lon, need):
            score = relevance * (1 - DISTANCE_WEIGHT * min(1.0, distance / radius))
            scored.append((-score, distance, store.docs[pos].sort_key, pos))
    best = heapq.nsmallest(need, scored)[start:]
    return [(pos, -negative, store.distance(pos, lat, lon)) for negative, _d, _key, pos in best]


def _facet(store: Store, kind: str, base: int) -> list[FacetValue]:
    values = [
        FacetValue(str(value), (bits & base).bit_count()) for value, bits in store.of_kind(kind)
    ]
    return sorted((v for v in values if v.count), key=lambda v: (-v.count, v.value))


def _matched_stems(offer_ids: list[int], terms: list[QueryTerm]) -> dict[int, frozenset[str]]:
    if not terms or not offer_ids:
        return {}
    exact = {t.stem for t in terms}
    prefixes = tuple(t.stem for t in terms if t.prefix)
    result = {}
    for pk, names, concepts, body in SearchDocument.objects.filter(
        offer_id__in=offer_ids
    ).values_list("offer_id", "name_stems", "concept_stems", "body_stems"):
        stems = set(names.split()) | set(concepts.split()) | set(body.split())
        result[pk] = frozenset(s for s in stems if s in exact or s.startswith(prefixes))
    return result


def _corrected_q(q: str, corrections: dict[str, str]) -> str | None:
    if not corrections:
        return None
    text = q[:MAX_QUERY_LENGTH]
    for typed, better in corrections.items():
        text = re.sub(rf"(?<!\w){re.escape(typed)}(?!\w)", better, text, flags=re.IGNORECASE)
    return text


def _normalised(params: SearchParams) -> SearchParams:
    return replace(
        params,
        page=max(1, params.page),
        page_size=min(MAX_PAGE_SIZE, max(1, params.page_size)),
        proximity_km=min(MAX_PROXIMITY_KM, max(1, params.proximity_km)),
    )


def search(params: SearchParams, *, facets: bool = True) -> SearchResult:
    """Offers of the public directory matching ``params``, best first, with facet counts.

    Facet counts are per filter dimension over the offers that match everything except that
    dimension's own filter, so they say how many offers choosing a value would show.
    Cost: one index-state lookup, a postings query per new term, the rest in memory.
    """
    params = _normalised(params)
    store = store_module.current()
    with store.lock:
        return _search(store, params, facets=facets)


def _search(store: Store, params: SearchParams, *, facets: bool) -> SearchResult:
    _warn, hide_before = confirmation_cutoffs()
    terms, corrections, unknown = _parse(store, params.q)
    base = store.public(hide_before.toordinal())
    if params.age is not None:
        base &= store.age_fits(params.age)
    every = -1  # all bits set: "no filter"
    filters = {
        FACET_THEMES: store.any_of(THEME, params.themes) if params.themes else every,
        FACET_TARGET_GROUPS: (
            store.any_of(TARGET_GROUP, params.target_groups) if params.target_groups else every
        ),
        FACET_INTERVENTION_TYPES: (
            store.any_of(INTERVENTION_TYPE, params.intervention_types)
            if params.intervention_types
            else every
        ),
        FACET_FREE: store.bucket(FREE) if params.free_only else every,
        FACET_WALK_IN: store.bucket(WALK_IN) if params.walk_in_only else every,
    }
    all_filters = every
    for bits in filters.values():
        all_filters &= bits

    if not terms and unknown:
        base = 0  # only words that match nothing: nothing, not everything
    counts = _at_least(terms, base) if terms else [base]
    if params.has_place:
        assert params.lat is not None and params.lon is not None
        loosest = counts[1] if terms else base
        place_bits = store.near(loosest, params.lat, params.lon, params.proximity_km)
        counts = [c & place_bits for c in counts]

    required = _required(len(terms)) if terms else 0
    matched = counts[required] & all_filters
    while required > 1 and not matched:
        required -= 1
        matched = counts[required] & all_filters
    candidates = counts[required]

    start = (params.page - 1) * params.page_size
    if params.has_place:
        ranked = _ranked_with_place(store, terms, matched, params, start, params.page_size)
    else:
        ranked = _ranked_without_place(store, terms, matched, start, params.page_size)
    stems = _matched_stems([pos for pos, _s, _d in ranked], terms)
    hits = [
        SearchHit(
            offer_id=pos,
            score=round(score, 6),
            distance_km=None if distance is None else round(distance, 2),
            matched_stems=stems.get(pos, frozenset()),
        )
        for pos, score, distance in ranked
    ]
    result = SearchResult(
        params=params,
        hits=hits,
        total=matched.bit_count(),
        corrected_q=_corrected_q(params.q, corrections),
        unknown_words=tuple(unknown),
    )
    if facets:
        kinds = {
            FACET_THEMES: THEME,
            FACET_TARGET_GROUPS: TARGET_GROUP,
            FACET_INTERVENTION_TYPES: INTERVENTION_TYPE,
        }
        for name in filters:
            others = candidates
            for other, bits in filters.items():
                if other != name:
                    others &= bits
            if name in kinds:
                result.facets[name] = _facet(store, kinds[name], others)
            else:
                count = (others & store.bucket(FREE if name == FACET_FREE else WALK_IN)).bit_count()
                result.facets[name] = [FacetValue("1", count)] if count else []
    return result
