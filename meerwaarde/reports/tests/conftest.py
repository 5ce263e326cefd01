import datetime

import pytest

from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.analysis.tests.factories import Outcomes
from meerwaarde.organisations.tests.factories import OrganisationFactory


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Rendered files in a fresh folder per test, never in var/files."""
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def municipality(db):
    return OrganisationFactory(name="Gemeente Gamma", slug="gemeente-gamma", kind="municipality")


@pytest.fixture
def outcomes(shipped_instruments, org_a) -> Outcomes:
    return Outcomes(
        instruments=shipped_instruments, organisation=org_a, today=datetime.date.today()
    )


@pytest.fixture
def filled(outcomes, org_a):
    """Two offers of A with three months of activity and twelve participants measured with
    DJG-6 (enough to pass suppression), one with a small second offer; returns the offers."""
    today = outcomes.today
    big = outcomes.offer(name="Maatjes Alfa")
    small = outcomes.offer(name="Buurtkamer Alfa")
    for months_ago in (3, 2, 1):
        month = outcomes.day(months_ago, 1)
        ActivityRecordFactory(offer=big, month=month, participants_reached=24, new_participants=6)
        ActivityRecordFactory(offer=small, month=month, participants_reached=3, new_participants=1)
    for i in range(12):
        outcomes.loneliness(big, start=5, end=1 + i % 3)
    for _ in range(2):
        outcomes.loneliness(small, start=4, end=2)
    return {"big": big, "small": small, "start": outcomes.day(11, 1), "end": today.replace(day=1)}
