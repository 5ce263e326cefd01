import datetime

import pytest
from django.http import Http404

from meerwaarde.measurements import selectors, services
from meerwaarde.measurements.constants import Moment

from .conftest import DJG6_FINE, DJG6_LONELY, TODAY
from .factories import MeasurementFactory

pytestmark = pytest.mark.django_db


def _correct(measurement, answers):
    return services.measurement_correct(
        measurement=measurement,
        answers=answers,
        measured_on=measurement.measured_on,
        created_by=None,
    )


def test_it_gets_a_measurement_of_the_organisation_only(trajectory, org_a, org_b):
    measurement = MeasurementFactory(trajectory=trajectory)
    assert selectors.measurement_get(organisation=org_a, pk=measurement.pk) == measurement
    with pytest.raises(Http404):
        selectors.measurement_get(organisation=org_b, pk=measurement.pk)


def test_it_lists_the_current_measurements_of_a_trajectory_by_date(trajectory, instruments):
    djg = instruments["djg6-1"]

    def record(moment, days_ago):
        return services.measurement_record(
            trajectory=trajectory,
            instrument=djg,
            moment=moment,
            measured_on=TODAY - datetime.timedelta(days=days_ago),
            answers=DJG6_LONELY,
            created_by=None,
        )

    end = record(Moment.END, 1)
    intake = record(Moment.INTAKE, 50)
    interim = record(Moment.INTERIM, 20)
    corrected = _correct(intake, DJG6_FINE)
    MeasurementFactory()  # another trajectory's

    found = list(selectors.measurements_for_trajectory(trajectory=trajectory))
    assert found == [corrected, interim, end]


def test_it_gives_the_whole_chain_of_corrections_newest_first(trajectory, instruments):
    first = services.measurement_record(
        trajectory=trajectory,
        instrument=instruments["djg6-1"],
        moment=Moment.INTERIM,
        measured_on=TODAY - datetime.timedelta(days=10),
        answers=DJG6_LONELY,
        created_by=None,
    )
    second = _correct(first, DJG6_FINE)
    third = _correct(second, DJG6_LONELY)
    # Another interim with the same instrument is another chain.
    other = services.measurement_record(
        trajectory=trajectory,
        instrument=instruments["djg6-1"],
        moment=Moment.INTERIM,
        measured_on=TODAY - datetime.timedelta(days=5),
        answers=DJG6_LONELY,
        created_by=None,
    )
    _correct(other, DJG6_FINE)

    for member in (first, second, third):
        assert selectors.measurement_history(measurement=member) == [third, second, first]
    assert selectors.current_version_of(measurement=first) == third
    assert selectors.current_version_of(measurement=third) == third
    assert selectors.measurement_history(measurement=other)[1] == other
