"""Bad input in the browser: Dutch errors beside the field, typed input kept, a clear lock-out."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from meerwaarde.accounts.tests.factories import PASSWORD
from meerwaarde.organisations.models import Organisation

pytestmark = pytest.mark.browser

# The empty forms are checked with axe in test_pages and test_vocabulary; here the pages are
# checked after the bad input, with their error messages.

# Django's English defaults: none may reach a Dutch page.
ENGLISH = re.compile(
    r"This field is required|Enter a valid|didn.t match|is too short|incorrectly|"
    r"Ensure this value",
)


def assert_field_error(page, field_id: str, message: str) -> None:
    """The message sits in the same form field as the input, which is marked invalid and
    points to the message, so a screen reader reads it with the field."""
    field = page.locator(f".utrecht-form-field:has(#{field_id})")
    assert field.count() == 1, f"#{field_id} staat niet in één .utrecht-form-field"
    error = field.locator(".utrecht-form-field-error-message")
    assert message in error.inner_text(), f"#{field_id}: {error.inner_text()!r}"
    assert error.is_visible()
    control = page.locator(f"#{field_id}")
    assert control.get_attribute("aria-invalid") == "true"
    described_by = (control.get_attribute("aria-describedby") or "").split()
    assert error.get_attribute("id") in described_by, f"#{field_id}: {described_by}"


def fill_place(page, text: str) -> None:
    """Type a place and let its suggestions arrive before going on, as a person would.

    Submitting while htmx still fetches suggestions races two requests on the test server's
    single in-memory SQLite connection.
    """
    with page.expect_response(lambda response: "/plaatsen/zoek/" in response.url):
        page.get_by_label("Plaats").fill(text)


def assert_dutch(page) -> None:
    assert page.locator("html").get_attribute("lang") == "nl"
    text = page.locator("main").inner_text()
    assert not ENGLISH.search(text), f"Engelse foutmelding op {page.url}: {text}"


def test_the_organisation_form_explains_bad_input_and_keeps_it(watch, login, cast, org_a):
    page = watch.page
    login(cast["org_admin"])
    edit = reverse("organisations:edit", kwargs={"slug": org_a.slug})
    watch.visit(edit, axe=False)
    page.get_by_label("Naam").fill("Welzijn Alfa Nieuw")
    page.get_by_label("KvK-nummer").fill("12345")
    fill_place(page, "Nergenshuizen")
    page.get_by_label("Website").fill("geen adres")
    page.get_by_role("button", name="Opslaan").click()
    page.locator(".utrecht-form-field-error-message").first.wait_for()
    watch.check()

    assert_field_error(page, "id_kvk_number", "Een KvK-nummer bestaat uit precies 8 cijfers.")
    assert_field_error(page, "id_place", "Deze plaats kennen we niet.")
    assert_field_error(page, "id_website", "Voer een geldige URL in.")
    assert page.get_by_label("Naam").input_value() == "Welzijn Alfa Nieuw"
    assert page.get_by_label("KvK-nummer").input_value() == "12345"
    assert page.get_by_label("Plaats").input_value() == "Nergenshuizen"
    assert page.get_by_label("Website").input_value() == "geen adres"
    assert_dutch(page)

    # A name two provinces share asks for the province.
    page.get_by_label("KvK-nummer").fill("12345678")
    page.get_by_label("Website").fill("")
    fill_place(page, "Hengelo")
    page.get_by_role("button", name="Opslaan").click()
    page.locator("#id_place_error").wait_for()
    assert_field_error(page, "id_place", "Er zijn meerdere plaatsen met deze naam.")
    assert page.get_by_label("KvK-nummer").input_value() == "12345678"
    watch.check()

    fill_place(page, "Hengelo (Gelderland)")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url("**" + reverse("organisations:detail", kwargs={"slug": org_a.slug}))
    assert page.get_by_role("status").is_visible()
    watch.check()
    org_a.refresh_from_db()
    assert (org_a.name, org_a.kvk_number, org_a.place.province) == (
        "Welzijn Alfa Nieuw",
        "12345678",
        "GE",
    )


def test_the_new_organisation_form_explains_bad_input_and_keeps_it(watch, login, cast):
    page = watch.page
    login(cast["platform_admin"])
    watch.visit(reverse("organisations:create"), axe=False)
    fill_place(page, "Zwolle")
    page.get_by_label("E-mailadres van de eerste organisatiebeheerder").fill("beheer@")
    page.get_by_label("Korte beschrijving").fill("Buurtwerk")
    page.get_by_role("button", name="Organisatie aanmaken").click()
    page.locator(".utrecht-form-field-error-message").first.wait_for()
    watch.check()
    assert_field_error(page, "id_name", "Dit veld is verplicht.")
    assert_field_error(page, "id_kind", "Dit veld is verplicht.")
    assert_field_error(page, "id_admin_email", "Voer een geldig e-mailadres in.")
    assert page.get_by_label("Plaats").input_value() == "Zwolle"
    assert page.get_by_label("Korte beschrijving").input_value() == "Buurtwerk"
    assert page.get_by_label("E-mailadres van de eerste organisatiebeheerder").input_value() == (
        "beheer@"
    )
    assert_dutch(page)
    assert not Organisation.objects.filter(description="Buurtwerk").exists()


def test_the_invitation_form_explains_bad_input_and_keeps_it(watch, login, cast, org_a):
    page = watch.page
    login(cast["org_admin"])
    watch.visit(reverse("organisations:invite", kwargs={"slug": org_a.slug}), axe=False)
    page.get_by_label("E-mailadres").fill("bob@example")
    page.get_by_label("Rol").select_option("coordinator")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.locator("#id_email_error").wait_for()
    watch.check()
    assert_field_error(page, "id_email", "Voer een geldig e-mailadres in.")
    assert page.get_by_label("E-mailadres").input_value() == "bob@example"
    assert page.get_by_label("Rol").input_value() == "coordinator"

    # Someone who already is a member: the service's error lands on the e-mail field too.
    page.get_by_label("E-mailadres").fill(cast["worker"].email)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    page.get_by_text("is al lid van").wait_for()
    assert_field_error(page, "id_email", f"Deze persoon is al lid van {org_a.name}.")
    assert page.get_by_label("E-mailadres").input_value() == cast["worker"].email
    assert_dutch(page)
    watch.check()


def test_the_password_forms_explain_bad_input_in_dutch(watch, login, cast, invitation_url):
    page = watch.page
    login(cast["worker"])
    watch.visit(reverse("accounts:password_change"), axe=False)
    page.get_by_label("Oud wachtwoord").fill("niet-mijn-wachtwoord")
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("kort")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("anders")
    page.get_by_role("button", name="Wachtwoord wijzigen").click()
    page.locator(".utrecht-form-field-error-message").first.wait_for()
    watch.check()
    assert_field_error(page, "id_old_password", "Uw oude wachtwoord is niet juist ingevoerd.")
    assert_field_error(page, "id_new_password2", "De twee wachtwoordvelden komen niet overeen.")
    assert_dutch(page)

    # Accepting an invitation without an account: the name stays, the passwords must match.
    page.context.clear_cookies()
    watch.visit(invitation_url, axe=False)
    page.get_by_label("Uw naam").fill("Nina Nieuw")
    page.get_by_label("Wachtwoord", exact=True).fill("een-lang-wachtwoord")
    page.get_by_label("Wachtwoord nogmaals").fill("een-ander-wachtwoord")
    page.get_by_role("button", name="Account aanmaken en meedoen").click()
    page.locator("#id_password2_error").wait_for()
    watch.check()
    assert_field_error(page, "id_password2", "De twee wachtwoorden zijn niet gelijk.")
    assert page.get_by_label("Uw naam").input_value() == "Nina Nieuw"
    page.get_by_label("Wachtwoord", exact=True).fill("1234567890")
    page.get_by_label("Wachtwoord nogmaals").fill("1234567890")
    page.get_by_role("button", name="Account aanmaken en meedoen").click()
    page.locator("#id_password1_error").wait_for()
    assert_field_error(page, "id_password1", "Dit wachtwoord")
    assert_dutch(page)
    watch.check()

    watch.visit(reverse("accounts:password_reset"), axe=False)
    page.get_by_label("E-mailadres").fill("niemand@")
    page.get_by_role("button", name="Stuur de link").click()
    page.locator("#id_email_error").wait_for()
    assert_field_error(page, "id_email", "Voer een geldig e-mailadres in.")
    assert page.get_by_label("E-mailadres").input_value() == "niemand@"
    watch.check()


def test_a_too_short_new_password_is_explained_in_dutch(watch, cast):
    page = watch.page
    mail.outbox.clear()
    watch.visit(reverse("accounts:password_reset"), axe=False)
    page.get_by_label("E-mailadres").fill(cast["worker"].email)
    page.get_by_role("button", name="Stuur de link").click()
    page.wait_for_url("**" + reverse("accounts:password_reset_done"))
    watch.visit(re.search(r"https?://\S+/herstel/\S+/", mail.outbox[-1].body).group(0))
    page.get_by_label("Nieuw wachtwoord", exact=True).fill("kort")
    page.get_by_label("Nieuw wachtwoord bevestigen").fill("kort")
    page.get_by_role("button", name="Wachtwoord opslaan").click()
    page.locator("#id_new_password2_error").wait_for()
    assert_field_error(page, "id_new_password2", "Dit wachtwoord is te kort.")
    assert_dutch(page)
    watch.check()


def test_the_tenth_wrong_password_locks_the_account_with_a_clear_message(watch, cast):
    page = watch.page
    user = cast["worker"]
    watch.visit(reverse("accounts:login"), axe=False)
    page.get_by_label("E-mailadres").fill(user.email)
    for attempt in range(1, settings.AXES_FAILURE_LIMIT):
        # Only the password is typed again: the e-mail address must have been kept.
        page.get_by_label("Wachtwoord").fill(f"fout-{attempt}")
        with page.expect_navigation():
            page.get_by_label("Wachtwoord").press("Enter")
        assert page.get_by_label("E-mailadres").input_value() == user.email
        alert = page.get_by_role("alert")
        assert "horen niet bij elkaar" in alert.inner_text(), f"poging {attempt}"
        assert "geblokkeerd" in alert.inner_text()  # the warning comes before the lock
    watch.check()

    watch.expect_status(429)
    page.get_by_label("Wachtwoord").fill("de-tiende-fout")
    with page.expect_navigation() as navigation:
        page.get_by_label("Wachtwoord").press("Enter")
    assert navigation.value.status == 429
    alert = page.get_by_role("alert")
    assert "Dit account is tijdelijk geblokkeerd" in alert.inner_text()
    assert f"over {settings.AXES_COOLOFF_MINUTES} minuten" in alert.inner_text()
    assert "Wachtwoord vergeten" in alert.inner_text()
    assert page.get_by_label("E-mailadres").input_value() == user.email
    watch.check()

    # Even the right password does not get in while the lock lasts.
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation() as navigation:
        page.get_by_label("Wachtwoord").press("Enter")
    assert navigation.value.status == 429
    assert reverse("accounts:login") in page.url
    assert "tijdelijk geblokkeerd" in page.get_by_role("alert").inner_text()
    watch.check()
