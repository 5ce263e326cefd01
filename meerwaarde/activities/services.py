"""Writes for activity records: a month of an offer is entered, corrected and deleted whole.

A save replaces every count of that month, referrals and early signals included, so the
form never has to work out what was removed.
"""

import datetime
from collections.abc import Mapping
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
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
)
from meerwaarde.activities.models import ActivityRecord, EarlySignalCount, ReferralCount
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

    existing = ActivityRecord.objects.filter(offer=offer, month=month).first()
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

    record, _created = ActivityRecord.objects.update_or_create(
        offer=offer,
        month=month,
        defaults={
            "organisation": organisation,
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
    return record


@transaction.atomic
def activity_record_delete(*, record: ActivityRecord) -> None:
    """Remove a month entered by mistake; its referrals and signals go with it."""
    record.delete()
