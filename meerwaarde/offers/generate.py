"""Many realistic offers across the whole country, for the benchmark and load tests.

Each intervention type's profile (themes, target groups, working elements, ages, access, cost
and the sentences of its descriptions) comes from the hand-written relevance corpus; names
and openings vary with the vocabulary's synonyms, so the text is as varied as real offers.
Rows go in with ``bulk_create`` and no signal is sent: the caller rebuilds the search index.
"""

import bisect
import datetime
import itertools
import math
import random
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import slugify

from meerwaarde.offers.constants import (
    Access,
    Accessibility,
    Cost,
    EvidenceLevel,
    Language,
    OfferStatus,
    ServiceArea,
)
from meerwaarde.offers.corpus import read_offer_corpus
from meerwaarde.offers.models import Offer, OfferLocation
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.models import Organisation
from meerwaarde.places.models import Place
from meerwaarde.vocabulary.models import Concept

GENERATED_NOTE = "Gegenereerde organisatie (benchmark van de sociale kaart)."
BATCH = 5000
KM_PER_DEGREE = 111.32
# OfferLocation's constraint: roughly the Netherlands.
LAT_RANGE, LON_RANGE = (50.5, 53.8), (3.2, 7.3)

QUARTERS = (
    "Noord", "Oost", "Zuid", "West", "Centrum", "Binnenstad", "Oud-West", "Nieuw-Zuid",
    "De Hoven", "Kerkbuurt", "Het Dorp", "De Akkers", "Molenwijk", "Vogelwijk", "Bloemenbuurt",
    "Rivierenbuurt", "Stationskwartier", "De Velden", "Schildersbuurt", "Tuindorp",
)  # fmt: skip
BRANDS = (
    "De Schakel", "De Brug", "Het Anker", "De Verbinding", "Samen Verder", "Naast Elkaar",
    "Op Weg", "Thuis in de Buurt", "De Kompas", "Het Trefpunt", "De Horizon", "Wij in de Wijk",
    "De Ontmoeting", "Het Buurtnest", "De Linde", "De Kastanje", "Samen Sterk", "De Lichtboei",
)  # fmt: skip
ORG_PATTERNS = (
    ("Welzijn {place}", OrganisationKind.SOCIAL_WORK),
    ("Stichting Welzijn {place}", OrganisationKind.SOCIAL_WORK),
    ("Sociaal Werk {place}", OrganisationKind.SOCIAL_WORK),
    ("Welzijnsorganisatie {brand}", OrganisationKind.SOCIAL_WORK),
    ("Buurtwerk {place}", OrganisationKind.SOCIAL_WORK),
    ("Stichting {brand} {place}", OrganisationKind.SOCIAL_WORK),
    ("Vrijwilligerspunt {place}", OrganisationKind.VOLUNTEER),
    ("Humanitas {place}", OrganisationKind.VOLUNTEER),
    ("Zorgcoöperatie {place}", OrganisationKind.CARE_PROVIDER),
)
NAME_PATTERNS = (
    "{base} {place}",
    "{base} {place}",
    "{base} {place}-{quarter}",
    "{base} {quarter}",
    "{base} {brand}",
    "{brand}: {low} in {place}",
)
AREA_CODES = {
    "DR": ("0592", "0591", "0528"),
    "FL": ("036", "0320"),
    "FR": ("058", "0512", "0513", "0515"),
    "GE": ("026", "024", "055", "0318", "0314"),
    "GR": ("050", "0596", "0597"),
    "LI": ("043", "045", "046", "077", "0475"),
    "NB": ("040", "013", "073", "076", "0492"),
    "NH": ("020", "023", "072", "075", "035"),
    "OV": ("038", "053", "074", "0570", "0546"),
    "UT": ("030", "033", "0343"),
    "ZE": ("0118", "0113", "0115"),
    "ZH": ("010", "070", "071", "015", "078", "0182"),
}
# Capitalised words a generic sentence may keep; any other one is a local name.
KEEP_CAPITALISED = {
    "Arabisch", "Belastingdienst", "DigiD", "DigiD-gegevens", "Digicafé", "Jeugdwet",
    "Nederlands", "Nederlandse", "POH-GGZ", "Thuis", "Veilig", "UWV", "Tigrinya", "Wet", "Wmo",
    "Wmo-aanvraag", "Wmo-voorziening",
}  # fmt: skip
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")
WALK_IN_SENTENCES = (
    "U kunt zonder verwijzing bij ons terecht.",
    "Aanmelden kan zelf, telefonisch of via de website.",
    "Loop gerust eens binnen of bel ons met uw vraag.",
    "Een verwijzing of indicatie is niet nodig.",
)
REFERRAL_SENTENCES = (
    "Aanmelden gaat via de huisarts, de POH of het wijkteam.",
    "U wordt aangemeld door een hulpverlener, bijvoorbeeld het wijkteam of de huisarts.",
    "Verwijzers kunnen contact opnemen met de coördinator voor een warme overdracht.",
)
FREE_SENTENCES = ("Deelname is gratis.", "Er zijn geen kosten aan verbonden.", "")
OPENINGS = (
    "{Syn} in {place}, voor {group}.",
    "{Syn} voor {group} in {place} en omgeving.",
    "Voor {group} in {place}: {syn}.",
    "Wij zijn er voor {group} in {place} en de dorpen eromheen.",
)
SCHEDULES = (
    "Maandag tot en met vrijdag 9.00–17.00 uur.",
    "Dinsdag en donderdag 10.00–12.00 uur.",
    "Woensdagmiddag 13.30–16.00 uur.",
    "Elke eerste en derde donderdag van de maand, 19.30 uur.",
    "Op afspraak, ook 's avonds.",
    "Vrijdag 9.30–12.00 uur.",
)


@dataclass
class TypeProfile:
    """What the corpus teaches about offers of one intervention type."""

    concept: Concept
    names: list[str]
    examples: list[dict[str, Any]] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)


def _generic_sentences(description: str, local_names: set[str]) -> list[str]:
    """The sentences of a description that name no place, quarter or organisation."""
    kept = []
    for sentence in _SENTENCE_END.split(description):
        words = [w.strip(".,;:?!()'\"") for w in sentence.split()[1:]]
        if any(w[:1].isupper() and w not in KEEP_CAPITALISED for w in words):
            continue
        if any(name.lower() in sentence.lower() for name in local_names):
            continue
        kept.append(sentence)
    return kept


def _profiles(concepts: dict[str, Concept]) -> list[TypeProfile]:
    entries = read_offer_corpus()
    local_names = {loc["place"] for e in entries for loc in e["places"]}
    by_type: dict[str, TypeProfile] = {}
    for concept in concepts.values():
        if concept.scheme.code == "intervention_types":
            label = concept.pref_label_nl.split(" (")[0]
            names = [label] + [s[:1].upper() + s[1:] for s in concept.synonyms if len(s) > 3]
            by_type[concept.code] = TypeProfile(concept=concept, names=names)
    for entry in entries:
        profile = by_type.get(entry["intervention_type"])
        if profile is None:  # a vocabulary without this type
            continue
        profile.examples.append(entry)
        profile.sentences.extend(_generic_sentences(entry["description"], local_names))
    for profile in by_type.values():
        if profile.concept.definition:
            profile.sentences.append(profile.concept.definition)
        profile.sentences = list(dict.fromkeys(profile.sentences))
    return [p for p in by_type.values() if p.examples]


class _Weighted:
    """Places drawn in proportion to their population (at least 500 each)."""

    def __init__(self, places: Sequence[Place]):
        self.places = list(places)
        self.cumulative = list(itertools.accumulate(max(p.population, 500) for p in self.places))

    def draw(self, rng: random.Random) -> Place:
        index = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        return self.places[min(index, len(self.places) - 1)]


def _jitter(rng: random.Random, lat: float, lon: float, km: float = 1.0) -> tuple[float, float]:
    lat2 = lat + rng.uniform(-km, km) / KM_PER_DEGREE
    lon2 = lon + rng.uniform(-km, km) / (KM_PER_DEGREE * math.cos(math.radians(lat)))
    return (
        min(max(lat2, LAT_RANGE[0]), LAT_RANGE[1]),
        min(max(lon2, LON_RANGE[0]), LON_RANGE[1]),
    )


def _phone(rng: random.Random, province: str) -> str:
    if rng.random() < 0.15:
        return f"088 {rng.randint(200, 999)} {rng.randint(1000, 9999)}"
    area = rng.choice(AREA_CODES[province])
    if len(area) == 3:
        return f"{area} {rng.randint(200, 899)} {rng.randint(1000, 9999)}"
    return f"{area} {rng.randint(20, 89)} {rng.randint(10, 99)} {rng.randint(10, 99)}"


def _organisations(
    rng: random.Random, places: _Weighted, wanted: int
) -> dict[str, list[Organisation]]:
    """``wanted`` generated organisations (reusing earlier ones), by province of their place."""
    existing = list(
        Organisation.objects.filter(description=GENERATED_NOTE).select_related("place")[:wanted]
    )
    taken_kvk = set(
        Organisation.objects.exclude(kvk_number="").values_list("kvk_number", flat=True)
    )
    taken_slug = set(Organisation.objects.values_list("slug", flat=True))
    new: list[Organisation] = []
    while len(existing) + len(new) < wanted:
        place = places.draw(rng)
        pattern, kind = rng.choice(ORG_PATTERNS)
        name = pattern.format(place=place.name, brand=rng.choice(BRANDS))
        kvk = f"{rng.randint(60_000_000, 79_999_999)}"
        slug = slugify(name)[:70] or "organisatie"
        if slug in taken_slug:
            slug = f"{slug[:60]}-{kvk}"
        if kvk in taken_kvk or slug in taken_slug:
            continue
        taken_kvk.add(kvk)
        taken_slug.add(slug)
        domain = slug.replace("-", "")[:40]
        new.append(
            Organisation(
                name=name,
                slug=slug,
                kind=kind,
                kvk_number=kvk,
                place=place,
                website=f"https://www.{domain}.example.nl",
                description=GENERATED_NOTE,
            )
        )
    Organisation.objects.bulk_create(new, batch_size=1000)
    by_province: dict[str, list[Organisation]] = defaultdict(list)
    for organisation in [*existing, *new]:
        by_province[organisation.place.province].append(organisation)
    return by_province


def _status(rng: random.Random, today: datetime.date) -> tuple[str, datetime.date]:
    """80% active and confirmed this year; the rest flagged, hidden, paused or archived."""
    roll = rng.random()
    if roll < 0.80:
        return OfferStatus.ACTIVE, today - datetime.timedelta(days=rng.randint(0, 330))
    if roll < 0.88:  # flagged to the organisation, still public
        return OfferStatus.ACTIVE, today - datetime.timedelta(days=rng.randint(370, 530))
    if roll < 0.92:  # out of the public directory until confirmed
        return OfferStatus.ACTIVE, today - datetime.timedelta(days=rng.randint(560, 900))
    if roll < 0.97:
        return OfferStatus.PAUSED, today - datetime.timedelta(days=rng.randint(0, 400))
    return OfferStatus.ARCHIVED, today - datetime.timedelta(days=rng.randint(100, 900))


def _group_phrase(rng: random.Random, groups: list[Concept]) -> str:
    if not groups:
        return "inwoners"
    group = rng.choice(groups)
    options = [group.pref_label_nl.split(" (")[0].lower(), *group.synonyms[:3]]
    return rng.choice(options)


def _description(
    rng: random.Random, profile: TypeProfile, place: Place, groups: list[Concept], example: dict
) -> str:
    syn = rng.choice(profile.names).lower()
    opening = rng.choice(OPENINGS).format(
        place=place.name, syn=syn, Syn=syn[:1].upper() + syn[1:], group=_group_phrase(rng, groups)
    )
    body = rng.sample(profile.sentences, k=min(len(profile.sentences), rng.randint(1, 3)))
    if rng.random() < 0.5:
        body.insert(0, opening)
    practical = rng.choice(
        WALK_IN_SENTENCES if example["access"] == Access.WALK_IN else REFERRAL_SENTENCES
    )
    extra = rng.choice(FREE_SENTENCES) if example["cost"] == Cost.FREE else ""
    sentences = [s for s in [*body, practical, extra] if s]
    if len(sentences) < 2:
        sentences.append(opening)
    return " ".join(sentences)[:4000]


def _name(rng: random.Random, profile: TypeProfile, place: Place) -> str:
    base = rng.choice(profile.names)
    return rng.choice(NAME_PATTERNS).format(
        base=base,
        low=base[:1].lower() + base[1:],
        place=place.name,
        quarter=rng.choice(QUARTERS),
        brand=rng.choice(BRANDS),
    )[:200]


LOCATION_COLUMNS = (
    "offer_id",
    "place_id",
    "name",
    "address",
    "postcode",
    "latitude",
    "longitude",
    "position",
)
VENUES = ("Wijkcentrum", "Buurthuis", "Locatie", "Ontmoetingsplek")


def _insert(model: type[Model], columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Plain multi-row INSERTs: for rows without logic, several times faster than bulk_create,
    which builds a model instance per row."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 500):
            chunk = rows[start : start + 500]
            cursor.execute(
                f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * len(chunk))}",  # noqa: S608
                [value for row in chunk for value in row],
            )


def _chunks(total: int, size: int) -> Iterator[int]:
    while total > 0:
        yield min(size, total)
        total -= size


@transaction.atomic
def generate_offers(n: int, *, seed: int = 1, organisations: int = 300) -> int:
    """Create ``n`` offers at places all over the country, weighted by population; returns n.

    Needs the places and the vocabulary. Sends no ``offer_changed``: rebuild the search index
    afterwards. About 100,000 offers a minute, a few bulk inserts per 5,000.
    """
    rng = random.Random(seed)
    concepts = {c.code: c for c in Concept.objects.select_related("scheme")}
    profiles = _profiles(concepts)
    places = _Weighted(list(Place.objects.all()))
    if not places.places or not profiles:
        raise LookupError("No places or intervention types: run load_places and load_vocabulary")
    by_province = _organisations(rng, places, organisations)
    all_organisations = [o for orgs in by_province.values() for o in orgs]
    through = {
        f: getattr(Offer, f).through for f in ("themes", "target_groups", "working_elements")
    }
    today, now = timezone.localdate(), timezone.now()
    languages = [code for code in Language.values if code != Language.DUTCH]
    accessibility = tuple(Accessibility.values)

    for size in _chunks(n, BATCH):
        offers: list[Offer] = []
        plans: list[tuple[Place, int, dict[str, list[int]]]] = []
        for _ in range(size):
            profile = rng.choice(profiles)
            example = rng.choice(profile.examples)
            place = places.draw(rng)
            local = by_province.get(place.province) or all_organisations
            organisation = rng.choice(local)
            codes = {f: [c for c in example[f] if c in concepts] for f in through}
            # Now and then a neighbouring concept of another example of the same type.
            other = rng.choice(profile.examples)
            for f in through:
                if other[f] and rng.random() < 0.3:
                    extra = rng.choice(other[f])
                    if extra in concepts and extra not in codes[f]:
                        codes[f].append(extra)
            groups = [concepts[c] for c in codes["target_groups"]]
            status, confirmed = _status(rng, today)
            cost = example["cost"]
            amount = example["cost_amount"]
            if cost != Cost.FREE and amount:
                amount = (Decimal(amount) * Decimal(rng.choice((0.8, 1, 1, 1.2)))).quantize(
                    Decimal("0.01")
                )
            area_roll = rng.random()
            area = (
                example["service_area"]
                if area_roll < 0.7
                else ServiceArea.MUNICIPALITY
                if area_roll < 0.9
                else ServiceArea.REGION
            )
            evidence = example["evidence_level"]
            assessed = None
            if evidence != EvidenceLevel.NONE:
                assessed = today - datetime.timedelta(days=rng.randint(60, 6 * 365))
            shelter = example["places_available"] is not None
            slug = slugify(organisation.name)[:30]
            offer = Offer(
                organisation=organisation,
                name=_name(rng, profile, place),
                intervention_type=profile.concept,
                description=_description(rng, profile, place, groups, example),
                age_min=example["age_min"],
                age_max=example["age_max"],
                service_area=area,
                cost=cost,
                cost_amount=amount if cost != Cost.FREE else None,
                cost_note=example["cost_note"],
                access=example["access"],
                referral_note=example["referral_note"],
                sign_up=example["sign_up"],
                phone=_phone(rng, place.province),
                email=f"info@{slug.replace('-', '')}.example.nl",
                website=f"https://{slug.replace('-', '')}.example.nl/aanbod",
                schedule=example["schedule"] or rng.choice(SCHEDULES),
                languages=["nl", *rng.sample(languages, k=rng.choice((0, 0, 0, 1, 2)))],
                accessibility=rng.choice(
                    (example["accessibility"], example["accessibility"], *accessibility)
                ),
                evidence_level=evidence,
                evidence_assessed_on=assessed,
                last_confirmed_on=confirmed,
                status=status,
                places_available=rng.randint(0, 12) if shelter else None,
                places_updated_at=now - datetime.timedelta(hours=rng.randint(1, 96))
                if shelter
                else None,
            )
            offers.append(offer)
            count = rng.choices((1, 2, 3), weights=(85, 12, 3))[0]
            plans.append((place, count, {f: [concepts[c].pk for c in codes[f]] for f in through}))
        Offer.objects.bulk_create(offers)

        locations: list[tuple[Any, ...]] = []
        links: dict[str, list[tuple[int, int]]] = {f: [] for f in through}
        for offer, (place, count, concept_ids) in zip(offers, plans, strict=True):
            for position in range(count):
                lat, lon = _jitter(rng, place.latitude, place.longitude)
                named = offer.service_area == ServiceArea.LOCATIONS or position
                label = f"{rng.choice(VENUES)} {rng.choice(BRANDS)}" if named else ""
                locations.append((offer.pk, place.pk, label, "", "", lat, lon, position))
            for f, ids in concept_ids.items():
                links[f].extend((offer.pk, pk) for pk in ids)
        _insert(OfferLocation, LOCATION_COLUMNS, locations)
        for f, rows in links.items():
            _insert(through[f], ("offer_id", "concept_id"), rows)
    return n
