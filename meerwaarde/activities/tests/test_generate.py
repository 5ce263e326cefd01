import datetime
from statistics import mean

import pytest

from meerwaarde.activities.constants import MAX_COUNT
from meerwaarde.activities.generate import generate_activities
from meerwaarde.activities.models import ActivityRecord, EarlySignalCount, ReferralCount
from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.tests.factories import InterventionTypeFactory, OfferFactory

pytestmark = pytest.mark.django_db

END = datetime.date(2025, 12, 31)


@pytest.fixture
def demo_offers(org_a, org_b, offer_a, offer_b, sources, themes):
    """A buddy project in each organisation, plus social work and an archived offer in A."""
    social_work = InterventionTypeFactory(code="interventie-maatschappelijk-werk")
    work = OfferFactory(
        organisation=org_a, name="Maatschappelijk werk", intervention_type=social_work
    )
    work.themes.set([themes["armoede-schulden"]])
    OfferFactory(organisation=org_a, name="Gestopt", status=OfferStatus.ARCHIVED)
    return {"buddy": offer_a, "work": work}


def _snapshot() -> list[tuple]:
    records = ActivityRecord.objects.order_by("offer__name", "month").values_list(
        "offer__name",
        "month",
        "meetings_held",
        "participants_reached",
        "new_participants",
        "active_volunteers",
        "volunteer_hours",
    )
    referrals = ReferralCount.objects.order_by(
        "record__offer__name", "record__month", "direction", "source__code"
    ).values_list("record__offer__name", "record__month", "direction", "source__code", "count")
    signals = EarlySignalCount.objects.order_by(
        "record__offer__name", "record__month", "theme__code"
    ).values_list("record__offer__name", "record__month", "theme__code", "count")
    return [*records, *referrals, *signals]


def test_it_fills_twelve_months_of_every_running_offer(demo_offers, org_a, org_b):
    created = generate_activities(organisations=[org_a, org_b], end=END, seed=1)
    assert created == 3 * 12
    months = sorted(set(ActivityRecord.objects.values_list("month", flat=True)))
    assert months == [datetime.date(2025, m, 1) for m in range(1, 13)]
    assert not ActivityRecord.objects.filter(offer__name="Gestopt").exists()
    assert ReferralCount.objects.exists() and EarlySignalCount.objects.exists()


def test_it_is_deterministic_for_a_seed(demo_offers, org_a, org_b):
    generate_activities(organisations=[org_a, org_b], end=END, seed=7)
    first = _snapshot()
    ActivityRecord.objects.all().delete()
    generate_activities(organisations=[org_a, org_b], end=END, seed=7)
    assert _snapshot() == first
    ActivityRecord.objects.all().delete()
    generate_activities(organisations=[org_a, org_b], end=END, seed=8)
    assert _snapshot() != first


def test_it_leaves_entered_months_alone_and_adds_nothing_twice(demo_offers, org_a):
    generate_activities(organisations=[org_a], end=END, seed=1)
    before = _snapshot()
    assert generate_activities(organisations=[org_a], end=END, seed=1) == 0
    assert _snapshot() == before
    # A longer period adds only the months not entered yet.
    assert generate_activities(organisations=[org_a], months=13, end=END, seed=1) == 2


def test_it_stays_within_sensible_bounds(demo_offers, org_a, org_b):
    generate_activities(organisations=[org_a, org_b], months=24, end=END, seed=3)
    for record in ActivityRecord.objects.all():
        assert 0 <= record.new_participants <= record.participants_reached <= MAX_COUNT
        assert 0 <= record.meetings_held <= MAX_COUNT
        assert (record.volunteer_hours > 0) == (record.active_volunteers > 0)
        assert record.volunteer_hours <= 400 * max(record.active_volunteers, 1)
        assert record.organisation_id == record.offer.organisation_id
    assert not ReferralCount.objects.filter(count__lte=0).exists()


def test_it_looks_like_a_real_year(demo_offers, org_a, org_b):
    generate_activities(organisations=[org_a, org_b], months=36, end=END, seed=5)
    reach = {
        (name, month): reached
        for name, month, reached in ActivityRecord.objects.values_list(
            "offer__name", "month", "participants_reached"
        )
    }
    for name in ("Maatjes Alfa", "Maatjes Beta", "Maatschappelijk werk"):
        summer = [r for (n, m), r in reach.items() if n == name and m.month in (7, 8)]
        rest = [r for (n, m), r in reach.items() if n == name and m.month not in (7, 8, 12)]
        assert mean(summer) < 0.85 * mean(rest), name
    buddies = ActivityRecord.objects.filter(offer__name__startswith="Maatjes")
    assert all(r.active_volunteers > 0 for r in buddies)
    assert not ActivityRecord.objects.filter(
        offer__name="Maatschappelijk werk", active_volunteers__gt=0
    ).exists()
    referred = {
        code: sum(
            ReferralCount.objects.filter(direction="in", source__code=code).values_list(
                "count", flat=True
            )
        )
        for code in ("verwijzer-huisarts", "verwijzer-wijkteam", "verwijzer-politie")
    }
    assert referred["verwijzer-huisarts"] > 5 * referred["verwijzer-politie"]
    assert referred["verwijzer-wijkteam"] > 5 * referred["verwijzer-politie"]
    # The offer's own theme is what it signals most.
    signals = EarlySignalCount.objects.filter(record__offer__name="Maatschappelijk werk")
    per_theme = {
        code: sum(signals.filter(theme__code=code).values_list("count", flat=True))
        for code in ("thema-armoede-schulden", "thema-eenzaamheid")
    }
    assert per_theme["thema-armoede-schulden"] > per_theme["thema-eenzaamheid"]
    assert not EarlySignalCount.objects.filter(theme__code="thema-vroegsignalering").exists()
