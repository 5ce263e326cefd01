"""The sector view, public (/sociaal-werk-in-beeld/) and for sector analysts (/sector/), and an
organisation's benchmark against the sector (/organisaties/<slug>/resultaten/vergelijking/).

Every figure on these pages is suppressed (``bundling.suppression``); the benchmark names no
other organisation.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from meerwaarde.accounts.permissions import Perm, has_platform_perm
from meerwaarde.bundling import benchmark, presentation
from meerwaarde.bundling.forms import ComparisonForm, SectorFilterForm
from meerwaarde.bundling.sector import (
    DIMENSION_LABELS,
    DIMENSIONS,
    FOCUS_GROUPS,
    Dimension,
    sector_figures,
)
from meerwaarde.organisations.selectors import membership_get_for_user

# The query-string names of the page (the filters are the form's).
DIMENSION_PARAM = "indeling"
SCALE_PARAM = "schaal"
DIMENSION_SLUGS = {
    Dimension.PROVINCE: "provincie",
    Dimension.MUNICIPALITY: "plaats",
    Dimension.THEME: "thema",
    Dimension.TARGET_GROUP: "doelgroep",
    Dimension.INTERVENTION_TYPE: "soort",
}
_BY_SLUG = {slug: dimension for dimension, slug in DIMENSION_SLUGS.items()}


def _sector_page(request: HttpRequest, *, url_name: str, public: bool) -> HttpResponse:
    params = request.GET.copy()
    dimension = _BY_SLUG.get(params.pop(DIMENSION_PARAM, [""])[-1], Dimension.PROVINCE)
    wanted_scale = params.pop(SCALE_PARAM, [""])[-1]
    filters = {key: value for key, value in params.items() if value}
    form = SectorFilterForm(filters or None)
    figures = sector_figures(selection=form.selection())
    rows = figures.breakdown(dimension)
    scale = figures.scale(wanted_scale) or next(
        (s for s in figures.scales if s.key in figures.total.outcomes), None
    )
    query = params.copy()
    for key in list(query):
        if not query.get(key):
            del query[key]
    focus_links = []
    for group in FOCUS_GROUPS:
        focus_query = query.copy()
        focus_query["focus"] = group.code
        focus_links.append((group, focus_query.urlencode(), query.get("focus") == group.code))
    no_focus = query.copy()
    no_focus.pop("focus", None)
    tabs = []
    for one in DIMENSIONS:
        tab_query = query.copy()
        tab_query[DIMENSION_PARAM] = DIMENSION_SLUGS[one]
        if scale is not None:
            tab_query[SCALE_PARAM] = scale.key
        tabs.append((DIMENSION_LABELS[one], tab_query.urlencode(), one == dimension))
    return render(
        request,
        "bundling/sector.html",
        {
            "public": public,
            "url_name": url_name,
            "form": form,
            "figures": figures,
            "dimension": dimension,
            "dimension_slug": DIMENSION_SLUGS[dimension],
            "dimension_label": DIMENSION_LABELS[dimension],
            "tabs": tabs,
            "focus_links": focus_links,
            "no_focus_query": no_focus.urlencode(),
            "focus_active": bool(query.get("focus")),
            "query": query,
            "reach": presentation.reach_chart(figures, dimension, rows),
            "instruments": presentation.instrument_blocks(figures),
            "scale": scale,
            "scale_chart": presentation.scale_breakdown_chart(figures, dimension, rows, scale)
            if scale is not None
            else None,
        },
    )


@require_GET
def public_sector(request: HttpRequest) -> HttpResponse:
    """Sociaal werk in beeld: open to everyone, only suppressed, bundled figures."""
    return _sector_page(request, url_name="bundling:public", public=True)


@login_required
@require_GET
def sector(request: HttpRequest) -> HttpResponse:
    if not has_platform_perm(request.user, Perm.VIEW_SECTOR):
        raise PermissionDenied
    return _sector_page(request, url_name="bundling:sector", public=False)


@login_required
@require_GET
def comparison(request: HttpRequest, slug: str) -> HttpResponse:
    """The organisation's outcomes against the sector's distribution, per rankable scale."""
    membership = membership_get_for_user(user=request.user, slug=slug, perm=Perm.VIEW_RESULTS)
    organisation = membership.organisation
    form = ComparisonForm(request.GET or None)
    start, end = form.period()
    comparisons = benchmark.organisation_benchmark(organisation=organisation, start=start, end=end)
    return render(
        request,
        "bundling/comparison.html",
        {
            "organisation": organisation,
            "comparisons": comparisons,
            "charts": [benchmark.funnel_chart(c) for c in comparisons],
            "form": form,
        },
    )
