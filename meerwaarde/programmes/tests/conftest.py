import datetime

import pytest

from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.offers.tests.factories import InterventionTypeFactory, OfferFactory
from meerwaarde.programmes.tests.factories import ProgrammeFactory

# Progress is computed as of this day: 2025 and 2026 are over, 2027 runs (five complete months).
TODAY = datetime.date(2027, 6, 15)


@pytest.fixture
def today() -> datetime.date:
    return TODAY


@pytest.fixture
def maatjes(db):
    return InterventionTypeFactory(code="interventie-maatjesproject", pref_label_nl="Maatjes")


@pytest.fixture
def offers(org_a, org_b, maatjes) -> dict:
    """Two offers of A (one a maatjesproject), and one of B of the same type."""
    return {
        "maatjes": OfferFactory(organisation=org_a, name="Maatjes Alfa", intervention_type=maatjes),
        "huiskamer": OfferFactory(organisation=org_a, name="Huiskamer Alfa"),
        "beta": OfferFactory(organisation=org_b, name="Maatjes Beta", intervention_type=maatjes),
    }


@pytest.fixture
def programme(org_a):
    return ProgrammeFactory(
        organisation=org_a, name="Samen tegen eenzaamheid", start_year=2025, end_year=2028
    )


def month(year: int, number: int) -> datetime.date:
    return datetime.date(year, number, 1)


@pytest.fixture
def activity(offers) -> None:
    """2025: every month of both A offers; 2026: the huiskamer reaches only 3 a month."""
    for number in range(1, 13):
        ActivityRecordFactory(
            offer=offers["maatjes"],
            month=month(2025, number),
            participants_reached=20,
            new_participants=4,
            meetings_held=8,
        )
        ActivityRecordFactory(
            offer=offers["huiskamer"],
            month=month(2025, number),
            participants_reached=30,
            new_participants=2,
            meetings_held=4,
        )
        ActivityRecordFactory(
            offer=offers["huiskamer"],
            month=month(2026, number),
            participants_reached=3,
            new_participants=1,
            meetings_held=4,
            active_volunteers=1,
            volunteer_hours=2,
        )
        # Another organisation's offer of the same type never counts for A's programme.
        ActivityRecordFactory(
            offer=offers["beta"], month=month(2025, number), participants_reached=99
        )
