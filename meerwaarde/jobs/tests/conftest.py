import pytest

from meerwaarde.jobs.tests import tasks


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Progress files and results in a fresh folder per test, never in var/files."""
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture(autouse=True)
def _nothing_seen():
    tasks.SEEN.clear()
