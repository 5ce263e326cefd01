"""Participants, trajectories and measurements, one measurement per row.

Each batch is checked as ``measurements.services.measurement_validate`` and
``participants.services.trajectory_start`` check one entry (the same Dutch messages), then
written with three bulk loads (COPY on PostgreSQL, one ``executemany`` on SQLite, ids handed
out beforehand: ``imports.bulk``), and the analysis storage follows with
``analysis.services.outcomes_refresh_many`` for the trajectories whose new rows complete an
intake-end pair, a few thousand at a time. Natural keys make a second import of the same file
write nothing: a participant by pseudonym, a trajectory by participant + offer + start date, a
measurement by trajectory + instrument + moment + date.

The audit log gets one line per import (``measurement_import``) rather than one per row: the
rows an import made carry its user and time, and a line per row would double what it writes.

What would cost per row is remembered per import: parsed cells (dates, moments, age bands
repeat), instruments by code, offers by name, and the scores (with their JSON) of answer
combinations seen before, so a row mostly costs its pseudonym and a few dictionary looks.
"""

import datetime
import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.analysis.services import outcomes_refresh_many
from meerwaarde.instruments.models import Instrument
from meerwaarde.measurements.answers import (
    expected_keys,
    normalise,
    score_answers,
    scores_for_storage,
)
from meerwaarde.measurements.constants import SINGLE_MOMENTS, Moment
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants import pseudonyms
from meerwaarde.participants.constants import AuditAction, TrajectoryStatus
from meerwaarde.participants.models import AuditEvent, Participant, Trajectory

from .. import bulk
from ..fields import CLIENT_REFERENCE, PSEUDONYM, FieldSpec, fields_for
from ..values import ValueProblem
from .base import MappedRow, OfferNames, RowOutcome

_HEX = frozenset("0123456789abcdef")
# Remembered cells and answer combinations per import: enough for every date of several
# years, bounded so a file of all-different answers does not grow memory.
_CACHE_LIMIT = 50_000
# Paired trajectories waiting for their analysis refresh (one batched refresh each time).
_REFRESH_EVERY = 20_000
# Never remembered: a client reference must not outlive its row.
_NOT_CACHED = frozenset({CLIENT_REFERENCE, PSEUDONYM})
_Problems = tuple[tuple[str, str], ...]
_PARTICIPANT_COLUMNS = (
    *("id", "organisation_id", "pseudonym", "age_band", "gender", "postcode4"),
    *("created_at", "updated_at"),
)
_TRAJECTORY_COLUMNS = (
    *("id", "organisation_id", "participant_id", "offer_id", "start_date", "end_date"),
    *("status", "created_by_id", "created_at", "updated_at"),
)
_MEASUREMENT_COLUMNS = (
    *("id", "organisation_id", "trajectory_id", "instrument_id", "moment", "measured_on"),
    *("answers", "scores", "version", "is_current", "created_by_id", "created_at"),
)


class _NewParticipant:
    __slots__ = ("age_band", "gender", "pk", "pseudonym")

    def __init__(self, pseudonym: str, age_band: str, gender: str) -> None:
        self.pseudonym, self.age_band, self.gender = pseudonym, age_band, gender
        self.pk: int | None = None


class _NewTrajectory:
    __slots__ = ("end", "offer_id", "participant", "pk", "start", "status")

    def __init__(
        self,
        participant: "int | _NewParticipant",
        offer_id: int,
        start: datetime.date,
        end: datetime.date | None,
        status: str,
    ) -> None:
        self.participant, self.offer_id = participant, offer_id
        self.start, self.end, self.status = start, end, status
        self.pk: int | None = None


def _pk(ref: "int | _NewParticipant | _NewTrajectory") -> int:
    pk = ref if isinstance(ref, int) else ref.pk
    assert pk is not None
    return pk


def _parse_cell(spec: FieldSpec, text: str) -> tuple[Any, str]:
    """The cell's value and a problem ("" when none), as ``base.parse_fields`` gives them."""
    if not text.strip():
        if spec.required:
            return None, _("Vul %(label)s in.") % {"label": str(spec.label).lower()}
        return None, ""
    try:
        return spec.parser(text), ""
    except ValueProblem as problem:
        return None, problem.message


@dataclass
class _Row:
    outcome: RowOutcome
    pseudonym: str
    offer: Offer
    start: datetime.date
    end: datetime.date | None
    status: str
    age_band: str | None
    gender: str
    instrument: Instrument
    moment: str
    measured_on: datetime.date
    answers: dict[str, str]
    answers_json: str
    scores_json: str


class MeasurementImporter:
    def __init__(
        self, *, organisation: Organisation, user: User | None, column_map: Mapping[str, str]
    ) -> None:
        self.organisation = organisation
        self.user = user if user is not None and user.is_authenticated else None
        self.specs = fields_for("metingen")
        # Every mapped target that is not a field is an item code.
        self.item_codes = [t for t in column_map.values() if t not in self.specs]
        self.uses_reference = CLIENT_REFERENCE in column_map.values()
        # Read once: key_for reads the key file, which per row would cost more than the HMAC.
        self.key = pseudonyms.key_for(organisation) if self.uses_reference else b""
        self.offers = OfferNames(organisation)
        self.instruments: dict[str, list[Instrument]] = {}
        usable = Instrument.objects.filter(organisation__isnull=True) | Instrument.objects.filter(
            organisation=organisation
        )
        for instrument in usable.order_by("code", "version"):
            self.instruments.setdefault(instrument.code.casefold(), []).append(instrument)
        self.today = timezone.localdate()
        # Measurements from here on were written by this import: an "existing" one among
        # them is a row that stands twice in the file.
        self.first_new_pk: int | None = None
        self.cells: dict[str, dict[str, tuple[Any, str]]] = {name: {} for name in self.specs}
        self.found_instruments: dict[tuple, tuple[Instrument | None, _Problems]] = {}
        self.found_offers: dict[str, Offer | None] = {}
        self.scored: dict[tuple, tuple[dict[str, str], str, str, _Problems]] = {}
        self.to_refresh: set[int] = set()
        self.created = 0

    def _parse(self, row: MappedRow, outcome: RowOutcome) -> dict[str, Any]:
        """``base.parse_fields``, remembering each field's cells (a client reference never)."""
        parsed: dict[str, Any] = {}
        for name, spec in self.specs.items():
            text = row.values.get(name) or ""
            if name in _NOT_CACHED:
                value, message = _parse_cell(spec, text)
            else:
                cache = self.cells[name]
                found = cache.get(text)
                if found is None:
                    found = _parse_cell(spec, text)
                    if len(cache) < _CACHE_LIMIT:
                        cache[text] = found
                value, message = found
            parsed[name] = value
            if message:
                outcome.add(name, message)
        return parsed

    # Checking one row on its own ---------------------------------------------------------

    def _pseudonym(self, values: dict[str, Any], row: MappedRow, outcome: RowOutcome) -> str:
        reference = row.values.get(CLIENT_REFERENCE) or ""
        if reference.strip():
            try:
                normalised = pseudonyms.validate_reference(reference)
            except ValidationError as error:
                outcome.add(CLIENT_REFERENCE, error.messages[0])
                return ""
            return hmac.new(self.key, normalised.encode("utf-8"), hashlib.sha256).hexdigest()
        pseudonym = (values.get(PSEUDONYM) or "").casefold()
        if pseudonym:
            if len(pseudonym) != 64 or not set(pseudonym) <= _HEX:
                outcome.add(
                    PSEUDONYM,
                    _("Dit is geen pseudoniem uit Meerwaarde (64 tekens, cijfers en a tot f)."),
                )
                return ""
            return pseudonym
        outcome.add(
            CLIENT_REFERENCE if self.uses_reference else PSEUDONYM,
            _("Vul het cliëntnummer of het pseudoniem in."),
        )
        return ""

    def _instrument(self, values: dict[str, Any], outcome: RowOutcome) -> Instrument | None:
        key = (values["instrument_code"], values.get("instrument_versie"))
        found = self.found_instruments.get(key)
        if found is None:
            probe = RowOutcome()
            found = (self._find_instrument(values, probe), tuple(probe.problems))
            self.found_instruments[key] = found
        for name, message in found[1]:
            outcome.add(name, message)
        return found[0]

    def _find_instrument(self, values: dict[str, Any], outcome: RowOutcome) -> Instrument | None:
        code, version = values["instrument_code"], values.get("instrument_versie")
        if code is None:
            return None
        candidates = self.instruments.get(code.casefold(), [])
        if version is not None:
            candidates = [i for i in candidates if i.version.casefold() == version.casefold()]
        elif len(candidates) > 1:
            active = [i for i in candidates if i.is_active]
            candidates = active if len(active) == 1 else candidates
        if not candidates:
            known = sorted({i.code for group in self.instruments.values() for i in group})
            outcome.add(
                "instrument_versie"
                if version is not None and code.casefold() in self.instruments
                else "instrument_code",
                _("Onbekend meetinstrument ‘%(code)s’. Bekende codes: %(known)s.")
                % {
                    "code": " ".join(part for part in (code, version) if part)[:60],
                    "known": ", ".join(known),
                },
            )
            return None
        if len(candidates) > 1:
            outcome.add(
                "instrument_versie",
                _(
                    "Meetinstrument ‘%(code)s’ bestaat in meer versies (%(versions)s): "
                    "vul de versie in."
                )
                % {"code": code, "versions": ", ".join(i.version for i in candidates)},
            )
            return None
        instrument = candidates[0]
        if not instrument.is_active:
            outcome.add(
                "instrument_code",
                _(
                    "Dit instrument is uitgezet en kan niet meer worden gekozen voor een "
                    "nieuwe meting."
                ),
            )
            return None
        if instrument.parsed.kind == "gas":
            outcome.add(
                "instrument_code",
                _(
                    "Metingen met Goal Attainment Scaling kunnen nog niet worden ingelezen: "
                    "de doelen van het traject staan niet in het bestand. Voer ze in Meerwaarde in."
                ),
            )
            return None
        return instrument

    def _answers(
        self, instrument: Instrument, row: MappedRow, outcome: RowOutcome
    ) -> tuple[dict[str, str], str, str]:
        """The answers, their JSON and the scores' JSON; the same combination is scored once."""
        key = (instrument.pk, *(row.values.get(code) or "" for code in self.item_codes))
        found = self.scored.get(key)
        if found is None:
            probe = RowOutcome()
            answers, scores = self._score(instrument, row, probe)
            found = (answers, json.dumps(answers), json.dumps(scores), tuple(probe.problems))
            if len(self.scored) >= _CACHE_LIMIT:
                self.scored.clear()
            self.scored[key] = found
        for name, message in found[3]:
            outcome.add(name, message)
        return found[0], found[1], found[2]

    def _score(
        self, instrument: Instrument, row: MappedRow, outcome: RowOutcome
    ) -> tuple[dict[str, str], dict[str, dict]]:
        definition = instrument.parsed
        keys = expected_keys(definition, [])
        known = set(keys)
        given: dict[str, str] = {}
        for code in self.item_codes:
            text = (row.values.get(code) or "").strip()
            if code in known:
                given[code] = text
            elif text:
                outcome.add(
                    code,
                    _("%(instrument)s heeft geen vraag ‘%(code)s’.")
                    % {"instrument": instrument.name, "code": code},
                )
        answers = normalise(given, keys)
        result = score_answers(definition, [], answers)
        for code, message in result.errors.items():
            outcome.add(code, message)
        if result.is_valid and all(scale.value is None for scale in result.scales.values()):
            outcome.add(
                "",
                _(
                    "Met deze antwoorden kan nog geen enkele score worden berekend. "
                    "Vul meer vragen in."
                ),
            )
        return answers, scores_for_storage(result)

    def _dates(self, values: dict[str, Any], outcome: RowOutcome) -> str:
        start, end, on = values["startdatum"], values.get("einddatum"), values["datum"]
        status = values.get("status") or (
            TrajectoryStatus.COMPLETED if end is not None else TrajectoryStatus.ACTIVE
        )
        if start is not None and start > self.today:
            outcome.add("startdatum", _("Een traject kan niet in de toekomst beginnen."))
        if end is not None and start is not None and end < start:
            outcome.add(
                "einddatum",
                _("De einddatum kan niet vóór de startdatum (%(start)s) liggen.")
                % {"start": start.strftime("%d-%m-%Y")},
            )
        elif end is not None and end > self.today:
            outcome.add("einddatum", _("De einddatum kan niet in de toekomst liggen."))
        if status == TrajectoryStatus.ACTIVE and end is not None:
            outcome.add("status", _("Een lopend traject heeft geen einddatum."))
        elif status != TrajectoryStatus.ACTIVE and end is None:
            outcome.add("einddatum", _("Vul de einddatum in."))
        if on is not None and start is not None and on < start:
            outcome.add(
                "datum",
                _("Een meting kan niet vóór de start van het traject (%(start)s) liggen.")
                % {"start": start.strftime("%d-%m-%Y")},
            )
        elif on is not None and on > self.today:
            outcome.add("datum", _("Een meting kan niet in de toekomst liggen."))
        return status

    def _check(self, row: MappedRow) -> _Row | RowOutcome:
        outcome = RowOutcome()
        values = self._parse(row, outcome)
        pseudonym = self._pseudonym(values, row, outcome)
        offer = None
        name = values["aanbod_naam"]
        if name is not None:
            if name not in self.found_offers:
                self.found_offers[name] = self.offers.get(name)
            offer = self.found_offers[name]
            if offer is None:
                outcome.add("aanbod_naam", OfferNames.unknown_message(values["aanbod_naam"]))
        instrument = self._instrument(values, outcome)
        status = self._dates(values, outcome)
        answers: dict[str, str] = {}
        answers_json = scores_json = ""
        if instrument is not None:
            answers, answers_json, scores_json = self._answers(instrument, row, outcome)
        if outcome.problems or offer is None or instrument is None:
            return outcome
        return _Row(
            outcome=outcome,
            pseudonym=pseudonym,
            offer=offer,
            start=values["startdatum"],
            end=values.get("einddatum"),
            status=status,
            age_band=values.get("leeftijdsgroep"),
            gender=values.get("gender") or "",
            instrument=instrument,
            moment=values["moment"],
            measured_on=values["datum"],
            answers=answers,
            answers_json=answers_json,
            scores_json=scores_json,
        )

    # Checking a batch against what exists, then writing it ------------------------------

    def process(self, rows: list[MappedRow]) -> list[RowOutcome]:
        checked = [self._check(row) for row in rows]
        good = [item for item in checked if isinstance(item, _Row)]
        state = _State.read(self.organisation, good)
        new_measurements: list[tuple] = []
        keys_in_batch: dict[tuple, int] = {}
        for row, item in zip(rows, checked, strict=True):
            if isinstance(item, _Row):
                measurement = self._place(row, item, state, keys_in_batch)
                if measurement is not None:
                    new_measurements.append(measurement)
        self._write(state, new_measurements)
        return [item.outcome if isinstance(item, _Row) else item for item in checked]

    def _place(
        self, row: MappedRow, item: _Row, state: "_State", keys_in_batch: dict[tuple, int]
    ) -> tuple | None:
        outcome = item.outcome
        participant = state.participants.get(item.pseudonym)
        if participant is None and item.age_band is None:
            outcome.add(
                "leeftijdsgroep",
                _("Deze deelnemer staat nog niet in Meerwaarde: vul de leeftijdsgroep in."),
            )
            return None
        offer = item.offer
        trajectory_key = (item.pseudonym, offer.pk, item.start)
        trajectory = state.trajectories.get(trajectory_key)
        if trajectory is None:
            if offer.status == OfferStatus.ARCHIVED:
                outcome.add(
                    "aanbod_naam", _("Dit aanbod is gearchiveerd; kies een aanbod dat nog loopt.")
                )
                return None
            if (
                item.status == TrajectoryStatus.ACTIVE
                and (item.pseudonym, offer.pk) in state.active
            ):
                outcome.add(
                    "aanbod_naam",
                    _(
                        "Deze deelnemer heeft al een lopend traject bij dit aanbod. Sluit dat "
                        "eerst af, of open het om metingen toe te voegen."
                    ),
                )
                return None
        key = (trajectory_key, item.instrument.pk, item.moment, item.measured_on)
        if key in keys_in_batch:
            outcome.add(
                "", _("Deze meting staat ook in rij %(row)s.") % {"row": keys_in_batch[key]}
            )
            return None
        existing = state.measurements.get(key)
        if existing is not None:
            pk, answers = existing
            if self.first_new_pk is not None and pk >= self.first_new_pk:
                outcome.add("", _("Deze meting staat al eerder in het bestand."))
            elif answers != item.answers:
                outcome.add(
                    "",
                    _(
                        "Deze meting staat al in Meerwaarde, met andere antwoorden. Corrigeer "
                        "haar in Meerwaarde; een import overschrijft geen metingen."
                    ),
                )
            else:
                outcome.status = "present"
            return None
        single = (trajectory_key, item.instrument.pk, item.moment)
        if item.moment in SINGLE_MOMENTS and single in state.single:
            outcome.add(
                "moment",
                _(
                    "Bij dit traject is al een %(moment)s met %(instrument)s vastgelegd. Klopt "
                    "daar iets niet, corrigeer dan die meting."
                )
                % {
                    "moment": str(Moment(item.moment).label).lower(),
                    "instrument": item.instrument.name,
                },
            )
            return None
        # The row is good: from here on it counts for the rows after it.
        if participant is None:
            participant = _NewParticipant(item.pseudonym, item.age_band or "", item.gender)
            state.participants[item.pseudonym] = participant
            state.new_participants.append(participant)
        if trajectory is None:
            trajectory = _NewTrajectory(participant, offer.pk, item.start, item.end, item.status)
            state.trajectories[trajectory_key] = trajectory
            state.new_trajectories.append(trajectory)
            if item.status == TrajectoryStatus.ACTIVE:
                state.active.add((item.pseudonym, offer.pk))
        keys_in_batch[key] = row.number
        if item.moment in SINGLE_MOMENTS:
            state.single.add(single)
            # Only an intake and an end of the same instrument make a pair: a trajectory
            # with one of them has nothing to refresh yet.
            other = Moment.END if item.moment == Moment.INTAKE else Moment.INTAKE
            if (trajectory_key, item.instrument.pk, other) in state.single:
                state.paired[trajectory_key] = trajectory
        outcome.status = "created"
        return (
            trajectory,
            item.instrument.pk,
            item.moment,
            item.measured_on,
            item.answers_json,
            item.scores_json,
        )

    def _write(self, state: "_State", measurements: list[tuple]) -> None:
        now = bulk.adapt_datetime(timezone.now())
        org, user = self.organisation.pk, self.user.pk if self.user is not None else None
        date = bulk.date_adapter()
        stamp, fixed = (user, now, now), (1, True, user, now)
        for participant, pk in zip(
            state.new_participants,
            bulk.reserve_ids(Participant, len(state.new_participants)),
            strict=True,
        ):
            participant.pk = pk
        bulk.insert(
            Participant,
            _PARTICIPANT_COLUMNS,
            [
                (p.pk, org, p.pseudonym, p.age_band, p.gender, "", now, now)
                for p in state.new_participants
            ],
        )
        for trajectory, pk in zip(
            state.new_trajectories,
            bulk.reserve_ids(Trajectory, len(state.new_trajectories)),
            strict=True,
        ):
            trajectory.pk = pk
        bulk.insert(
            Trajectory,
            _TRAJECTORY_COLUMNS,
            [
                (
                    *(t.pk, org, _pk(t.participant), t.offer_id, date(t.start), date(t.end)),
                    *(t.status, *stamp),
                )
                for t in state.new_trajectories
            ],
        )
        ids = bulk.reserve_ids(Measurement, len(measurements))
        if ids and self.first_new_pk is None:
            self.first_new_pk = ids[0]
        bulk.insert(
            Measurement,
            _MEASUREMENT_COLUMNS,
            [
                (
                    *(pk, org, _pk(trajectory), instrument, moment, date(on), answers, scores),
                    *fixed,
                )
                for pk, (trajectory, instrument, moment, on, answers, scores) in zip(
                    ids, measurements, strict=True
                )
            ],
        )
        self.created += len(measurements)
        self.to_refresh.update(_pk(t) for t in state.paired.values())
        if len(self.to_refresh) >= _REFRESH_EVERY:
            self._refresh()

    def _refresh(self) -> None:
        outcomes_refresh_many(trajectory_ids=self.to_refresh)
        self.to_refresh = set()

    def finish(self) -> None:
        self._refresh()
        if self.created:
            AuditEvent.objects.create(
                organisation=self.organisation,
                user=self.user,
                action=AuditAction.CREATE,
                object_type="measurement_import",
            )


class _State:
    """What already exists for a batch, by natural key, plus what the batch adds.

    Keys use the pseudonym (not the participant's id), so a participant or trajectory this
    batch creates is found by the rows after it before it has an id. An existing row is its
    id, a new one a ``_NewParticipant`` or ``_NewTrajectory`` that gets its id on writing.
    """

    def __init__(self) -> None:
        self.participants: dict[str, int | _NewParticipant] = {}
        self.trajectories: dict[tuple, int | _NewTrajectory] = {}
        self.active: set[tuple[str, int]] = set()
        self.measurements: dict[tuple, tuple[int, dict]] = {}
        self.single: set[tuple] = set()
        self.new_participants: list[_NewParticipant] = []
        self.new_trajectories: list[_NewTrajectory] = []
        # Trajectories whose new measurements complete an intake-end pair.
        self.paired: dict[tuple, int | _NewTrajectory] = {}

    @classmethod
    def read(cls, organisation: Organisation, rows: list[_Row]) -> "_State":
        state = cls()
        pseudonyms_ = {row.pseudonym for row in rows}
        by_pk: dict[int, str] = {}
        for pk, pseudonym in Participant.objects.filter(
            organisation=organisation, pseudonym__in=bulk.values_in(pseudonyms_, "text")
        ).values_list("pk", "pseudonym"):
            state.participants[pseudonym] = pk
            by_pk[pk] = pseudonym
        if not by_pk:
            return state
        trajectories = Trajectory.objects.filter(
            participant_id__in=bulk.values_in(by_pk, "bigint")
        ).values_list("pk", "participant_id", "offer_id", "start_date", "status")
        by_trajectory: dict[int, tuple] = {}
        for pk, participant_id, offer_id, start_date, status in trajectories:
            pseudonym = by_pk[participant_id]
            key = (pseudonym, offer_id, start_date)
            state.trajectories[key] = pk
            by_trajectory[pk] = key
            if status == TrajectoryStatus.ACTIVE:
                state.active.add((pseudonym, offer_id))
        if not by_trajectory:
            return state
        current = Measurement.objects.filter(
            trajectory_id__in=bulk.values_in(by_trajectory, "bigint"), is_current=True
        ).values_list("pk", "trajectory_id", "instrument_id", "moment", "measured_on", "answers")
        for pk, trajectory_id, instrument_id, moment, measured_on, answers in current:
            key = by_trajectory[trajectory_id]
            state.measurements[(key, instrument_id, moment, measured_on)] = (pk, answers)
            if moment in SINGLE_MOMENTS:
                state.single.add((key, instrument_id, moment))
        return state
