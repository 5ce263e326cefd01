"""The write floor of the import benchmark writes the rows it is asked for, times each step,
and leaves nothing behind."""

import pytest

from meerwaarde.analysis.models import OutcomePair
from meerwaarde.imports import bench_floor
from meerwaarde.imports.bench_floor import Counts, write_floor
from meerwaarde.measurements.models import Measurement
from meerwaarde.participants.models import Participant, Trajectory

from .test_engine_measurements import _good_lines, _import, offer  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db(transaction=True)

MODELS = (Participant, Trajectory, Measurement, OutcomePair)


def _counts() -> list[int]:
    return [model.objects.count() for model in MODELS]


@pytest.mark.usefixtures("offer")
@pytest.mark.parametrize("from_python", [False, True], ids=["in the database", "from Python"])
def test_it_times_each_table_and_rolls_everything_back(
    org_a, shipped_instruments, from_python, monkeypatch
):
    monkeypatch.setattr(bench_floor, "_CHUNK", 50)  # several batches from Python
    assert _import(org_a, _good_lines()).problems == []
    before = _counts()
    seen: dict[str, int] = {}

    def count_inside(step: str) -> None:
        seen[step] = sum(_counts()) - sum(before)

    # More measurements than twice the trajectories: interim rounds must keep the unique
    # indexes; more pairs than trajectories: scales per round.
    floor = write_floor(
        org_a,
        Counts(participants=30, trajectories=40, measurements=130, pairs=90),
        from_python=from_python,
        after_each=count_inside,
    )

    assert list(floor.seconds)[:4] == ["deelnemers", "trajecten", "metingen", "paren"]
    assert all(seconds >= 0 for seconds in floor.seconds.values())
    assert seen["paren"] == 30 + 40 + 130 + 90
    assert floor.total == pytest.approx(sum(floor.seconds.values()))
    assert _counts() == before


@pytest.mark.usefixtures("offer")
def test_a_table_with_no_rows_is_left_out(org_a, shipped_instruments):
    assert _import(org_a, _good_lines()).problems == []
    before = _counts()
    seen: dict[str, int] = {}

    floor = write_floor(
        org_a,
        Counts(participants=3, trajectories=4, measurements=5, pairs=0),
        after_each=lambda step: seen.update({step: sum(_counts()) - sum(before)}),
    )

    assert "paren" not in floor.seconds
    assert seen["metingen"] == 3 + 4 + 5
    assert _counts() == before
