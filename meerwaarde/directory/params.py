"""One parser from a query string to ``SearchParams``, shared by the search page and the API.

The page speaks Dutch (``plaats``, ``afstand``, ``thema``), the API English (``place``,
``proximity_km``, ``theme``); both go through ``parse_search_params`` so they accept and
refuse exactly the same things. Whatever arrives (NUL bytes, repeated values, numbers with
300 digits, SQL) ends as ``SearchParams`` or a ``SearchParamError`` with a Dutch message,
never as an exception the visitor sees as an error page.
"""

import math
import re
import unicodedata
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from meerwaarde.directory.search.types import (
    DEFAULT_PAGE_SIZE,
    DEFAULT_PROXIMITY_KM,
    MAX_PAGE_SIZE,
    MAX_QUERY_LENGTH,
    PROXIMITY_CHOICES_KM,
    SearchParams,
)
from meerwaarde.places.models import Place
from meerwaarde.places.selectors import place_get_by_label, place_search
from meerwaarde.places.services import normalise_place_name
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept

# Roughly the European Netherlands, as the offer locations' constraints have it.
LAT_RANGE = (50.5, 53.8)
LON_RANGE = (3.2, 7.3)
MAX_AGE = 120
MAX_PAGE = 1000  # deeper pages are no use to a person and costly to compute
MAX_CODES = 20  # per filter; more is no real search
MAX_PLACE_LENGTH = 160

# Control characters (NUL included) never belong in a search; PostgreSQL refuses NUL outright.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INTEGER = re.compile(r"^[+]?\d{1,6}$")
_NUMBER = re.compile(r"^[+-]?\d{1,3}([.,]\d{1,12})?$")
_TRUE = {"1", "true", "on", "ja", "yes"}
_FALSE = {"", "0", "false", "off", "nee", "no"}


@dataclass(frozen=True)
class ParamNames:
    """What the parameters are called in one place of use."""

    q: str
    place: str
    lat: str
    lon: str
    proximity: str
    theme: str
    target_group: str
    intervention_type: str
    free: str
    walk_in: str
    age: str
    page: str
    page_size: str | None  # the page has a fixed page size


PAGE_NAMES = ParamNames(
    q="q",
    place="plaats",
    lat="lat",
    lon="lon",
    proximity="afstand",
    theme="thema",
    target_group="doelgroep",
    intervention_type="interventie",
    free="gratis",
    walk_in="zonder_verwijzing",
    age="leeftijd",
    page="pagina",
    page_size=None,
)
API_NAMES = ParamNames(
    q="q",
    place="place",
    lat="lat",
    lon="lon",
    proximity="proximity_km",
    theme="theme",
    target_group="target_group",
    intervention_type="intervention_type",
    free="free",
    walk_in="walk_in",
    age="age",
    page="page",
    page_size="page_size",
)

# Filter parameter → the concept scheme its codes come from.
_FILTER_SCHEMES = {
    "theme": "themes",
    "target_group": "target_groups",
    "intervention_type": "intervention_types",
}


class SearchParamError(ValueError):
    """A parameter the search cannot use: which one, why (Dutch), and what might be meant."""

    def __init__(self, field: str, message: str | Promise, suggestions: list[str] | None = None):
        super().__init__(str(message))
        self.field = field
        self.message = str(message)
        self.suggestions = suggestions or []


@dataclass(frozen=True)
class ParsedSearch:
    params: SearchParams
    place: Place | None = None
    # Things the page tells the visitor without refusing the search (a shortened query).
    notices: list[str] = field(default_factory=list)


def clean_text(value: str) -> str:
    """Without control characters, NFC, whitespace collapsed and trimmed."""
    value = unicodedata.normalize("NFC", _CONTROL.sub(" ", value))
    return " ".join(value.split())


def _single(data: QueryDict, name: str) -> str:
    values = data.getlist(name)
    if len(values) > 1:
        raise SearchParamError(name, _("Geef ‘%(name)s’ maar één keer op.") % {"name": name})
    return clean_text(values[0]) if values else ""


def _integer(data: QueryDict, name: str, *, low: int, high: int, message: str) -> int | None:
    raw = _single(data, name)
    if raw == "":
        return None
    if not _INTEGER.match(raw) or not low <= int(raw) <= high:
        raise SearchParamError(name, message)
    return int(raw)


def _number(data: QueryDict, name: str, bounds: tuple[float, float], message: str) -> float | None:
    raw = _single(data, name)
    if raw == "":
        return None
    if not _NUMBER.match(raw):
        raise SearchParamError(name, message)
    number = float(raw.replace(",", "."))
    if not math.isfinite(number) or not bounds[0] <= number <= bounds[1]:
        raise SearchParamError(name, message)
    return number


def _boolean(data: QueryDict, name: str) -> bool:
    raw = _single(data, name).casefold()
    if raw in _TRUE:
        return True
    if raw in _FALSE:
        return False
    raise SearchParamError(
        name, _("‘%(name)s’ is ja (1) of nee (0); laat het anders weg.") % {"name": name}
    )


def _codes(data: QueryDict, name: str, scheme: str) -> tuple[str, ...]:
    raw = [clean_text(v) for v in data.getlist(name)]
    # A comma-separated list is accepted as well as a repeated parameter.
    codes = list(dict.fromkeys(c.strip() for v in raw for c in v.split(",") if c.strip()))
    if not codes:
        return ()
    if len(codes) > MAX_CODES:
        raise SearchParamError(name, _("Kies hooguit %(n)d waarden tegelijk.") % {"n": MAX_CODES})
    known = set(
        Concept.objects.filter(
            code__in=[c[:80] for c in codes],
            scheme__code=scheme,
            status=ConceptStatus.ACCEPTED,
        ).values_list("code", flat=True)
    )
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise SearchParamError(
            name,
            _("Deze code kennen we niet in deze lijst: %(codes)s.")
            % {"codes": ", ".join(f"‘{c[:80]}’" for c in unknown[:3])},
        )
    return tuple(codes)


def _place(label: str, name: str) -> Place:
    if len(label) > MAX_PLACE_LENGTH:
        raise SearchParamError(name, _("Deze plaatsnaam is te lang. Kies een plaats uit de lijst."))
    place = place_get_by_label(label=label)
    if place is not None:
        return place
    same_name = list(
        Place.objects.filter(search_name=normalise_place_name(label)).order_by("-population")[:5]
    )
    if len(same_name) > 1:
        raise SearchParamError(
            name,
            _(
                "Er zijn meerdere plaatsen met de naam ‘%(place)s’. "
                "Kies er een met de provincie erbij."
            )
            % {"place": label},
            [p.label for p in same_name],
        )
    suggestions = [p.label for p in place_search(query=label[:60], limit=5)]
    if suggestions:
        message = _("Deze plaats kennen we niet: ‘%(place)s’. Bedoelt u een van deze plaatsen?")
    else:
        message = _(
            "Deze plaats kennen we niet: ‘%(place)s’. Kies een Nederlandse plaats uit de lijst."
        )
    raise SearchParamError(name, message % {"place": label}, suggestions)


def parse_search_params(
    data: QueryDict, *, names: ParamNames = PAGE_NAMES, strict: bool = False
) -> ParsedSearch:
    """The validated search asked for by ``data``; raises ``SearchParamError`` for the first
    parameter that cannot be used.

    ``strict`` (the API) refuses a query longer than ``MAX_QUERY_LENGTH``; the page shortens it
    and says so. Costs at most three small queries (place, concept codes).
    """
    notices: list[str] = []
    q = _single(data, names.q)
    if len(q) > MAX_QUERY_LENGTH:
        if strict:
            raise SearchParamError(
                names.q,
                _("De zoekvraag is te lang: hooguit %(n)d tekens.") % {"n": MAX_QUERY_LENGTH},
            )
        # Cut at a word boundary where there is one, so no half word is searched.
        q = q[:MAX_QUERY_LENGTH].rsplit(" ", 1)[0]
        notices.append(
            _("Uw zoekvraag was erg lang; we zochten op de eerste %(n)d tekens.")
            % {"n": MAX_QUERY_LENGTH}
        )

    proximity = _integer(
        data,
        names.proximity,
        low=0,
        high=999_999,
        message=_("Kies een afstand van 5, 10, 25 of 50 km."),
    )
    if proximity is not None and proximity not in PROXIMITY_CHOICES_KM:
        raise SearchParamError(names.proximity, _("Kies een afstand van 5, 10, 25 of 50 km."))

    outside = _("Geef een breedte- en lengtegraad binnen Nederland, zoals lat=52.51 en lon=6.09.")
    lat = _number(data, names.lat, LAT_RANGE, outside)
    lon = _number(data, names.lon, LON_RANGE, outside)
    if (lat is None) != (lon is None):
        raise SearchParamError(names.lat if lat is None else names.lon, outside)

    place = None
    label = _single(data, names.place)
    if label:
        if lat is not None:
            raise SearchParamError(
                names.place, _("Geef een plaats óf een breedte- en lengtegraad, niet allebei.")
            )
        place = _place(label, names.place)
        lat, lon = place.latitude, place.longitude

    age = _integer(
        data,
        names.age,
        low=0,
        high=MAX_AGE,
        message=_("Geef een leeftijd in hele jaren, van 0 tot en met %(n)d.") % {"n": MAX_AGE},
    )
    page = _integer(
        data,
        names.page,
        low=1,
        high=MAX_PAGE,
        message=_("Kies een paginanummer van 1 tot en met %(n)d.") % {"n": MAX_PAGE},
    )
    page_size = DEFAULT_PAGE_SIZE
    if names.page_size is not None:
        page_size = (
            _integer(
                data,
                names.page_size,
                low=1,
                high=MAX_PAGE_SIZE,
                message=_("Kies een paginagrootte van 1 tot en met %(n)d.") % {"n": MAX_PAGE_SIZE},
            )
            or DEFAULT_PAGE_SIZE
        )

    params = SearchParams(
        q=q,
        lat=lat,
        lon=lon,
        proximity_km=proximity or DEFAULT_PROXIMITY_KM,
        themes=_codes(data, names.theme, _FILTER_SCHEMES["theme"]),
        target_groups=_codes(data, names.target_group, _FILTER_SCHEMES["target_group"]),
        intervention_types=_codes(
            data, names.intervention_type, _FILTER_SCHEMES["intervention_type"]
        ),
        free_only=_boolean(data, names.free),
        walk_in_only=_boolean(data, names.walk_in),
        age=age,
        page=page or 1,
        page_size=page_size,
    )
    return ParsedSearch(params=params, place=place, notices=notices)
