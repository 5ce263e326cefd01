"""Participants, trajectories and goals for tests.

The factories write a random pseudonym: tests that find a participant by client reference
register them through ``participant_register``.
"""

import datetime
import secrets

import factory

from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.organisations.tests.factories import OrganisationFactory
from meerwaarde.participants.constants import AgeBand, TrajectoryStatus
from meerwaarde.participants.models import Goal, Participant, Trajectory
from meerwaarde.vocabulary.tests.factories import ConceptFactory, ConceptSchemeFactory


class TargetGroupFactory(ConceptFactory):
    scheme = factory.SubFactory(ConceptSchemeFactory, code="target_groups")
    code = factory.Sequence(lambda n: f"doelgroep-test-{n}")


class ReferralSourceFactory(ConceptFactory):
    scheme = factory.SubFactory(ConceptSchemeFactory, code="referral_sources")
    code = factory.Sequence(lambda n: f"verwijzer-test-{n}")


class OutcomeDomainFactory(ConceptFactory):
    scheme = factory.SubFactory(ConceptSchemeFactory, code="outcome_domains")
    code = factory.Sequence(lambda n: f"domein-test-{n}")


class ParticipantFactory(factory.django.DjangoModelFactory):
    """``ParticipantFactory(target_groups=[concept, ...])`` sets target groups."""

    class Meta:
        model = Participant
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    pseudonym = factory.LazyFunction(lambda: secrets.token_hex(32))
    age_band = AgeBand.ADULT

    @factory.post_generation
    def target_groups(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.target_groups.set(extracted)


class TrajectoryFactory(factory.django.DjangoModelFactory):
    """A running trajectory in an offer of the participant's organisation."""

    class Meta:
        model = Trajectory

    participant = factory.SubFactory(ParticipantFactory)
    organisation = factory.LazyAttribute(lambda o: o.participant.organisation)
    offer = factory.SubFactory(OfferFactory, organisation=factory.SelfAttribute("..organisation"))
    start_date = factory.LazyFunction(lambda: datetime.date.today() - datetime.timedelta(days=30))
    status = TrajectoryStatus.ACTIVE


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Goal

    trajectory = factory.SubFactory(TrajectoryFactory)
    domain = factory.SubFactory(OutcomeDomainFactory)
    weight = 1
    position = factory.Sequence(lambda n: n + 1)
