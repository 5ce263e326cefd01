"""An export with empty tables (an organisation that has recorded no participants, say)
restores what it has: an empty table is not a problem, unlike an empty file to import."""

import datetime

import pytest

from meerwaarde.activities.models import ActivityRecord
from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.exports.services import export_organisation
from meerwaarde.imports.restore import restore_export
from meerwaarde.offers.models import Offer
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.participants.models import Participant

pytestmark = pytest.mark.django_db


def test_an_export_without_participants_restores_its_offers_and_months(org_a, org_b):
    offer = OfferFactory(organisation=org_a, name="Maatjes")
    ActivityRecordFactory(offer=offer, month=datetime.date(2025, 3, 1), meetings_held=7)
    path = export_organisation(organisation=org_a, fmt="csv")
    try:
        with path.open("rb") as file:
            result = restore_export(organisation=org_b, file=file)
    finally:
        path.unlink(missing_ok=True)

    assert result.problems == []
    restored = Offer.objects.get(organisation=org_b, name="Maatjes")
    assert ActivityRecord.objects.get(offer=restored).meetings_held == 7
    assert not Participant.objects.filter(organisation=org_b).exists()
