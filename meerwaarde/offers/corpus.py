"""The fixed set of realistic offers (``directory/data/relevance_offers.json``) as database rows.

The relevance tests search it, the demo shows it. Offers are matched on organisation and
name, so loading twice changes nothing, and an offer a demo coordinator edited is left alone.
Needs the places (``load_places``) and the vocabulary (``load_vocabulary``).
"""

import datetime
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from meerwaarde.offers.models import Offer, OfferLocation
from meerwaarde.offers.services import is_shelter, normalise_phone, normalise_postcode
from meerwaarde.offers.signals import offer_changed
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.models import Organisation
from meerwaarde.organisations.services import organisation_create
from meerwaarde.places.models import Place
from meerwaarde.places.selectors import place_get_by_label
from meerwaarde.vocabulary.models import Concept

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "directory" / "data" / "relevance_offers.json"
CONCEPT_LISTS = ("themes", "target_groups", "working_elements")
# Copied as they are from the file onto the offer.
PLAIN_FIELDS = (
    "description",
    "age_min",
    "age_max",
    "service_area",
    "cost",
    "cost_note",
    "access",
    "referral_note",
    "sign_up",
    "email",
    "website",
    "schedule",
    "languages",
    "accessibility",
    "accessibility_note",
    "evidence_level",
)


def read_offer_corpus(path: Path | None = None) -> list[dict[str, Any]]:
    """The offers of the file as dictionaries, in file order."""
    return json.loads((path or DEFAULT_PATH).read_text(encoding="utf-8"))


def corpus_place_labels(entries: list[dict[str, Any]]) -> set[str]:
    return {location["place"] for entry in entries for location in entry["places"]}


def corpus_concept_codes(entries: list[dict[str, Any]]) -> set[str]:
    return {
        code
        for entry in entries
        for code in (entry["intervention_type"], *(c for f in CONCEPT_LISTS for c in entry[f]))
    }


def _places(labels: set[str]) -> dict[str, Place]:
    places = {label: place_get_by_label(label=label) for label in sorted(labels)}
    missing = sorted(label for label, place in places.items() if place is None)
    if missing:
        raise LookupError(f"Places {missing} not found (or ambiguous): run load_places first")
    return places  # type: ignore[return-value]


def _concepts(codes: set[str]) -> dict[str, Concept]:
    concepts = {c.code: c for c in Concept.objects.filter(code__in=codes)}
    missing = sorted(codes - set(concepts))
    if missing:
        raise LookupError(f"Concepts {missing} not found: run load_vocabulary first")
    return concepts


def _organisations(
    entries: list[dict[str, Any]], places: dict[str, Place], *, create_missing: bool
) -> dict[str, Organisation]:
    """Organisations by KvK number; a missing one becomes a minimal social-work organisation."""
    kvks = {entry["organisation"] for entry in entries}
    found = {o.kvk_number: o for o in Organisation.objects.filter(kvk_number__in=kvks)}
    if create_missing:
        for entry in entries:
            kvk = entry["organisation"]
            if kvk in found:
                continue
            place = places[entry["places"][0]["place"]]
            found[kvk] = organisation_create(
                name=f"Sociaal werk {place.name} ({kvk})",
                kind=OrganisationKind.SOCIAL_WORK,
                place=place,
                kvk_number=kvk,
                description="Aangemaakt voor de vaste set aanbod van de sociale kaart.",
            )
    return found


def _build_offer(
    entry: dict[str, Any],
    organisation: Organisation,
    concepts: dict[str, Concept],
    today: datetime.date,
    now: datetime.datetime,
) -> Offer:
    offer = Offer(
        organisation=organisation,
        name=entry["name"],
        intervention_type=concepts[entry["intervention_type"]],
        phone=normalise_phone(entry["phone"]),
        cost_amount=Decimal(entry["cost_amount"]) if entry["cost_amount"] else None,
        evidence_assessed_on=(
            datetime.date.fromisoformat(entry["evidence_assessed_on"])
            if entry["evidence_assessed_on"]
            else None
        ),
        last_confirmed_on=today - datetime.timedelta(days=entry.get("confirmed_days_ago", 0)),
        **{field: entry[field] for field in PLAIN_FIELDS},
    )
    themes = [concepts[code] for code in entry["themes"]]
    if entry.get("places_available") is not None and is_shelter(
        intervention_type=offer.intervention_type, themes=themes
    ):
        offer.places_available = entry["places_available"]
        offer.places_updated_at = now
    # Catches a bad e-mail address, URL or choice in the file; the database checks the rest.
    offer.full_clean(
        exclude=["organisation", "intervention_type", "created_by"], validate_constraints=False
    )
    return offer


@transaction.atomic
def load_offer_corpus(
    *, path: Path | None = None, create_organisations: bool = True
) -> dict[str, Offer]:
    """Create the corpus offers that do not exist yet; returns every corpus offer by its key.

    ``offer_changed`` is sent for each offer created, after its concepts and locations are
    written, so the search index follows. With ``create_organisations=False`` offers of a KvK
    number without an organisation are skipped (the demo uses only its own organisations).
    About ten queries whatever the size of the file, plus what the signal's receivers do.
    """
    entries = read_offer_corpus(path)
    places = _places(corpus_place_labels(entries))
    concepts = _concepts(corpus_concept_codes(entries))
    organisations = _organisations(entries, places, create_missing=create_organisations)
    entries = [e for e in entries if e["organisation"] in organisations]

    existing = {
        (o.organisation_id, o.name): o
        for o in Offer.objects.filter(
            organisation__in=organisations.values(), name__in={e["name"] for e in entries}
        )
    }
    today, now = timezone.localdate(), timezone.now()
    result: dict[str, Offer] = {}
    new: list[tuple[dict[str, Any], Offer]] = []
    for entry in entries:
        organisation = organisations[entry["organisation"]]
        offer = existing.get((organisation.pk, entry["name"]))
        if offer is None:
            offer = _build_offer(entry, organisation, concepts, today, now)
            new.append((entry, offer))
        result[entry["key"]] = offer
    if not new:
        return result

    Offer.objects.bulk_create([offer for _entry, offer in new])
    locations: list[OfferLocation] = []
    links: dict[str, list[Any]] = {field: [] for field in CONCEPT_LISTS}
    for entry, offer in new:
        for position, spec in enumerate(entry["places"]):
            place = places[spec["place"]]
            locations.append(
                OfferLocation(
                    offer=offer,
                    place=place,
                    name=spec.get("name", ""),
                    address=spec.get("address", ""),
                    postcode=normalise_postcode(spec.get("postcode", "")),
                    latitude=place.latitude,
                    longitude=place.longitude,
                    position=position,
                )
            )
        for field in CONCEPT_LISTS:
            through = getattr(Offer, field).through
            links[field].extend(
                through(offer_id=offer.pk, concept_id=concepts[code].pk) for code in entry[field]
            )
    OfferLocation.objects.bulk_create(locations)
    for field, rows in links.items():
        getattr(Offer, field).through.objects.bulk_create(rows)
    for _entry, offer in new:
        offer_changed.send(sender=Offer, offer=offer)
    return result
