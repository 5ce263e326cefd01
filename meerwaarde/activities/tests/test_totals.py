"""The running totals per intervention type and of all say what activity_totals() says over
the same offers, through every kind of write, and what a rebuild says."""

import datetime
import random
from decimal import Decimal

import pytest

from meerwaarde.activities.models import (
    ActivityConceptTotals,
    ActivityMonthTotals,
    ActivityRecord,
)
from meerwaarde.activities.selectors import (
    activity_totals,
    activity_totals_bounds,
    activity_totals_for_scope,
)
from meerwaarde.activities.services import (
    activity_record_delete,
    activity_record_save,
    activity_totals_rebuild,
)
from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.offers.models import Offer
from meerwaarde.offers.signals import offer_changed
from meerwaarde.offers.tests.factories import InterventionTypeFactory, OfferFactory
from meerwaarde.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db

START, END = datetime.date(2024, 12, 1), datetime.date(2025, 7, 1)
MONTHS = [datetime.date(2025, m, 1) for m in range(1, 7)]


def _rows() -> tuple[set, set]:
    months = {
        (r.scope, r.intervention_type_id, r.month, r.offers_reporting, r.meetings_held,
         r.participants_reached, r.new_participants, r.active_volunteers, r.volunteer_hours)
        for r in ActivityMonthTotals.objects.all()
    }  # fmt: skip
    concepts = set(
        ActivityConceptTotals.objects.values_list(
            "scope", "intervention_type_id", "month", "kind", "concept_id", "count"
        )
    )
    return months, concepts


def _assert_totals_agree(types) -> None:
    assert activity_totals_for_scope(start=START, end=END) == activity_totals(
        offers=Offer.objects.all(), start=START, end=END
    )
    for kind in types:
        assert activity_totals_for_scope(
            intervention_type=kind, start=START, end=END
        ) == activity_totals(
            offers=Offer.objects.filter(intervention_type=kind), start=START, end=END
        )


def _random_save(rng: random.Random, offer: Offer, month, sources, themes, today):
    reached = rng.randint(0, 40)
    volunteers = rng.randint(0, 5)
    outgoing = [sources[k] for k in ("huisarts", "wijkteam", "politie")]
    incoming = [*outgoing, sources["eigen-initiatief"]]
    signal_themes = [themes["armoede-schulden"], themes["eenzaamheid"]]
    return activity_record_save(
        organisation=offer.organisation,
        offer=offer,
        month=month,
        recorded_by=None,
        meetings_held=rng.randint(0, 20),
        participants_reached=reached,
        new_participants=rng.randint(0, reached),
        active_volunteers=volunteers,
        volunteer_hours=Decimal(rng.randint(0, 200)) / 10 if volunteers else 0,
        referrals_in={c: rng.choice([0, 0, 1, 3, None]) for c in rng.sample(incoming, 2)},
        referrals_out={c: rng.choice([0, 2, 5]) for c in rng.sample(outgoing, 2)},
        early_signals={c: rng.choice([0, 1, 4]) for c in signal_themes},
        today=today,
    )


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_it_keeps_the_totals_equal_to_the_records_through_every_write(
    seed, sources, themes, today, org_a, org_b
):
    rng = random.Random(seed)
    types = [InterventionTypeFactory(), InterventionTypeFactory(), InterventionTypeFactory()]
    org_c = OrganisationFactory()
    offers = [
        OfferFactory(organisation=org, intervention_type=rng.choice(types))
        for org in (org_a, org_a, org_b, org_b, org_c, org_c)
    ]
    for step in range(60):
        action = rng.random()
        records = list(ActivityRecord.objects.all())
        if action < 0.15 and records:
            activity_record_delete(record=rng.choice(records))
        elif action < 0.22:
            offer = rng.choice(offers)
            offer.intervention_type = rng.choice(types)
            offer.save()
            offer_changed.send(sender=Offer, offer=offer)
        else:
            # Often a month already entered: a correction replaces its counts.
            month = rng.choice(MONTHS[:3] if step % 2 else MONTHS)
            _random_save(rng, rng.choice(offers), month, sources, themes, today)
        if step % 10 == 0:
            _assert_totals_agree(types)
    _assert_totals_agree(types)
    assert ActivityMonthTotals.objects.exists()

    org_c.delete()
    _assert_totals_agree(types)

    kept = _rows()
    activity_totals_rebuild()
    assert _rows() == kept


def test_it_counts_nothing_twice_when_a_month_is_corrected_unchanged(
    sources, themes, today, offer_a
):
    rng = random.Random(7)
    _random_save(rng, offer_a, MONTHS[0], sources, themes, today)
    before = _rows()

    _random_save(random.Random(7), offer_a, MONTHS[0], sources, themes, today)

    assert _rows() == before
    assert ActivityMonthTotals.objects.get(scope="all").offers_reporting == 1


def test_it_deletes_rows_that_fall_to_zero(sources, today, offer_a):
    record = activity_record_save(
        organisation=offer_a.organisation,
        offer=offer_a,
        month=MONTHS[0],
        recorded_by=None,
        meetings_held=1,
        participants_reached=1,
        new_participants=0,
        active_volunteers=0,
        volunteer_hours=0,
        referrals_in={sources["huisarts"]: 2},
        referrals_out={},
        early_signals={},
        today=today,
    )
    assert ActivityMonthTotals.objects.count() == 2  # its type and all
    assert ActivityConceptTotals.objects.count() == 2

    activity_record_delete(record=record)

    assert not ActivityMonthTotals.objects.exists()
    assert not ActivityConceptTotals.objects.exists()


def test_it_leaves_records_written_in_bulk_out_until_the_rebuild(offer_a, maatjes):
    ActivityRecordFactory(offer=offer_a, month=MONTHS[1], meetings_held=7)
    assert activity_totals_bounds() == (None, None)

    result = activity_totals_rebuild()

    assert result.records == 1
    assert activity_totals_bounds(intervention_type=maatjes) == (MONTHS[1], MONTHS[1])
    assert activity_totals_for_scope(start=MONTHS[1], end=MONTHS[1])[0].meetings_held == 7


@pytest.mark.django_db
def test_it_adds_to_the_row_another_transaction_created_first(sources):
    """Two first records of one month at once: the loser's insert meets the unique
    constraint and its count goes to the winner's row instead of failing."""
    from django.db.models import F

    from meerwaarde.activities.constants import TotalsKind, TotalsScope
    from meerwaarde.activities.models import ActivityConceptTotals
    from meerwaarde.activities.services import _add_or_create

    key = {
        "scope": TotalsScope.ALL,
        "intervention_type": None,
        "month": datetime.date(2026, 1, 1),
        "kind": TotalsKind.REFERRALS_IN,
        "concept": sources["huisarts"],
    }
    winner = ActivityConceptTotals.objects.create(**key, count=3)
    rows = ActivityConceptTotals.objects.filter(pk=winner.pk)
    real_update, calls = rows.update, []

    def not_yet_visible(**updates):
        calls.append(updates)
        return 0 if len(calls) == 1 else real_update(**updates)

    rows.update = not_yet_visible
    _add_or_create(rows, {"count": F("count") + 2}, ActivityConceptTotals(**key, count=2))
    winner.refresh_from_db()
    assert winner.count == 5 and len(calls) == 2
