"""Every page of the shell, per role, in Chromium: WCAG 2.1 A/AA by axe-core, no console errors.

Each role logs in through the real form, follows every link of its own menu and then opens
the pages only it may see; the wrong role gets the 403 page, an outsider the 404 page.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.tests.factories import PASSWORD
from meerwaarde.organisations.models import Membership
from meerwaarde.organisations.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.browser

NEW_PASSWORD = "een-ander-lang-wachtwoord"


def _org(name: str, slug: str, **kwargs) -> str:
    return reverse(f"organisations:{name}", kwargs={"slug": slug, **kwargs})


def _visit_menu(watch) -> list[str]:
    """Open every link of the main menu; a role's menu never leads to a 403 or 404."""
    hrefs = watch.page.locator("nav.mw-nav a").evaluate_all("links => links.map(a => a.href)")
    assert hrefs, "het hoofdmenu is leeg"
    for href in hrefs:
        watch.visit(href)
        current = watch.page.locator(f'nav.mw-nav a[href="{watch.page.url}"]')
        if current.count():
            assert current.first.get_attribute("aria-current") == "page"
    return hrefs


def test_anonymous_pages(watch, cast, vocabulary, invitation_url):
    watch.visit(reverse("core:home"))
    _visit_menu(watch)
    watch.visit(reverse("accounts:login"))
    # A page behind log-in sends you to the log-in page, and back after it.
    watch.visit(reverse("core:dashboard"))
    assert reverse("accounts:login") in watch.page.url and "next=" in watch.page.url

    watch.visit(reverse("accounts:password_reset"))
    mail.outbox.clear()
    watch.page.get_by_label("E-mailadres").fill(cast["worker"].email)
    watch.page.get_by_role("button", name="Stuur de link").click()
    watch.page.wait_for_url("**" + reverse("accounts:password_reset_done"))
    watch.check()
    link = re.search(r"https?://\S+/herstel/\S+/", mail.outbox[-1].body).group(0)
    watch.visit(link)  # redirects to the set-password form
    watch.page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    watch.page.get_by_label("Nieuw wachtwoord bevestigen").fill(NEW_PASSWORD)
    watch.page.get_by_role("button", name="Wachtwoord opslaan").click()
    watch.page.wait_for_url("**" + reverse("accounts:password_reset_complete"))
    watch.check()
    watch.visit(link)  # used once: the invalid-link text
    assert watch.page.get_by_text("al gebruikt of verlopen").is_visible()

    watch.visit(invitation_url)
    assert watch.page.get_by_label("Uw naam").is_visible()
    watch.visit(reverse("organisations:invitation_accept", kwargs={"token": "onzin"}), status=404)
    watch.visit("/bestaat-niet/", status=404)
    assert watch.page.get_by_role("heading", name="Pagina niet gevonden").is_visible()


def test_worker_pages(watch, login, cast, org_a, org_b, invitation_url):
    login(cast["worker"])
    watch.check()
    menu = _visit_menu(watch)
    assert not any("/gebruikers/" in href for href in menu)
    watch.visit(_org("detail", org_a.slug))
    watch.visit(reverse("accounts:password_change"))
    # The wrong role sees the 403 page; someone else's organisation does not exist (404).
    watch.visit(_org("members", org_a.slug), status=403)
    assert watch.page.get_by_role("heading", name="Geen toegang").is_visible()
    # The same two error templates again: status and console only.
    watch.visit(_org("edit", org_a.slug), status=403, axe=False)
    watch.visit(_org("detail", org_b.slug), status=404)
    watch.visit(reverse("organisations:list"), status=403, axe=False)
    watch.visit(reverse("bundling:sector"), status=403, axe=False)
    # An invitation for someone else, opened while logged in: the mismatch is explained.
    watch.visit(invitation_url)
    assert watch.page.get_by_role("alert").is_visible()


def test_coordinator_pages_with_two_organisations(watch, login, cast, org_a, org_b):
    MembershipFactory(user=cast["coordinator"], organisation=org_b, role=OrgRole.WORKER)
    login(cast["coordinator"])
    watch.check()
    _visit_menu(watch)
    # The organisation switch appears with two memberships and works.
    watch.page.get_by_label("Organisatie", exact=True).select_option(org_b.slug)
    watch.page.get_by_role("button", name="Wissel").click()
    watch.page.wait_for_url("**" + reverse("core:dashboard"))
    assert watch.page.get_by_role("heading", name=org_b.name).is_visible()
    watch.check()
    watch.visit(_org("detail", org_a.slug))


def test_org_admin_pages(watch, login, cast, org_a):
    login(cast["org_admin"])
    watch.check()
    _visit_menu(watch)
    bob = Membership.objects.get(user=cast["worker"], organisation=org_a)
    for path in [
        _org("detail", org_a.slug),
        _org("edit", org_a.slug),
        _org("members", org_a.slug),
        _org("invite", org_a.slug),
        _org("member_role", org_a.slug, pk=bob.pk),
        _org("member_remove", org_a.slug, pk=bob.pk),
    ]:
        watch.visit(path)

    # Removing the last admin is refused with an explanation on the same page.
    me = Membership.objects.get(user=cast["org_admin"], organisation=org_a)
    watch.visit(_org("member_remove", org_a.slug, pk=me.pk))
    watch.page.get_by_role("button", name="Ja, verwijderen").click()
    watch.page.get_by_role("alert").wait_for()
    watch.check()

    # A successful change shows its message on the members page.
    watch.visit(_org("member_role", org_a.slug, pk=bob.pk))
    watch.page.get_by_label("Rol").select_option(OrgRole.COORDINATOR)
    watch.page.get_by_role("button", name="Opslaan").click()
    watch.page.wait_for_url("**" + _org("members", org_a.slug))
    assert watch.page.get_by_role("status").is_visible()
    watch.check()

    watch.visit(reverse("accounts:password_change"))
    watch.page.get_by_label("Oud wachtwoord").fill(PASSWORD)
    watch.page.get_by_label("Nieuw wachtwoord", exact=True).fill(NEW_PASSWORD)
    watch.page.get_by_label("Nieuw wachtwoord bevestigen").fill(NEW_PASSWORD)
    watch.page.get_by_role("button", name="Wachtwoord wijzigen").click()
    watch.page.wait_for_url("**" + reverse("accounts:password_change_done"))
    watch.check()


def test_editor_pages(watch, login, cast, vocabulary, org_a):
    login(cast["editor"])
    watch.check()
    _visit_menu(watch)
    watch.visit(_org("detail", org_a.slug), status=404, axe=False)
    watch.visit(reverse("bundling:sector"), status=403, axe=False)


def test_sector_analyst_pages(watch, login, cast):
    login(cast["sector_analyst"])
    watch.check()
    menu = _visit_menu(watch)
    assert any(href.endswith(reverse("bundling:sector")) for href in menu)
    watch.visit(reverse("organisations:create"), status=403, axe=False)


def test_platform_admin_pages(watch, login, cast, vocabulary, places):
    # More than a page of organisations, so the pagination is checked too.
    OrganisationFactory.create_batch(26, place=places["deventer"])
    login(cast["platform_admin"])
    watch.check()
    _visit_menu(watch)
    watch.visit(reverse("organisations:list"))
    watch.page.get_by_role("link", name="Volgende").click()
    watch.page.wait_for_url("**pagina=2")
    watch.check()
    watch.visit(reverse("organisations:list") + "?q=Alfa")
    watch.visit(reverse("organisations:list") + "?q=bestaat-niet")
    watch.visit(reverse("organisations:create"))
    watch.visit(reverse("bundling:sector"))
    watch.visit(reverse("accounts:password_change"))
