"""Public reads of offers and how the page presents them; shared by the page and the API.

Offers are public data (the sociale kaart has no tenant); every read here goes through
``Offer.objects.public()`` or, for a page of ids, ``Offer.is_public`` (the same rule), so a
paused, archived or long-unconfirmed offer never shows, even when the search index has not
caught up yet.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Prefetch
from django.http import Http404
from django.utils.formats import number_format
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from meerwaarde.directory.highlight import excerpt, highlight
from meerwaarde.directory.map import MapCentre, MapMarker, results_map
from meerwaarde.directory.search.types import SearchHit, SearchResult
from meerwaarde.offers.constants import SHELTER_CONCEPT_CODES, Access, Cost, Language, ServiceArea
from meerwaarde.offers.models import Offer, OfferLocation, OfferQuerySet
from meerwaarde.vocabulary.models import Concept

MAP_LOCATIONS_PER_OFFER = 3


def concept_label(concept: Concept) -> str:
    """The concept's preferred term in the current language (Dutch when English is missing)."""
    if (get_language() or "nl").startswith("en") and concept.pref_label_en:
        return concept.pref_label_en
    return concept.pref_label_nl


def concept_definition(concept: Concept) -> str:
    if (get_language() or "nl").startswith("en") and concept.definition_en:
        return concept.definition_en
    return concept.definition


def _public() -> OfferQuerySet:
    return Offer.objects.public().select_related(
        "organisation", "intervention_type", "intervention_type__scheme"
    )


def _by_id() -> OfferQuerySet:
    """For reads by id, checked with ``Offer.is_public`` after loading: with the public
    filter in the query, SQLite scans the public index rather than look the ids up."""
    return Offer.objects.select_related(
        "organisation", "intervention_type", "intervention_type__scheme"
    )


def _concepts(name: str) -> Prefetch:
    # The API names each concept's scheme; one join instead of a query per concept.
    return Prefetch(name, queryset=Concept.objects.select_related("scheme"))


def public_offer_get(*, pk: int) -> Offer:
    """One offer of the public directory with everything its page shows; 404 otherwise."""
    offer = (
        _public()
        .prefetch_related(
            "locations__place",
            _concepts("themes"),
            _concepts("target_groups"),
            _concepts("working_elements"),
        )
        .filter(pk=pk)
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def public_offers_in_order(ids: Sequence[int]) -> list[Offer]:
    """The public offers among ``ids``, in the order of ``ids``; four queries in all."""
    found = {
        offer.pk: offer
        for offer in _by_id()
        .prefetch_related(
            "locations__place",
            _concepts("themes"),
            _concepts("target_groups"),
            _concepts("working_elements"),
        )
        .filter(pk__in=list(ids))
        .order_by()
        if offer.is_public
    }
    return [found[pk] for pk in ids if pk in found]


def concepts_by_code(codes: Iterable[str]) -> dict[str, Concept]:
    return {
        c.code: c
        for c in Concept.objects.filter(code__in=set(codes)).only(
            "code", "pref_label_nl", "pref_label_en"
        )
    }


def distance_text(offer: Offer, distance_km: float | None) -> str:
    """ "3,2 km", or where an area offer works when the place lies inside its area."""
    if distance_km is None:
        return ""
    if offer.service_area != ServiceArea.LOCATIONS and distance_km <= 0.05:
        if offer.service_area == ServiceArea.REGION:
            return _("werkt in de hele regio")
        return _("werkt in de hele gemeente")
    return _("%(km)s km") % {"km": number_format(distance_km, decimal_pos=1)}


def language_names(codes: Iterable[str]) -> list[str]:
    """The names of an offer's languages in the current language; unknown codes as they are."""
    names = dict(Language.choices)
    return [str(names.get(code, code)) for code in codes]


def is_shelter(offer: Offer) -> bool:
    codes = {offer.intervention_type.code, *(c.code for c in offer.themes.all())}
    return bool(codes & SHELTER_CONCEPT_CODES)


# What a result row shows of an offer: loading only this (and no prefetches) keeps a page of
# results at two queries; the whole offer is loaded only for its own page.
_ROW_FIELDS = (
    "pk",
    "name",
    "description",
    "cost",
    "access",
    "service_area",
    "evidence_level",
    "status",
    "last_confirmed_on",
    "organisation__name",
    "intervention_type__code",
    "intervention_type__pref_label_nl",
    "intervention_type__pref_label_en",
)


@dataclass
class ResultRow:
    number: int
    offer: Offer
    hit: SearchHit
    name_html: SafeString
    summary_html: SafeString
    distance: str
    intervention_type: str
    free: bool
    walk_in: bool
    coordinates: list[tuple[float, float]] = field(default_factory=list)


def _row_offers(
    ids: Sequence[int],
) -> tuple[dict[int, Offer], dict[int, list[tuple[float, float]]]]:
    offers = {
        offer.pk: offer
        for offer in Offer.objects.filter(pk__in=list(ids))
        .select_related("organisation", "intervention_type")
        .only(*_ROW_FIELDS)
        .order_by()
        if offer.is_public
    }
    coordinates: dict[int, list[tuple[float, float]]] = {}
    for offer_id, latitude, longitude in (
        OfferLocation.objects.filter(offer_id__in=list(offers))
        .order_by("offer_id", "position", "pk")
        .values_list("offer_id", "latitude", "longitude")
    ):
        coordinates.setdefault(offer_id, []).append((latitude, longitude))
    return offers, coordinates


def result_rows(result: SearchResult) -> list[ResultRow]:
    """The hits of one page as the list shows them, numbered like the map's markers."""
    offers, coordinates = _row_offers([h.offer_id for h in result.hits])
    first = (result.params.page - 1) * result.params.page_size + 1
    rows: list[ResultRow] = []
    for hit in result.hits:
        offer = offers.get(hit.offer_id)
        if offer is None:
            continue
        stems = hit.matched_stems
        rows.append(
            ResultRow(
                number=first + len(rows),
                offer=offer,
                hit=hit,
                name_html=highlight(offer.name, stems),
                summary_html=highlight(excerpt(offer.description, stems), stems),
                distance=distance_text(offer, hit.distance_km),
                intervention_type=concept_label(offer.intervention_type),
                free=offer.cost == Cost.FREE,
                walk_in=offer.access == Access.WALK_IN,
                coordinates=coordinates.get(offer.pk, []),
            )
        )
    return rows


def rows_map(rows: Sequence[ResultRow], *, centre: MapCentre | None) -> SafeString | None:
    """The SVG map of a page of results (see ``meerwaarde.directory.map``)."""
    markers = [
        MapMarker(row.number, latitude, longitude)
        for row in rows
        for latitude, longitude in row.coordinates[:MAP_LOCATIONS_PER_OFFER]
    ]
    if not markers and centre is None:
        return None
    return results_map(
        markers=markers,
        centre=centre,
        tile_template=settings.DIRECTORY_TILE_URL,
        attribution=settings.DIRECTORY_TILE_ATTRIBUTION,
    )
