from decimal import Decimal

import pytest

from meerwaarde.measurements.constants import Moment
from meerwaarde.measurements.display import answer_rows, trajectory_overview
from meerwaarde.participants.tests.factories import GoalFactory

from .conftest import DJG6_FINE, DJG6_LONELY, TODAY
from .factories import MeasurementFactory

pytestmark = pytest.mark.django_db


def test_gas_answers_show_in_goal_order_whatever_order_the_database_gives(trajectory, instruments):
    goals = [GoalFactory(trajectory=trajectory, position=n, weight=Decimal(n)) for n in (1, 2, 3)]
    answers = {str(goal.pk): str(n) for n, goal in enumerate(goals)}
    measurement = MeasurementFactory(
        trajectory=trajectory,
        instrument=instruments["gas-1"],
        moment=Moment.END,
        answers=dict(reversed(answers.items())),
    )
    rows = answer_rows(measurement, goals)
    assert [row.key for row in rows] == list(answers)
    assert rows[2].label.startswith("Doel 3:") and rows[2].answer == "+2: veel meer dan verwacht"


def test_the_overview_shows_the_change_from_intake_to_end(trajectory, instruments):
    djg = instruments["djg6-1"]
    MeasurementFactory(trajectory=trajectory, instrument=djg, answers=DJG6_LONELY)
    MeasurementFactory(
        trajectory=trajectory,
        instrument=djg,
        moment=Moment.END,
        measured_on=TODAY,
        answers=DJG6_FINE,
    )
    overview = trajectory_overview(trajectory=trajectory)
    assert [group.moment for group in overview.groups] == ["intake", "end"]
    (change,) = overview.changes
    total = next(scale for scale in change.scales if scale.start.code == "total")
    # Loneliness: lower is better, so 6 → 0 is progress.
    assert (total.difference, total.direction) == ("−6", "vooruitgegaan")
