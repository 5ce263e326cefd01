"""Reports in Chromium: a coordinator writes an accountability report, has it made in the
background and sees the progress arrive without a reload, downloads the PDF; the funder's
officer opens the shared report in the partner area and downloads it too. The progress is
the report's job's (``jobs/_progress.html``).

axe-core checks the empty list, the form (empty and with errors), the report page queued and
ready, the list with a report and the partner's page.
"""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from meerwaarde.accounts.constants import OrgRole
from meerwaarde.accounts.tests.factories import UserFactory
from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.analysis.tests.factories import Outcomes
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.tests.factories import MembershipFactory, OrganisationFactory
from meerwaarde.reports.models import Report
from meerwaarde.sharing.models import AccessGrant, GrantKind

pytestmark = pytest.mark.browser


@pytest.fixture
def officer(cast, places):
    """A policy officer of the municipality that funds A: the partner."""
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
def activity(cast, org_a, shipped_instruments, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    outcomes = Outcomes(
        instruments=shipped_instruments, organisation=org_a, today=timezone.localdate()
    )
    offer = outcomes.offer(name="Maatjes Alfa")
    month = outcomes.day(1).replace(day=1)
    ActivityRecordFactory(offer=offer, month=month, participants_reached=40, new_participants=12)
    return month


def test_a_coordinator_makes_a_report_and_the_funder_opens_it(
    watch, login, cast, org_a, officer, activity
):
    page = watch.page
    login(cast["coordinator"])
    page.get_by_role("link", name="Verantwoording", exact=True).click()
    expect(page.locator("[data-empty=reports]")).to_be_visible()
    watch.check()

    page.get_by_role("link", name="Nieuwe verantwoording").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nieuwe verantwoording")
    expect(page.locator("[data-privacy-warning]")).to_contain_text("te herkennen")
    watch.check()

    # No funder and a story with a phone number: both come back, with what was typed.
    page.get_by_label("Titel", exact=True).fill("Verantwoording Alfa voor Gamma")
    page.get_by_label("Eerste maand").fill(activity.strftime("%Y-%m"))
    page.get_by_label("Laatste maand").fill(activity.strftime("%Y-%m"))
    page.get_by_label("Titel van het verhaal").fill("Samen koken")
    page.locator("#id_verhalen-0-text").fill("Bel 06-12345678 voor meer.")
    page.get_by_role("button", name="Opslaan").click()
    errors = page.locator("#mw-form-errors")
    expect(errors).to_contain_text("Kies een financier")
    expect(page.locator("#mw-story-errors")).to_contain_text("telefoonnummer")
    expect(page.get_by_label("Titel", exact=True)).to_have_value("Verantwoording Alfa voor Gamma")
    watch.check()

    page.get_by_label("Financier", exact=True).select_option(label="Gemeente Gamma")
    page.locator("#id_verhalen-0-text").fill("Een vaste dag en een vaste vrijwilliger.")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Verantwoording Alfa voor Gamma")
    watch.check()

    # Queued: the job's live region says so, and the page polls without reloading.
    page.get_by_role("button", name="Bestanden maken").click()
    job = page.locator(".mw-job")
    expect(job.get_by_role("status")).to_have_attribute("aria-live", "polite")
    expect(job).to_contain_text("In de wachtrij")
    watch.check()
    page.evaluate("() => { window.mwSamePage = true; }")
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    expect(job).to_contain_text("Klaar", timeout=15_000)
    # When the job ends, the files and the content arrive on the same page.
    files = page.locator("#mw-report-files")
    expect(files.get_by_role("link", name="Download als PDF")).to_be_visible(timeout=15_000)
    expect(page.locator("[data-section=content]")).to_contain_text("Bereik en activiteiten")
    assert page.evaluate("() => window.mwSamePage === true")
    watch.check()

    with page.expect_download() as download:
        files.get_by_role("link", name="Download als PDF").click()
    assert download.value.suggested_filename == "verantwoording-alfa-voor-gamma.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF")

    # Shared with the municipality, its officer opens it in the partner area.
    report = Report.objects.get()
    grant = AccessGrant.objects.create(
        organisation=org_a,
        partner=report.funder,
        kind=GrantKind.REPORT,
        report=report,
        ends_on=timezone.localdate() + datetime.timedelta(days=30),
    )
    page.context.clear_cookies()
    login(officer)
    watch.visit(reverse("sharing:shared_detail", kwargs={"pk": grant.pk}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Verantwoording Alfa voor Gamma")
    expect(page.locator("[data-section=content]")).to_contain_text("Samen koken")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download als Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")

    # After the end date the partner's page and downloads are gone.
    grant.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    grant.save()
    watch.visit(reverse("sharing:shared_detail", kwargs={"pk": grant.pk}), status=404, axe=False)
