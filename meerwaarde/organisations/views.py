from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from meerwaarde.accounts.forms import NewAccountForm
from meerwaarde.accounts.permissions import Perm, has_org_perm, has_platform_perm
from meerwaarde.core.forms import apply_validation_error
from meerwaarde.organisations import selectors, services
from meerwaarde.organisations.active import activate_organisation
from meerwaarde.organisations.forms import (
    FirstAdminForm,
    InvitationForm,
    OrganisationForm,
    RoleForm,
)


def _accept_url(request: HttpRequest) -> str:
    path = reverse("organisations:invitation_accept", kwargs={"token": "TOKEN"})
    return request.build_absolute_uri(path).replace("TOKEN", "{token}")


@login_required
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    membership = selectors.membership_get_for_user(
        user=request.user, slug=slug, perm=Perm.VIEW_ORGANISATION
    )
    activate_organisation(request, membership)
    return render(
        request,
        "organisations/detail.html",
        {
            "organisation": membership.organisation,
            "membership": membership,
            "can_edit": has_org_perm(membership.role, Perm.EDIT_ORGANISATION),
            "can_manage_members": has_org_perm(membership.role, Perm.MANAGE_MEMBERS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit(request: HttpRequest, slug: str) -> HttpResponse:
    membership = selectors.membership_get_for_user(
        user=request.user, slug=slug, perm=Perm.EDIT_ORGANISATION
    )
    organisation = membership.organisation
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(
                organisation=organisation,
                **{name: form.cleaned_data[name] for name in form.Meta.fields},
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, _("Het profiel is opgeslagen."))
            return redirect("organisations:detail", slug=organisation.slug)
    return render(request, "organisations/edit.html", {"form": form, "organisation": organisation})


@login_required
def members(request: HttpRequest, slug: str) -> HttpResponse:
    membership = selectors.membership_get_for_user(
        user=request.user, slug=slug, perm=Perm.MANAGE_MEMBERS
    )
    organisation = membership.organisation
    page = Paginator(selectors.membership_list(organisation=organisation), 50).get_page(
        request.GET.get("pagina")
    )
    return render(
        request,
        "organisations/members.html",
        {
            "organisation": organisation,
            "page": page,
            "invitations": selectors.invitation_list_open(organisation=organisation),
            "me": membership,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    membership = selectors.membership_get_for_user(
        user=request.user, slug=slug, perm=Perm.MANAGE_MEMBERS
    )
    organisation = membership.organisation
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
                accept_url=_accept_url(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request, _("Uitnodiging verstuurd naar %(email)s.") % {"email": invitation.email}
            )
            return redirect("organisations:members", slug=organisation.slug)
    return render(
        request, "organisations/invite.html", {"form": form, "organisation": organisation}
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = selectors.membership_get_for_user(
        user=request.user, slug=slug, perm=Perm.MANAGE_MEMBERS
    )
    invitation = selectors.invitation_get(organisation=membership.organisation, pk=pk)
    services.invitation_revoke(invitation=invitation)
    messages.success(
        request, _("De uitnodiging voor %(email)s is ingetrokken.") % {"email": invitation.email}
    )
    return redirect("organisations:members", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def member_role(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    me = selectors.membership_get_for_user(user=request.user, slug=slug, perm=Perm.MANAGE_MEMBERS)
    target = selectors.membership_get(organisation=me.organisation, pk=pk)
    form = RoleForm(request.POST or None, initial={"role": target.role})
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(membership=target, role=form.cleaned_data["role"])
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(name)s is nu %(role)s.")
                % {"name": target.user, "role": target.get_role_display().lower()},
            )
            return redirect("organisations:members", slug=slug)
    return render(
        request,
        "organisations/member_role.html",
        {"form": form, "organisation": me.organisation, "target": target},
    )


@login_required
@require_http_methods(["GET", "POST"])
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    me = selectors.membership_get_for_user(user=request.user, slug=slug, perm=Perm.MANAGE_MEMBERS)
    target = selectors.membership_get(organisation=me.organisation, pk=pk)
    error = None
    if request.method == "POST":
        try:
            services.membership_remove(membership=target)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(
                request,
                _("%(name)s is geen gebruiker van %(org)s meer.")
                % {"name": target.user, "org": me.organisation.name},
            )
            if target.pk == me.pk:
                return redirect("core:dashboard")
            return redirect("organisations:members", slug=slug)
    return render(
        request,
        "organisations/member_remove.html",
        {"organisation": me.organisation, "target": target, "error": error},
    )


@login_required
@require_POST
def switch(request: HttpRequest) -> HttpResponse:
    membership = selectors.membership_get_for_user(
        user=request.user, slug=request.POST.get("organisation", "")
    )
    activate_organisation(request, membership)
    messages.info(request, _("U werkt nu voor %(org)s.") % {"org": membership.organisation.name})
    return redirect("core:dashboard")


@login_required
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = selectors.organisation_list_for_platform(user=request.user)
    query = request.GET.get("q", "").strip()
    if query:
        organisations = organisations.filter(name__icontains=query)
    page = Paginator(organisations.order_by("name"), 25).get_page(request.GET.get("pagina"))
    return render(request, "organisations/list.html", {"page": page, "query": query})


@login_required
@require_http_methods(["GET", "POST"])
def create(request: HttpRequest) -> HttpResponse:
    if not has_platform_perm(request.user, Perm.MANAGE_ORGANISATIONS):
        raise PermissionDenied
    form = OrganisationForm(request.POST or None)
    admin_form = FirstAdminForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and admin_form.is_valid():
        try:
            organisation = services.organisation_create_with_admin(
                fields={name: form.cleaned_data[name] for name in form.Meta.fields},
                admin_email=admin_form.cleaned_data["admin_email"],
                invited_by=request.user,
                accept_url=_accept_url(request),
            )
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(
                request,
                _("%(org)s is aangemaakt; de eerste beheerder is uitgenodigd.")
                % {"org": organisation.name},
            )
            return redirect("organisations:list")
    return render(request, "organisations/create.html", {"form": form, "admin_form": admin_form})


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_for_token(token=token)
    if invitation is None:
        return render(request, "organisations/invitation_invalid.html", status=404)
    user = request.user if request.user.is_authenticated else None
    needs_account = user is None and not services.account_exists(email=invitation.email)
    form = NewAccountForm(request.POST or None, email=invitation.email) if needs_account else None
    error = None
    if user is not None and user.email.lower() != invitation.email.lower():
        error = _(
            "U bent ingelogd als %(me)s, maar deze uitnodiging is voor %(email)s. "
            "Log uit en open de link opnieuw."
        ) % {"me": user.email, "email": invitation.email}
    elif request.method == "POST" and (form is None or form.is_valid()):
        try:
            if form is not None:
                membership = services.invitation_accept(
                    invitation=invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
            elif user is not None:
                membership = services.invitation_accept(invitation=invitation, user=user)
            else:
                return redirect(f"{reverse('accounts:login')}?next={request.path}")
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            activate_organisation(request, membership)
            messages.success(
                request,
                _("Welkom bij %(org)s.") % {"org": membership.organisation.name},
            )
            return redirect("core:dashboard")
    return render(
        request,
        "organisations/invitation_accept.html",
        {"invitation": invitation, "form": form, "error": error, "user_known": user is not None},
    )
