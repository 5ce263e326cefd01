"""Restoring an export with Goal Attainment Scaling: the goals and GAS measurements come back
with the same GAS figures (a trajectory with only GAS measurements included), a second
restore adds nothing, and a bad goal writes nothing at all and names doelen.csv, row and
column."""

import datetime
from decimal import Decimal
from pathlib import Path

import pytest

from meerwaarde.analysis.selectors import Selection, analysis_figures
from meerwaarde.exports.services import export_organisation
from meerwaarde.imports.restore import restore_export
from meerwaarde.measurements.models import Measurement
from meerwaarde.measurements.services import measurement_record
from meerwaarde.offers.models import Offer
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.participants.constants import TrajectoryStatus
from meerwaarde.participants.models import Goal, Participant, Trajectory
from meerwaarde.participants.services import (
    goals_set,
    participant_register,
    trajectory_end,
    trajectory_start,
)
from meerwaarde.participants.tests.factories import OutcomeDomainFactory

from .engine_helpers import END_ON, INTAKE_ON, START, counts
from .test_figures import PEOPLE, PERIOD, _by_services, _figures
from .test_restore import _rewritten

from .test_figures import concepts  # noqa: F401  isort: skip (a fixture)

pytestmark = pytest.mark.django_db

# Per GAS-only participant: the goals' weights, the answers at intake and at the end.
GAS_PEOPLE = [
    ("G-1", ("1", "2.5"), ("-1", "-2"), ("1", "0")),
    ("G-2", ("1", "1"), ("-2", "-1"), ("2", "1")),
    ("G-3", ("3",), ("-1",), ("0",)),
]


def _gas(trajectory, instrument, weights, domains, moments):
    goals = goals_set(
        trajectory=trajectory,
        goals=[(domain, Decimal(w)) for domain, w in zip(domains, weights, strict=False)],
    )
    for on, moment, answers in moments:
        measurement_record(
            trajectory=trajectory,
            instrument=instrument,
            moment=moment,
            measured_on=on,
            answers={str(g.pk): a for g, a in zip(goals, answers, strict=True)},
            created_by=None,
        )


@pytest.fixture(name="gas_exported")
def gas_exported_fixture(org_a, shipped_instruments, concepts):  # noqa: F811 (the fixture)
    """Organisation A with the DJG 6 trajectories of test_figures, GAS on the first of them,
    and three closed trajectories with only GAS measurements; its export."""
    offer = OfferFactory(organisation=org_a, name="Maatjes")
    _by_services(org_a, offer, shipped_instruments["djg6-1"], concepts)
    gas = shipped_instruments["gas-1"]
    domains = [OutcomeDomainFactory(), OutcomeDomainFactory()]
    mixed = Trajectory.objects.filter(organisation=org_a).order_by("pk").first()
    _gas(mixed, gas, ("2",), domains, [(END_ON, "end", ("1",))])
    for reference, weights, intake, end in GAS_PEOPLE:
        participant, _new = participant_register(
            organisation=org_a, created_by=None, reference=reference, age_band="27-44"
        )
        trajectory = trajectory_start(
            organisation=org_a,
            created_by=None,
            participant=participant,
            offer=offer,
            start_date=START,
        )
        _gas(
            trajectory,
            gas,
            weights,
            domains,
            [(INTAKE_ON, "intake", intake), (END_ON, "end", end)],
        )
        trajectory_end(
            trajectory=trajectory,
            end_date=END_ON + datetime.timedelta(days=1),
            status=TrajectoryStatus.COMPLETED,
        )
    path = export_organisation(organisation=org_a, fmt="csv")
    yield path
    path.unlink(missing_ok=True)


def _restore(org, path: Path):
    with path.open("rb") as file:
        return restore_export(organisation=org, file=file)


def _gas_figures(org):
    figures = analysis_figures(selection=Selection(organisation=org, **PERIOD)).gas
    assert figures and figures[0].result.mean_end is not None, "no GAS figures to compare"
    return figures


def _state() -> dict[str, int]:
    return {**counts(), "goals": Goal.objects.count()}


def test_a_restored_export_gives_the_gas_figures_of_the_exporting_organisation(
    org_a, org_b, gas_exported
):
    result = _restore(org_b, gas_exported)

    assert result.problems == []
    assert _gas_figures(org_b) == _gas_figures(org_a)
    assert _figures(org_b) == _figures(org_a)
    for model in (Participant, Trajectory, Measurement):
        assert (
            model.objects.filter(organisation=org_b).count()
            == model.objects.filter(organisation=org_a).count()
        )
    copied = Goal.objects.filter(trajectory__organisation=org_b)
    assert sorted(copied.values_list("position", "domain", "weight")) == sorted(
        Goal.objects.filter(trajectory__organisation=org_a).values_list(
            "position", "domain", "weight"
        )
    )
    assert result.counts["doelen"]["created"] == copied.count() == 1 + 2 + 2 + 1
    assert result.counts["metingen"]["created"] == 2 * len(PEOPLE) + 1 + 2 * len(GAS_PEOPLE)
    assert result.left_out["trajectories"] == 0 and result.left_out["gas_without_goal"] == 0
    closed = Trajectory.objects.filter(organisation=org_b, status=TrajectoryStatus.COMPLETED)
    assert closed.count() == len(GAS_PEOPLE)


def test_restoring_an_export_with_gas_twice_adds_nothing(org_b, gas_exported):
    _restore(org_b, gas_exported)
    first = _state()

    again = _restore(org_b, gas_exported)

    assert again.problems == []
    assert _state() == first
    assert all(c["created"] == 0 and c["updated"] == 0 for c in again.counts.values())
    assert again.counts["doelen"]["already_present"] == 6


def _goal_cell(column: int, value: str):
    """A change of ``doelen.csv``: its first row's cell in ``column`` becomes ``value``."""

    def change(text: str) -> str:
        lines = text.split("\r\n")
        cells = lines[1].split(";")
        cells[column] = value
        lines[1] = ";".join(cells)
        return "\r\n".join(lines)

    return change


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (_goal_cell(2, "domein-bestaat-niet"), "doelen.csv: Rij 2, kolom ‘domein’"),
        (_goal_cell(3, "0"), "doelen.csv: Rij 2, kolom ‘gewicht’"),
        (_goal_cell(3, "-1,5"), "doelen.csv: Rij 2, kolom ‘gewicht’"),
    ],
)
def test_a_bad_goal_writes_nothing_at_all_and_names_file_row_and_column(
    org_b, gas_exported, change, expected
):
    before = _state()

    result = restore_export(organisation=org_b, file=_rewritten(gas_exported, "doelen", change))

    assert result.problems, "the bad goal went unnoticed"
    assert str(result.problems[0]).startswith(expected), str(result.problems[0])
    assert _state() == before
    assert not Offer.objects.filter(organisation=org_b).exists()


def test_a_gas_answer_for_a_goal_not_in_doelen_csv_is_named_in_the_answers_file(
    org_b, gas_exported
):
    def drop_last_goal(text: str) -> str:
        lines = [line for line in text.split("\r\n") if line]
        return "\r\n".join(lines[:-1]) + "\r\n"

    before = _state()

    result = restore_export(
        organisation=org_b, file=_rewritten(gas_exported, "doelen", drop_last_goal)
    )

    assert result.problems
    assert str(result.problems[0]).startswith("meting_antwoorden.csv: Rij"), result.problems
    assert "kolom ‘doel’" in str(result.problems[0])
    assert _state() == before


def test_a_measurement_for_a_replaced_goal_is_left_out_and_counted(
    org_a, org_b, shipped_instruments
):
    offer = OfferFactory(organisation=org_a, name="Maatjes")
    participant, _new = participant_register(
        organisation=org_a, created_by=None, reference="G-9", age_band="27-44"
    )
    trajectory = trajectory_start(
        organisation=org_a, created_by=None, participant=participant, offer=offer, start_date=START
    )
    first, second = OutcomeDomainFactory(), OutcomeDomainFactory()
    _gas(
        trajectory, shipped_instruments["gas-1"], ("1",), [first], [(INTAKE_ON, "intake", ("-1",))]
    )
    # Another domain at position 1 replaces the goal: the intake answers for a goal gone.
    goals = goals_set(trajectory=trajectory, goals=[(second, Decimal(1))])
    measurement_record(
        trajectory=trajectory,
        instrument=shipped_instruments["gas-1"],
        moment="end",
        measured_on=END_ON,
        answers={str(goals[0].pk): "1"},
        created_by=None,
    )
    path = export_organisation(organisation=org_a, fmt="csv")

    result = _restore(org_b, path)
    path.unlink()

    assert result.problems == []
    assert result.left_out["gas_without_goal"] == 1
    restored = Measurement.objects.get(organisation=org_b)
    assert restored.moment == "end"
    assert Goal.objects.get(trajectory__organisation=org_b).domain == second
