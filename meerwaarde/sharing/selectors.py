"""Reads of grants, impact pages and API keys, each scoped to one organisation.

Two sides: what an organisation gave (``organisation=``, its coordinators manage it) and what
it received (``partner=``, every member may look). Anything outside that is a 404: a partner
must not learn whether another grant, report or organisation page exists.
"""

import datetime

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from meerwaarde.organisations.models import Organisation
from meerwaarde.sharing.models import AccessGrant, ApiToken, ImpactPage


def _today(today: datetime.date | None) -> datetime.date:
    return today or timezone.localdate()


def _with_subjects(grants: QuerySet[AccessGrant]) -> QuerySet[AccessGrant]:
    return grants.select_related("organisation", "partner", "report", "programme")


# Given ------------------------------------------------------------------------------------


def grants_given(*, organisation: Organisation) -> QuerySet[AccessGrant]:
    """Every grant the organisation gave, active or not, newest first."""
    return _with_subjects(AccessGrant.objects.filter(organisation=organisation)).order_by(
        "-created_at", "-pk"
    )


def grant_get_given(*, organisation: Organisation, pk: int) -> AccessGrant:
    return get_object_or_404(grants_given(organisation=organisation), pk=pk)


# Received ---------------------------------------------------------------------------------


def grants_for_partner(
    *, partner: Organisation, today: datetime.date | None = None
) -> QuerySet[AccessGrant]:
    """The grants ``partner`` may use today: not revoked, and ``ends_on`` today or later."""
    return _with_subjects(
        AccessGrant.objects.filter(
            partner=partner, revoked_at__isnull=True, ends_on__gte=_today(today)
        )
    ).order_by("ends_on", "organisation__name", "pk")


def grant_get_for_partner(
    *,
    partner: Organisation,
    pk: int,
    kind: str | None = None,
    today: datetime.date | None = None,
) -> AccessGrant:
    """One active grant of ``partner``; Http404 when it is missing, revoked, ended, another
    organisation's or (with ``kind``) of another kind."""
    grants = grants_for_partner(partner=partner, today=today)
    if kind is not None:
        grants = grants.filter(kind=kind)
    grant = grants.filter(pk=pk).first()
    if grant is None:
        raise Http404
    return grant


def partner_choices(*, organisation: Organisation) -> QuerySet[Organisation]:
    """The organisations on the platform that may receive a grant: every one but itself."""
    return (
        Organisation.objects.exclude(pk=organisation.pk)
        .select_related("place")
        .order_by("name", "pk")
    )


# Impact pages -----------------------------------------------------------------------------


def impact_page_for(*, organisation: Organisation) -> ImpactPage:
    """The organisation's impact page; an unsaved, unpublished one until it saves settings."""
    page = ImpactPage.objects.filter(organisation=organisation).first()
    return page or ImpactPage(organisation=organisation)


def impact_page_get_published(*, slug: str) -> ImpactPage:
    """The published impact page of the organisation ``slug``; Http404 when it has none."""
    return get_object_or_404(
        ImpactPage.objects.select_related("organisation", "organisation__place"),
        organisation__slug=slug,
        is_published=True,
    )


# API keys ---------------------------------------------------------------------------------


def api_tokens(*, organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=organisation).order_by("-created_at", "-pk")


def api_token_get(*, organisation: Organisation, pk: int) -> ApiToken:
    return get_object_or_404(api_tokens(organisation=organisation), pk=pk)


def api_token_for_key_hash(*, key_hash: str, today: datetime.date | None = None) -> ApiToken | None:
    """The usable key with this hash: not revoked and not past its last day."""
    return (
        ApiToken.objects.select_related("organisation")
        .filter(key_hash=key_hash, revoked_at__isnull=True)
        .filter(Q(expires_on__isnull=True) | Q(expires_on__gte=_today(today)))
        .first()
    )
