"""Activity records for tests; the factories write rows directly, without the service."""

import datetime

import factory

from meerwaarde.activities.constants import ReferralDirection
from meerwaarde.activities.models import ActivityRecord, EarlySignalCount, ReferralCount
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.vocabulary.tests.factories import ConceptFactory, ConceptSchemeFactory


class ReferralSourceFactory(ConceptFactory):
    scheme = factory.SubFactory(ConceptSchemeFactory, code="referral_sources")
    code = factory.Sequence(lambda n: f"verwijzer-test-{n}")
    pref_label_nl = factory.Sequence(lambda n: f"Verwijzer {n}")


class ThemeFactory(ConceptFactory):
    scheme = factory.SubFactory(ConceptSchemeFactory, code="themes")
    code = factory.Sequence(lambda n: f"thema-test-{n}")
    pref_label_nl = factory.Sequence(lambda n: f"Thema {n}")


class ActivityRecordFactory(factory.django.DjangoModelFactory):
    """A month of an offer; the organisation follows the offer."""

    class Meta:
        model = ActivityRecord

    offer = factory.SubFactory(OfferFactory)
    organisation = factory.LazyAttribute(lambda o: o.offer.organisation)
    month = datetime.date(2025, 1, 1)
    meetings_held = 10
    participants_reached = 20
    new_participants = 5
    active_volunteers = 2
    volunteer_hours = 8


class ReferralCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReferralCount

    record = factory.SubFactory(ActivityRecordFactory)
    direction = ReferralDirection.IN
    source = factory.SubFactory(ReferralSourceFactory)
    count = 1


class EarlySignalCountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EarlySignalCount

    record = factory.SubFactory(ActivityRecordFactory)
    theme = factory.SubFactory(ThemeFactory)
    count = 1
