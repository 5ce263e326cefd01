"""Instruments: the list, one instrument explained, and the builder of an organisation's own.

Everyone who records measurements may read them; only an organisation admin builds,
deactivates and reactivates the organisation's own. Another organisation's own instrument is
a 404 (the selectors); a worker on the builder gets a 403 (the membership check).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meerwaarde.accounts.permissions import Perm, has_org_perm
from meerwaarde.instruments import selectors, services
from meerwaarde.instruments.builder import build_definition, builder_forms
from meerwaarde.instruments.describe import describe_items, describe_scales
from meerwaarde.instruments.forms import ITEMS_PREFIX, SCALES_PREFIX
from meerwaarde.organisations.models import Membership
from meerwaarde.organisations.selectors import membership_get_for_user

PAGE_SIZE = 25


def _membership(request: HttpRequest, slug: str, perm: Perm) -> Membership:
    return membership_get_for_user(user=request.user, slug=slug, perm=perm)


@login_required
@require_GET
def instrument_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = _membership(request, slug, Perm.VIEW_PARTICIPANTS)
    can_manage = has_org_perm(membership.role, Perm.MANAGE_INSTRUMENTS)
    instruments = selectors.instrument_list_for(
        organisation=membership.organisation, include_inactive=can_manage
    )
    page = Paginator(instruments, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "instruments/list.html",
        {"organisation": membership.organisation, "page": page, "can_manage": can_manage},
    )


@login_required
@require_GET
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.VIEW_PARTICIPANTS)
    instrument = selectors.instrument_get(organisation=membership.organisation, pk=pk)
    definition = instrument.parsed
    labels = selectors.domain_labels(codes=[s.domain for s in definition.scales])
    return render(
        request,
        "instruments/detail.html",
        {
            "organisation": membership.organisation,
            "instrument": instrument,
            "definition": definition,
            "items": describe_items(definition),
            "scales": describe_scales(definition, labels),
            "can_manage": has_org_perm(membership.role, Perm.MANAGE_INSTRUMENTS)
            and not instrument.is_shipped,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str) -> HttpResponse:
    """The builder: on an error everything typed comes back, with every message at the top."""
    membership = _membership(request, slug, Perm.MANAGE_INSTRUMENTS)
    organisation = membership.organisation
    domain_choices = selectors.outcome_domain_choices()
    data = request.POST if request.method == "POST" else None
    action = request.POST.get("actie", "")
    more = action if action in (ITEMS_PREFIX, SCALES_PREFIX) else ""
    form, items, scales = builder_forms(data, domain_choices=domain_choices, more=more)
    definition_errors: list[str] = []
    if data is not None and not more:
        valid = all([form.is_valid(), items.is_valid(), scales.is_valid()])
        definition = build_definition(form, items, scales) if valid else None
        if definition is not None:
            try:
                instrument = services.instrument_create(
                    organisation=organisation, definition=definition
                )
            except ValidationError as error:
                definition_errors = error.messages
            else:
                messages.success(
                    request,
                    _("Het instrument ‘%(name)s’ is opgeslagen en kan nu worden gebruikt.")
                    % {"name": instrument.name},
                )
                return redirect("instruments:detail", slug=slug, pk=instrument.pk)
    checked = data is not None and not more
    return render(
        request,
        "instruments/builder.html",
        {
            "organisation": organisation,
            "form": form,
            "items": items,
            "scales": scales,
            "definition_errors": definition_errors,
            "has_errors": checked
            and bool(
                definition_errors
                or form.errors
                or items.total_error_count()
                or scales.total_error_count()
            ),
            "no_domains": not domain_choices,
        },
    )


def _switch(request: HttpRequest, slug: str, pk: int, *, active: bool) -> HttpResponse:
    membership = _membership(request, slug, Perm.MANAGE_INSTRUMENTS)
    instrument = selectors.instrument_get_own(organisation=membership.organisation, pk=pk)
    if active:
        services.instrument_activate(instrument=instrument)
        message = _("‘%(name)s’ staat weer in de keuzelijst voor metingen.")
    else:
        services.instrument_deactivate(instrument=instrument)
        message = _(
            "‘%(name)s’ is uitgezet: het staat niet meer in de keuzelijst voor nieuwe metingen. "
            "Bestaande metingen blijven bewaard."
        )
    messages.success(request, message % {"name": instrument.name})
    return redirect("instruments:detail", slug=slug, pk=instrument.pk)


@login_required
@require_POST
def deactivate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _switch(request, slug, pk, active=False)


@login_required
@require_POST
def activate(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _switch(request, slug, pk, active=True)
