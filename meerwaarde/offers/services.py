"""Writes for offers: create, change, pause, resume, archive, confirm, shelter places, delete.

Every write ends inside its transaction with ``offer_changed`` (``offer_deleted`` before a
delete), after the locations and concepts are written: the search index follows each change,
and rolls back with it.
"""

import datetime
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypedDict, Unpack
from urllib.parse import urlsplit

import phonenumbers
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.offers.constants import (
    SHELTER_CONCEPT_CODES,
    Cost,
    EvidenceLevel,
    Language,
    OfferStatus,
)
from meerwaarde.offers.models import Offer, OfferLocation
from meerwaarde.offers.signals import offer_changed, offer_deleted
from meerwaarde.organisations.models import Organisation
from meerwaarde.places.models import Place
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept

# Which concept scheme (by code) each concept field of an offer draws from.
CONCEPT_SCHEMES = {
    "intervention_type": "intervention_types",
    "themes": "themes",
    "target_groups": "target_groups",
    "working_elements": "working_elements",
}
CONCEPT_LIST_FIELDS = ("themes", "target_groups", "working_elements")
MAX_AGE = 120
MAX_PLACES = 999
_POSTCODE = re.compile(r"^([1-9][0-9]{3})\s*([A-Za-z]{2})$")


@dataclass(frozen=True)
class LocationInput:
    """One location as a form or an import gives it; the coordinates come from the place."""

    place: Place
    name: str = ""
    address: str = ""
    postcode: str = ""


class OfferFields(TypedDict, total=False):
    """What a coordinator fills in; status, confirmation and places have their own services."""

    name: str
    intervention_type: Concept | None
    description: str
    themes: Iterable[Concept]
    target_groups: Iterable[Concept]
    working_elements: Iterable[Concept]
    age_min: int | None
    age_max: int | None
    service_area: str
    cost: str
    cost_amount: Decimal | None
    cost_note: str
    access: str
    referral_note: str
    sign_up: str
    phone: str
    email: str
    website: str
    schedule: str
    languages: Iterable[str]
    accessibility: str
    accessibility_note: str
    evidence_level: str
    evidence_assessed_on: datetime.date | None
    locations: Sequence[LocationInput]


def normalise_phone(value: str) -> str:
    """A Dutch number in national format ("020 123 4567"), a foreign one in international format.

    Raises ValidationError for what is not a valid phone number.
    """
    value = " ".join((value or "").split())
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, "NL")
    except phonenumbers.NumberParseException:
        number = None
    if number is None or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("Dit is geen geldig telefoonnummer. Schrijf het bijvoorbeeld als 020 123 4567."),
            code="invalid_phone",
        )
    region = phonenumbers.region_code_for_number(number)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region == "NL"
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)


def normalise_postcode(value: str) -> str:
    """ "1234ab" → "1234 AB"; raises ValidationError for what is not a Dutch postcode."""
    value = (value or "").strip()
    if not value:
        return ""
    match = _POSTCODE.match(value)
    if match is None:
        raise ValidationError(
            _("Dit is geen Nederlandse postcode. Schrijf die als 1234 AB."), code="invalid_postcode"
        )
    return f"{match.group(1)} {match.group(2).upper()}"


def normalise_website(value: str) -> str:
    """Adds https:// when the scheme is missing; other schemes than http(s) are refused."""
    value = (value or "").strip()
    if not value:
        return ""
    if "://" not in value:
        value = f"https://{value}"
    if urlsplit(value).scheme.lower() not in {"http", "https"}:
        raise ValidationError(
            _("Een website begint met https:// of http://."), code="invalid_scheme"
        )
    return value


def is_shelter(*, intervention_type: Concept | None, themes: Iterable[Concept]) -> bool:
    """Whether an offer with this type and these themes is a shelter, which may show places."""
    codes = {theme.code for theme in themes}
    if intervention_type is not None:
        codes.add(intervention_type.code)
    return bool(codes & SHELTER_CONCEPT_CODES)


class _Errors:
    """Collects Dutch messages per field, to report them all at once."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def absorb(self, error: ValidationError) -> None:
        for field, messages in error.message_dict.items():
            for message in messages:
                if message not in self.by_field.get(field, []):
                    self.add(field, message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _check_concepts(
    field: str, concepts: list[Concept], errors: _Errors, *, keep_deprecated: bool = False
) -> None:
    scheme = CONCEPT_SCHEMES[field]
    for concept in concepts:
        if concept.scheme.code != scheme:
            errors.add(
                field,
                _("‘%(label)s’ hoort niet in deze lijst.") % {"label": concept.pref_label_nl},
            )
        elif concept.status != ConceptStatus.ACCEPTED and not (
            keep_deprecated and concept.status == ConceptStatus.DEPRECATED
        ):
            errors.add(
                field,
                _("‘%(label)s’ is geen vastgesteld begrip meer; kies een ander.")
                % {"label": concept.pref_label_nl},
            )


def _clean_locations(locations: Sequence[LocationInput], errors: _Errors) -> list[OfferLocation]:
    if not locations:
        errors.add("locations", _("Geef minstens één locatie of plaats op."))
        return []
    rows = []
    for position, location in enumerate(locations):
        try:
            postcode = normalise_postcode(location.postcode)
        except ValidationError as error:
            errors.add("locations", f"{location.place.name}: {error.messages[0]}")
            postcode = ""
        rows.append(
            OfferLocation(
                place=location.place,
                name=" ".join(location.name.split()),
                address=" ".join(location.address.split()),
                postcode=postcode,
                latitude=location.place.latitude,
                longitude=location.place.longitude,
                position=position,
            )
        )
    return rows


def _normalise_scalars(offer: Offer, errors: _Errors) -> None:
    for field, normalise in (("phone", normalise_phone), ("website", normalise_website)):
        try:
            setattr(offer, field, normalise(getattr(offer, field)))
        except ValidationError as error:
            errors.add(field, error.messages[0])
    offer.email = (offer.email or "").strip()
    chosen = set(offer.languages or [])
    if chosen - set(Language.values):
        errors.add("languages", _("Kies de talen uit de lijst."))
    # Stored in the order of the list, without doubles.
    offer.languages = [code for code in Language.values if code in chosen]


def _check_rules(offer: Offer, today: datetime.date, errors: _Errors) -> None:
    """The model's constraints, as Dutch messages on the field a user can correct."""
    for field in ("age_min", "age_max"):
        value = getattr(offer, field)
        if value is not None and not 0 <= value <= MAX_AGE:
            errors.add(field, _("Vul een leeftijd in van 0 tot en met %(max)s.") % {"max": MAX_AGE})
    if offer.age_min is not None and offer.age_max is not None and offer.age_min > offer.age_max:
        errors.add(
            "age_max", _("De leeftijd ‘tot en met’ kan niet lager zijn dan de leeftijd ‘vanaf’.")
        )
    if offer.cost_amount is not None:
        if offer.cost == Cost.FREE:
            errors.add(
                "cost_amount",
                _(
                    "Bij gratis aanbod hoort geen bedrag. "
                    "Laat het leeg of kies een andere soort kosten."
                ),
            )
        elif offer.cost_amount < 0:
            errors.add("cost_amount", _("Een bedrag kan niet negatief zijn."))
    if offer.evidence_level == EvidenceLevel.NONE:
        # Not assessed: a date would suggest an assessment that gives no recognition.
        offer.evidence_assessed_on = None
    elif offer.evidence_assessed_on is None:
        errors.add(
            "evidence_assessed_on",
            _(
                "Vul in wanneer de interventie is beoordeeld: "
                "daarmee weten we tot wanneer de erkenning geldt."
            ),
        )
    elif offer.evidence_assessed_on > today:
        errors.add(
            "evidence_assessed_on", _("De datum van beoordeling kan niet in de toekomst liggen.")
        )


def _save(
    offer: Offer,
    fields: OfferFields,
    *,
    today: datetime.date,
    creating: bool,
    keep_deprecated: bool = False,
) -> Offer:
    errors = _Errors()
    data: dict[str, Any] = dict(fields)
    locations = data.pop("locations", None)
    concept_lists: dict[str, list[Concept]] = {
        name: list(data.pop(name)) for name in CONCEPT_LIST_FIELDS if name in data
    }
    for key, value in data.items():
        if key == "languages":
            value = list(value)
        elif isinstance(value, str):
            value = value.strip()
        setattr(offer, key, value)

    _normalise_scalars(offer, errors)
    _check_rules(offer, today, errors)
    if offer.intervention_type_id is not None:
        _check_concepts(
            "intervention_type", [offer.intervention_type], errors, keep_deprecated=keep_deprecated
        )
    for name, concepts in concept_lists.items():
        _check_concepts(name, concepts, errors, keep_deprecated=keep_deprecated)
    location_rows = None
    if locations is not None or creating:
        location_rows = _clean_locations(locations or [], errors)
    try:
        # The constraints only as a backstop: each has a clearer message above.
        offer.full_clean(exclude=["created_by"], validate_constraints=not errors.by_field)
    except ValidationError as error:
        errors.absorb(error)
    if NON_FIELD_ERRORS in errors.by_field and len(errors.by_field) > 1:
        del errors.by_field[NON_FIELD_ERRORS]
    errors.raise_if_any()

    themes = concept_lists.get("themes")
    if themes is None:
        themes = list(offer.themes.all()) if offer.pk else []
    if not is_shelter(intervention_type=offer.intervention_type, themes=themes):
        offer.places_available = None
        offer.places_updated_at = None
    offer.save()
    if location_rows is not None:
        offer.locations.all().delete()
        for row in location_rows:
            row.offer = offer
        OfferLocation.objects.bulk_create(location_rows)
    for name, concepts in concept_lists.items():
        getattr(offer, name).set(concepts)
    offer_changed.send(sender=Offer, offer=offer)
    return offer


@transaction.atomic
def offer_create(
    *,
    organisation: Organisation,
    created_by: User | None,
    today: datetime.date | None = None,
    keep_deprecated: bool = False,
    **fields: Unpack[OfferFields],
) -> Offer:
    """A new, active offer, confirmed today. Name, intervention type, description and at least
    one location are required; raises ValidationError with Dutch messages per field.

    ``keep_deprecated`` lets concepts through that are no longer accepted: only for restoring
    an export (``imports.restore_own``), which brings back what the organisation had.
    """
    today = today or timezone.localdate()
    offer = Offer(organisation=organisation, created_by=created_by, last_confirmed_on=today)
    return _save(offer, fields, today=today, creating=True, keep_deprecated=keep_deprecated)


@transaction.atomic
def offer_update(
    *, offer: Offer, today: datetime.date | None = None, **fields: Unpack[OfferFields]
) -> Offer:
    """Change the given fields; ``locations``, when given, replace all of them.

    Saving the offer also confirms it: whoever saved the form has just checked it. An offer
    that stops being a shelter loses its free places.
    """
    today = today or timezone.localdate()
    offer.last_confirmed_on = today
    return _save(offer, fields, today=today, creating=False)


def _set_status(offer: Offer, status: str) -> Offer:
    offer.status = status
    offer.save(update_fields=["status", "updated_at"])
    offer_changed.send(sender=Offer, offer=offer)
    return offer


@transaction.atomic
def offer_pause(*, offer: Offer) -> Offer:
    """Temporarily out of the sociale kaart (a waiting list, a summer break)."""
    if offer.status == OfferStatus.ARCHIVED:
        raise ValidationError(
            _("Een gearchiveerd aanbod kan niet gepauzeerd worden. Zet het eerst weer aan.")
        )
    return _set_status(offer, OfferStatus.PAUSED)


@transaction.atomic
def offer_resume(*, offer: Offer) -> Offer:
    """Back on the sociale kaart, from paused or archived.

    A stale offer stays hidden from the directory until it is confirmed.
    """
    return _set_status(offer, OfferStatus.ACTIVE)


@transaction.atomic
def offer_archive(*, offer: Offer) -> Offer:
    """No longer offered; kept, as results and referrals may point to it."""
    return _set_status(offer, OfferStatus.ARCHIVED)


@transaction.atomic
def offer_confirm(*, offer: Offer, today: datetime.date | None = None) -> Offer:
    """The organisation says the offer is still as described: back in date for the directory."""
    offer.last_confirmed_on = today or timezone.localdate()
    offer.save(update_fields=["last_confirmed_on", "updated_at"])
    offer_changed.send(sender=Offer, offer=offer)
    return offer


@transaction.atomic
def offer_places_update(
    *, offer: Offer, places_available: int | None, now: datetime.datetime | None = None
) -> Offer:
    """Free places of a shelter today; ``None`` when unknown. Other offers have no places."""
    if not offer.is_shelter:
        raise ValidationError(
            {"places_available": _("Alleen opvang kan vrije plaatsen doorgeven.")}
        )
    if places_available is not None and not 0 <= places_available <= MAX_PLACES:
        raise ValidationError(
            {
                "places_available": _("Vul een aantal in van 0 tot en met %(max)s.")
                % {"max": MAX_PLACES}
            }
        )
    offer.places_available = places_available
    offer.places_updated_at = now or timezone.now()
    offer.save(update_fields=["places_available", "places_updated_at", "updated_at"])
    offer_changed.send(sender=Offer, offer=offer)
    return offer


@transaction.atomic
def offer_delete(*, offer: Offer) -> None:
    """Remove an offer entered by mistake; an offer that ran (with trajectories or activity
    counts, which restrict it) is archived instead, so its history stays. On refusal the
    whole transaction, the index's removal included, rolls back."""
    offer_deleted.send(sender=Offer, offer_id=offer.pk)
    try:
        offer.delete()
    except (ProtectedError, RestrictedError) as exc:
        raise ValidationError(
            _(
                "Dit aanbod heeft al trajecten of activiteiten en kan daarom niet worden "
                "verwijderd. Archiveer het: dan verdwijnt het van de sociale kaart en blijven "
                "de gegevens bewaard."
            ),
            code="has_history",
        ) from exc
