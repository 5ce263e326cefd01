"""The sector view in Chromium: public and for a sector analyst, a focus group one click away,
the organisation's comparison; WCAG 2.1 A/AA by axe-core on each, no console errors."""

import pytest
from django.urls import reverse

from meerwaarde.bundling.tests.data import make_sector

pytestmark = pytest.mark.browser


@pytest.fixture
def sector_data(transactional_db, shipped_instruments, org_a, org_b):
    return make_sector(shipped_instruments, org_a, org_b)


def test_public_sector_view(watch, sector_data):
    watch.visit(reverse("bundling:public"))
    assert watch.page.get_by_role("heading", name="Sociaal werk in beeld", level=1).is_visible()

    watch.page.get_by_role("link", name="Ouderen", exact=True).click()
    watch.page.wait_for_url("**focus=ouderen**")
    watch.check()
    current = watch.page.locator("[data-focus-links] [aria-current=page]")
    assert current.inner_text() == "Ouderen"

    watch.page.locator("[data-tabs]").get_by_role("link", name="Plaats").click()
    watch.page.wait_for_url("**indeling=plaats**")
    watch.check()
    watch.visit(reverse("bundling:public") + "?indeling=plaats")
    assert watch.page.get_by_text("te weinig deelnemers").first.is_visible()


def test_analyst_sector_view(watch, login, cast, sector_data):
    login(cast["sector_analyst"])
    watch.page.locator("nav.mw-nav").get_by_role("link", name="Sector").click()
    watch.page.wait_for_url("**" + reverse("bundling:sector"))
    watch.check()
    watch.page.get_by_role("link", name="Psychisch kwetsbare mensen").click()
    watch.page.wait_for_url("**focus=psychisch-kwetsbaren**")
    watch.check()
    watch.page.locator("#id_provincie").select_option("DR")
    watch.page.get_by_role("button", name="Toon de cijfers").click()
    watch.page.wait_for_url("**provincie=DR**")
    watch.check()


def test_comparison_with_the_sector(watch, login, cast, org_a, sector_data):
    login(cast["coordinator"])
    watch.visit(reverse("analysis:dashboard", kwargs={"slug": org_a.slug}))
    watch.page.get_by_role("link", name="Vergelijk uw uitkomsten met de sector").click()
    watch.page.wait_for_url("**/vergelijking/")
    watch.check()
    assert watch.page.locator("[data-comparison]").count() >= 1
