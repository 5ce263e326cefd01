"""The directory search: one entry point for the page, the API and the benchmark.

First, naive version (scans the public offers in Python) so the page and the API can be built
against the contract; the indexed backends replace its inside, not its signature.
"""

import math

from meerwaarde.directory.search.types import (
    FACET_FREE,
    FACET_INTERVENTION_TYPES,
    FACET_TARGET_GROUPS,
    FACET_THEMES,
    FACET_WALK_IN,
    FacetValue,
    SearchHit,
    SearchParams,
    SearchResult,
)
from meerwaarde.directory.text import stems
from meerwaarde.offers.constants import Access, Cost
from meerwaarde.offers.models import Offer

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def search(params: SearchParams, *, facets: bool = True) -> SearchResult:
    """Offers of the public directory matching ``params``, best first, with facet counts."""
    query_stems = set(stems(params.q))
    offers = (
        Offer.objects.public()
        .select_related("intervention_type")
        .prefetch_related("themes", "target_groups", "working_elements", "locations")
    )
    scored: list[tuple[SearchHit, Offer]] = []
    for offer in offers:
        if params.free_only and offer.cost != Cost.FREE:
            continue
        if params.walk_in_only and offer.access != Access.WALK_IN:
            continue
        if params.age is not None and not (
            (offer.age_min is None or offer.age_min <= params.age)
            and (offer.age_max is None or params.age <= offer.age_max)
        ):
            continue
        codes = {
            "themes": {c.code for c in offer.themes.all()},
            "target_groups": {c.code for c in offer.target_groups.all()},
            "intervention_types": {offer.intervention_type.code},
        }
        if params.themes and not codes["themes"] & set(params.themes):
            continue
        if params.target_groups and not codes["target_groups"] & set(params.target_groups):
            continue
        if params.intervention_types and not codes["intervention_types"] & set(
            params.intervention_types
        ):
            continue
        matched: frozenset[str] = frozenset()
        relevance = 0.0
        if query_stems:
            text = " ".join(
                [
                    offer.name,
                    offer.intervention_type.pref_label_nl,
                    *offer.intervention_type.synonyms,
                    *(c.pref_label_nl for c in offer.themes.all()),
                    *(c.pref_label_nl for c in offer.target_groups.all()),
                    offer.description,
                ]
            )
            offer_stems = set(stems(text))
            matched = frozenset(query_stems & offer_stems)
            if not matched:
                continue
            relevance = len(matched) / len(query_stems)
        distance = None
        if params.has_place:
            assert params.lat is not None and params.lon is not None
            distances = [
                max(
                    0.0,
                    haversine_km(params.lat, params.lon, loc.latitude, loc.longitude)
                    - offer.reach_km,
                )
                for loc in offer.locations.all()
            ]
            if not distances or min(distances) > params.proximity_km:
                continue
            distance = min(distances)
        score = relevance - (distance or 0.0) / 100
        scored.append((SearchHit(offer.pk, score, distance, matched), offer))
    scored.sort(key=lambda pair: (-pair[0].score, pair[1].name))
    start = (params.page - 1) * params.page_size
    result = SearchResult(
        params=params,
        hits=[hit for hit, _offer in scored[start : start + params.page_size]],
        total=len(scored),
    )
    if facets:
        counts: dict[str, dict[str, int]] = {
            FACET_THEMES: {},
            FACET_TARGET_GROUPS: {},
            FACET_INTERVENTION_TYPES: {},
            FACET_FREE: {},
            FACET_WALK_IN: {},
        }
        for _hit, offer in scored:
            for concept in offer.themes.all():
                counts[FACET_THEMES][concept.code] = counts[FACET_THEMES].get(concept.code, 0) + 1
            for concept in offer.target_groups.all():
                bucket = counts[FACET_TARGET_GROUPS]
                bucket[concept.code] = bucket.get(concept.code, 0) + 1
            bucket = counts[FACET_INTERVENTION_TYPES]
            code = offer.intervention_type.code
            bucket[code] = bucket.get(code, 0) + 1
            if offer.cost == Cost.FREE:
                counts[FACET_FREE]["1"] = counts[FACET_FREE].get("1", 0) + 1
            if offer.access == Access.WALK_IN:
                counts[FACET_WALK_IN]["1"] = counts[FACET_WALK_IN].get("1", 0) + 1
        result.facets = {
            name: [
                FacetValue(value, count)
                for value, count in sorted(bucket.items(), key=lambda kv: (-kv[1], kv[0]))
            ]
            for name, bucket in counts.items()
        }
    return result
