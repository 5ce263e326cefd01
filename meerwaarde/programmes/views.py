"""The programme pages: the owner's (under the organisation), a partner's (through an access
grant) and the public one (``/programmas/<pk>/``, only when the owner made it public).

Members with VIEW_RESULTS read, those with MANAGE_PROGRAMMES change; another organisation's
programme is a 404. Only the owner's members see values below k; the partner and public pages
get the suppressed progress only. The step pages (chain, targets, values) are in
``node_views``.
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
from meerwaarde.core.forms import apply_validation_error
from meerwaarde.organisations.models import Membership, Organisation
from meerwaarde.organisations.selectors import membership_get_for_user
from meerwaarde.programmes import selectors, services
from meerwaarde.programmes.forms import PartnerForm, ProgrammeForm, programme_initial
from meerwaarde.programmes.models import Programme
from meerwaarde.programmes.presentation import programme_sections
from meerwaarde.programmes.progress import programme_progress

PAGE_SIZE = 25
# ?als=partner on the owner's page shows it as partners and the public see it.
AS_PARTNER = "partner"


def membership_for(request: HttpRequest, slug: str, perm: Perm) -> Membership:
    return membership_get_for_user(user=request.user, slug=slug, perm=perm)


# The owner's pages ------------------------------------------------------------------------


@login_required
@require_GET
def programme_list(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug, Perm.VIEW_RESULTS)
    organisation = membership.organisation
    programmes = selectors.programme_list(organisation=organisation)
    page = Paginator(programmes, PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "programmes/list.html",
        {
            "organisation": organisation,
            "page": page,
            "can_manage": has_org_perm(membership.role, Perm.MANAGE_PROGRAMMES),
        },
    )


def _programme_form_page(
    request: HttpRequest, *, organisation: Organisation, programme: Programme | None
) -> HttpResponse:
    """Create and edit: on an error every typed value comes back, with a linked summary."""
    data = request.POST if request.method == "POST" else None
    initial = programme_initial(programme) if programme is not None else {}
    form = ProgrammeForm(data, initial=initial)
    if data is not None and form.is_valid():
        try:
            if programme is None:
                programme = services.programme_create(
                    organisation=organisation, created_by=request.user, **form.service_fields()
                )
                message = _("Het programma ‘%(name)s’ is aangemaakt. Bouw nu de resultatenketen.")
            else:
                programme = services.programme_update(programme=programme, **form.service_fields())
                message = _("Het programma ‘%(name)s’ is opgeslagen.")
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, message % {"name": programme.name})
            return redirect("programmes:detail", slug=organisation.slug, pk=programme.pk)
    return render(
        request,
        "programmes/form.html",
        {"organisation": organisation, "programme": programme, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request, slug, Perm.MANAGE_PROGRAMMES)
    return _programme_form_page(request, organisation=membership.organisation, programme=None)


@login_required
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug, Perm.MANAGE_PROGRAMMES)
    programme = selectors.programme_get(organisation=membership.organisation, pk=pk)
    return _programme_form_page(request, organisation=membership.organisation, programme=programme)


@login_required
@require_GET
def programme_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The owner's programme page: its own members see every value, those below k marked;
    ``?als=partner`` shows what partners and the public see."""
    membership = membership_for(request, slug, Perm.VIEW_RESULTS)
    programme = selectors.programme_get(organisation=membership.organisation, pk=pk)
    as_partner = request.GET.get("als") == AS_PARTNER
    progress = programme_progress(programme=programme, suppressed=as_partner)
    return render(
        request,
        "programmes/detail.html",
        {
            "organisation": membership.organisation,
            "programme": programme,
            "progress": progress,
            "sections": programme_sections(progress),
            "as_partner": as_partner,
            "can_manage": has_org_perm(membership.role, Perm.MANAGE_PROGRAMMES),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def programme_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug, Perm.MANAGE_PROGRAMMES)
    programme = selectors.programme_get(organisation=membership.organisation, pk=pk)
    if request.method == "POST":
        services.programme_delete(programme=programme)
        messages.success(
            request, _("Het programma ‘%(name)s’ is verwijderd.") % {"name": programme.name}
        )
        return redirect("programmes:list", slug=slug)
    return render(
        request,
        "programmes/delete.html",
        {"organisation": membership.organisation, "programme": programme},
    )


@login_required
@require_http_methods(["GET", "POST"])
def partners(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request, slug, Perm.MANAGE_PROGRAMMES)
    programme = selectors.programme_get(organisation=membership.organisation, pk=pk)
    form = PartnerForm(request.POST or None, programme=programme)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_add(programme=programme, **form.cleaned_data)
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("‘%(name)s’ is partner.") % {"name": partner.name})
            return redirect("programmes:partners", slug=slug, pk=programme.pk)
    return render(
        request,
        "programmes/partners.html",
        {
            "organisation": membership.organisation,
            "programme": programme,
            "partners": programme.partners.all(),
            "form": form,
        },
    )


@login_required
@require_POST
def partner_remove(request: HttpRequest, slug: str, pk: int, partner_pk: int) -> HttpResponse:
    membership = membership_for(request, slug, Perm.MANAGE_PROGRAMMES)
    programme = selectors.programme_get(organisation=membership.organisation, pk=pk)
    partner = selectors.partner_get(programme=programme, pk=partner_pk)
    services.partner_remove(partner=partner)
    messages.success(request, _("‘%(name)s’ is geen partner meer.") % {"name": partner.name})
    return redirect("programmes:partners", slug=slug, pk=programme.pk)


# Partners and the public ------------------------------------------------------------------


def shared_programme(request: HttpRequest, grant) -> HttpResponse:
    """The programme of an access grant (``sharing.AccessGrant`` of kind programme), as the
    partner sees it: suppressed values only. The caller has resolved the grant for the
    partner (``sharing.selectors.grant_get_for_partner``)."""
    programme = selectors.programme_get_shared(
        programme_id=grant.programme_id, organisation=grant.organisation
    )
    progress = programme_progress(programme=programme, suppressed=True)
    return render(
        request,
        "programmes/shared.html",
        {
            "grant": grant,
            "programme": programme,
            "progress": progress,
            "sections": programme_sections(progress),
        },
    )


@require_GET
def public_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.programme_public_list(), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    return render(request, "programmes/public_list.html", {"page": page})


@require_GET
def public_detail(request: HttpRequest, pk: int) -> HttpResponse:
    programme = selectors.programme_public_get(pk=pk)
    progress = programme_progress(programme=programme, suppressed=True)
    return render(
        request,
        "programmes/public.html",
        {"programme": programme, "progress": progress, "sections": programme_sections(progress)},
    )
