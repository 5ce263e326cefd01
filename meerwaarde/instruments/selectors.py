"""Reads of instruments: the shipped ones and the organisation's own; another's own is a 404."""

from collections.abc import Iterable

from django.db.models import F, Q, QuerySet
from django.http import Http404

from meerwaarde.instruments.models import Instrument
from meerwaarde.organisations.models import Organisation
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.models import Concept


def instrument_list_for(
    *, organisation: Organisation, include_inactive: bool = False
) -> QuerySet[Instrument]:
    """The instruments the organisation can measure with: shipped first, then its own.

    ``include_inactive`` adds its own deactivated ones (for the admin's list).
    """
    instruments = Instrument.objects.filter(
        Q(organisation__isnull=True) | Q(organisation=organisation)
    )
    if not include_inactive:
        instruments = instruments.filter(is_active=True)
    return instruments.order_by(F("organisation_id").asc(nulls_first=True), "name", "version", "pk")


def instrument_get(*, organisation: Organisation, pk: int) -> Instrument:
    """A shipped instrument or one of the organisation's own, active or not."""
    instrument = (
        Instrument.objects.filter(Q(organisation__isnull=True) | Q(organisation=organisation))
        .filter(pk=pk)
        .first()
    )
    if instrument is None:
        raise Http404
    return instrument


def instrument_get_own(*, organisation: Organisation, pk: int) -> Instrument:
    """One of the organisation's own instruments; a shipped one is a 404 here too."""
    instrument = Instrument.objects.filter(organisation=organisation, pk=pk).first()
    if instrument is None:
        raise Http404
    return instrument


def domain_labels(*, codes: Iterable[str]) -> dict[str, str]:
    """The Dutch label of each outcome-domain code, for an instrument's page."""
    return dict(
        Concept.objects.filter(scheme__code="outcome_domains", code__in=set(codes)).values_list(
            "code", "pref_label_nl"
        )
    )


def outcome_domain_choices() -> list[tuple[str, str]]:
    """The accepted outcome domains as (code, label), for the builder's select."""
    return list(
        Concept.objects.filter(scheme__code="outcome_domains", status=ConceptStatus.ACCEPTED)
        .order_by("pref_label_nl")
        .values_list("code", "pref_label_nl")
    )
