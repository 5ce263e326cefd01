"""The export streams: ten times the measurements does not take ten times the memory."""

import datetime
import shutil
import tracemalloc

import pytest

from meerwaarde.exports import services
from meerwaarde.instruments.tests.factories import InstrumentFactory
from meerwaarde.measurements.constants import Moment
from meerwaarde.measurements.models import Measurement
from meerwaarde.participants.tests.factories import TrajectoryFactory

pytestmark = pytest.mark.django_db

TRAJECTORIES = 10


def _add_measurements(organisation, trajectories, instrument, count: int, *, after: int) -> None:
    """``count`` interim measurements spread over the trajectories, one date each, written in
    bulk (the service would take minutes for this many)."""
    start = datetime.date(2000, 1, 1)
    Measurement.objects.bulk_create(
        (
            Measurement(
                organisation=organisation,
                trajectory=trajectories[n % TRAJECTORIES],
                instrument=instrument,
                moment=Moment.INTERIM,
                measured_on=start + datetime.timedelta(days=n // TRAJECTORIES),
                answers={"v1": "3", "v2": "2", "v3": "4"},
                scores={"totaal": {"value": 3.67, "category": "voldoende"}},
            )
            for n in range(after, after + count)
        ),
        batch_size=2000,
    )


def _peak_bytes(organisation, fmt: str) -> int:
    tracemalloc.start()
    try:
        path = services.export_organisation(organisation=organisation, fmt=fmt)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    shutil.rmtree(path.parent)
    return peak


# XlsxWriter takes about five times as long per cell as csv, ten times as long again under
# tracemalloc: the workbook is measured at a tenth of the size, with batches to match.
@pytest.mark.parametrize(("fmt", "small", "batch"), [("csv", 2_000, 2_000), ("xlsx", 500, 250)])
def test_memory_stays_flat_with_ten_times_the_measurements(org_a, monkeypatch, fmt, small, batch):
    monkeypatch.setattr(services, "BATCH", batch)
    trajectories = [TrajectoryFactory(participant__organisation=org_a) for _ in range(TRAJECTORIES)]
    instrument = InstrumentFactory(organisation=org_a)
    _add_measurements(org_a, trajectories, instrument, small, after=0)
    small_peak = _peak_bytes(org_a, fmt)
    _add_measurements(org_a, trajectories, instrument, 9 * small, after=small)
    large_peak = _peak_bytes(org_a, fmt)
    # Proportional growth would be ten times; a batch of rows and the writers' buffers are
    # the same size in both.
    assert large_peak < 2 * small_peak, (small_peak, large_peak)
