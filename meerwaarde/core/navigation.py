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


# The active organisation's pages, in menu order: (key, label, URL name, slug argument, perm);
# a slug argument of None is a page that follows the active organisation by itself.
_ORGANISATION_ITEMS = (
    ("organisation", _("Organisatie"), "organisations:detail", "slug", Perm.VIEW_ORGANISATION),
    ("offers", _("Aanbod"), "offers:list", "slug", Perm.VIEW_OFFERS),
    ("participants", _("Deelnemers"), "participants:list", "slug", Perm.VIEW_PARTICIPANTS),
    ("activities", _("Activiteiten"), "activities:overview", "slug", Perm.VIEW_PARTICIPANTS),
    ("instruments", _("Instrumenten"), "instruments:list", "slug", Perm.VIEW_PARTICIPANTS),
    ("results", _("Resultaten"), "analysis:dashboard", "slug", Perm.VIEW_RESULTS),
    ("programmes", _("Programma's"), "programmes:list", "slug", Perm.VIEW_RESULTS),
    ("reports", _("Verantwoording"), "reports:list", "slug", Perm.VIEW_RESULTS),
    ("mappings", _("Lokale namen"), "vocabulary:mapping_list", "org_slug", Perm.VIEW_MAPPINGS),
    ("members", _("Gebruikers"), "organisations:members", "slug", Perm.MANAGE_MEMBERS),
    ("sharing", _("Delen"), "sharing:overview", "slug", Perm.MANAGE_SHARING),
    ("import", _("Importeren"), "imports:start", "slug", Perm.IMPORT_EXPORT),
    ("export", _("Exporteren"), "exports:start", "slug", Perm.IMPORT_EXPORT),
    ("jobs", _("Taken"), "jobs:list", "slug", Perm.IMPORT_EXPORT),
    ("shared", _("Gedeeld met ons"), "sharing:shared_list", None, Perm.VIEW_SHARED),
)


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
        items += [
            MenuItem(
                key,
                str(label),
                reverse(url_name, kwargs={slug_kwarg: slug} if slug_kwarg else None),
            )
            for key, label, url_name, slug_kwarg, perm in _ORGANISATION_ITEMS
            if has_org_perm(membership.role, perm)
        ]
    items.append(MenuItem("directory", _("Sociale kaart"), reverse("directory:search")))
    items.append(MenuItem("vocabulary", _("Vocabulaire"), reverse("vocabulary:scheme_list")))
    if has_platform_perm(user, Perm.CURATE_VOCABULARY):
        items.append(MenuItem("curation", _("Vocabulaire beheren"), reverse("vocabulary:curation")))
    if has_platform_perm(user, Perm.VIEW_SECTOR):
        items.append(MenuItem("sector", _("Sector"), reverse("bundling:sector")))
    if has_platform_perm(user, Perm.MANAGE_ORGANISATIONS):
        items.append(
            MenuItem("all_organisations", _("Alle organisaties"), reverse("organisations:list"))
        )
    return items
