"""Reads of an organisation's offers, with the confirmation periods on a fixed date."""

import datetime

import pytest
from django.http import Http404

from meerwaarde.offers import selectors
from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 15)


@pytest.fixture
def offers(org_a):
    """Confirmed today, 12 months and a day ago (warn), 18 months and a day ago (hidden)."""
    return {
        "current": OfferFactory(organisation=org_a, name="A", last_confirmed_on=TODAY),
        "edge": OfferFactory(
            organisation=org_a, name="B", last_confirmed_on=datetime.date(2025, 6, 15)
        ),
        "warn": OfferFactory(
            organisation=org_a, name="C", last_confirmed_on=datetime.date(2025, 6, 14)
        ),
        "hidden": OfferFactory(
            organisation=org_a, name="D", last_confirmed_on=datetime.date(2024, 12, 14)
        ),
        "archived": OfferFactory(
            organisation=org_a,
            name="E",
            last_confirmed_on=datetime.date(2020, 1, 1),
            status=OfferStatus.ARCHIVED,
        ),
    }


def test_it_flags_offers_past_the_warning_and_the_hide_period(org_a, offers):
    states = {o.name: o.confirmation for o in selectors.offer_list(organisation=org_a, today=TODAY)}
    assert states == {"A": "current", "B": "current", "C": "warn", "D": "hidden", "E": "hidden"}
    for key, offer in offers.items():
        assert offer.confirmation_state(TODAY) == states[offer.name], key


def test_it_lists_the_offers_that_need_confirming_but_not_archived_ones(org_a, offers):
    needing = selectors.offer_list(organisation=org_a, needs_confirmation=True, today=TODAY)
    assert [o.name for o in needing] == ["C", "D"]
    counts = selectors.offer_counts(organisation=org_a, today=TODAY)
    assert counts == {"total": 4, "needs_confirmation": 2}
    assert selectors.offer_count_needing_confirmation(organisation=org_a, today=TODAY) == 2


def test_the_public_directory_hides_what_the_list_flags_as_hidden(org_a, offers):
    from meerwaarde.offers.models import Offer

    public = Offer.objects.filter(organisation=org_a).public(TODAY)
    assert sorted(o.name for o in public) == ["A", "B", "C"]


def test_it_reads_only_the_organisations_own_offers(org_a, org_b):
    own = OfferFactory(organisation=org_a)
    other = OfferFactory(organisation=org_b)
    assert list(selectors.offer_list(organisation=org_a)) == [own]
    assert selectors.offer_get(organisation=org_a, pk=own.pk) == own
    with pytest.raises(Http404):
        selectors.offer_get(organisation=org_a, pk=other.pk)
    assert selectors.offer_counts(organisation=org_b)["total"] == 1


def test_it_searches_every_word_of_the_name(org_a):
    OfferFactory(organisation=org_a, name="Maatjes voor ouderen")
    OfferFactory(organisation=org_a, name="Maatjes voor jongeren")
    found = selectors.offer_list(organisation=org_a, q="ouderen maatjes")
    assert [o.name for o in found] == ["Maatjes voor ouderen"]
