"""What a restore brings back that no import kind holds: the organisation's own instruments
and its offers in full.

``restore.restore_export`` calls ``OwnRestore`` inside its transaction: ``instruments``
first (the measurements name them), ``offers`` in place of the offer import, ``finish``
after the last table. An offer import adds a new, active offer with accepted concepts and
one place; a restore brings back what the organisation had: every field the export holds,
every location, concepts deprecated since, the status, the confirmation date and the free
places. Own instruments keep their code and version, so the export's measurements find them.

What the measurement import refuses for new rows (an instrument that is switched off, an
archived offer) must still take the history back: such instruments are active and such
offers open until ``finish``, which switches them off and archives them as the export says.

Every check is the services' own (``offers.services.offer_create``,
``instruments.services.instrument_restore``); problems name the export's file, its row and
column, and leave nothing written (the whole restore rolls back).
"""

import datetime
import json
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.instruments.models import Instrument
from meerwaarde.instruments.services import (
    instrument_activate,
    instrument_deactivate,
    instrument_restore,
)
from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.offers.services import (
    CONCEPT_SCHEMES,
    LocationInput,
    offer_archive,
    offer_confirm,
    offer_create,
    offer_pause,
    offer_places_update,
)
from meerwaarde.organisations.models import Organisation
from meerwaarde.places.models import Place
from meerwaarde.vocabulary.models import Concept

from .engine import RowProblem
from .importers.base import OfferNames
from .models import normalise_name
from .reading import FileProblem, SourceRow
from .restore import COUNTS, Export, RestoreProblem, export_number
from .values import ValueProblem, parse_date, parse_decimal, parse_int

INSTRUMENTS = "instrumenten"
YES = "ja"

# The export's column of each offer field (its concepts, texts, numbers and dates).
CONCEPT_COLUMNS = {
    "intervention_type": "soort_interventie",
    "themes": "themas",
    "target_groups": "doelgroepen",
    "working_elements": "werkzame_elementen",
}
TEXT_COLUMNS = {
    "name": "aanbod_naam",
    "description": "beschrijving",
    "service_area": "waar",
    "cost": "kosten",
    "cost_note": "kosten_toelichting",
    "access": "toegang",
    "referral_note": "wie_kan_verwijzen",
    "sign_up": "aanmelden",
    "phone": "telefoon",
    "email": "email",
    "website": "website",
    "schedule": "openingstijden",
    "accessibility": "toegankelijkheid",
    "accessibility_note": "toegankelijkheid_toelichting",
    "evidence_level": "erkenning",
}
PARSED_COLUMNS: dict[str, tuple[str, Callable[[str], Any]]] = {
    "age_min": ("leeftijd_vanaf", parse_int),
    "age_max": ("leeftijd_tot_en_met", parse_int),
    "cost_amount": ("bedrag", parse_decimal),
    "evidence_assessed_on": ("erkenning_beoordeeld_op", parse_date),
}
COLUMN_OF = {
    **CONCEPT_COLUMNS,
    **TEXT_COLUMNS,
    **{field: column for field, (column, _parse) in PARSED_COLUMNS.items()},
    "languages": "talen",
    "locations": "plaats_geonameid",
    "places_available": "vrije_plaatsen",
}


def _codes(text: str) -> list[str]:
    return [code.strip() for code in text.split(",") if code.strip()]


def _datetime(text: str) -> datetime.datetime:
    try:
        return datetime.datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValueProblem(
            _("‘%(value)s’ is geen datum en tijd zoals een export die schrijft.")
            % {"value": text.strip()[:40]}
        ) from None


class OwnRestore:
    """One restore's own instruments and offers; problems go into ``export.result``."""

    def __init__(self, *, export: Export, organisation: Organisation, user: User | None) -> None:
        self.export = export
        self.organisation = organisation
        self.user = user if user is not None and user.is_authenticated else None
        self.switch_off: list[Instrument] = []
        self.archive: list[Offer] = []

    def _problem(self, file: str, row: int | None, column: str, message: str) -> None:
        self.export.result.problems.append(RestoreProblem(file, RowProblem(row, column, message)))

    def _file_problem(self, problem: FileProblem, file: str) -> None:
        self._problem(self.export.failed_file or file, problem.row, "", problem.message)

    # Own instruments ----------------------------------------------------------------------

    def instruments(self) -> None:
        """The export's own instruments, created (active) with their code and version; one
        with the same definition is already present, another definition is a problem."""
        file = f"{INSTRUMENTS}.csv"
        counts = dict.fromkeys(COUNTS, 0)
        try:
            for row in self.export.read(INSTRUMENTS):
                if row.values["eigen"].strip() == YES:
                    counts["read"] += 1
                    self._instrument(row, file, counts)
        except FileProblem as problem:
            self._file_problem(problem, file)
        self.export.result.counts[INSTRUMENTS] = counts

    def _instrument(self, row: SourceRow, file: str, counts: dict[str, int]) -> None:
        code = row.values["instrument_code"].strip()
        version = row.values["instrument_versie"].strip()
        try:
            definition = json.loads(row.values["definitie"])
        except ValueError:
            definition = None
        if (
            not isinstance(definition, dict)
            or definition.get("code") != code
            or definition.get("version") != version
        ):
            self._problem(
                file,
                row.number,
                "definitie",
                _("Dit is niet de definitie van instrument ‘%(code)s’ versie %(version)s.")
                % {"code": code[:60], "version": version[:20]},
            )
            return
        try:
            instrument, created = instrument_restore(
                organisation=self.organisation, definition=definition
            )
        except ValidationError as error:
            for message in error.messages:
                self._problem(file, row.number, "definitie", message)
            return
        counts["created" if created else "already_present"] += 1
        # Switched off in the export (a new one) or here (an existing one): on only while
        # the measurements come in.
        off = row.values["actief"].strip() != YES if created else not instrument.is_active
        if off:
            if not instrument.is_active:
                instrument_activate(instrument=instrument)
            self.switch_off.append(instrument)

    # Offers -------------------------------------------------------------------------------

    def offers(self, progress: Callable[..., None] | None = None) -> None:
        """Every offer of aanbod.csv with its locations of aanbod_locaties.csv. An offer whose
        name the organisation already has is left as it is, as the offer import does."""
        file = "aanbod.csv"
        counts = dict.fromkeys(COUNTS, 0)
        try:
            locations = self._locations()
            if self.export.result.problems:
                return
            names = OfferNames(self.organisation)
            concepts = {
                (concept.scheme.code, concept.code): concept
                for concept in Concept.objects.filter(
                    scheme__code__in=CONCEPT_SCHEMES.values()
                ).select_related("scheme")
            }
            seen: dict[str, int] = {}
            for row in self.export.read("aanbod"):
                counts["read"] += 1
                pk = export_number(row, "aanbod_id", file)
                name = row.values["aanbod_naam"]
                self.export.offer_names[pk] = name
                key = normalise_name(name)
                if key in seen:
                    self._problem(
                        file,
                        row.number,
                        "aanbod_naam",
                        _("Dit aanbod staat ook in rij %(row)s.") % {"row": seen[key]},
                    )
                    continue
                seen[key] = row.number
                if names.get(name) is not None:
                    counts["already_present"] += 1
                elif self._offer(row, locations.get(pk, []), concepts):
                    counts["created"] += 1
                if progress is not None:
                    progress(counts["read"])
        except FileProblem as problem:
            self._file_problem(problem, file)
        finally:
            self.export.result.counts["aanbod"] = counts

    def _locations(self) -> dict[int, list[LocationInput]]:
        file = "aanbod_locaties.csv"
        rows: dict[int, list[tuple[int, LocationInput]]] = {}
        places: dict[int, Place | None] = {}
        for row in self.export.read("aanbod_locaties"):
            try:
                geonameid = parse_int(row.values["plaats_geonameid"])
                position = parse_int(row.values["volgorde"] or "0")
            except ValueProblem as problem:
                self._problem(file, row.number, "plaats_geonameid", problem.message)
                continue
            if geonameid not in places:
                places[geonameid] = Place.objects.filter(geonameid=geonameid).first()
            place = places[geonameid]
            if place is None:
                self._problem(file, row.number, "plaats_geonameid", _("Onbekend GeoNames-nummer."))
                continue
            location = LocationInput(
                place=place,
                name=row.values["locatie_naam"],
                address=row.values["adres"],
                postcode=row.values["postcode"],
            )
            rows.setdefault(export_number(row, "aanbod_id", file), []).append((position, location))
        return {
            pk: [location for _position, location in sorted(found, key=lambda r: r[0])]
            for pk, found in rows.items()
        }

    def _offer(
        self,
        row: SourceRow,
        locations: list[LocationInput],
        concepts: dict[tuple[str, str], Concept],
    ) -> bool:
        file = "aanbod.csv"
        values = row.values
        problems: list[tuple[str, str]] = []
        fields: dict[str, Any] = {field: values[column] for field, column in TEXT_COLUMNS.items()}
        for field, column in CONCEPT_COLUMNS.items():
            found = []
            for code in _codes(values[column]):
                concept = concepts.get((CONCEPT_SCHEMES[field], code))
                if concept is None:
                    problems.append(
                        (column, _("‘%(code)s’ staat niet in de woordenlijst.") % {"code": code})
                    )
                found.append(concept)
            if field == "intervention_type":
                fields[field] = found[0] if found else None
            else:
                fields[field] = found
        for field, (column, parse) in PARSED_COLUMNS.items():
            fields[field] = self._parsed(values[column], parse, column, problems)
        fields["languages"] = _codes(values["talen"])
        confirmed = self._parsed(
            values["laatst_bevestigd_op"], parse_date, "laatst_bevestigd_op", problems
        )
        places = self._parsed(values["vrije_plaatsen"], parse_int, "vrije_plaatsen", problems)
        places_at = self._parsed(
            values["vrije_plaatsen_bijgewerkt_op"],
            _datetime,
            "vrije_plaatsen_bijgewerkt_op",
            problems,
        )
        status = values["status"].strip()
        if status not in OfferStatus.values:
            problems.append(("status", _("Onbekende status ‘%(value)s’.") % {"value": status[:40]}))
        if not problems:
            try:
                offer = offer_create(
                    organisation=self.organisation,
                    created_by=self.user,
                    keep_deprecated=True,
                    locations=locations,
                    **fields,
                )
                if confirmed is not None:
                    offer_confirm(offer=offer, today=confirmed)
                if places_at is not None and offer.is_shelter:
                    offer_places_update(offer=offer, places_available=places, now=places_at)
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    problems.extend((COLUMN_OF.get(field, ""), message) for message in messages)
        for column, message in problems:
            self._problem(file, row.number, column, message)
        if problems:
            return False
        if status == OfferStatus.PAUSED:
            offer_pause(offer=offer)
        elif status == OfferStatus.ARCHIVED:
            self.archive.append(offer)
        return True

    @staticmethod
    def _parsed(
        text: str, parse: Callable[[str], Any], column: str, problems: list[tuple[str, str]]
    ) -> Any:
        if not text.strip():
            return None
        try:
            return parse(text)
        except ValueProblem as problem:
            problems.append((column, problem.message))
            return None

    # The end ------------------------------------------------------------------------------

    def finish(self) -> None:
        """After the last table: switch off and archive what the export says was."""
        for instrument in self.switch_off:
            instrument_deactivate(instrument=instrument)
        for offer in self.archive:
            offer_archive(offer=offer)
