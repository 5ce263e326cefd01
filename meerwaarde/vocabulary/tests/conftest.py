import json
from pathlib import Path

import pytest
from django.test import Client

from meerwaarde.vocabulary.services import vocabulary_load

SEED = Path(__file__).resolve().parents[1] / "data" / "vocabulary.json"
LOCAL_NAMES = Path(__file__).resolve().parent / "data" / "local_names.json"
# Never used to choose weights or synonyms: it measures how well the suggestions generalise.
LOCAL_NAMES_HOLDOUT = Path(__file__).resolve().parent / "data" / "local_names_holdout.json"


@pytest.fixture
def seed_data() -> dict:
    return json.loads(SEED.read_text(encoding="utf-8"))


@pytest.fixture
def vocabulary(db, seed_data):
    """The real seed, loaded as the serve script does."""
    return vocabulary_load(data=seed_data)


@pytest.fixture
def editor(platform_user):
    return platform_user("editor")


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client
