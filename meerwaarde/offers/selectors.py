"""Tenant-scoped reads of an organisation's offers; another organisation's offer is a 404."""

import datetime

from django.db.models import Case, CharField, Count, Q, QuerySet, Value, When
from django.http import Http404

from meerwaarde.offers.constants import OfferStatus
from meerwaarde.offers.models import Offer, confirmation_cutoffs
from meerwaarde.organisations.models import Organisation

# Archived offers are out of the directory anyway: nobody needs to confirm them.
_CONFIRMABLE = [OfferStatus.ACTIVE, OfferStatus.PAUSED]


def _needs_confirmation(today: datetime.date | None) -> Q:
    warn_before, _hide = confirmation_cutoffs(today)
    return Q(status__in=_CONFIRMABLE, last_confirmed_on__lt=warn_before)


def offer_list(
    *,
    organisation: Organisation,
    status: str | None = None,
    q: str | None = None,
    needs_confirmation: bool = False,
    today: datetime.date | None = None,
) -> QuerySet[Offer]:
    """The organisation's offers by name, each annotated with ``confirmation`` ("current",
    "warn" or "hidden", see ``Offer.confirmation_state``).

    ``needs_confirmation`` keeps the active and paused offers past the warning period.
    """
    warn_before, hide_before = confirmation_cutoffs(today)
    offers = (
        Offer.objects.filter(organisation=organisation)
        .select_related("intervention_type")
        .annotate(
            confirmation=Case(
                When(last_confirmed_on__lt=hide_before, then=Value("hidden")),
                When(last_confirmed_on__lt=warn_before, then=Value("warn")),
                default=Value("current"),
                output_field=CharField(),
            )
        )
    )
    if status:
        offers = offers.filter(status=status)
    if q:
        for word in q.split():
            offers = offers.filter(name__icontains=word)
    if needs_confirmation:
        offers = offers.filter(_needs_confirmation(today))
    return offers.order_by("name", "pk")


def offer_get(*, organisation: Organisation, pk: int) -> Offer:
    """One of the organisation's offers with everything its page shows."""
    offer = (
        Offer.objects.filter(organisation=organisation, pk=pk)
        .select_related("intervention_type", "intervention_type__scheme", "created_by")
        .prefetch_related("themes", "target_groups", "working_elements", "locations__place")
        .first()
    )
    if offer is None:
        raise Http404
    return offer


def offer_counts(*, organisation: Organisation, today: datetime.date | None = None) -> dict:
    """For the start page: offers that are not archived, and how many of them need confirming."""
    return Offer.objects.filter(organisation=organisation).aggregate(
        total=Count("pk", filter=Q(status__in=_CONFIRMABLE)),
        needs_confirmation=Count("pk", filter=_needs_confirmation(today)),
    )


def offer_count_needing_confirmation(
    *, organisation: Organisation, today: datetime.date | None = None
) -> int:
    return offer_counts(organisation=organisation, today=today)["needs_confirmation"]
