import datetime
from decimal import Decimal

import pytest
from django.http import Http404

from meerwaarde.activities.constants import ReferralDirection
from meerwaarde.activities.selectors import (
    MonthTotals,
    activity_filled_months,
    activity_form_concepts,
    activity_overview_offers,
    activity_record_get,
    activity_records,
    activity_totals,
)
from meerwaarde.activities.tests.factories import (
    ActivityRecordFactory,
    EarlySignalCountFactory,
    ReferralCountFactory,
)
from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.django_db

JAN, FEB, MAR, APR = (datetime.date(2025, m, 1) for m in (1, 2, 3, 4))


def _record(offer, month, reached, new, meetings, volunteers, hours, referrals=(), signals=()):
    record = ActivityRecordFactory(
        offer=offer,
        month=month,
        participants_reached=reached,
        new_participants=new,
        meetings_held=meetings,
        active_volunteers=volunteers,
        volunteer_hours=Decimal(hours),
    )
    for direction, source, count in referrals:
        ReferralCountFactory(record=record, direction=direction, source=source, count=count)
    for theme, count in signals:
        EarlySignalCountFactory(record=record, theme=theme, count=count)
    return record


@pytest.fixture
def two_organisations(org_a, org_b, offer_a, offer_b, sources, themes):
    """Three offers in two organisations, with records in and around Jan-Mar 2025."""
    IN, OUT = ReferralDirection.IN, ReferralDirection.OUT
    huisarts, wijkteam = sources["huisarts"], sources["wijkteam"]
    armoede, eenzaam = themes["armoede-schulden"], themes["eenzaamheid"]
    offer_a2 = OfferFactory(organisation=org_a, name="Huiskamer Alfa")
    _record(offer_a, JAN, 20, 5, 10, 3, "12.5", [(IN, huisarts, 3), (OUT, wijkteam, 1)],
            [(armoede, 2)])  # fmt: skip
    _record(offer_a, FEB, 25, 4, 11, 3, "10.0", [(IN, huisarts, 2), (IN, wijkteam, 1)])
    _record(offer_a2, JAN, 40, 10, 8, 0, "0", [(IN, wijkteam, 4)], [(armoede, 1), (eenzaam, 3)])
    _record(offer_b, JAN, 15, 15, 6, 2, "4.5", [(IN, huisarts, 1), (OUT, huisarts, 2)],
            [(eenzaam, 1)])  # fmt: skip
    _record(offer_b, APR, 99, 9, 9, 9, "9.0")  # outside the period
    return offer_a2


def test_it_totals_a_selection_of_offers_across_organisations_by_month(
    two_organisations, offer_a, offer_b, django_assert_max_num_queries
):
    offers = Offer.objects.filter(pk__in=[offer_a.pk, two_organisations.pk, offer_b.pk])
    with django_assert_max_num_queries(3):
        totals = activity_totals(
            offers=offers, start=datetime.date(2025, 1, 20), end=datetime.date(2025, 3, 31)
        )
    assert totals == [
        MonthTotals(
            month=JAN,
            offers_reporting=3,
            meetings_held=10 + 8 + 6,
            participants_reached=20 + 40 + 15,
            new_participants=5 + 10 + 15,
            active_volunteers=3 + 0 + 2,
            volunteer_hours=Decimal("17.0"),
            referrals_in={"verwijzer-huisarts": 3 + 1, "verwijzer-wijkteam": 4},
            referrals_out={"verwijzer-wijkteam": 1, "verwijzer-huisarts": 2},
            early_signals={"thema-armoede-schulden": 2 + 1, "thema-eenzaamheid": 3 + 1},
        ),
        MonthTotals(
            month=FEB,
            offers_reporting=1,
            meetings_held=11,
            participants_reached=25,
            new_participants=4,
            active_volunteers=3,
            volunteer_hours=Decimal("10.0"),
            referrals_in={"verwijzer-huisarts": 2, "verwijzer-wijkteam": 1},
        ),
        MonthTotals(month=MAR),
    ]


def test_it_totals_only_the_offers_it_is_given(two_organisations, offer_a):
    totals = activity_totals(
        offers=Offer.objects.filter(pk=offer_a.pk), start=JAN, end=datetime.date(2025, 1, 31)
    )
    assert [(t.participants_reached, t.referrals_in) for t in totals] == [
        (20, {"verwijzer-huisarts": 3})
    ]


def test_it_gives_nothing_for_an_empty_period_or_selection(two_organisations):
    assert activity_totals(offers=Offer.objects.all(), start=MAR, end=FEB) == []
    assert activity_totals(offers=Offer.objects.none(), start=JAN, end=JAN) == [
        MonthTotals(month=JAN)
    ]


def test_it_spans_the_turn_of_a_year(offer_a):
    totals = activity_totals(
        offers=Offer.objects.all(), start=datetime.date(2024, 11, 5), end=datetime.date(2025, 2, 1)
    )
    assert [t.month for t in totals] == [
        datetime.date(2024, 11, 1),
        datetime.date(2024, 12, 1),
        JAN,
        FEB,
    ]


def test_it_finds_a_record_only_in_its_organisation(two_organisations, org_a, org_b, offer_a):
    record = activity_records(organisation=org_a, offer=offer_a).first()
    assert activity_record_get(organisation=org_a, pk=record.pk) == record
    with pytest.raises(Http404):
        activity_record_get(organisation=org_b, pk=record.pk)


def test_it_lists_an_organisations_records_by_year_and_offer(
    two_organisations, org_a, org_b, offer_a
):
    assert [(r.offer.name, r.month) for r in activity_records(organisation=org_a)] == [
        ("Huiskamer Alfa", JAN),
        ("Maatjes Alfa", JAN),
        ("Maatjes Alfa", FEB),
    ]
    assert activity_records(organisation=org_a, offer=offer_a).count() == 2
    assert activity_records(organisation=org_a, year=2024).count() == 0
    assert activity_records(organisation=org_b, year=2025).count() == 2


def test_it_shows_archived_offers_in_the_overview_only_for_years_they_have_records(
    two_organisations, org_a, offer_a
):
    Offer.objects.filter(pk=offer_a.pk).update(status=OfferStatus.ARCHIVED)
    OfferFactory(organisation=org_a, name="Gestopt", status=OfferStatus.ARCHIVED)
    assert [o.name for o in activity_overview_offers(organisation=org_a, year=2025)] == [
        "Huiskamer Alfa",
        "Maatjes Alfa",
    ]
    assert [o.name for o in activity_overview_offers(organisation=org_a, year=2024)] == [
        "Huiskamer Alfa"
    ]


def test_it_maps_the_filled_months_of_a_year(two_organisations, org_a, offer_a):
    offers = list(activity_overview_offers(organisation=org_a, year=2025))
    filled = activity_filled_months(organisation=org_a, year=2025, offers=offers)
    assert set(filled[offer_a.pk]) == {1, 2}
    assert set(filled[two_organisations.pk]) == {1}


def test_it_asks_the_form_for_accepted_concepts_and_those_already_counted(offer_a, sources, themes):
    concepts = activity_form_concepts()
    assert [c.code for c in concepts.sources_in] == [
        "verwijzer-eigen-initiatief",
        "verwijzer-huisarts",
        "verwijzer-politie",
        "verwijzer-wijkteam",
    ]
    # Nobody is referred on to "self-referral".
    assert [c.code for c in concepts.sources_out] == [
        "verwijzer-huisarts",
        "verwijzer-politie",
        "verwijzer-wijkteam",
    ]
    # Every signal is vroegsignalering: not a theme to count it under.
    assert [c.code for c in concepts.themes] == ["thema-armoede-schulden", "thema-eenzaamheid"]
    record = ActivityRecordFactory(offer=offer_a)
    ReferralCountFactory(record=record, source=sources["oud"])
    concepts = activity_form_concepts(record=record)
    assert "verwijzer-oud" in [c.code for c in concepts.sources_in]
