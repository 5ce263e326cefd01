"""Fixtures other apps' tests use too (imported by their conftest files)."""

import pytest

from meerwaarde.activities.tests.factories import ReferralSourceFactory
from meerwaarde.vocabulary.constants import ConceptStatus


@pytest.fixture
def sources(db) -> dict:
    """Referral sources with the vocabulary's codes, and one no longer in use."""
    found = {
        key: ReferralSourceFactory(code=f"verwijzer-{key}", pref_label_nl=label)
        for key, label in [
            ("huisarts", "Huisarts"),
            ("wijkteam", "Wijkteam"),
            ("politie", "Politie"),
            ("eigen-initiatief", "Eigen initiatief"),
        ]
    }
    found["oud"] = ReferralSourceFactory(
        code="verwijzer-oud", pref_label_nl="Oude verwijzer", status=ConceptStatus.DRAFT
    )
    return found
