"""The import of monthly activities and of offers: through their services, with the same
per-row checks, natural keys and tenancy as the measurements."""

import datetime
from decimal import Decimal

import pytest

from meerwaarde.activities.models import ActivityMonthTotals, ActivityRecord
from meerwaarde.activities.tests.factories import ReferralCountFactory
from meerwaarde.imports.engine import import_table
from meerwaarde.imports.fields import ImportKind
from meerwaarde.imports.models import OFFERS_SCHEME, ConceptMapping
from meerwaarde.offers.models import Offer
from meerwaarde.offers.tests.factories import InterventionTypeFactory, OfferFactory
from meerwaarde.places.tests.factories import PlaceFactory

from .engine_helpers import counts, csv_table, identity

pytestmark = pytest.mark.django_db

ACTIVITY_HEADER = [
    "aanbod_naam",
    "maand",
    "bijeenkomsten",
    "deelnemers_bereikt",
    "nieuwe_deelnemers",
    "actieve_vrijwilligers",
    "uren_vrijwilligers",
]


def _import(org, kind, header, lines, **kwargs):
    with csv_table([header, *lines]) as table:
        return import_table(
            organisation=org,
            kind=kind,
            table=table,
            column_map=kwargs.pop("column_map", identity(header)),
            on_error=kwargs.pop("on_error", "all_or_nothing"),
            dry_run=False,
            **kwargs,
        )


@pytest.fixture
def offer(org_a):
    return OfferFactory(organisation=org_a, name="Buurtkamer")


def test_it_imports_activity_months_with_their_totals(org_a, offer):
    lines = [
        ["Buurtkamer", "01-03-2025", "12", "40", "5", "3", "20,5"],
        ["Buurtkamer", "2025-04", "10", "35", "2", "", ""],
    ]

    result = _import(org_a, ImportKind.ACTIVITIES, ACTIVITY_HEADER, lines)

    assert (result.created, result.problems) == (2, [])
    march = ActivityRecord.objects.get(offer=offer, month=datetime.date(2025, 3, 1))
    assert (march.participants_reached, march.volunteer_hours) == (40, Decimal("20.5"))
    assert ActivityMonthTotals.objects.filter(month=datetime.date(2025, 4, 1)).exists()


def test_it_names_an_impossible_activity_count_and_a_month_twice(org_a, offer):
    lines = [
        ["Buurtkamer", "01-03-2025", "12", "4", "5", "0", ""],
        ["Buurtkamer", "15-05-2025", "-1", "4", "0", "0", ""],
        ["Buurtkamer", "02-05-2025", "1", "4", "0", "0", ""],
    ]
    before = counts()

    result = _import(org_a, ImportKind.ACTIVITIES, ACTIVITY_HEADER, lines)

    assert [(p.row, p.column) for p in result.problems] == [
        (2, "nieuwe_deelnemers"),
        (3, "bijeenkomsten"),
    ]
    assert "niet meer nieuwe deelnemers" in result.problems[0].message
    assert counts() == before


def test_an_activity_month_imported_again_is_already_there(org_a, offer):
    lines = [["Buurtkamer", "01-03-2025", "12", "40", "5", "3", "20,5"]]
    _import(org_a, ImportKind.ACTIVITIES, ACTIVITY_HEADER, lines)
    before = counts()

    again = _import(org_a, ImportKind.ACTIVITIES, ACTIVITY_HEADER, lines)

    assert (again.created, again.already_present) == (0, 1)
    assert counts() == before


def test_changed_counts_replace_a_month_and_keep_its_referrals(org_a, offer):
    _import(
        org_a,
        ImportKind.ACTIVITIES,
        ACTIVITY_HEADER,
        [["Buurtkamer", "03-2025", "1", "4", "0", "0", ""]],
    )
    record = ActivityRecord.objects.get(offer=offer)
    ReferralCountFactory(record=record, count=3)

    again = _import(
        org_a,
        ImportKind.ACTIVITIES,
        ACTIVITY_HEADER,
        [["Buurtkamer", "03-2025", "2", "6", "0", "0", ""]],
    )

    assert again.updated == 1
    record.refresh_from_db()
    assert (record.meetings_held, record.referrals.get().count) == (2, 3)


def test_an_activity_for_another_organisations_offer_is_refused(org_a, org_b, offer):
    OfferFactory(organisation=org_b, name="Inloop Beta")
    before = counts()

    result = _import(
        org_a,
        ImportKind.ACTIVITIES,
        ACTIVITY_HEADER,
        [["Inloop Beta", "03-2025", "1", "1", "0", "0", ""]],
    )

    assert [(p.row, p.column) for p in result.problems] == [(2, "aanbod_naam")]
    assert counts() == before


def test_a_local_name_mapped_to_an_offer_finds_it(org_a, offer):
    ConceptMapping.objects.create(
        organisation=org_a, scheme=OFFERS_SCHEME, local_name="BK  centrum", offer=offer
    )

    result = _import(
        org_a,
        ImportKind.ACTIVITIES,
        ACTIVITY_HEADER,
        [["bk centrum", "03-2025", "1", "1", "0", "0", ""]],
    )

    assert result.created == 1
    assert ActivityRecord.objects.get().offer == offer


OFFER_HEADER = ["aanbod_naam", "soort_interventie", "beschrijving", "plaats_geonameid"]


def test_it_imports_offers_once_by_name(org_a):
    kind = InterventionTypeFactory(code="maatjesproject", pref_label_nl="Maatjesproject")
    place = PlaceFactory()
    lines = [
        ["Maatjes Oost", "maatjesproject", "Een maatje voor wie alleen is.", str(place.geonameid)],
        ["Maatjes West", "Maatjesproject", "Een maatje in West.", str(place.geonameid)],
    ]

    first = _import(org_a, ImportKind.OFFERS, OFFER_HEADER, lines)
    again = _import(org_a, ImportKind.OFFERS, OFFER_HEADER, lines)

    assert (first.created, first.problems) == (2, [])
    assert (again.created, again.already_present) == (0, 2)
    offers = Offer.objects.filter(organisation=org_a).order_by("name")
    assert [(o.name, o.intervention_type) for o in offers] == [
        ("Maatjes Oost", kind),
        ("Maatjes West", kind),
    ]
    assert offers[0].locations.get().place == place


def test_an_offer_with_an_unknown_concept_or_place_is_refused(org_a):
    InterventionTypeFactory(code="maatjesproject")
    lines = [["Maatjes Oost", "iets anders", "Tekst.", "999999999"]]
    before = counts()

    result = _import(org_a, ImportKind.OFFERS, OFFER_HEADER, lines)

    assert [(p.row, p.column) for p in result.problems] == [
        (2, "soort_interventie"),
        (2, "plaats_geonameid"),
    ]
    assert counts() == before


def test_an_offer_missing_its_description_column_is_refused_before_reading(org_a):
    header = ["aanbod_naam", "soort_interventie", "plaats"]

    result = _import(org_a, ImportKind.OFFERS, header, [["A", "b", "Zwolle"]])

    assert result.read == 0
    assert [p.column for p in result.problems] == ["Beschrijving"]
