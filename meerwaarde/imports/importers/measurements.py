"""Participants, trajectories and measurements, one measurement per row.

Each batch is checked as ``measurements.services.measurement_validate`` and
``participants.services.trajectory_start`` check one entry (the same Dutch messages), then
written with three bulk inserts and their audit lines, and the analysis storage follows with
``analysis.services.outcomes_refresh`` for each trajectory that got an intake or end
measurement. Natural keys make a second import of the same file write nothing: a participant
by pseudonym, a trajectory by participant + offer + start date, a measurement by trajectory +
instrument + moment + date.

Where the time goes (per 1,000 rows): parsing and scoring in Python (the scoring dominates);
three reads of what exists; three bulk inserts plus one of audit lines; and one
``outcomes_refresh`` per paired trajectory (about six queries each), which is the cost to
move into a batch refresh in analysis when the benchmark asks for it.
"""

import datetime
import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.analysis.services import outcomes_refresh
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

from ..fields import CLIENT_REFERENCE, PSEUDONYM, fields_for
from .base import MappedRow, OfferNames, RowOutcome, parse_fields

_HEX = frozenset("0123456789abcdef")


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
    scores: dict[str, dict]


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
        values = parse_fields(self.specs, row, outcome)
        pseudonym = self._pseudonym(values, row, outcome)
        offer = None
        if values["aanbod_naam"] is not None:
            offer = self.offers.get(values["aanbod_naam"])
            if offer is None:
                outcome.add("aanbod_naam", OfferNames.unknown_message(values["aanbod_naam"]))
        instrument = self._instrument(values, outcome)
        status = self._dates(values, outcome)
        answers: dict[str, str] = {}
        scores: dict[str, dict] = {}
        if instrument is not None:
            answers, scores = self._answers(instrument, row, outcome)
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
            scores=scores,
        )

    # Checking a batch against what exists, then writing it ------------------------------

    def process(self, rows: list[MappedRow]) -> list[RowOutcome]:
        checked = [self._check(row) for row in rows]
        good = [item for item in checked if isinstance(item, _Row)]
        state = _State.read(self.organisation, good)
        new_measurements: list[Measurement] = []
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
    ) -> Measurement | None:
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
            participant = Participant(
                organisation=self.organisation,
                pseudonym=item.pseudonym,
                age_band=item.age_band or "",
                gender=item.gender,
            )
            state.participants[item.pseudonym] = participant
            state.new_participants.append(participant)
        if trajectory is None:
            trajectory = Trajectory(
                organisation=self.organisation,
                participant=participant,
                offer=offer,
                start_date=item.start,
                end_date=item.end,
                status=item.status,
                created_by=self.user,
            )
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
        return Measurement(
            organisation=self.organisation,
            trajectory=trajectory,
            instrument=item.instrument,
            moment=item.moment,
            measured_on=item.measured_on,
            answers=item.answers,
            scores=item.scores,
            created_by=self.user,
        )

    def _write(self, state: "_State", measurements: list[Measurement]) -> None:
        # bulk_create takes the ids of the related rows saved just before (and keeps them
        # cached: setting the *_id attributes by hand would drop the cache and cost a query).
        Participant.objects.bulk_create(state.new_participants)
        Trajectory.objects.bulk_create(state.new_trajectories)
        Measurement.objects.bulk_create(measurements)
        if measurements and self.first_new_pk is None:
            self.first_new_pk = min(m.pk for m in measurements)
        self._audit(state.new_participants, state.new_trajectories, measurements)
        for trajectory in state.paired.values():
            outcomes_refresh(trajectory=trajectory)

    def _audit(self, *groups: list) -> None:
        AuditEvent.objects.bulk_create(
            AuditEvent(
                organisation=self.organisation,
                user=self.user,
                action=AuditAction.CREATE,
                object_type=obj._meta.model_name,
                object_id=obj.pk,
            )
            for group in groups
            for obj in group
        )

    def finish(self) -> None:
        pass


class _State:
    """What already exists for a batch, by natural key, plus what the batch adds.

    Keys use the pseudonym (not the participant's id), so a participant or trajectory this
    batch creates is found by the rows after it before it has an id.
    """

    def __init__(self) -> None:
        self.participants: dict[str, Participant] = {}
        self.trajectories: dict[tuple, Trajectory] = {}
        self.active: set[tuple[str, int]] = set()
        self.measurements: dict[tuple, tuple[int, dict]] = {}
        self.single: set[tuple] = set()
        self.new_participants: list[Participant] = []
        self.new_trajectories: list[Trajectory] = []
        # Trajectories whose new measurements complete an intake-end pair.
        self.paired: dict[tuple, Trajectory] = {}

    @classmethod
    def read(cls, organisation: Organisation, rows: list[_Row]) -> "_State":
        state = cls()
        pseudonyms_ = {row.pseudonym for row in rows}
        for participant in Participant.objects.filter(
            organisation=organisation, pseudonym__in=pseudonyms_
        ).only("pk", "pseudonym"):
            state.participants[participant.pseudonym] = participant
        by_pk = {p.pk: p for p in state.participants.values()}
        trajectories = Trajectory.objects.filter(participant_id__in=by_pk).only(
            "pk", "participant_id", "offer_id", "start_date", "status"
        )
        by_trajectory: dict[int, tuple] = {}
        for trajectory in trajectories:
            pseudonym = by_pk[trajectory.participant_id].pseudonym
            key = (pseudonym, trajectory.offer_id, trajectory.start_date)
            state.trajectories[key] = trajectory
            by_trajectory[trajectory.pk] = key
            if trajectory.status == TrajectoryStatus.ACTIVE:
                state.active.add((pseudonym, trajectory.offer_id))
        current = Measurement.objects.filter(
            trajectory_id__in=by_trajectory, is_current=True
        ).values_list("pk", "trajectory_id", "instrument_id", "moment", "measured_on", "answers")
        for pk, trajectory_id, instrument_id, moment, measured_on, answers in current:
            key = by_trajectory[trajectory_id]
            state.measurements[(key, instrument_id, moment, measured_on)] = (pk, answers)
            if moment in SINGLE_MOMENTS:
                state.single.add((key, instrument_id, moment))
        return state
