"""The cast of every tenancy test (healthchecks style).

Alice is organisation admin of A, Bob a worker in A, Charlie admin of organisation B. Every
page of an organisation is tested with Charlie, who must get 404 on A's data.
"""

import pytest
from django.test import Client

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.tests.factories import UserFactory
from meerwaarde.organisations.tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def org_a(db):
    return OrganisationFactory(name="Welzijn Alfa", slug="welzijn-alfa")


@pytest.fixture
def org_b(db):
    return OrganisationFactory(name="Sociaal Werk Beta", slug="sociaal-werk-beta")


@pytest.fixture
def alice(org_a):
    user = UserFactory(email="alice@example.org", full_name="Alice Admin")
    MembershipFactory(user=user, organisation=org_a, role=OrgRole.ORG_ADMIN)
    return user


@pytest.fixture
def bob(org_a):
    user = UserFactory(email="bob@example.org", full_name="Bob Werker")
    MembershipFactory(user=user, organisation=org_a, role=OrgRole.WORKER)
    return user


@pytest.fixture
def carol(org_a):
    """Coordinator in A."""
    user = UserFactory(email="carol@example.org", full_name="Carol Coördinator")
    MembershipFactory(user=user, organisation=org_a, role=OrgRole.COORDINATOR)
    return user


@pytest.fixture
def charlie(org_b):
    user = UserFactory(email="charlie@example.org", full_name="Charlie Buiten")
    MembershipFactory(user=user, organisation=org_b, role=OrgRole.ORG_ADMIN)
    return user


@pytest.fixture(autouse=True)
def _fresh_suggestion_caches():
    from meerwaarde.vocabulary.suggest import clear_caches

    clear_caches()


@pytest.fixture(autouse=True)
def _fresh_sector_caches():
    # Tests write with factories that bypass the services (and so the figures' stamp), and
    # every test starts again from the same stamp: what one test kept must not serve another.
    from meerwaarde.bundling.sector import clear_caches

    clear_caches()


@pytest.fixture(autouse=True)
def _pseudonym_keys(settings, tmp_path, monkeypatch):
    """Pseudonym keys in a fresh folder per test, made the first time an organisation needs one.

    Tests never touch the real keys in var/keys. A test of the missing-key error takes the
    real lookup back with ``monkeypatch.setattr(pseudonyms, "key_for", inspect.unwrap(...))``.
    """
    import functools

    from meerwaarde.participants import pseudonyms

    settings.PSEUDONYM_KEY_DIR = tmp_path / "pseudonym-keys"
    real_key_for = pseudonyms.key_for

    @functools.wraps(real_key_for)
    def key_for(organisation):
        pseudonyms.key_create(organisation.slug)
        return real_key_for(organisation)

    monkeypatch.setattr(pseudonyms, "key_for", key_for)


def _client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def alice_client(alice):
    return _client_for(alice)


@pytest.fixture
def bob_client(bob):
    return _client_for(bob)


@pytest.fixture
def carol_client(carol):
    return _client_for(carol)


@pytest.fixture
def charlie_client(charlie):
    return _client_for(charlie)


@pytest.fixture
def platform_user(db):
    """A user with a platform role: ``platform_user("editor")``."""

    def make(role: str):
        return UserFactory(email=f"{role}@example.org", platform_role=role)

    return make


@pytest.fixture
def shipped_instruments(db):
    """The shipped instruments, loaded: a dict by "code-version" (``"djg6-1"``, ``"zrm-2017"``)."""
    from meerwaarde.instruments.models import Instrument
    from meerwaarde.instruments.services import instruments_load_shipped

    instruments_load_shipped()
    return {
        f"{i.code}-{i.version}": i for i in Instrument.objects.filter(organisation__isnull=True)
    }
