import pytest

from meerwaarde.bundling.tests.data import Sector, make_sector


@pytest.fixture
def sector(shipped_instruments, org_a, org_b) -> Sector:
    return make_sector(shipped_instruments, org_a, org_b)
