"""The pages work with the keyboard alone: skip link, log-in, a form, the language switch, focus."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.tests.factories import PASSWORD
from meerwaarde.organisations.models import Invitation
from meerwaarde.organisations.tests.factories import OrganisationFactory

from .helpers import ACTIVE_MATCHES, assert_tab_reaches_everything, tab_to

pytestmark = pytest.mark.browser

ENGLISH_CATALOGUE = Path(settings.LOCALE_PATHS[0]) / "en" / "LC_MESSAGES" / "django.mo"


def assert_skip_link_first(page) -> None:
    """The first Tab lands on a visible skip link; Enter puts the focus on the main content."""
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_MATCHES, "a.utrecht-skip-link[href='#inhoud']"), (
        "de eerste Tab-stop is niet de link naar de inhoud"
    )
    box = page.evaluate("() => document.activeElement.getBoundingClientRect().toJSON()")
    assert box["width"] > 10 and box["height"] > 10 and box["top"] >= 0, (
        f"de skiplink is onzichtbaar bij focus: {box}"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "inhoud"
    page.keyboard.press("Tab")
    assert page.evaluate("() => !!document.activeElement.closest('main')"), (
        "na de skiplink gaat Tab niet verder in de inhoud"
    )


def test_it_logs_in_and_invites_someone_with_the_keyboard_only(watch, cast, org_a):
    page = watch.page
    watch.visit(reverse("core:home"), axe=False)
    assert_skip_link_first(page)
    tab_to(page, f"main a[href='{reverse('accounts:login')}']")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + reverse("accounts:login"))

    # The e-mail field has the focus when the page opens.
    assert page.evaluate(ACTIVE_MATCHES, "input[name=username]")
    page.keyboard.type(cast["org_admin"].email)
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_MATCHES, "input[name=password]")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**" + reverse("core:dashboard"))
    watch.check()

    assert_skip_link_first(page)
    members = reverse("organisations:members", kwargs={"slug": org_a.slug})
    tab_to(page, f"main a[href='{members}']")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + members)
    invite = reverse("organisations:invite", kwargs={"slug": org_a.slug})
    tab_to(page, f"main a[href='{invite}']")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + invite)

    mail.outbox.clear()
    tab_to(page, "#id_email")
    page.keyboard.type("nieuwe.collega@example.org")
    page.keyboard.press("Tab")
    assert page.evaluate(ACTIVE_MATCHES, "#id_role")
    page.keyboard.press("ArrowDown")  # Sociaal werker -> Coördinator
    tab_to(page, "main button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url("**" + members)
    assert page.get_by_role("status").filter(has_text="nieuwe.collega@example.org").is_visible()
    watch.check()
    invitation = Invitation.objects.get(organisation=org_a, email="nieuwe.collega@example.org")
    assert invitation.role == OrgRole.COORDINATOR
    assert [m.to for m in mail.outbox] == [["nieuwe.collega@example.org"]]


def test_it_switches_to_english_and_back_with_the_keyboard(watch, cast, org_a):
    page = watch.page
    path = reverse("organisations:detail", kwargs={"slug": org_a.slug})
    watch.visit(reverse("accounts:login") + "?next=" + path, axe=False)
    page.keyboard.type(cast["worker"].email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**" + path)
    dutch_skip = page.locator("a.utrecht-skip-link").text_content()

    tab_to(page, "button[name=language][value=en]")
    page.keyboard.press("Enter")
    page.wait_for_selector("html[lang=en]")
    assert page.url.endswith(path), "de taalkeuze blijft niet op dezelfde pagina"
    watch.check()
    assert page.locator("button[name=language][value=nl]").get_attribute("lang") == "nl"
    if ENGLISH_CATALOGUE.exists():
        assert page.locator("a.utrecht-skip-link").text_content() != dutch_skip, (
            "de pagina is na de keuze voor English nog Nederlands"
        )

    tab_to(page, "button[name=language][value=nl]")
    page.keyboard.press("Enter")
    page.wait_for_selector("html[lang=nl]")
    assert page.url.endswith(path)
    assert page.locator("a.utrecht-skip-link").text_content() == dutch_skip
    watch.check()


@pytest.mark.parametrize(
    ("role", "page_name"),
    [
        ("org_admin", "dashboard"),
        ("org_admin", "members"),
        ("org_admin", "edit"),
        ("platform_admin", "list"),
        ("platform_admin", "create"),
    ],
)
def test_every_interactive_element_is_reachable_with_tab_and_shows_focus(
    watch, login, cast, org_a, places, role, page_name
):
    if page_name == "list":
        OrganisationFactory.create_batch(26, place=places["deventer"])
    login(cast[role])
    paths = {
        "dashboard": reverse("core:dashboard"),
        "members": reverse("organisations:members", kwargs={"slug": org_a.slug}),
        "edit": reverse("organisations:edit", kwargs={"slug": org_a.slug}),
        "list": reverse("organisations:list"),
        "create": reverse("organisations:create"),
    }
    watch.visit(paths[page_name], axe=False)
    assert_tab_reaches_everything(watch.page)
    watch.check(axe=False)


def test_the_anonymous_pages_are_reachable_with_tab_and_show_focus(watch, cast):
    for path in [reverse("core:home"), reverse("accounts:password_reset")]:
        watch.visit(path, axe=False)
        assert_tab_reaches_everything(watch.page)
