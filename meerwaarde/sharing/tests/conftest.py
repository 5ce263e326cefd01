import datetime

import pytest
from django.test import Client
from django.utils import timezone

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.tests.factories import UserFactory
from meerwaarde.analysis.tests.factories import Outcomes
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.tests.factories import MembershipFactory, OrganisationFactory


@pytest.fixture
def municipality(db):
    return OrganisationFactory(
        name="Gemeente Gamma", slug="gemeente-gamma", kind=OrganisationKind.MUNICIPALITY
    )


@pytest.fixture
def mona(municipality):
    """A policy officer (worker) of the municipality: the partner user."""
    user = UserFactory(email="mona@example.org", full_name="Mona Gemeente")
    MembershipFactory(user=user, organisation=municipality, role=OrgRole.WORKER)
    return user


@pytest.fixture
def mona_client(mona):
    client = Client()
    client.force_login(mona)
    return client


@pytest.fixture
def today(monkeypatch):
    """Sets the date every view and selector reads: ``today(date)``."""

    def set_today(day: datetime.date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: day)

    return set_today


@pytest.fixture
def outcomes(shipped_instruments, org_a) -> Outcomes:
    return Outcomes(
        instruments=shipped_instruments, organisation=org_a, today=datetime.date.today()
    )


@pytest.fixture
def small_and_big(outcomes):
    """Two offers of A: the small one with three loneliness pairs (too few to share), both
    with a month of activity (40 and 70 reached)."""
    from meerwaarde.activities.tests.factories import ActivityRecordFactory

    small = outcomes.offer(name="Kleine groep")
    big = outcomes.offer(name="Grote groep")
    for start, end in [(5, 2), (6, 3), (5, 4)]:
        outcomes.loneliness(small, start, end)
    month = outcomes.day(1).replace(day=1)
    ActivityRecordFactory(offer=small, month=month, participants_reached=40, new_participants=12)
    ActivityRecordFactory(offer=big, month=month, participants_reached=70, new_participants=20)
    return small, big
