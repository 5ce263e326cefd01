"""An organisation's offers: the list, one offer, the form, and the status actions.

Workers see; coordinators and organisation admins change. Another organisation's offer is a
404 (the selectors), a worker who tries to change one gets a 403 (the membership check).
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meerwaarde.accounts.permissions import Perm, has_org_perm
from meerwaarde.core.forms import apply_validation_error
from meerwaarde.offers import selectors, services
from meerwaarde.offers.constants import Language
from meerwaarde.offers.forms import (
    OfferFilterForm,
    OfferForm,
    PlacesForm,
    initial_for,
    location_formset,
)
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.models import Membership, Organisation
from meerwaarde.organisations.selectors import membership_get_for_user
from meerwaarde.vocabulary.suggest import REMEMBERED, Suggestion, suggest_concepts

PAGE_SIZE = 25


def _membership(request: HttpRequest, slug: str, perm: Perm) -> Membership:
    return membership_get_for_user(user=request.user, slug=slug, perm=perm)


# Pages ------------------------------------------------------------------------------------


@login_required
@require_GET
def offer_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = _membership(request, slug, Perm.VIEW_OFFERS)
    organisation = membership.organisation
    filters = OfferFilterForm(request.GET)
    filters.is_valid()
    criteria = filters.cleaned_data
    today = timezone.localdate()
    offers = selectors.offer_list(
        organisation=organisation,
        status=criteria.get("status") or None,
        q=criteria.get("q") or None,
        needs_confirmation=bool(criteria.get("bevestigen")),
        today=today,
    )
    page = Paginator(offers, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "offers/list.html",
        {
            "organisation": organisation,
            "page": page,
            "filters": filters,
            "filtered": any(criteria.values()),
            "can_manage": has_org_perm(membership.role, Perm.MANAGE_OFFERS),
            "today": today,
            "warn_months": settings.OFFER_CONFIRM_WARN_MONTHS,
            "hide_months": settings.OFFER_CONFIRM_HIDE_MONTHS,
        },
    )


def _render_detail(
    request: HttpRequest,
    membership: Membership,
    offer: Offer,
    *,
    places_form: PlacesForm | None = None,
) -> HttpResponse:
    today = timezone.localdate()
    is_shelter = offer.is_shelter
    if places_form is None and is_shelter:
        places_form = PlacesForm(initial={"places_available": offer.places_available})
    return render(
        request,
        "offers/detail.html",
        {
            "organisation": membership.organisation,
            "offer": offer,
            "can_manage": has_org_perm(membership.role, Perm.MANAGE_OFFERS),
            "confirmation": offer.confirmation_state(today),
            "is_shelter": is_shelter,
            "languages": [Language(code).label for code in offer.languages if code in Language],
            "places_form": places_form,
            "today": today,
        },
    )


@login_required
@require_GET
def detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.VIEW_OFFERS)
    offer = selectors.offer_get(organisation=membership.organisation, pk=pk)
    return _render_detail(request, membership, offer)


def _suggestions(organisation: Organisation, form: OfferForm, local_name: str) -> list[Suggestion]:
    """Intervention types for the typed name, the organisation's own earlier choice first."""
    if not local_name:
        return []
    field = form.fields["intervention_type"]
    allowed = set(field.queryset.values_list("pk", flat=True))
    suggestions = [
        s
        for s in suggest_concepts(
            local_name=local_name, organisation=organisation, scheme="intervention_types"
        )
        if s.concept.pk in allowed
    ]
    if suggestions:
        field.show_suggestions(suggestions, local_name)
    return suggestions


def _form_page(
    request: HttpRequest,
    *,
    organisation: Organisation,
    offer: Offer | None,
) -> HttpResponse:
    """The create and edit page: on an error everything typed comes back, locations too."""
    data = request.POST if request.method == "POST" else None
    initial = initial_for(offer) if offer is not None else {"languages": ["nl"]}
    form = OfferForm(data, initial=initial, organisation_slug=organisation.slug)
    locations = location_formset(data, offer=offer)
    location_errors: list[str] = []
    if data is not None:
        form_valid, locations_valid = form.is_valid(), locations.is_valid()
        if form_valid and locations_valid:
            try:
                if offer is None:
                    offer = services.offer_create(
                        organisation=organisation,
                        created_by=request.user,
                        locations=locations.locations(),
                        **form.service_fields(),
                    )
                    message = _("Het aanbod ‘%(name)s’ is toegevoegd.")
                else:
                    offer = services.offer_update(
                        offer=offer, locations=locations.locations(), **form.service_fields()
                    )
                    message = _("Het aanbod ‘%(name)s’ is opgeslagen en bevestigd.")
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    location_errors = error.error_dict.pop("locations", [])
                    location_errors = [m for e in location_errors for m in e.messages]
                    if error.error_dict:
                        apply_validation_error(form, error)
                else:
                    apply_validation_error(form, error)
            else:
                messages.success(request, message % {"name": offer.name})
                return redirect("offers:detail", slug=organisation.slug, pk=offer.pk)
    suggestions = _suggestions(organisation, form, (form["name"].value() or "").strip())
    return render(
        request,
        "offers/form.html",
        {
            "organisation": organisation,
            "offer": offer if offer is not None and offer.pk else None,
            "form": form,
            "locations": locations,
            "location_errors": location_errors,
            "suggestions": suggestions,
            "local_name": (form["name"].value() or "").strip(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest, slug: str) -> HttpResponse:
    membership = _membership(request, slug, Perm.MANAGE_OFFERS)
    return _form_page(request, organisation=membership.organisation, offer=None)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.MANAGE_OFFERS)
    offer = selectors.offer_get(organisation=membership.organisation, pk=pk)
    return _form_page(request, organisation=membership.organisation, offer=offer)


@login_required
@require_GET
def suggestions(request: HttpRequest, slug: str) -> HttpResponse:
    """htmx fragment: the intervention type select with suggestions for the typed name.

    The organisation's earlier choice for the same name is selected when nothing is yet.
    """
    membership = _membership(request, slug, Perm.MANAGE_OFFERS)
    local_name = request.GET.get("name", "").strip()[:200]
    current = request.GET.get("intervention_type", "")
    form = OfferForm(organisation_slug=slug)
    found = _suggestions(membership.organisation, form, local_name)
    if not current and found and found[0].reason == str(REMEMBERED):
        current = str(found[0].concept.pk)
    form.initial["intervention_type"] = current
    return render(
        request,
        "offers/_suggestions_response.html",
        {"form": form, "suggestions": found, "local_name": local_name},
    )


@login_required
@require_http_methods(["GET", "POST"])
def delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.MANAGE_OFFERS)
    offer = selectors.offer_get(organisation=membership.organisation, pk=pk)
    if request.method == "POST":
        try:
            services.offer_delete(offer=offer)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("offers:detail", slug=slug, pk=offer.pk)
        messages.success(request, _("Het aanbod ‘%(name)s’ is verwijderd.") % {"name": offer.name})
        return redirect("offers:list", slug=slug)
    return render(
        request,
        "offers/delete.html",
        {"organisation": membership.organisation, "offer": offer},
    )


# Actions (POST only) ----------------------------------------------------------------------

_ACTIONS = {
    "pause": (
        services.offer_pause,
        gettext_lazy("‘%(name)s’ is gepauzeerd en staat niet op de sociale kaart."),
    ),
    "resume": (services.offer_resume, gettext_lazy("‘%(name)s’ is weer actief.")),
    "archive": (services.offer_archive, gettext_lazy("‘%(name)s’ is gearchiveerd.")),
    "confirm": (services.offer_confirm, gettext_lazy("‘%(name)s’ is bevestigd.")),
}


def _action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    membership = _membership(request, slug, Perm.MANAGE_OFFERS)
    offer = selectors.offer_get(organisation=membership.organisation, pk=pk)
    service, message = _ACTIONS[action]
    try:
        service(offer=offer)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, str(message) % {"name": offer.name})
    if request.POST.get("terug") == "lijst":
        return redirect("offers:list", slug=slug)
    return redirect("offers:detail", slug=slug, pk=offer.pk)


@login_required
@require_POST
def pause(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _action(request, slug, pk, "pause")


@login_required
@require_POST
def resume(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _action(request, slug, pk, "resume")


@login_required
@require_POST
def archive(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _action(request, slug, pk, "archive")


@login_required
@require_POST
def confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    return _action(request, slug, pk, "confirm")


@login_required
@require_POST
def places(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = _membership(request, slug, Perm.MANAGE_OFFERS)
    offer = selectors.offer_get(organisation=membership.organisation, pk=pk)
    form = PlacesForm(request.POST)
    if form.is_valid():
        try:
            services.offer_places_update(
                offer=offer, places_available=form.cleaned_data["places_available"]
            )
        except ValidationError as error:
            if not offer.is_shelter:
                # The page has no places form to show the error on.
                messages.error(request, " ".join(error.messages))
                return redirect("offers:detail", slug=slug, pk=offer.pk)
            apply_validation_error(form, error)
        else:
            messages.success(request, _("De vrije plaatsen zijn bijgewerkt."))
            return redirect("offers:detail", slug=slug, pk=offer.pk)
    return _render_detail(request, membership, offer, places_form=form)
