import datetime

import pytest

from meerwaarde.analysis.tests.factories import Outcomes


@pytest.fixture
def outcomes(shipped_instruments, org_a) -> Outcomes:
    """Builds offers, trajectories and measurements through the other apps' services."""
    return Outcomes(
        instruments=shipped_instruments,
        organisation=org_a,
        today=datetime.date.today(),
    )
