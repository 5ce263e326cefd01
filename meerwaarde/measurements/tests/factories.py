"""Measurements for tests, with scores computed as the service would compute them."""

import datetime

import factory

from meerwaarde.instruments.tests.factories import InstrumentFactory
from meerwaarde.measurements.answers import (
    expected_keys,
    goals_of,
    normalise,
    score_answers,
    scores_for_storage,
)
from meerwaarde.measurements.constants import Moment
from meerwaarde.measurements.models import Measurement
from meerwaarde.participants.tests.factories import TrajectoryFactory


def _scores(measurement) -> dict:
    goals = goals_of(measurement.trajectory)
    definition = measurement.instrument.parsed
    answers = normalise(measurement.answers, expected_keys(definition, goals))
    return scores_for_storage(score_answers(definition, goals, answers))


class MeasurementFactory(factory.django.DjangoModelFactory):
    """A current intake with the organisation's own 'Welbevinden' instrument (v1, v2, v3)."""

    class Meta:
        model = Measurement

    trajectory = factory.SubFactory(TrajectoryFactory)
    organisation = factory.LazyAttribute(lambda o: o.trajectory.organisation)
    instrument = factory.SubFactory(
        InstrumentFactory, organisation=factory.SelfAttribute("..organisation")
    )
    moment = Moment.INTAKE
    measured_on = factory.LazyAttribute(
        lambda o: o.trajectory.start_date + datetime.timedelta(days=1)
    )
    answers = factory.LazyFunction(lambda: {"v1": "3", "v2": "3", "v3": "3"})
    scores = factory.LazyAttribute(_scores)
