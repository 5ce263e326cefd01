"""The public sociale kaart: search page, offer page and the printable hand-out. No log-in.

Every page works without JavaScript; with htmx the search form swaps only the search region
and pushes the URL, so the address bar always holds a shareable search.
"""

from dataclasses import dataclass

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from meerwaarde.directory import results
from meerwaarde.directory.map import MapCentre
from meerwaarde.directory.params import PAGE_NAMES, SearchParamError, parse_search_params
from meerwaarde.directory.search.service import search as search_offers
from meerwaarde.directory.search.types import (
    DEFAULT_PROXIMITY_KM,
    FACET_FREE,
    FACET_INTERVENTION_TYPES,
    FACET_TARGET_GROUPS,
    FACET_THEMES,
    FACET_WALK_IN,
    MAX_QUERY_LENGTH,
    PROXIMITY_CHOICES_KM,
    SearchResult,
)
from meerwaarde.offers.constants import Access, Cost
from meerwaarde.places.selectors import place_search

# Filter dimension → (page parameter, legend). Long lists show their first values, the rest
# behind a disclosure.
FACET_GROUPS = (
    (FACET_THEMES, PAGE_NAMES.theme),
    (FACET_TARGET_GROUPS, PAGE_NAMES.target_group),
    (FACET_INTERVENTION_TYPES, PAGE_NAMES.intervention_type),
)
FACETS_SHOWN = 8
_FILTER_NAMES = (
    PAGE_NAMES.theme,
    PAGE_NAMES.target_group,
    PAGE_NAMES.intervention_type,
    PAGE_NAMES.free,
    PAGE_NAMES.walk_in,
    PAGE_NAMES.age,
)


def _legend(facet: str) -> str:
    return {
        FACET_THEMES: _("Thema"),
        FACET_TARGET_GROUPS: _("Doelgroep"),
        FACET_INTERVENTION_TYPES: _("Soort aanbod"),
    }[facet]


def _query(
    data: QueryDict, changes: dict[str, object] | None = None, drop: tuple[str, ...] = ()
) -> str:
    """``?…`` for this search with some parameters changed or left out (and page 1)."""
    query = data.copy()
    for name in (*drop, PAGE_NAMES.page):
        query.pop(name, None)
    for name, value in (changes or {}).items():
        query[name] = str(value)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@dataclass
class FacetOption:
    value: str
    label: str
    count: int
    checked: bool


def _facet_groups(result: SearchResult | None, data: QueryDict) -> list[dict]:
    facets = result.facets if result is not None else {}
    selected = {name: set(data.getlist(name)) for _facet, name in FACET_GROUPS}
    codes = {v.value for _f, values in facets.items() for v in values}
    codes |= {code for values in selected.values() for code in values}
    concepts = results.concepts_by_code(codes)
    groups = []
    for facet, name in FACET_GROUPS:
        counts = {v.value: v.count for v in facets.get(facet, [])}
        values = list(counts)
        # A chosen value stays visible (with 0) so it can be unticked.
        values += [code for code in sorted(selected[name]) if code not in counts]
        options = [
            FacetOption(code, results.concept_label(concepts[code]), counts.get(code, 0), True)
            if code in selected[name]
            else FacetOption(code, results.concept_label(concepts[code]), counts[code], False)
            for code in values
            if code in concepts
        ]
        options.sort(key=lambda o: (not o.checked, -o.count, o.label))
        if options:
            groups.append(
                {
                    "name": name,
                    "legend": _legend(facet),
                    "shown": options[:FACETS_SHOWN],
                    "more": options[FACETS_SHOWN:],
                    "more_open": any(o.checked for o in options[FACETS_SHOWN:]),
                }
            )
    return groups


def _yes_count(result: SearchResult | None, facet: str) -> int | None:
    if result is None:
        return None
    return next((v.count for v in result.facets.get(facet, []) if v.value == "1"), 0)


def _suggestions(result: SearchResult, data: QueryDict) -> list[dict]:
    """What to try when nothing was found: a wider distance, no filters, the corrected words."""
    params = result.params
    found = []
    if params.has_place:
        wider = [km for km in PROXIMITY_CHOICES_KM if km > params.proximity_km]
        if wider:
            found.append(
                {
                    "kind": "wider",
                    "url": _query(data, {PAGE_NAMES.proximity: wider[0]}),
                    "text": _("Zoek binnen %(km)d km") % {"km": wider[0]},
                }
            )
    if any(data.get(name) for name in _FILTER_NAMES):
        found.append(
            {
                "kind": "no_filters",
                "url": _query(data, drop=_FILTER_NAMES),
                "text": _("Zoek zonder filters"),
            }
        )
    return found


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    data = request.GET
    error: SearchParamError | None = None
    parsed = None
    try:
        parsed = parse_search_params(data, names=PAGE_NAMES)
    except SearchParamError as exc:
        error = exc
    result = search_offers(parsed.params) if parsed is not None else None
    rows = results.result_rows(result) if result is not None else []
    centre = None
    if parsed is not None and parsed.params.has_place:
        assert parsed.params.lat is not None and parsed.params.lon is not None
        centre = MapCentre(
            parsed.params.lat,
            parsed.params.lon,
            parsed.place.name if parsed.place else _("Uw locatie"),
            parsed.params.proximity_km,
        )
    context = {
        "names": PAGE_NAMES,
        "values": {
            "q": data.get(PAGE_NAMES.q, "")[: MAX_QUERY_LENGTH * 5],
            "place": parsed.place.label
            if parsed is not None and parsed.place
            else data.get(PAGE_NAMES.place, "")[:160],
            "proximity": str(parsed.params.proximity_km)
            if parsed is not None
            else data.get(PAGE_NAMES.proximity, str(DEFAULT_PROXIMITY_KM))[:6],
            "age": data.get(PAGE_NAMES.age, "")[:6],
            "free": parsed is not None and parsed.params.free_only,
            "walk_in": parsed is not None and parsed.params.walk_in_only,
        },
        "proximity_choices": PROXIMITY_CHOICES_KM,
        "error": error,
        "error_suggestions": [
            {"label": label, "url": _query(data, {error.field: label})}
            for label in error.suggestions
        ]
        if error is not None
        else [],
        "parsed": parsed,
        "result": result,
        "rows": rows,
        "facet_groups": _facet_groups(result, data),
        "free_count": _yes_count(result, FACET_FREE),
        "walk_in_count": _yes_count(result, FACET_WALK_IN),
        "suggestions": _suggestions(result, data) if result is not None and not rows else [],
        "corrected_url": _query(data, {PAGE_NAMES.q: result.corrected_q})
        if result is not None and result.corrected_q
        else "",
        "map_svg": results.rows_map(rows, centre=centre) if rows or centre else None,
        "page": _Page(result) if result is not None else None,
        "has_filters": any(data.get(name) for name in _FILTER_NAMES),
        "clear_filters_url": _query(data, drop=_FILTER_NAMES),
        "tile_attribution": (
            settings.DIRECTORY_TILE_ATTRIBUTION if settings.DIRECTORY_TILE_URL else ""
        ),
    }
    # htmx swaps only the search region, unless it restores a page from history.
    partial = request.headers.get("HX-Request") and not request.headers.get(
        "HX-History-Restore-Request"
    )
    template = "directory/_search.html" if partial else "directory/search.html"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


class _Page:
    """What ``includes/pagination.html`` reads of a Django page, for one page of hits."""

    def __init__(self, result: SearchResult) -> None:
        self.number = result.params.page
        self.paginator = type("_Paginator", (), {"num_pages": result.pages})()
        self.has_previous = lambda: self.number > 1
        self.has_next = lambda: self.number < result.pages
        self.has_other_pages = lambda: result.pages > 1
        self.previous_page_number = lambda: self.number - 1
        self.next_page_number = lambda: self.number + 1


@require_GET
def place_options(request: HttpRequest) -> HttpResponse:
    """Place suggestions for the page's place field (htmx fills its datalist)."""
    query = request.GET.get(PAGE_NAMES.place, "")[:60].replace("\x00", "")
    return render(request, "places/options.html", {"places": list(place_search(query=query))})


@require_GET
def offer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    offer = results.public_offer_get(pk=pk)
    return render(request, "directory/offer_detail.html", _offer_context(offer))


@require_GET
def offer_detail_slug(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """A readable link (``/aanbod/12/maatje-zwolle/``) leads to the one stable address."""
    offer = results.public_offer_get(pk=pk)
    return redirect("directory:offer", pk=offer.pk, permanent=True)


@require_GET
def offer_print(request: HttpRequest, pk: int) -> HttpResponse:
    offer = results.public_offer_get(pk=pk)
    context = _offer_context(offer)
    context["page_url"] = request.build_absolute_uri(reverse("directory:offer", args=[pk]))
    return render(request, "directory/offer_print.html", context)


def _offer_context(offer) -> dict:
    return {
        "offer": offer,
        "slug": slugify(offer.name),
        "intervention_type": results.concept_label(offer.intervention_type),
        "intervention_definition": results.concept_definition(offer.intervention_type),
        "themes": [results.concept_label(c) for c in offer.themes.all()],
        "target_groups": [results.concept_label(c) for c in offer.target_groups.all()],
        "working_elements": [results.concept_label(c) for c in offer.working_elements.all()],
        "locations": list(offer.locations.all()),
        "languages": results.language_names(offer.languages),
        "free": offer.cost == Cost.FREE,
        "walk_in": offer.access == Access.WALK_IN,
        "is_area": offer.service_area != "locations",
        "is_shelter": results.is_shelter(offer),
        "phone_href": "".join(ch for ch in offer.phone if ch.isdigit() or ch == "+"),
    }
