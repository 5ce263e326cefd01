"""Reads of activity records: tenant-scoped for the pages, across offers for the analysis."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, Min, Q, QuerySet, Sum
from django.http import Http404

from meerwaarde.activities.constants import (
    NOT_REFERRED_TO,
    REFERRAL_SCHEME,
    SIGNAL_THEMES_HIDDEN,
    THEME_SCHEME,
    ReferralDirection,
    TotalsKind,
    TotalsScope,
)
from meerwaarde.activities.models import (
    ActivityConceptTotals,
    ActivityMonthTotals,
    ActivityRecord,
    EarlySignalCount,
    ReferralCount,
)
from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept


def _with_counts(records: QuerySet[ActivityRecord]) -> QuerySet[ActivityRecord]:
    return records.select_related("offer", "recorded_by").prefetch_related(
        "referrals__source", "early_signals__theme"
    )


def activity_record_get(*, organisation: Organisation, pk: int) -> ActivityRecord:
    """One of the organisation's records with its referrals and signals; others are a 404."""
    record = _with_counts(ActivityRecord.objects.filter(organisation=organisation, pk=pk)).first()
    if record is None:
        raise Http404
    return record


def activity_record_find(
    *, organisation: Organisation, offer: Offer, month: datetime.date
) -> ActivityRecord | None:
    """The record of the offer for the month (any day of it), if it was entered."""
    return _with_counts(
        ActivityRecord.objects.filter(
            organisation=organisation, offer=offer, month=month.replace(day=1)
        )
    ).first()


def activity_records(
    *, organisation: Organisation, year: int | None = None, offer: Offer | None = None
) -> QuerySet[ActivityRecord]:
    """The organisation's records by offer name and month, without their referrals/signals."""
    records = ActivityRecord.objects.filter(organisation=organisation).select_related("offer")
    if year is not None:
        records = records.filter(month__year=year)
    if offer is not None:
        records = records.filter(offer=offer)
    return records.order_by("offer__name", "offer_id", "month")


def activity_overview_offers(*, organisation: Organisation, year: int) -> QuerySet[Offer]:
    """The rows of the year overview: offers that are not archived, and archived offers that
    have a record that year (their history stays visible)."""
    with_records = ActivityRecord.objects.filter(
        organisation=organisation, month__year=year
    ).values("offer_id")
    return (
        Offer.objects.filter(organisation=organisation)
        .filter(~Q(status=OfferStatus.ARCHIVED) | Q(pk__in=with_records))
        .order_by("name", "pk")
    )


def activity_filled_months(
    *, organisation: Organisation, year: int, offers: list[Offer]
) -> dict[int, dict[int, int]]:
    """{offer pk: {month number: record pk}} for the offers' records of the year; one query."""
    filled: dict[int, dict[int, int]] = defaultdict(dict)
    rows = ActivityRecord.objects.filter(
        organisation=organisation, month__year=year, offer__in=offers
    ).values_list("offer_id", "month", "pk")
    for offer_id, month, pk in rows:
        filled[offer_id][month.month] = pk
    return dict(filled)


def activity_years(*, organisation: Organisation) -> list[int]:
    """Years with at least one record, newest first."""
    dates = ActivityRecord.objects.filter(organisation=organisation).dates("month", "year")
    return sorted({d.year for d in dates}, reverse=True)


@dataclass(frozen=True)
class FormConcepts:
    """The concepts the month form has a number box for, by label."""

    sources_in: list[Concept]
    sources_out: list[Concept]
    themes: list[Concept]


def activity_form_concepts(*, record: ActivityRecord | None = None) -> FormConcepts:
    """The referral sources (in and out) and themes the form asks about: the accepted ones,
    plus any the record already counts, so a correction never silently drops a count."""
    sources_out: set[int] = set()
    sources: set[int] = set()
    themes: set[int] = set()
    if record is not None:
        for row in record.referrals.all():
            sources.add(row.source_id)
            if row.direction == ReferralDirection.OUT:
                sources_out.add(row.source_id)
        themes = {row.theme_id for row in record.early_signals.all()}
    concepts = (
        Concept.objects.filter(scheme__code__in=[REFERRAL_SCHEME, THEME_SCHEME])
        .filter(Q(status=ConceptStatus.ACCEPTED) | Q(pk__in=sources | themes))
        .select_related("scheme")
        .order_by("pref_label_nl")
    )
    found = FormConcepts(sources_in=[], sources_out=[], themes=[])
    for concept in concepts:
        if concept.scheme.code == REFERRAL_SCHEME:
            found.sources_in.append(concept)
            if concept.code not in NOT_REFERRED_TO or concept.pk in sources_out:
                found.sources_out.append(concept)
        elif concept.code not in SIGNAL_THEMES_HIDDEN or concept.pk in themes:
            found.themes.append(concept)
    return found


# Totals for the analysis ------------------------------------------------------------------


@dataclass(frozen=True)
class MonthTotals:
    """The counts of every record of one month, summed over a set of offers.

    Sums of counts, not people: someone reached by two offers is counted twice, and so is a
    volunteer active in two. ``offers_reporting`` says how many offers entered the month, so
    a month nobody entered (0) reads differently from a quiet one. Referral and signal maps
    are keyed by concept code and hold only non-zero counts.
    """

    month: datetime.date
    offers_reporting: int = 0
    meetings_held: int = 0
    participants_reached: int = 0
    new_participants: int = 0
    active_volunteers: int = 0
    volunteer_hours: Decimal = Decimal("0.0")
    referrals_in: dict[str, int] = field(default_factory=dict)
    referrals_out: dict[str, int] = field(default_factory=dict)
    early_signals: dict[str, int] = field(default_factory=dict)


def _months(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = (month + datetime.timedelta(days=32)).replace(day=1)
    return months


def activity_totals(
    *, offers: QuerySet[Offer], start: datetime.date, end: datetime.date
) -> list[MonthTotals]:
    """One ``MonthTotals`` per month from the month of ``start`` to that of ``end`` (both
    included, oldest first, months without records as zeros), over ``offers``.

    Not scoped to an organisation: the caller passes the offers of a selection it may see.
    Three grouped queries whatever the number of records.
    """
    months = _months(start, end)
    if not months:
        return []
    records = ActivityRecord.objects.filter(
        offer__in=offers.values("pk"), month__gte=months[0], month__lte=months[-1]
    )
    base = {
        row["month"]: row
        for row in records.values("month").annotate(
            offers_reporting=Count("pk"),
            meetings_held=Sum("meetings_held"),
            participants_reached=Sum("participants_reached"),
            new_participants=Sum("new_participants"),
            active_volunteers=Sum("active_volunteers"),
            volunteer_hours=Sum("volunteer_hours"),
        )
    }
    by_month: dict[datetime.date, dict[str, dict[str, int]]] = defaultdict(
        lambda: {"referrals_in": {}, "referrals_out": {}, "early_signals": {}}
    )
    referrals = (
        ReferralCount.objects.filter(record__in=records)
        .values("record__month", "direction", "source__code")
        .annotate(total=Sum("count"))
    )
    for referral in referrals:
        key = "referrals_in" if referral["direction"] == ReferralDirection.IN else "referrals_out"
        by_month[referral["record__month"]][key][referral["source__code"]] = referral["total"]
    signals = (
        EarlySignalCount.objects.filter(record__in=records)
        .values("record__month", "theme__code")
        .annotate(total=Sum("count"))
    )
    for signal in signals:
        by_month[signal["record__month"]]["early_signals"][signal["theme__code"]] = signal["total"]

    totals = []
    for month in months:
        row = base.get(month)
        if row is None:
            totals.append(MonthTotals(month=month))
            continue
        extra = by_month[month]
        totals.append(
            MonthTotals(
                month=month,
                offers_reporting=row["offers_reporting"],
                meetings_held=row["meetings_held"],
                participants_reached=row["participants_reached"],
                new_participants=row["new_participants"],
                active_volunteers=row["active_volunteers"],
                volunteer_hours=Decimal(row["volunteer_hours"]).quantize(Decimal("0.1")),
                referrals_in=extra["referrals_in"],
                referrals_out=extra["referrals_out"],
                early_signals=extra["early_signals"],
            )
        )
    return totals


_KIND_KEYS = {
    TotalsKind.REFERRALS_IN: "referrals_in",
    TotalsKind.REFERRALS_OUT: "referrals_out",
    TotalsKind.EARLY_SIGNALS: "early_signals",
}


def _scope_rows(
    model: type[ActivityMonthTotals] | type[ActivityConceptTotals],
    intervention_type: Concept | None,
) -> QuerySet:
    if intervention_type is None:
        # The type filter is implied by the scope, but lets SQLite use the (type, month) index.
        return model.objects.filter(scope=TotalsScope.ALL, intervention_type__isnull=True)
    return model.objects.filter(
        scope=TotalsScope.INTERVENTION_TYPE, intervention_type=intervention_type
    )


def activity_totals_bounds(
    *, intervention_type: Concept | None = None
) -> tuple[datetime.date | None, datetime.date | None]:
    """The first and last month with a record, of all offers or those of one type."""
    bounds = _scope_rows(ActivityMonthTotals, intervention_type).aggregate(
        first=Min("month"), last=Max("month")
    )
    return bounds["first"], bounds["last"]


def activity_totals_for_scope(
    *, intervention_type: Concept | None = None, start: datetime.date, end: datetime.date
) -> list[MonthTotals]:
    """What ``activity_totals`` gives over all offers, or all offers of ``intervention_type``,
    read from the running totals: two small queries however many records there are."""
    months = _months(start, end)
    if not months:
        return []
    period = {"month__gte": months[0], "month__lte": months[-1]}
    base = {
        row.month: row
        for row in _scope_rows(ActivityMonthTotals, intervention_type).filter(**period)
    }
    by_month: dict[datetime.date, dict[str, dict[str, int]]] = defaultdict(
        lambda: {"referrals_in": {}, "referrals_out": {}, "early_signals": {}}
    )
    concepts = (
        _scope_rows(ActivityConceptTotals, intervention_type)
        .filter(**period)
        .values_list("month", "kind", "count", "concept__code")
    )
    for month, kind, count, code in concepts:
        by_month[month][_KIND_KEYS[kind]][code] = count
    totals = []
    for month in months:
        row = base.get(month)
        if row is None:
            totals.append(MonthTotals(month=month))
            continue
        extra = by_month[month]
        totals.append(
            MonthTotals(
                month=month,
                offers_reporting=row.offers_reporting,
                meetings_held=row.meetings_held,
                participants_reached=row.participants_reached,
                new_participants=row.new_participants,
                active_volunteers=row.active_volunteers,
                volunteer_hours=Decimal(row.volunteer_hours).quantize(Decimal("0.1")),
                referrals_in=extra["referrals_in"],
                referrals_out=extra["referrals_out"],
                early_signals=extra["early_signals"],
            )
        )
    return totals
