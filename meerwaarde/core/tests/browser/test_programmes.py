"""Programmes in Chromium: a coordinator makes a programme (a form with errors first), opens its
results chain with progress charts and tables, and sees it as partners do; the public opens the
public page and the municipality's officer the programme shared with it.

axe-core checks every page and state on the way.
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
from meerwaarde.programmes import services
from meerwaarde.programmes.constants import (
    ActivityMeasure,
    DataSource,
    Direction,
    Level,
    OutcomeStatistic,
)
from meerwaarde.sharing.models import AccessGrant, GrantKind

pytestmark = pytest.mark.browser

THIS_YEAR = datetime.date.today().year


@pytest.fixture
def programme(cast, org_a, shipped_instruments):
    """A public programme with a step on a big offer, one on a small one (hidden outside the
    organisation), an outcome step and a typed-in impact step."""
    outcomes = Outcomes(
        instruments=shipped_instruments, organisation=org_a, today=timezone.localdate()
    )
    big, small = outcomes.offer(name="Grote groep"), outcomes.offer(name="Kleine groep")
    month = outcomes.day(1).replace(day=1)
    ActivityRecordFactory(offer=big, month=month, participants_reached=70, meetings_held=30)
    ActivityRecordFactory(offer=small, month=month, participants_reached=4, new_participants=2)
    for start, end in [(5, 2), (6, 3), (5, 4)] * 4:
        outcomes.loneliness(big, start, end)
    programme = services.programme_create(
        organisation=org_a,
        created_by=None,
        name="Samen tegen eenzaamheid",
        start_year=month.year - 1,
        end_year=month.year + 2,
        is_public=True,
    )
    impact = services.node_create(
        programme=programme,
        level=Level.IMPACT,
        title="Minder eenzame ouderen",
        indicator="Aandeel 65-plussers dat zich sterk eenzaam voelt.",
        unit="procent",
        direction=Direction.LOWER,
        baseline_value=11,
        baseline_year=month.year - 2,
    )
    services.manual_value_set(
        node=impact, year=month.year - 1, value=10, source="GGD-monitor", entered_by=None
    )
    outcome = services.node_create(
        programme=programme,
        level=Level.OUTCOME,
        title="Minder eenzaam",
        indicator="Gemiddelde verandering op de De Jong Gierveld-schaal.",
        direction=Direction.LOWER,
        source=DataSource.OUTCOME,
        instrument=outcomes.djg6,
        scale="total",
        statistic=OutcomeStatistic.MEAN_CHANGE,
        offers=[big],
        leads_to=[impact],
    )
    for title, offer in (("Bijeenkomsten groot", big), ("Bijeenkomsten klein", small)):
        node = services.node_create(
            programme=programme,
            level=Level.ACTIVITY,
            title=title,
            indicator="Bijeenkomsten per jaar.",
            source=DataSource.ACTIVITY,
            activity_measure=ActivityMeasure.MEETINGS,
            offers=[offer],
            leads_to=[outcome],
        )
        services.targets_set(node=node, targets={month.year: 25, month.year + 1: 40})
    return programme


def test_a_coordinator_makes_a_programme_and_reads_its_progress(watch, login, cast, programme):
    page = watch.page
    login(cast["coordinator"])
    page.get_by_role("link", name="Programma's", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Programma's van Welzijn Alfa")
    watch.check()

    page.get_by_role("link", name="Programma toevoegen").click()
    watch.check()
    page.get_by_label("Naam", exact=True).fill("Te lang")
    page.get_by_label("Eerste jaar").fill("2025")
    page.get_by_label("Laatste jaar").fill("2040")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#mw-form-errors")).to_contain_text("hooguit 10 jaar")
    expect(page.get_by_label("Naam", exact=True)).to_have_value("Te lang")
    watch.check()

    page.goto(reverse("programmes:detail", kwargs={"slug": "welzijn-alfa", "pk": programme.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Samen tegen eenzaamheid")
    small = page.locator("article", has_text="Bijeenkomsten klein")
    expect(small.locator("figure svg")).to_have_count(1)
    expect(small.locator("table")).to_contain_text("Verborgen voor partners en publiek")
    watch.check()

    page.get_by_role("link", name="Bekijk het programma zoals partners het zien").click()
    expect(
        page.locator("article", has_text="Bijeenkomsten klein").locator("table")
    ).to_contain_text("te weinig deelnemers")
    watch.check()

    page.get_by_role("link", name="Doelen en waarden van Bijeenkomsten groot").first.click()
    watch.check()


def test_the_public_and_a_partner_see_the_suppressed_programme(
    watch, login, cast, org_a, places, programme
):
    page = watch.page
    watch.visit(reverse("programmes:public_detail", kwargs={"pk": programme.pk}))
    small = page.locator("article", has_text="Bijeenkomsten klein")
    expect(small.locator("table")).to_contain_text("te weinig deelnemers")
    expect(page.get_by_role("article", name="Minder eenzame ouderen", exact=True)).to_contain_text(
        "GGD-monitor"
    )

    municipality = OrganisationFactory(
        name="Gemeente Gamma", kind=OrganisationKind.MUNICIPALITY, place=places["zwolle"]
    )
    officer = UserFactory(email="mona@example.org", full_name="Mona Gemeente")
    MembershipFactory(user=officer, organisation=municipality, role=OrgRole.WORKER)
    grant = AccessGrant.objects.create(
        organisation=org_a,
        partner=municipality,
        kind=GrantKind.PROGRAMME,
        programme=programme,
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    login(officer)
    watch.visit(reverse("sharing:shared_detail", kwargs={"pk": grant.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Samen tegen eenzaamheid")
    expect(
        page.locator("article", has_text="Bijeenkomsten klein").locator("table")
    ).to_contain_text("te weinig deelnemers")
    expect(page.get_by_text("Verborgen voor partners")).to_have_count(0)
