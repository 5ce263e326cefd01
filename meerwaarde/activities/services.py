"""Writes for activity records: a month of an offer is entered, corrected and deleted whole.

A save replaces every count of that month, referrals and early signals included, so the
form never has to work out what was removed.
"""

import dataclasses
import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, F, OuterRef, QuerySet, Subquery, Sum
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from meerwaarde.accounts.models import User
from meerwaarde.activities.constants import (
    MAX_COUNT,
    MAX_HOURS,
    NOT_REFERRED_TO,
    REFERRAL_SCHEME,
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
from meerwaarde.core import generations
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept

COUNT_FIELDS = ("meetings_held", "participants_reached", "new_participants", "active_volunteers")


def first_of_month(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


class _Errors:
    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, field: str, message: str) -> None:
        self.by_field.setdefault(field, []).append(message)

    def raise_if_any(self) -> None:
        if self.by_field:
            raise ValidationError(self.by_field)


def _count_error(value: object) -> str | None:
    if not isinstance(value, int) or isinstance(value, bool):
        return _("Vul een aantal in.")
    if not 0 <= value <= MAX_COUNT:
        return _("Vul een aantal in van 0 tot en met %(max)s.") % {
            "max": number_format(MAX_COUNT, force_grouping=True)
        }
    return None


def _clean_hours(value: object, errors: _Errors) -> Decimal:
    try:
        hours = Decimal(str(value)) if value is not None else None
    except InvalidOperation:
        hours = None
    if hours is None or not hours.is_finite():
        errors.add("volunteer_hours", _("Vul het aantal uren in, bijvoorbeeld 12,5."))
        return Decimal(0)
    if not 0 <= hours <= MAX_HOURS:
        errors.add(
            "volunteer_hours",
            _("Vul een aantal uren in van 0 tot en met %(max)s.")
            % {"max": number_format(MAX_HOURS, force_grouping=True)},
        )
    elif hours != hours.quantize(Decimal("0.1")):
        errors.add("volunteer_hours", _("Vul de uren in met hoogstens één cijfer achter de komma."))
    return hours


def _clean_counts(
    field: str,
    counts: Mapping[Concept, int | None],
    *,
    scheme: str,
    already_counted: set[int],
    errors: _Errors,
    refused: frozenset[str] = frozenset(),
) -> dict[Concept, int]:
    """The non-zero counts per concept; a concept that is no longer accepted may stay only
    where the month already counted it, so an old month can still be corrected."""
    kept: dict[Concept, int] = {}
    for concept, count in counts.items():
        if count is None or count == 0:
            continue
        label = concept.pref_label_nl
        problem = None
        if _count_error(count) is not None:
            problem = _("%(label)s: vul een aantal in van 0 tot en met %(max)s.") % {
                "label": label,
                "max": number_format(MAX_COUNT, force_grouping=True),
            }
        if concept.scheme.code != scheme:
            problem = _("‘%(label)s’ hoort niet in deze lijst.") % {"label": label}
        elif concept.code in refused:
            problem = _("Naar ‘%(label)s’ kan niemand worden doorverwezen.") % {"label": label}
        elif concept.status != ConceptStatus.ACCEPTED and concept.pk not in already_counted:
            problem = _("‘%(label)s’ is geen vastgesteld begrip; kies een ander.") % {
                "label": label
            }
        if problem is not None:
            errors.add(field, problem)
        else:
            kept[concept] = count
    return kept


@transaction.atomic
def activity_record_save(
    *,
    organisation: Organisation,
    offer: Offer,
    month: datetime.date,
    recorded_by: User | None,
    meetings_held: int,
    participants_reached: int,
    new_participants: int,
    active_volunteers: int,
    volunteer_hours: Decimal | int,
    referrals_in: Mapping[Concept, int | None],
    referrals_out: Mapping[Concept, int | None],
    early_signals: Mapping[Concept, int | None],
    today: datetime.date | None = None,
) -> ActivityRecord:
    """Create or replace the record of ``offer`` for ``month`` (any day of it).

    Raises ValidationError with Dutch messages per argument name: the offer must be the
    organisation's, the month not in the future, the counts within bounds and consistent.
    Zero or empty counts per concept are left out.
    """
    today = today or timezone.localdate()
    month = first_of_month(month)
    errors = _Errors()
    if offer.organisation_id != organisation.pk:
        errors.add("offer", _("Dit aanbod hoort niet bij uw organisatie."))
    if month > first_of_month(today):
        errors.add("month", _("Een maand in de toekomst kan nog niet worden ingevuld."))
    counts = {
        "meetings_held": meetings_held,
        "participants_reached": participants_reached,
        "new_participants": new_participants,
        "active_volunteers": active_volunteers,
    }
    for field, value in counts.items():
        problem = _count_error(value)
        if problem is not None:
            errors.add(field, problem)
    hours = _clean_hours(volunteer_hours, errors)
    both_valid = not {"new_participants", "participants_reached"} & errors.by_field.keys()
    if both_valid and new_participants > participants_reached:
        errors.add(
            "new_participants",
            _("Er kunnen niet meer nieuwe deelnemers zijn dan deelnemers bereikt."),
        )
    if hours > 0 and active_volunteers == 0:
        errors.add(
            "active_volunteers",
            _(
                "Er zijn uren van vrijwilligers ingevuld: "
                "vul ook in hoeveel vrijwilligers actief waren."
            ),
        )

    existing = ActivityRecord.objects.select_for_update().filter(offer=offer, month=month).first()
    sources_counted: set[int] = set()
    themes_counted: set[int] = set()
    if existing is not None:
        sources_counted = set(existing.referrals.values_list("source_id", flat=True))
        themes_counted = set(existing.early_signals.values_list("theme_id", flat=True))
    referral_rows = [
        (
            ReferralDirection.IN,
            _clean_counts(
                "referrals_in",
                referrals_in,
                scheme=REFERRAL_SCHEME,
                already_counted=sources_counted,
                errors=errors,
            ),
        ),
        (
            ReferralDirection.OUT,
            _clean_counts(
                "referrals_out",
                referrals_out,
                scheme=REFERRAL_SCHEME,
                already_counted=sources_counted,
                errors=errors,
                refused=NOT_REFERRED_TO,
            ),
        ),
    ]
    signals = _clean_counts(
        "early_signals",
        early_signals,
        scheme=THEME_SCHEME,
        already_counted=themes_counted,
        errors=errors,
    )
    errors.raise_if_any()

    deltas = _Deltas()
    if existing is not None:
        _add_grouped(deltas, ActivityRecord.objects.filter(pk=existing.pk), -1)
    record, _created = ActivityRecord.objects.update_or_create(
        offer=offer,
        month=month,
        defaults={
            "organisation": organisation,
            "intervention_type_id": offer.intervention_type_id,
            "recorded_by": recorded_by,
            "volunteer_hours": hours,
            **counts,
        },
    )
    record.referrals.all().delete()
    record.early_signals.all().delete()
    ReferralCount.objects.bulk_create(
        ReferralCount(record=record, direction=direction, source=concept, count=count)
        for direction, by_concept in referral_rows
        for concept, count in by_concept.items()
    )
    EarlySignalCount.objects.bulk_create(
        EarlySignalCount(record=record, theme=concept, count=count)
        for concept, count in signals.items()
    )
    _add_grouped(deltas, ActivityRecord.objects.filter(pk=record.pk), +1)
    _apply(deltas)
    generations.bump(generations.FIGURES)
    return record


@transaction.atomic
def activity_record_delete(*, record: ActivityRecord) -> None:
    """Remove a month entered by mistake; its referrals and signals go with it."""
    deltas = _Deltas()
    _add_grouped(deltas, ActivityRecord.objects.filter(pk=record.pk), -1)
    _apply(deltas)
    record.delete()
    generations.bump(generations.FIGURES)


# Running totals per intervention type and of all ------------------------------------------

_BOTH_SCOPES = (TotalsScope.INTERVENTION_TYPE, TotalsScope.ALL)

# (scope, intervention type pk or None, month)
_MonthKey = tuple[str, int | None, datetime.date]
# (scope, intervention type pk or None, month, kind, concept pk)
_ConceptKey = tuple[str, int | None, datetime.date, str, int]


@dataclass
class _Deltas:
    """What to add to (or, negative, take from) the totals rows, per key."""

    months: dict[_MonthKey, dict[str, int | Decimal]] = dataclasses.field(
        default_factory=lambda: defaultdict(lambda: defaultdict(int))
    )
    concepts: dict[_ConceptKey, int] = dataclasses.field(default_factory=lambda: defaultdict(int))


def _key_type(scope: str, type_id: int | None) -> int | None:
    return type_id if scope == TotalsScope.INTERVENTION_TYPE else None


def _add_grouped(
    deltas: _Deltas,
    records: QuerySet[ActivityRecord],
    sign: int,
    *,
    scopes: Iterable[str] = _BOTH_SCOPES,
    retype: int | None = None,
) -> None:
    """Add the ``records``' counts, times ``sign``, under the type they are counted in (or
    ``retype``); records not counted yet (type null) are left out. Three grouped queries."""
    records = records.filter(intervention_type__isnull=False)
    scopes = tuple(scopes)
    base = records.values("intervention_type_id", "month").annotate(
        offers_reporting=Count("pk"),
        meetings_held_sum=Sum("meetings_held"),
        participants_reached_sum=Sum("participants_reached"),
        new_participants_sum=Sum("new_participants"),
        active_volunteers_sum=Sum("active_volunteers"),
        volunteer_hours_sum=Sum("volunteer_hours"),
    )
    for row in base.order_by():
        type_id = retype or row["intervention_type_id"]
        sums: dict[str, int | Decimal] = {
            "offers_reporting": row["offers_reporting"],
            "meetings_held": row["meetings_held_sum"],
            "participants_reached": row["participants_reached_sum"],
            "new_participants": row["new_participants_sum"],
            "active_volunteers": row["active_volunteers_sum"],
            "volunteer_hours": row["volunteer_hours_sum"],
        }
        for scope in scopes:
            target = deltas.months[(scope, _key_type(scope, type_id), row["month"])]
            for name, value in sums.items():
                target[name] += sign * value
    concept_rows = [
        (
            ReferralCount.objects.filter(record__in=records).values(
                type_id=F("record__intervention_type_id"),
                month=F("record__month"),
                kind=F("direction"),
                concept_id=F("source_id"),
            )
        ),
        (
            EarlySignalCount.objects.filter(record__in=records).values(
                type_id=F("record__intervention_type_id"),
                month=F("record__month"),
                concept_id=F("theme_id"),
            )
        ),
    ]
    for rows in concept_rows:
        for row in rows.annotate(total=Sum("count")).order_by():
            type_id = retype or row["type_id"]
            kind = row.get("kind", TotalsKind.EARLY_SIGNALS)
            for scope in scopes:
                key = (scope, _key_type(scope, type_id), row["month"], kind, row["concept_id"])
                deltas.concepts[key] += sign * row["total"]


def _add_or_create(rows: QuerySet, updates: dict, new: models.Model) -> None:
    """Add to the row, or create it. When another transaction creates the same row first,
    the insert fails on the unique constraint and the addition goes to that row."""
    if rows.update(**updates):
        return
    try:
        with transaction.atomic():
            new.save(force_insert=True)
    except IntegrityError:
        rows.update(**updates)


def _apply(deltas: _Deltas) -> None:
    """Add the deltas to the rows, creating missing ones and deleting those that fall to 0."""
    months: set[datetime.date] = set()
    for (scope, type_id, month), change in deltas.months.items():
        if not any(change.values()):
            continue
        months.add(month)
        month_rows = ActivityMonthTotals.objects.filter(
            scope=scope, intervention_type_id=type_id, month=month
        )
        _add_or_create(
            month_rows,
            {name: F(name) + value for name, value in change.items()},
            ActivityMonthTotals(scope=scope, intervention_type_id=type_id, month=month, **change),
        )
    for (scope, type_id, month, kind, concept_id), count in deltas.concepts.items():
        if not count:
            continue
        months.add(month)
        concept_rows = ActivityConceptTotals.objects.filter(
            scope=scope, intervention_type_id=type_id, month=month, kind=kind, concept_id=concept_id
        )
        _add_or_create(
            concept_rows,
            {"count": F("count") + count},
            ActivityConceptTotals(
                scope=scope,
                intervention_type_id=type_id,
                month=month,
                kind=kind,
                concept_id=concept_id,
                count=count,
            ),
        )
    if months:
        ActivityMonthTotals.objects.filter(month__in=months, offers_reporting=0).delete()
        ActivityConceptTotals.objects.filter(month__in=months, count=0).delete()


@transaction.atomic
def activity_totals_offer_changed(*, offer: Offer) -> int:
    """Move the offer's records to the totals of its current intervention type; returns how
    many moved. The totals of all stay as they are. One indexed query when nothing changed."""
    stale = ActivityRecord.objects.filter(
        offer_id=offer.pk, intervention_type__isnull=False
    ).exclude(intervention_type_id=offer.intervention_type_id)
    if not stale.exists():
        return 0
    deltas = _Deltas()
    scopes = [TotalsScope.INTERVENTION_TYPE]
    _add_grouped(deltas, stale, -1, scopes=scopes)
    _add_grouped(deltas, stale, +1, scopes=scopes, retype=offer.intervention_type_id)
    _apply(deltas)
    return stale.update(intervention_type_id=offer.intervention_type_id)


@transaction.atomic
def activity_totals_forget(*, organisation: Organisation) -> None:
    """Take the organisation's records out of the totals, before its deletion takes them."""
    deltas = _Deltas()
    _add_grouped(deltas, ActivityRecord.objects.filter(organisation=organisation), -1)
    _apply(deltas)
    generations.bump(generations.FIGURES)


@dataclass(frozen=True)
class TotalsRebuildResult:
    records: int
    months: int
    concepts: int


@transaction.atomic
def activity_totals_rebuild() -> TotalsRebuildResult:
    """Count every record again, in the intervention type of its offer: the totals from
    scratch. Needed after records written outside the services (bulk_create)."""
    ActivityMonthTotals.objects.all().delete()
    ActivityConceptTotals.objects.all().delete()
    records = ActivityRecord.objects.update(
        intervention_type_id=Subquery(
            Offer.objects.filter(pk=OuterRef("offer_id")).values("intervention_type_id")[:1]
        )
    )
    deltas = _Deltas()
    _add_grouped(deltas, ActivityRecord.objects.all(), +1)
    month_rows = [
        ActivityMonthTotals(scope=scope, intervention_type_id=type_id, month=month, **sums)
        for (scope, type_id, month), sums in deltas.months.items()
    ]
    concept_rows = [
        ActivityConceptTotals(
            scope=scope,
            intervention_type_id=type_id,
            month=month,
            kind=kind,
            concept_id=concept_id,
            count=count,
        )
        for (scope, type_id, month, kind, concept_id), count in deltas.concepts.items()
    ]
    ActivityMonthTotals.objects.bulk_create(month_rows, batch_size=1000)
    ActivityConceptTotals.objects.bulk_create(concept_rows, batch_size=1000)
    # Bulk writers call this after writing records themselves: their records count from here.
    generations.bump(generations.FIGURES)
    return TotalsRebuildResult(records=records, months=len(month_rows), concepts=len(concept_rows))
