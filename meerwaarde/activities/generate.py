"""Believable monthly activity counts for the demo: a year of every offer of some organisations.

Each offer gets a profile from its intervention type (a buddy project has volunteers and few
meetings per participant, a walk-in many people and short visits), a size of its own, a dip
in the summer holidays (shelters the other way round: fuller in winter), referrals mostly
from GPs and neighbourhood teams, and early signals on its own themes. Deterministic for a
seed: each offer draws from a generator seeded by the seed, its organisation and its name.
Rows go in with ``bulk_create``; months already entered are left alone; the totals per
intervention type and of all are rebuilt afterwards.
"""

import datetime
import random
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from meerwaarde.activities.constants import (
    REFERRAL_SCHEME,
    SIGNAL_THEMES_HIDDEN,
    THEME_SCHEME,
    ReferralDirection,
)
from meerwaarde.activities.models import ActivityRecord, EarlySignalCount, ReferralCount
from meerwaarde.activities.services import activity_totals_rebuild
from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept

BATCH = 2000


@dataclass(frozen=True)
class Profile:
    meetings: tuple[float, float]  # a typical month of an offer of average size
    reach: tuple[float, float]
    new_share: float  # of those reached, new that month
    volunteers: tuple[float, float]
    hours_per_volunteer: tuple[float, float]
    referred_share: float  # of the new participants, sent by someone
    referred_on_share: float  # of those reached, referred on by the offer
    signal_share: float  # of those reached, an early signal
    winter_peak: bool = False
    # Buddy projects match one volunteer to one participant: their volunteers follow reach.
    volunteers_follow_reach: bool = False


BUDDY = Profile(
    (30, 110), (12, 45), 0.12, (0.75, 1.05), (5, 12), 0.8, 0.06, 0.08, volunteers_follow_reach=True
)
MONTHLY = Profile((1, 2), (20, 60), 0.12, (4, 10), (3, 6), 0.35, 0.05, 0.06)
GROUP = Profile((8, 22), (20, 90), 0.15, (3, 12), (4, 10), 0.35, 0.04, 0.05)
COURSE = Profile((4, 10), (8, 30), 0.35, (0, 3), (3, 8), 0.6, 0.05, 0.04)
INDIVIDUAL = Profile((60, 220), (30, 110), 0.22, (0, 0), (0, 0), 0.7, 0.15, 0.12)
OUTREACH = Profile((40, 150), (25, 90), 0.3, (0, 2), (4, 8), 0.45, 0.2, 0.2)
YOUTH = Profile((12, 40), (40, 150), 0.1, (1, 6), (4, 10), 0.2, 0.05, 0.08)
SHELTER = Profile((28, 31), (10, 45), 0.25, (2, 10), (6, 16), 0.9, 0.3, 0.1, winter_peak=True)

_KINDS: dict[Profile, tuple[str, ...]] = {
    BUDDY: (
        "maatjesproject", "taalmaatje", "schuldhulpmaatje", "burenhulp", "vervoersdienst",
        "telefooncirkel", "thuisadministratie", "huiswerkbegeleiding", "voedselbank",
        "respijtzorg", "ervaringsdeskundige-inzet",
    ),
    COURSE: (
        "budgetcursus", "oudercursus", "scheidingsgroep-kinderen", "herstelacademie",
        "ouders-scheiding",
    ),
    INDIVIDUAL: (
        "maatschappelijk-werk", "schoolmaatschappelijk-werk", "sociaal-wijkteam",
        "clientondersteuning", "sociaal-raadslieden", "formulierenhulp", "woonbegeleiding",
        "jongerencoaching", "ouderenadvies", "preventief-huisbezoek", "welzijn-op-recept",
        "opvoedondersteuning", "mantelzorgondersteuning", "statushoudersbegeleiding",
        "buurtbemiddeling", "aanpak-huiselijk-geweld",
    ),
    OUTREACH: (
        "outreachend-werken", "bemoeizorg", "vroegsignalering-schulden", "ambulant-jongerenwerk",
    ),
    YOUTH: ("jongerenwerk", "kinderwerk"),
    MONTHLY: ("alzheimercafe",),
    SHELTER: ("opvang", "nachtopvang", "vrouwenopvang"),
}  # fmt: skip
PROFILES = {f"interventie-{code}": p for p, codes in _KINDS.items() for code in codes}

# Summer holidays empty the groups; December is quiet too.
SEASON = {1: 0.95, 2: 1.0, 3: 1.05, 4: 1.0, 5: 1.0, 6: 0.95, 7: 0.7, 8: 0.6, 9: 1.05,
          10: 1.05, 11: 1.05, 12: 0.85}  # fmt: skip
WINTER = {1: 1.2, 2: 1.15, 3: 1.05, 4: 1.0, 5: 0.95, 6: 0.9, 7: 0.9, 8: 0.9, 9: 0.95,
          10: 1.0, 11: 1.1, 12: 1.2}  # fmt: skip

# Who sends people to social work, and where it sends them on: GPs and neighbourhood teams
# first (the IZA's Welzijn op Recept and wijkteam routes).
REFERRED_BY = {
    "verwijzer-huisarts": 5, "verwijzer-poh": 3, "verwijzer-wijkteam": 5,
    "verwijzer-gemeente": 2, "verwijzer-ggz": 1.5, "verwijzer-ziekenhuis-wijkverpleging": 1.5,
    "verwijzer-school": 0.5, "verwijzer-woningcorporatie": 1, "verwijzer-politie": 0.3,
    "verwijzer-eigen-initiatief": 3, "verwijzer-netwerk": 2, "verwijzer-sociaalwerk": 2,
}  # fmt: skip
REFERRED_TO = {
    "verwijzer-huisarts": 2, "verwijzer-poh": 1, "verwijzer-wijkteam": 5,
    "verwijzer-gemeente": 3, "verwijzer-ggz": 2, "verwijzer-ziekenhuis-wijkverpleging": 1,
    "verwijzer-school": 0.5, "verwijzer-woningcorporatie": 1, "verwijzer-politie": 0.2,
    "verwijzer-netwerk": 0.5, "verwijzer-sociaalwerk": 3,
}  # fmt: skip
# A theme of the offer makes some sources likelier: (theme, source, factor).
THEME_SOURCES = (
    ("thema-jeugd-jongeren", "verwijzer-school", 6),
    ("thema-opvoeden-opgroeien", "verwijzer-school", 6),
    ("thema-armoede-schulden", "verwijzer-gemeente", 2),
    ("thema-armoede-schulden", "verwijzer-woningcorporatie", 2),
    ("thema-psychische-kwetsbaarheid", "verwijzer-ggz", 3),
    ("thema-maatschappelijke-opvang", "verwijzer-politie", 5),
    ("thema-maatschappelijke-opvang", "verwijzer-ggz", 2),
    ("thema-langer-thuis", "verwijzer-ziekenhuis-wijkverpleging", 2),
    ("thema-dementie-thuis", "verwijzer-ziekenhuis-wijkverpleging", 2),
)
# What social workers pick up anywhere, besides the offer's own themes.
COMMON_SIGNALS = {
    "thema-armoede-schulden": 3, "thema-eenzaamheid": 3, "thema-psychische-kwetsbaarheid": 2,
    "thema-mantelzorg": 1.5, "thema-wonen-leefbaarheid": 1, "thema-huiselijk-geweld": 0.5,
}  # fmt: skip
OWN_THEME_WEIGHT = 4


def profile_for(offer: Offer) -> Profile:
    kind = offer.intervention_type
    for code in (kind.code, kind.broader.code if kind.broader else ""):
        if code in PROFILES:
            return PROFILES[code]
    return GROUP


def _months(end: datetime.date, count: int) -> list[datetime.date]:
    """The ``count`` months up to and including the month of ``end``, oldest first."""
    months, month = [], end.replace(day=1)
    for _i in range(count):
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def _weights(
    base: dict[str, float], concepts: dict[str, Concept], themes: set[str]
) -> tuple[list[Concept], list[float]]:
    weights = dict(base)
    for theme, source, factor in THEME_SOURCES:
        if theme in themes and source in weights:
            weights[source] *= factor
    pairs = [(concepts[code], w) for code, w in weights.items() if code in concepts]
    return [c for c, _w in pairs], [w for _c, w in pairs]


def _draw(
    rng: random.Random, concepts: Sequence[Concept], weights: Sequence[float], total: int
) -> Counter:
    if total <= 0 or not concepts:
        return Counter()
    return Counter(rng.choices(concepts, weights=weights, k=total))


@dataclass
class _OfferPlan:
    offer: Offer
    rng: random.Random
    profile: Profile
    sources_in: tuple[list[Concept], list[float]]
    sources_out: tuple[list[Concept], list[float]]
    signal_themes: tuple[list[Concept], list[float]]


def _plan(offer: Offer, seed: int, nth: int, sources: dict, themes: dict) -> _OfferPlan:
    rng = random.Random(f"{seed}:{offer.organisation.slug}:{offer.name}:{nth}")
    own = {t.code for t in offer.themes.all()}
    signal_weights = dict(COMMON_SIGNALS)
    for code in own - SIGNAL_THEMES_HIDDEN:
        signal_weights[code] = signal_weights.get(code, 0) + OWN_THEME_WEIGHT
    signal = [(themes[c], w) for c, w in sorted(signal_weights.items()) if c in themes]
    return _OfferPlan(
        offer=offer,
        rng=rng,
        profile=profile_for(offer),
        sources_in=_weights(REFERRED_BY, sources, own),
        sources_out=_weights(REFERRED_TO, sources, own),
        signal_themes=([c for c, _w in signal], [w for _c, w in signal]),
    )


def _month_rows(plan: _OfferPlan, months: list[datetime.date], skip: set[datetime.date]):
    """Yields (record, referral rows, signal rows) per month; draws for skipped months too,
    so a month's numbers do not depend on which others were already entered."""
    rng, p = plan.rng, plan.profile
    size = rng.uniform(0.6, 1.5)
    reach = rng.uniform(*p.reach) * size
    meetings = rng.uniform(*p.meetings) * (size if p is not SHELTER else 1)
    volunteers = rng.uniform(*p.volunteers) * (reach if p.volunteers_follow_reach else size)
    hours_each = rng.uniform(*p.hours_per_volunteer) if p.hours_per_volunteer[1] else 0.0
    growth = rng.uniform(-0.01, 0.03)  # per month
    season = WINTER if p.winter_peak else SEASON
    for i, month in enumerate(months):
        factor = max(0.3, season[month.month] * (1 + growth * i) * rng.gauss(1, 0.08))
        reached = max(0, round(reach * factor))
        held = min(31, round(meetings)) if p is SHELTER else round(meetings * factor)
        new = min(reached, round(reached * p.new_share * rng.uniform(0.6, 1.4)))
        holiday = 0.9 if month.month in (7, 8) else 1.0
        active = max(0, round(volunteers * rng.uniform(0.92, 1.05) * holiday))
        hours = Decimal(
            round(active * hours_each * factor * rng.uniform(0.85, 1.15), 1) if active else 0
        ).quantize(Decimal("0.1"))
        referred_in = round(new * p.referred_share * rng.uniform(0.7, 1.2))
        referred_out = round(reached * p.referred_on_share * rng.uniform(0.5, 1.5))
        signal_count = round(reached * p.signal_share * rng.uniform(0.5, 1.5))
        drawn_in = _draw(rng, *plan.sources_in, referred_in)
        drawn_out = _draw(rng, *plan.sources_out, referred_out)
        drawn_signals = _draw(rng, *plan.signal_themes, signal_count)
        if month in skip:
            continue
        record = ActivityRecord(
            organisation=plan.offer.organisation,
            offer=plan.offer,
            month=month,
            meetings_held=max(held, 1) if reached else held,
            participants_reached=reached,
            new_participants=new,
            active_volunteers=active,
            volunteer_hours=hours,
        )
        referrals = [
            ReferralCount(record=record, direction=ReferralDirection.IN, source=c, count=n)
            for c, n in sorted(drawn_in.items(), key=lambda item: item[0].code)
        ] + [
            ReferralCount(record=record, direction=ReferralDirection.OUT, source=c, count=n)
            for c, n in sorted(drawn_out.items(), key=lambda item: item[0].code)
        ]
        signals = [
            EarlySignalCount(record=record, theme=c, count=n)
            for c, n in sorted(drawn_signals.items(), key=lambda item: item[0].code)
        ]
        yield record, referrals, signals


def _accepted(scheme: str) -> dict[str, Concept]:
    return {
        c.code: c
        for c in Concept.objects.filter(scheme__code=scheme, status=ConceptStatus.ACCEPTED)
    }


@transaction.atomic
def generate_activities(
    *,
    organisations: Iterable[Organisation],
    months: int = 12,
    end: datetime.date,
    seed: int,
) -> int:
    """Records for the ``months`` months up to the month of ``end``, for every active or
    paused offer of ``organisations``; returns how many records were written."""
    period = _months(end, months)
    offers = list(
        Offer.objects.filter(
            organisation__in=list(organisations),
            status__in=[OfferStatus.ACTIVE, OfferStatus.PAUSED],
        )
        .select_related("organisation", "intervention_type__broader")
        .prefetch_related("themes")
        .order_by("organisation__slug", "name", "pk")
    )
    entered: dict[int, set[datetime.date]] = {}
    for offer_id, month in ActivityRecord.objects.filter(
        offer__in=offers, month__in=period
    ).values_list("offer_id", "month"):
        entered.setdefault(offer_id, set()).add(month)
    sources, themes = _accepted(REFERRAL_SCHEME), _accepted(THEME_SCHEME)

    records: list[ActivityRecord] = []
    referrals: list[ReferralCount] = []
    signals: list[EarlySignalCount] = []
    seen: Counter = Counter()
    for offer in offers:
        key = (offer.organisation.slug, offer.name)
        seen[key] += 1
        plan = _plan(offer, seed, seen[key], sources, themes)
        for record, its_referrals, its_signals in _month_rows(
            plan, period, entered.get(offer.pk, set())
        ):
            records.append(record)
            referrals += its_referrals
            signals += its_signals
    # The children point at records not yet saved: bulk_create sets the records' pks (on
    # SQLite and PostgreSQL alike) and Django copies them into the children when they go in.
    ActivityRecord.objects.bulk_create(records, batch_size=BATCH)
    ReferralCount.objects.bulk_create(referrals, batch_size=BATCH)
    EarlySignalCount.objects.bulk_create(signals, batch_size=BATCH)
    # bulk_create passes by the services that keep the totals in step.
    activity_totals_rebuild()
    return len(records)
