"""Sharing in Chromium: a coordinator grants a municipality the results of one offer, the
municipality's officer opens them in the partner area, and the public reads an impact page.

axe-core checks the grant form (empty and with errors), the list of grants, the partner's list
and the shared dashboard, the impact page settings and the public impact page.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.tests.factories import UserFactory
from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.analysis.tests.factories import Outcomes
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.tests.factories import MembershipFactory, OrganisationFactory
from meerwaarde.sharing.models import AccessGrant

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(cast, places):
    """A policy officer of the municipality: the partner."""
    municipality = OrganisationFactory(
        name="Gemeente Gamma",
        slug="gemeente-gamma",
        kind=OrganisationKind.MUNICIPALITY,
        place=places["zwolle"],
    )
    user = UserFactory(email="mona@example.org", full_name="Mona Gemeente")
    MembershipFactory(user=user, organisation=municipality, role=OrgRole.WORKER)
    return user


@pytest.fixture
def offers(cast, org_a, shipped_instruments):
    """Two offers of A with a month of activity; the small one has three loneliness pairs,
    too few to share."""
    outcomes = Outcomes(
        instruments=shipped_instruments, organisation=org_a, today=timezone.localdate()
    )
    small = outcomes.offer(name="Kleine groep")
    big = outcomes.offer(name="Grote groep")
    for start, end in [(5, 2), (6, 3), (5, 4)]:
        outcomes.loneliness(small, start, end)
    month = outcomes.day(1).replace(day=1)
    ActivityRecordFactory(offer=small, month=month, participants_reached=40, new_participants=12)
    ActivityRecordFactory(offer=big, month=month, participants_reached=70, new_participants=20)
    return {"small": small, "big": big}


def test_a_coordinator_shares_results_and_the_partner_opens_them(
    watch, login, cast, org_a, officer, offers
):
    page = watch.page
    login(cast["coordinator"])
    page.get_by_role("link", name="Delen", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delen: Welzijn Alfa")
    watch.check()

    page.get_by_role("link", name="Toegang geven").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Toegang geven aan een partner")
    watch.check()

    # A date in the past: the form comes back with the error, and keeps the choices.
    page.get_by_label("Organisatie die toegang krijgt").select_option(
        label="Gemeente Gamma (Zwolle)"
    )
    page.get_by_label("Resultaten (dashboard)").check()
    page.locator("#id_f-aanbod").select_option(label="Kleine groep")
    page.get_by_label("Toegang tot en met").fill("2020-01-01")
    page.get_by_role("button", name="Toegang geven").click()
    expect(page.locator("#mw-form-errors")).to_contain_text("Kies een einddatum na vandaag.")
    expect(page.locator("#id_f-aanbod")).to_have_value(str(offers["small"].pk))
    watch.check()

    ends_on = timezone.localdate() + datetime.timedelta(days=60)
    page.get_by_label("Toegang tot en met").fill(ends_on.isoformat())
    page.get_by_role("button", name="Toegang geven").click()
    expect(page.locator(".mw-messages")).to_contain_text("Gemeente Gamma heeft nu toegang")
    grant = AccessGrant.objects.get()
    row = page.locator(f"tr[data-grant='{grant.pk}']")
    expect(row).to_contain_text("Aanbod: Kleine groep")
    expect(row.locator("[data-status=active]")).to_be_visible()
    watch.check()

    # An API key for the coordinator's own systems: shown once, then only its first characters.
    page.get_by_role("link", name="API-sleutels beheren").click()
    watch.check()
    page.get_by_label("Naam van de sleutel").fill("Datawarehouse")
    page.get_by_role("button", name="Sleutel aanmaken").click()
    key = page.locator("[data-new-key]").input_value()
    assert key.startswith("mw_")
    expect(page.locator("table[data-table=tokens]")).to_contain_text(key[:8])
    watch.check()

    # The municipality's officer finds it under "Gedeeld met ons".
    page.context.clear_cookies()
    login(officer)
    page.get_by_role("link", name="Gedeeld met ons").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gedeeld met Gemeente Gamma")
    watch.check()

    page.get_by_role("link", name="Resultaten van Welzijn Alfa").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resultaten van Welzijn Alfa")
    expect(page.locator("[data-section=activity] figure")).to_be_visible()
    outcomes = page.locator("[data-section=outcomes]")
    expect(outcomes).to_contain_text("te weinig deelnemers")
    expect(outcomes).not_to_contain_text("Bij 3 deelnemers")
    expect(page.locator("main select")).to_have_count(0)
    watch.check()

    # Revoked: the partner's address is a 404.
    shared_url = page.url
    grant.revoked_at = timezone.now()
    grant.save()
    watch.visit(shared_url, status=404, axe=False)


def test_the_public_impact_page_shows_only_published_suppressed_figures(
    watch, login, cast, org_a, offers
):
    page = watch.page
    public = reverse("sharing:impact_page", kwargs={"slug": org_a.slug})
    watch.visit(public, status=404, axe=False)

    login(cast["coordinator"])
    watch.visit(reverse("sharing:impact_settings", kwargs={"slug": org_a.slug}))
    page.get_by_label("Inleiding").fill("Welzijn Alfa helpt inwoners uit de eenzaamheid.")
    page.get_by_label("Bereik en activiteiten").check()
    page.get_by_label("Uitkomsten per meetinstrument").check()
    page.locator("#id_f-aanbod").select_option(label="Kleine groep")
    page.get_by_role("button", name="Instellingen opslaan").click()
    expect(page.locator(".mw-messages")).to_contain_text("opgeslagen")
    watch.check()
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator("[data-published=ja]")).to_be_visible()
    watch.check()

    page.context.clear_cookies()
    watch.visit(public)
    expect(page.get_by_role("heading", level=1)).to_have_text("Impact van Welzijn Alfa")
    expect(page.locator("[data-introduction]")).to_have_text(
        "Welzijn Alfa helpt inwoners uit de eenzaamheid."
    )
    expect(page.locator("[data-section]")).to_have_count(2)
    expect(page.locator("[data-section=gas]")).to_have_count(0)
    expect(page.locator("[data-section=outcomes]")).to_contain_text("te weinig deelnemers")
