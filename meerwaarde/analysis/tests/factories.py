"""Outcome data for tests, made as the platform makes it: offers and trajectories from the
factories, measurements through ``measurements.services`` (which refresh the analysis
storage), so every test also checks that the refresh follows each write."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from meerwaarde.instruments.models import Instrument
from meerwaarde.measurements.models import Measurement
from meerwaarde.measurements.services import measurement_correct, measurement_record
from meerwaarde.offers.models import Offer
from meerwaarde.offers.tests.factories import InterventionTypeFactory, OfferFactory
from meerwaarde.organisations.models import Organisation
from meerwaarde.participants.models import Trajectory
from meerwaarde.participants.tests.factories import (
    GoalFactory,
    OutcomeDomainFactory,
    ParticipantFactory,
    TrajectoryFactory,
)

DJG6_ITEMS = ("e1", "s1", "e2", "s2", "s3", "e3")
# The lonely answer of each item scores 1: "ja" on the emotional items, "nee" on the social.
_LONELY = {"e": "ja", "s": "nee"}
_NOT_LONELY = {"e": "nee", "s": "ja"}


def djg6_answers(total: int) -> dict[str, str]:
    """Answers with the given total score (0-6): the first ``total`` items lonely."""
    return {
        code: (_LONELY if i < total else _NOT_LONELY)[code[0]] for i, code in enumerate(DJG6_ITEMS)
    }


def month_start(months_ago: int, today: datetime.date) -> datetime.date:
    index = today.year * 12 + today.month - 1 - months_ago
    return datetime.date(index // 12, index % 12 + 1, 1)


@dataclass
class Outcomes:
    instruments: Mapping[str, Instrument]
    organisation: Organisation
    today: datetime.date

    @property
    def djg6(self) -> Instrument:
        return self.instruments["djg6-1"]

    @property
    def zrm(self) -> Instrument:
        return self.instruments["zrm-2017"]

    @property
    def pg(self) -> Instrument:
        return self.instruments["pg-1"]

    @property
    def gas(self) -> Instrument:
        return self.instruments["gas-1"]

    def offer(self, organisation: Organisation | None = None, **fields) -> Offer:
        fields.setdefault("intervention_type", InterventionTypeFactory())
        return OfferFactory(organisation=organisation or self.organisation, **fields)

    def trajectory(self, offer: Offer) -> Trajectory:
        return TrajectoryFactory(
            participant=ParticipantFactory(organisation=offer.organisation),
            offer=offer,
            start_date=self.today - datetime.timedelta(days=720),
        )

    def day(self, months_ago: int, day: int = 10) -> datetime.date:
        return min(month_start(months_ago, self.today).replace(day=day), self.today)

    def record(
        self,
        trajectory: Trajectory,
        instrument: Instrument,
        moment: str,
        answers: Mapping[str, str],
        on: datetime.date | None = None,
    ) -> Measurement:
        return measurement_record(
            trajectory=trajectory,
            instrument=instrument,
            moment=moment,
            measured_on=on or self.today,
            answers=answers,
            created_by=None,
        )

    def correct(
        self, measurement: Measurement, answers: Mapping[str, str], on: datetime.date | None = None
    ) -> Measurement:
        return measurement_correct(
            measurement=measurement,
            answers=answers,
            measured_on=on or measurement.measured_on,
            created_by=None,
        )

    def loneliness(
        self, offer: Offer, start: int, end: int, *, end_on: datetime.date | None = None
    ) -> Trajectory:
        """A trajectory with a DJG-6 intake and end measurement of the given totals."""
        trajectory = self.trajectory(offer)
        self.record(trajectory, self.djg6, "intake", djg6_answers(start), self.day(11))
        self.record(trajectory, self.djg6, "end", djg6_answers(end), end_on or self.day(1))
        return trajectory

    def goals(self, trajectory: Trajectory, weights: Sequence[float]) -> list[str]:
        """GAS goals for the trajectory; returns their answer keys."""
        goals = [
            GoalFactory(trajectory=trajectory, domain=OutcomeDomainFactory(), weight=w, position=i)
            for i, w in enumerate(weights, start=1)
        ]
        return [str(goal.pk) for goal in goals]

    def gas_end(
        self, trajectory: Trajectory, scores: Sequence[int], on: datetime.date | None = None
    ) -> Measurement:
        keys = self.goals(trajectory, [1.0] * len(scores))
        answers = {key: str(score) for key, score in zip(keys, scores, strict=True)}
        return self.record(trajectory, self.gas, "end", answers, on or self.day(1))
