"""What an organisation shares: grants to partners, its public impact page and API keys.

Coordinators and organisation admins only (MANAGE_SHARING): a worker gets 403, another
organisation's slug or grant is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meerwaarde.accounts.permissions import Perm
from meerwaarde.analysis import presentation
from meerwaarde.core.forms import apply_validation_error
from meerwaarde.organisations.models import Organisation
from meerwaarde.organisations.selectors import membership_get_for_user
from meerwaarde.sharing import selectors, services
from meerwaarde.sharing.dashboards import filters_described, shared_figures
from meerwaarde.sharing.forms import (
    ApiTokenForm,
    GrantForm,
    ImpactPageForm,
    dashboard_filter_form,
    raw_filters,
)
from meerwaarde.sharing.models import GrantKind, ImpactPage

PAGE_SIZE = 25


def _organisation(request: HttpRequest, slug: str) -> Organisation:
    return membership_get_for_user(
        user=request.user, slug=slug, perm=Perm.MANAGE_SHARING
    ).organisation


@login_required
@require_GET
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    today = timezone.localdate()
    page = Paginator(selectors.grants_given(organisation=organisation), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    rows = [
        {
            "grant": grant,
            "status": grant.status(today),
            "filters": (
                filters_described(organisation=organisation, filters=grant.filters)
                if grant.kind == GrantKind.DASHBOARD
                else []
            ),
        }
        for grant in page
    ]
    return render(
        request,
        "sharing/overview.html",
        {
            "organisation": organisation,
            "page": page,
            "rows": rows,
            "impact_page": selectors.impact_page_for(organisation=organisation),
            "token_count": selectors.api_tokens(organisation=organisation)
            .filter(revoked_at__isnull=True)
            .count(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def grant_create(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    data = request.POST if request.method == "POST" else None
    form = GrantForm(data, organisation=organisation)
    filter_form = dashboard_filter_form(data, organisation=organisation)
    if data is not None:
        form_valid = form.is_valid()
        sharing_dashboard = form.cleaned_data.get("kind") == GrantKind.DASHBOARD
        filters_valid = filter_form.is_valid() or not sharing_dashboard
        if form_valid and filters_valid:
            try:
                grant = services.grant_create(
                    organisation=organisation,
                    created_by=request.user,
                    partner=form.cleaned_data["partner"],
                    kind=form.cleaned_data["kind"],
                    report=form.cleaned_data["report"],
                    programme=form.cleaned_data["programme"],
                    filters=raw_filters(filter_form),
                    ends_on=form.cleaned_data["ends_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                _apply(error, form, filter_form)
            else:
                messages.success(
                    request,
                    _("%(partner)s heeft nu toegang tot en met %(until)s.")
                    % {
                        "partner": grant.partner.name,
                        "until": _date(grant.ends_on),
                    },
                )
                return redirect("sharing:overview", slug=organisation.slug)
    return render(
        request,
        "sharing/grant_form.html",
        {"organisation": organisation, "form": form, "filter_form": filter_form},
    )


def _apply(error: ValidationError, form, filter_form) -> None:
    """A service error on the form it belongs to: filter fields on the filter form."""
    for field, messages_ in error.message_dict.items():
        target = filter_form if field in filter_form.fields else form
        target.add_error(field if field in target.fields else None, messages_)


def _date(day) -> str:
    from django.utils.formats import date_format

    return date_format(day, "j F Y")


@login_required
@require_POST
def grant_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    grant = selectors.grant_get_given(organisation=organisation, pk=pk)
    services.grant_revoke(grant=grant)
    messages.success(
        request,
        _("De toegang van %(partner)s tot ‘%(subject)s’ is ingetrokken.")
        % {"partner": grant.partner.name, "subject": grant.subject},
    )
    return redirect("sharing:overview", slug=organisation.slug)


# The impact page --------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def impact_settings(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    impact_page = selectors.impact_page_for(organisation=organisation)
    if request.method == "POST":
        form = ImpactPageForm(request.POST)
        filter_form = dashboard_filter_form(request.POST, organisation=organisation)
        if form.is_valid() & filter_form.is_valid():
            try:
                services.impact_page_update(
                    organisation=organisation,
                    introduction=form.cleaned_data["introduction"],
                    sections=form.cleaned_data["sections"],
                    filters=raw_filters(filter_form),
                )
            except ValidationError as error:
                _apply(error, form, filter_form)
            else:
                messages.success(request, _("De instellingen van de impactpagina zijn opgeslagen."))
                return redirect("sharing:impact_settings", slug=organisation.slug)
    else:
        form = ImpactPageForm(
            initial={"introduction": impact_page.introduction, "sections": impact_page.sections}
        )
        filter_form = dashboard_filter_form(
            {f"f-{k}": v for k, v in impact_page.filters.items()} or None,
            organisation=organisation,
        )
    return render(
        request,
        "sharing/impact_settings.html",
        {
            "organisation": organisation,
            "impact_page": impact_page,
            "form": form,
            "filter_form": filter_form,
        },
    )


@login_required
@require_POST
def impact_publish(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    try:
        services.impact_page_publish(organisation=organisation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("De impactpagina is gepubliceerd: iedereen kan hem zien."))
    return redirect("sharing:impact_settings", slug=organisation.slug)


@login_required
@require_POST
def impact_unpublish(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(request, slug)
    services.impact_page_unpublish(organisation=organisation)
    messages.success(request, _("De impactpagina is offline gehaald."))
    return redirect("sharing:impact_settings", slug=organisation.slug)


@login_required
@require_GET
def impact_preview(request: HttpRequest, slug: str) -> HttpResponse:
    """The page as the public would see it with the saved settings, published or not."""
    organisation = _organisation(request, slug)
    return render_impact_page(request, selectors.impact_page_for(organisation=organisation), True)


def render_impact_page(request: HttpRequest, page: ImpactPage, preview: bool) -> HttpResponse:
    figures = shared_figures(organisation=page.organisation, filters=page.filters)
    return render(
        request,
        "sharing/impact_page.html",
        {
            "organisation": page.organisation,
            "impact_page": page,
            "preview": preview,
            "figures": figures,
            "board": presentation.dashboard(figures) if figures is not None else None,
            "sections": page.sections,
            "filters": filters_described(organisation=page.organisation, filters=page.filters),
        },
    )


# API keys ---------------------------------------------------------------------------------


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    """The keys, and a form for a new one. The new key is shown in the answer to the POST
    only (not after a redirect, never again), with caching off."""
    organisation = _organisation(request, slug)
    form = ApiTokenForm(request.POST if request.method == "POST" else None)
    new_key = None
    if form.is_bound and form.is_valid():
        try:
            _token, new_key = services.api_token_create(
                organisation=organisation,
                created_by=request.user,
                name=form.cleaned_data["name"],
                expires_on=form.cleaned_data["expires_on"],
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            form = ApiTokenForm()
    today = timezone.localdate()
    page = Paginator(selectors.api_tokens(organisation=organisation), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "sharing/api_tokens.html",
        {
            "organisation": organisation,
            "form": form,
            "new_key": new_key,
            "page": page,
            "rows": [{"token": token, "status": token.status(today)} for token in page],
        },
    )


@login_required
@require_POST
def api_token_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(request, slug)
    token = selectors.api_token_get(organisation=organisation, pk=pk)
    services.api_token_revoke(token=token)
    messages.success(
        request,
        _(
            "De sleutel ‘%(name)s’ is ingetrokken: systemen die hem gebruiken, krijgen geen "
            "toegang meer."
        )
        % {"name": token.name},
    )
    return redirect("sharing:api_tokens", slug=organisation.slug)
