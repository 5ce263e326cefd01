"""Two organisations with one of everything the export holds."""

import pytest

from .helpers import fill


@pytest.fixture
def gas_instrument(shipped_instruments):
    return shipped_instruments["gas-1"]


@pytest.fixture
def filled_a(org_a, gas_instrument) -> dict:
    return fill(org_a, "alfa", gas_instrument)


@pytest.fixture
def filled_b(org_b, gas_instrument) -> dict:
    return fill(org_b, "beta", gas_instrument)
