import datetime

import pytest

from meerwaarde.participants.tests.factories import TrajectoryFactory

TODAY = datetime.date.today()

# Every DJG 6 item's answer, in the form's order (e1, s1, e2, s2, s3, e3).
DJG6_LONELY = {"e1": "ja", "s1": "nee", "e2": "ja", "s2": "nee", "s3": "nee", "e3": "ja"}
DJG6_FINE = {"e1": "nee", "s1": "ja", "e2": "nee", "s2": "ja", "s3": "ja", "e3": "nee"}


def zrm(value: str, **changes: str) -> dict[str, str]:
    """Answers to every ZRM 2017 domain: ``value`` for each, with ``changes`` by item code."""
    from meerwaarde.instruments.definition import load_shipped

    definition = next(d for d in load_shipped() if d.key == "zrm-2017")
    return {item.code: changes.get(item.code.replace("-", "_"), value) for item in definition.items}


@pytest.fixture
def trajectory(org_a):
    """A running trajectory in organisation A that started 60 days ago."""
    return TrajectoryFactory(
        participant__organisation=org_a, start_date=TODAY - datetime.timedelta(days=60)
    )


@pytest.fixture
def instruments(shipped_instruments):
    return shipped_instruments
