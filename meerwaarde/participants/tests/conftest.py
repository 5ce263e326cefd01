import inspect

import pytest

from meerwaarde.participants import pseudonyms
from meerwaarde.participants.tests.factories import (
    OutcomeDomainFactory,
    ReferralSourceFactory,
    TargetGroupFactory,
)


@pytest.fixture
def real_keys(monkeypatch):
    """The key lookup as in production: no key is made on demand (see the root conftest)."""
    monkeypatch.setattr(pseudonyms, "key_for", inspect.unwrap(pseudonyms.key_for))


@pytest.fixture
def concepts(db) -> dict:
    """A few concepts of each list participants and trajectories use."""
    return {
        "ouderen": TargetGroupFactory(code="doelgroep-ouderen", pref_label_nl="Ouderen"),
        "mantelzorgers": TargetGroupFactory(
            code="doelgroep-mantelzorgers", pref_label_nl="Mantelzorgers"
        ),
        "huisarts": ReferralSourceFactory(code="verwijzer-huisarts", pref_label_nl="Huisarts"),
        "eenzaamheid": OutcomeDomainFactory(code="domein-eenzaamheid", pref_label_nl="Eenzaamheid"),
        "financien": OutcomeDomainFactory(code="domein-financien", pref_label_nl="Financiën"),
    }
