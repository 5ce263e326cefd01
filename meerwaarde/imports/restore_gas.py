"""Restoring Goal Attainment Scaling from an export: the goals of the restored trajectories
and the current GAS measurements, after every other table (``restore.py``).

The measurement import refuses GAS (its answers are keyed by goal, and its flat table has no
goals), so the restore does this step itself. Its merge join of ``metingen.csv`` with
``meting_antwoorden.csv`` keeps the current GAS measurements aside (``GasMeasurements.keep``:
they are few); ``GasMeasurements.restore`` then checks ``doelen.csv`` and those measurements
whole, and, per trajectory, finds or makes the participant and trajectory by their natural
keys (pseudonym; participant, offer and start date), adds the goals that are not there yet
(trajectory and position) and records each measurement that is not there yet (trajectory,
instrument, moment and date) with ``measurements.services.measurement_record``, which scores
it with the goals' weights, refreshes the analysis storage and writes the audit log. All
inside the restore's transaction: a problem anywhere writes nothing.

Participants, trajectories and goals are written here, with the checks and audit lines of
``participant_register``, ``trajectory_start`` and ``goals_set`` rather than through them:
those take a client reference (an export has only the pseudonym), start only running
trajectories and change goals only of running ones, while an export holds closed ones.

Caveats: a measurement is scored again with the goals' weights as exported, so one recorded
before its goal's weight was changed gets the score of the new weight. A measurement that
answers for a goal the trajectory no longer has (the goal was replaced after it) cannot be
scored again: it is left out and counted (``left_out["gas_without_goal"]``).
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.instruments.models import Instrument
from meerwaarde.measurements.answers import expected_keys, goals_of, normalise
from meerwaarde.measurements.constants import ANSWER_PREFIX, Moment
from meerwaarde.measurements.models import Measurement
from meerwaarde.measurements.services import measurement_record
from meerwaarde.offers.constants import OfferStatus
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.audit import audit_record
from meerwaarde.participants.constants import (
    CONCEPT_SCHEMES,
    MAX_GOAL_WEIGHT,
    MAX_GOALS,
    AgeBand,
    AuditAction,
    Gender,
    TrajectoryStatus,
)
from meerwaarde.participants.models import Goal, Participant, Trajectory
from meerwaarde.vocabulary.models import Concept

from .engine import RowProblem
from .importers.base import OfferNames
from .reading import FileProblem, SourceRow
from .values import ValueProblem, parse_date, parse_decimal, parse_int

if TYPE_CHECKING:
    from .restore import RestoreResult

GOALS_FILE = "doelen.csv"
MEASUREMENTS_FILE = "metingen.csv"
ANSWERS_FILE = "meting_antwoorden.csv"
GOAL_COUNTS = ("read", "created", "already_present", "updated")

Problems = list[tuple[str, RowProblem]]


@dataclass
class _Kept:
    """A current GAS measurement of ``metingen.csv``, as the export wrote it."""

    row: int
    trajectory_id: int
    code: str
    version: str
    moment: str
    on: str
    # (row in meting_antwoorden.csv, goal number as written, answer)
    answers: list[tuple[int, str, str]]
    # An answer keyed by question: for a goal the trajectory no longer had when exported.
    stray: bool


@dataclass
class _Goal:
    row: int
    domain: Concept
    weight: Decimal


@dataclass
class _Trajectory:
    """What the export says of one trajectory (``restore.Export.measurements``' tuple)."""

    pseudonym: str
    age_band: str
    gender: str
    offer_name: str
    start: str
    end: str
    status: str

    @classmethod
    def of(cls, held: tuple[Any, ...]) -> "_Trajectory":
        (pseudonym, age_band, gender), offer_name, start, end, status, *_more = held
        return cls(pseudonym.casefold(), age_band, gender, offer_name, start, end, status)


@dataclass
class GasMeasurements:
    """The export's current GAS measurements, kept while the other measurements stream past,
    and the trajectories the restore takes (by the export's ``traject_id``)."""

    kept: list[_Kept] = field(default_factory=list)
    trajectories: dict[int, tuple[Any, ...]] | None = None
    restored: set[int] = field(default_factory=set)

    def keep(
        self,
        row: SourceRow,
        trajectory_id: int,
        answers: dict[str, str],
        goals: list[tuple[int, str, str]],
    ) -> None:
        """``answers`` by question code (only a replaced goal's), ``goals`` as ``_Kept``'s."""
        self.kept.append(
            _Kept(
                row=row.number,
                trajectory_id=trajectory_id,
                code=row.values["instrument_code"].strip(),
                version=row.values["instrument_versie"].strip(),
                moment=row.values["moment"].strip(),
                on=row.values["datum"].strip(),
                answers=goals,
                stray=any(text.strip() for text in answers.values()),
            )
        )

    def found(self, trajectories: dict[int, tuple[Any, ...]], restored: set[int]) -> None:
        """Every trajectory of ``trajecten.csv``, and those with a current measurement."""
        self.trajectories, self.restored = trajectories, restored

    def restore(
        self,
        *,
        organisation: Organisation,
        user: User | None,
        read: Callable[[str], Iterator[SourceRow]],
        result: "RestoreResult",
    ) -> Problems:
        """Write the goals and GAS measurements; the problems (file, problem) when any, and
        then the caller rolls back. Counts go into ``result``."""
        if self.trajectories is None:
            raise RuntimeError(
                "GasMeasurements.found was not called: the measurements were not read."
            )
        problems: Problems = []
        goals, goal_rows = self._goals(read, problems)
        instruments = self._instruments(organisation, goals, problems)
        if problems:
            return problems
        user = user if user is not None and user.is_authenticated else None
        step = _Step(organisation=organisation, user=user, problems=problems, result=result)
        by_trajectory: dict[int, list[_Kept]] = {}
        for kept in self.kept:
            by_trajectory.setdefault(kept.trajectory_id, []).append(kept)
        result.counts["doelen"] = {"read": goal_rows, **dict.fromkeys(GOAL_COUNTS[1:], 0)}
        for pk in sorted(set(goals) | set(by_trajectory)):
            measurements = by_trajectory.get(pk, [])
            trajectory = step.trajectory(_Trajectory.of(self.trajectories[pk]), measurements)
            if trajectory is None:
                continue
            step.goals(trajectory, goals.get(pk, {}))
            for kept in measurements:
                step.measurement(trajectory, kept, instruments[kept.row])
        return problems

    def _goals(
        self, read: Callable[[str], Iterator[SourceRow]], problems: Problems
    ) -> tuple[dict[int, dict[int, _Goal]], int]:
        """The goals of the restored trajectories by export id and position, and how many
        rows that is; every problem of ``doelen.csv`` is added to ``problems``."""
        assert self.trajectories is not None
        domains = {
            concept.code.casefold(): concept
            for concept in Concept.objects.filter(scheme__code=CONCEPT_SCHEMES["domain"])
        }
        goals: dict[int, dict[int, _Goal]] = {}
        rows = 0

        def problem(row: int | None, column: str, message: str) -> None:
            problems.append((GOALS_FILE, RowProblem(row, column, message)))

        try:
            for row in read("doelen"):
                values = {k: v.strip() for k, v in row.values.items()}
                try:
                    pk = parse_int(values["traject_id"])
                except ValueProblem as error:
                    problem(row.number, "traject_id", error.message)
                    continue
                if pk not in self.trajectories:
                    problem(
                        row.number,
                        "traject_id",
                        _("Traject nummer %(id)s staat niet in trajecten.csv.") % {"id": pk},
                    )
                    continue
                if pk not in self.restored:
                    continue  # a trajectory without a measurement: left out, and counted so
                rows += 1
                position = _position(values["volgorde"], row.number, problem)
                domain = domains.get(values["domein"].casefold())
                if domain is None:
                    problem(
                        row.number,
                        "domein",
                        _("Onbekend uitkomstdomein ‘%(code)s’.") % {"code": values["domein"][:60]},
                    )
                weight = _weight(values["gewicht"], row.number, problem)
                if position is None or domain is None or weight is None:
                    continue
                of_trajectory = goals.setdefault(pk, {})
                if position in of_trajectory:
                    problem(
                        row.number,
                        "volgorde",
                        _("Doel %(n)s van dit traject staat ook in rij %(row)s.")
                        % {"n": position, "row": of_trajectory[position].row},
                    )
                    continue
                of_trajectory[position] = _Goal(row.number, domain, weight)
        except FileProblem as error:
            problem(error.row, "", error.message)
        return goals, rows

    def _instruments(
        self, organisation: Organisation, goals: dict[int, dict[int, _Goal]], problems: Problems
    ) -> dict[int, Instrument]:
        """Each kept measurement's instrument, by its row; checks that its goal numbers are
        the trajectory's goals in ``doelen.csv``."""
        usable = list(
            Instrument.objects.filter(organisation__isnull=True)
            | Instrument.objects.filter(organisation=organisation)
        )
        found: dict[int, Instrument] = {}
        for kept in self.kept:
            candidates = [
                i
                for i in usable
                if i.code.casefold() == kept.code.casefold()
                and (not kept.version or i.version.casefold() == kept.version.casefold())
            ]
            if len(candidates) != 1 or candidates[0].parsed.kind != "gas":
                known = sorted({i.code for i in usable if i.parsed.kind == "gas"})
                problems.append(
                    (
                        MEASUREMENTS_FILE,
                        RowProblem(
                            kept.row,
                            "instrument_code",
                            _(
                                "Dit is geen meetinstrument voor Goal Attainment Scaling, "
                                "maar de meting heeft antwoorden per doel. Bekende codes: "
                                "%(known)s."
                            )
                            % {"known": ", ".join(known)},
                        ),
                    )
                )
                continue
            found[kept.row] = candidates[0]
            of_trajectory = goals.get(kept.trajectory_id, {})
            for row, number, _answer in kept.answers:
                try:
                    position = parse_int(number)
                except ValueProblem as error:
                    problems.append((ANSWERS_FILE, RowProblem(row, "doel", error.message)))
                    continue
                if position not in of_trajectory:
                    problems.append(
                        (
                            ANSWERS_FILE,
                            RowProblem(
                                row,
                                "doel",
                                _("Doel %(n)s van dit traject staat niet in doelen.csv.")
                                % {"n": position},
                            ),
                        )
                    )
        return found


def _position(text: str, row: int, problem: Callable[[int | None, str, str], None]) -> int | None:
    try:
        position = parse_int(text)
    except ValueProblem as error:
        problem(row, "volgorde", error.message)
        return None
    if not 1 <= position <= MAX_GOALS:
        problem(
            row,
            "volgorde",
            _("Het nummer van een doel is 1 tot en met %(max)s.") % {"max": MAX_GOALS},
        )
        return None
    return position


def _weight(text: str, row: int, problem: Callable[[int | None, str, str], None]) -> Decimal | None:
    try:
        weight = parse_decimal(text)
    except ValueProblem as error:
        problem(row, "gewicht", error.message)
        return None
    if not 0 < weight <= MAX_GOAL_WEIGHT:
        problem(
            row,
            "gewicht",
            _("Het gewicht is een getal groter dan 0 en hooguit %(max)s.")
            % {"max": MAX_GOAL_WEIGHT},
        )
        return None
    return weight.quantize(Decimal("0.01"))


@dataclass
class _Step:
    """Writes one trajectory's participant, trajectory, goals and measurements."""

    organisation: Organisation
    user: User | None
    problems: Problems
    result: "RestoreResult"
    offers: OfferNames = field(init=False)
    today: datetime.date = field(init=False)

    def __post_init__(self) -> None:
        self.offers = OfferNames(self.organisation)
        self.today = timezone.localdate()

    def problem(self, file: str, row: int | None, column: str, message: str) -> None:
        self.problems.append((file, RowProblem(row, column, message)))

    # Participant and trajectory -------------------------------------------------------------

    def trajectory(self, held: _Trajectory, measurements: list[_Kept]) -> Trajectory | None:
        """The trajectory by its natural key, made when new (as the measurement import makes
        one); None, with a problem on its first GAS measurement's row, when it cannot be."""
        row = measurements[0].row if measurements else None
        before = len(self.problems)

        def problem(column: str, message: str) -> None:
            self.problem(MEASUREMENTS_FILE, row, column, message)

        offer = self.offers.get(held.offer_name)
        if offer is None:
            problem("aanbod_naam", OfferNames.unknown_message(held.offer_name))
        start = self._date(held.start, "startdatum", problem)
        end = self._date(held.end, "einddatum", problem) if held.end.strip() else None
        if offer is None or start is None or len(self.problems) > before:
            return None
        participant = Participant.objects.filter(
            organisation=self.organisation, pseudonym=held.pseudonym
        ).first()
        if participant is not None:
            found = (
                Trajectory.objects.filter(participant=participant, offer=offer, start_date=start)
                .order_by("pk")
                .first()
            )
            if found is not None:
                return found
        status = held.status.strip() or (
            TrajectoryStatus.COMPLETED if end is not None else TrajectoryStatus.ACTIVE
        )
        self._check_trajectory(participant, offer, start, end, status, problem)
        if participant is None:
            if held.age_band not in AgeBand.values:
                problem("leeftijdsgroep", _("Kies een leeftijdsgroep uit de lijst."))
            if held.gender and held.gender not in Gender.values:
                problem("gender", _("Kies een gender uit de lijst, of laat het leeg."))
        if len(self.problems) > before:
            return None
        if participant is None:
            participant = Participant.objects.create(
                organisation=self.organisation,
                pseudonym=held.pseudonym,
                age_band=held.age_band,
                gender=held.gender,
            )
            self._audit(AuditAction.CREATE, participant)
        trajectory = Trajectory.objects.create(
            organisation=self.organisation,
            participant=participant,
            offer=offer,
            start_date=start,
            end_date=end,
            status=status,
            created_by=self.user,
        )
        self._audit(AuditAction.CREATE, trajectory)
        return trajectory

    def _date(
        self, text: str, column: str, problem: Callable[[str, str], None]
    ) -> datetime.date | None:
        try:
            return parse_date(text)
        except ValueProblem as error:
            problem(column, error.message)
            return None

    def _check_trajectory(
        self,
        participant: Participant | None,
        offer: Any,
        start: datetime.date,
        end: datetime.date | None,
        status: str,
        problem: Callable[[str, str], None],
    ) -> None:
        """The checks of ``trajectory_start`` and the measurement import's ``_dates``."""
        if start > self.today:
            problem("startdatum", _("Een traject kan niet in de toekomst beginnen."))
        if end is not None and end < start:
            problem(
                "einddatum",
                _("De einddatum kan niet vóór de startdatum (%(start)s) liggen.")
                % {"start": start.strftime("%d-%m-%Y")},
            )
        elif end is not None and end > self.today:
            problem("einddatum", _("De einddatum kan niet in de toekomst liggen."))
        if status not in TrajectoryStatus.values:
            problem("status", _("Kies de status van het traject uit de lijst."))
        elif status == TrajectoryStatus.ACTIVE and end is not None:
            problem("status", _("Een lopend traject heeft geen einddatum."))
        elif status != TrajectoryStatus.ACTIVE and end is None:
            problem("einddatum", _("Vul de einddatum in."))
        if offer.status == OfferStatus.ARCHIVED:
            problem("aanbod_naam", _("Dit aanbod is gearchiveerd; kies een aanbod dat nog loopt."))
        elif (
            status == TrajectoryStatus.ACTIVE
            and participant is not None
            and Trajectory.objects.filter(
                participant=participant, offer=offer, status=TrajectoryStatus.ACTIVE
            ).exists()
        ):
            problem(
                "aanbod_naam",
                _(
                    "Deze deelnemer heeft al een lopend traject bij dit aanbod. Sluit dat "
                    "eerst af, of open het om metingen toe te voegen."
                ),
            )

    def _audit(self, action: AuditAction, obj: Participant | Trajectory) -> None:
        audit_record(user=self.user, organisation=self.organisation, action=action, obj=obj)

    # Goals and measurements ---------------------------------------------------------------

    def goals(self, trajectory: Trajectory, goals: dict[int, _Goal]) -> None:
        """Add the goals the trajectory does not have yet; one that is there with another
        domain or weight is a problem (a restore overwrites nothing)."""
        counts = self.result.counts["doelen"]
        existing = {goal.position: goal for goal in trajectory.goals.all()}
        added = False
        for position, goal in sorted(goals.items()):
            old = existing.get(position)
            if old is None:
                Goal.objects.create(
                    trajectory=trajectory, domain=goal.domain, weight=goal.weight, position=position
                )
                counts["created"] += 1
                added = True
            elif (old.domain_id, old.weight) == (goal.domain.pk, goal.weight):
                counts["already_present"] += 1
            else:
                self.problem(
                    GOALS_FILE,
                    goal.row,
                    "",
                    _(
                        "Dit doel staat al in Meerwaarde, met een ander domein of gewicht. "
                        "Een export inlezen overschrijft geen doelen."
                    ),
                )
        if added:
            # As goals_set: one line for the trajectory whose goals changed.
            self._audit(AuditAction.UPDATE, trajectory)

    def measurement(self, trajectory: Trajectory, kept: _Kept, instrument: Instrument) -> None:
        counts = self.result.counts.setdefault("metingen", dict.fromkeys(GOAL_COUNTS, 0))
        if kept.stray:
            self.result.left_out["gas_without_goal"] += 1
            return
        counts["read"] += 1
        on = self._date(
            kept.on, "datum", lambda c, m: self.problem(MEASUREMENTS_FILE, kept.row, c, m)
        )
        if on is None:
            return
        # Fresh from the database: the goals were added after the trajectory was read.
        trajectory = Trajectory.objects.select_related("organisation").get(pk=trajectory.pk)
        goals = goals_of(trajectory)
        by_position = {goal.position: str(goal.pk) for goal in goals}
        answers = {by_position[int(number)]: answer for _row, number, answer in kept.answers}
        existing = Measurement.objects.filter(
            trajectory=trajectory,
            instrument=instrument,
            moment=kept.moment,
            measured_on=on,
            is_current=True,
        ).first()
        if existing is not None:
            keys = expected_keys(instrument.parsed, goals)
            if existing.answers == normalise(answers, keys):
                counts["already_present"] += 1
            else:
                self.problem(
                    MEASUREMENTS_FILE,
                    kept.row,
                    "",
                    _(
                        "Deze meting staat al in Meerwaarde, met andere antwoorden. Corrigeer "
                        "haar in Meerwaarde; een import overschrijft geen metingen."
                    ),
                )
            return
        try:
            measurement_record(
                trajectory=trajectory,
                instrument=instrument,
                moment=kept.moment if kept.moment in Moment.values else "",
                measured_on=on,
                answers=answers,
                created_by=self.user,
            )
        except ValidationError as error:
            self._measurement_problems(kept, by_position, error)
            return
        counts["created"] += 1

    def _measurement_problems(
        self, kept: _Kept, by_position: dict[int, str], error: ValidationError
    ) -> None:
        """The service's problems by field, as file, row and column of the export."""
        rows = {by_position[int(number)]: row for row, number, _answer in kept.answers}
        columns = {"moment": "moment", "measured_on": "datum", "instrument": "instrument_code"}
        for key, messages in error.message_dict.items():
            file, row, column = MEASUREMENTS_FILE, kept.row, columns.get(key, "")
            if key.startswith(ANSWER_PREFIX) and key[len(ANSWER_PREFIX) :] in rows:
                file, row, column = ANSWERS_FILE, rows[key[len(ANSWER_PREFIX) :]], "antwoord"
            elif key == NON_FIELD_ERRORS:
                column = ""
            for message in messages:
                self.problem(file, row, column, message)
