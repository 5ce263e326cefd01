from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from meerwaarde.accounts.permissions import Perm, has_org_perm, has_platform_perm
from meerwaarde.core import dashboard as panels
from meerwaarde.organisations.active import active_membership


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    return render(request, "core/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    """One start page; which panels it shows follows from the user's roles."""
    membership = active_membership(request)
    user = request.user
    context = {
        "membership": membership,
        "organisation_panel": panels.organisation_panel(membership) if membership else None,
        "can_manage_members": membership is not None
        and has_org_perm(membership.role, Perm.MANAGE_MEMBERS),
        "can_manage_mappings": membership is not None
        and has_org_perm(membership.role, Perm.MANAGE_MAPPINGS),
        "offers_panel": panels.offers_panel(membership)
        if membership is not None and has_org_perm(membership.role, Perm.MANAGE_OFFERS)
        else None,
        "results_panel": panels.results_panel(membership)
        if membership is not None and has_org_perm(membership.role, Perm.VIEW_RESULTS)
        else None,
        "vocabulary_panel": panels.vocabulary_panel()
        if has_platform_perm(user, Perm.CURATE_VOCABULARY)
        else None,
        "sector_panel": panels.sector_panel()
        if has_platform_perm(user, Perm.VIEW_SECTOR)
        else None,
        "platform_panel": panels.platform_panel()
        if has_platform_perm(user, Perm.MANAGE_ORGANISATIONS)
        else None,
    }
    return render(request, "core/dashboard.html", context)


def error_400(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # No context processors: the database may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
