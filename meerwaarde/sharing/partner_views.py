"""What others shared with the user's organisation (``/gedeeld/``), and public impact pages.

The partner area follows the organisation the user works in now (the menu's choice). Every
grant is looked up through ``grant_get_for_partner``: an ended, revoked or someone else's grant
is a 404, and so is everything a grant does not name.
"""

import importlib

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from meerwaarde.accounts.permissions import Perm, has_org_perm
from meerwaarde.analysis import presentation
from meerwaarde.organisations.active import active_membership
from meerwaarde.organisations.models import Organisation
from meerwaarde.sharing import selectors
from meerwaarde.sharing.constants import ImpactSection
from meerwaarde.sharing.dashboards import filters_described, shared_figures
from meerwaarde.sharing.models import AccessGrant, GrantKind
from meerwaarde.sharing.views import render_impact_page

# Reports and programmes render their own shared pages: (module, function) per kind.
_RENDERERS = {
    GrantKind.REPORT: ("meerwaarde.reports.views", "shared_report"),
    GrantKind.PROGRAMME: ("meerwaarde.programmes.views", "shared_programme"),
}


def _partner(request: HttpRequest) -> Organisation:
    membership = active_membership(request)
    if membership is None or not has_org_perm(membership.role, Perm.VIEW_SHARED):
        raise Http404
    return membership.organisation


@login_required
@require_GET
def shared_list(request: HttpRequest) -> HttpResponse:
    partner = _partner(request)
    grants = list(selectors.grants_for_partner(partner=partner))
    return render(
        request,
        "sharing/shared_list.html",
        {
            "partner": partner,
            "rows": [
                {
                    "grant": grant,
                    "filters": (
                        filters_described(organisation=grant.organisation, filters=grant.filters)
                        if grant.kind == GrantKind.DASHBOARD
                        else []
                    ),
                }
                for grant in grants
            ],
        },
    )


@login_required
@require_GET
def shared_detail(request: HttpRequest, pk: int) -> HttpResponse:
    grant = selectors.grant_get_for_partner(partner=_partner(request), pk=pk)
    if grant.kind == GrantKind.DASHBOARD:
        return _shared_dashboard(request, grant)
    module_name, function_name = _RENDERERS[GrantKind(grant.kind)]
    try:
        renderer = getattr(importlib.import_module(module_name), function_name)
    except (ImportError, AttributeError) as missing:
        raise Http404 from missing
    return renderer(request, grant)


def _shared_dashboard(request: HttpRequest, grant: AccessGrant) -> HttpResponse:
    figures = shared_figures(organisation=grant.organisation, filters=grant.filters)
    return render(
        request,
        "sharing/shared_dashboard.html",
        {
            "grant": grant,
            "organisation": grant.organisation,
            "figures": figures,
            "board": presentation.dashboard(figures) if figures is not None else None,
            "sections": ImpactSection.values,
            "filters": filters_described(organisation=grant.organisation, filters=grant.filters),
        },
    )


@require_GET
def impact_page(request: HttpRequest, slug: str) -> HttpResponse:
    return render_impact_page(request, selectors.impact_page_get_published(slug=slug), False)
