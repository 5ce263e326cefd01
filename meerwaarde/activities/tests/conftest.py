import datetime

import pytest

from meerwaarde.activities.tests.factories import ThemeFactory
from meerwaarde.offers.tests.factories import InterventionTypeFactory, OfferFactory

from .fixtures import sources  # noqa: F401 (a fixture, shared with the import's tests)


@pytest.fixture
def themes(db) -> dict:
    return {
        key: ThemeFactory(code=f"thema-{key}", pref_label_nl=label)
        for key, label in [
            ("armoede-schulden", "Armoede en schulden"),
            ("eenzaamheid", "Eenzaamheid"),
            ("vroegsignalering", "Vroegsignalering"),
        ]
    }


@pytest.fixture
def maatjes(db):
    return InterventionTypeFactory(code="interventie-maatjesproject", pref_label_nl="Maatjes")


@pytest.fixture
def offer_a(org_a, maatjes):
    return OfferFactory(organisation=org_a, name="Maatjes Alfa", intervention_type=maatjes)


@pytest.fixture
def offer_b(org_b, maatjes):
    return OfferFactory(organisation=org_b, name="Maatjes Beta", intervention_type=maatjes)


@pytest.fixture
def today() -> datetime.date:
    return datetime.date(2025, 6, 15)
