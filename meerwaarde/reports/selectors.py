"""Tenant-scoped reads of reports; another organisation's report is a 404."""

import datetime

from django.db.models import QuerySet
from django.http import Http404

from meerwaarde.organisations.models import Organisation
from meerwaarde.reports.models import Report
from meerwaarde.sharing.models import AccessGrant, GrantKind
from meerwaarde.sharing.selectors import grant_get_for_partner


def report_list(*, organisation: Organisation) -> QuerySet[Report]:
    return Report.objects.filter(organisation=organisation).select_related("funder", "job")


def report_get(*, organisation: Organisation, pk: int) -> Report:
    report = (
        Report.objects.filter(organisation=organisation, pk=pk)
        .select_related("organisation", "funder", "job")
        .prefetch_related("offers", "stories")
        .first()
    )
    if report is None:
        raise Http404
    return report


def report_grant_for_partner(
    *, partner: Organisation, grant_pk: int, today: datetime.date | None = None
) -> AccessGrant:
    """The active report grant ``grant_pk`` to ``partner``, or 404: missing, revoked, ended,
    of another kind or another partner (``sharing.selectors.grant_get_for_partner``)."""
    grant = grant_get_for_partner(partner=partner, pk=grant_pk, kind=GrantKind.REPORT, today=today)
    if grant.report is None:
        raise Http404
    return grant
