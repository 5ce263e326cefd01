"""The menu per role: built from permissions, so a role sees exactly what it may open."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from meerwaarde.accounts.permissions import Perm, has_org_perm, has_platform_perm
from meerwaarde.organisations.active import active_membership


@dataclass(frozen=True)
class MenuItem:
    key: str
    label: str
    url: str


def menu_for(request: HttpRequest) -> list[MenuItem]:
    user = request.user
    if not user.is_authenticated:
        return [
            MenuItem("home", _("Start"), reverse("core:home")),
            MenuItem("directory", _("Sociale kaart"), reverse("directory:search")),
            MenuItem("vocabulary", _("Vocabulaire"), reverse("vocabulary:scheme_list")),
            MenuItem("login", _("Inloggen"), reverse("accounts:login")),
        ]
    items = [MenuItem("dashboard", _("Mijn overzicht"), reverse("core:dashboard"))]
    membership = active_membership(request)
    if membership is not None:
        slug = membership.organisation.slug
        if has_org_perm(membership.role, Perm.VIEW_ORGANISATION):
            items.append(
                MenuItem(
                    "organisation",
                    _("Organisatie"),
                    reverse("organisations:detail", kwargs={"slug": slug}),
                )
            )
        if has_org_perm(membership.role, Perm.VIEW_OFFERS):
            items.append(
                MenuItem("offers", _("Aanbod"), reverse("offers:list", kwargs={"slug": slug}))
            )
        if has_org_perm(membership.role, Perm.VIEW_PARTICIPANTS):
            items.append(
                MenuItem(
                    "participants",
                    _("Deelnemers"),
                    reverse("participants:list", kwargs={"slug": slug}),
                )
            )
        if has_org_perm(membership.role, Perm.VIEW_PARTICIPANTS):
            items.append(
                MenuItem(
                    "activities",
                    _("Activiteiten"),
                    reverse("activities:overview", kwargs={"slug": slug}),
                )
            )
        if has_org_perm(membership.role, Perm.VIEW_PARTICIPANTS):
            items.append(
                MenuItem(
                    "instruments",
                    _("Instrumenten"),
                    reverse("instruments:list", kwargs={"slug": slug}),
                )
            )
        if has_org_perm(membership.role, Perm.VIEW_RESULTS):
            items.append(
                MenuItem(
                    "results",
                    _("Resultaten"),
                    reverse("analysis:dashboard", kwargs={"slug": slug}),
                )
            )
        if has_org_perm(membership.role, Perm.VIEW_MAPPINGS):
            items.append(
                MenuItem(
                    "mappings",
                    _("Lokale namen"),
                    reverse("vocabulary:mapping_list", kwargs={"org_slug": slug}),
                )
            )
        if has_org_perm(membership.role, Perm.MANAGE_MEMBERS):
            items.append(
                MenuItem(
                    "members",
                    _("Gebruikers"),
                    reverse("organisations:members", kwargs={"slug": slug}),
                )
            )
    items.append(MenuItem("directory", _("Sociale kaart"), reverse("directory:search")))
    items.append(MenuItem("vocabulary", _("Vocabulaire"), reverse("vocabulary:scheme_list")))
    if has_platform_perm(user, Perm.CURATE_VOCABULARY):
        items.append(MenuItem("curation", _("Vocabulaire beheren"), reverse("vocabulary:curation")))
    if has_platform_perm(user, Perm.VIEW_SECTOR):
        items.append(MenuItem("sector", _("Sector"), reverse("core:sector")))
    if has_platform_perm(user, Perm.MANAGE_ORGANISATIONS):
        items.append(
            MenuItem("all_organisations", _("Alle organisaties"), reverse("organisations:list"))
        )
    return items
