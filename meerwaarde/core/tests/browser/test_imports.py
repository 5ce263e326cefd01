"""Import and export in Chromium: a coordinator uploads a small CSV, maps its columns and a
local name, sees the preview, starts the import and sees its progress and result arrive
without a reload, then makes the export and downloads it. axe-core checks every page
(the upload form empty and with an error, columns, names, preview, the import's page queued
and done, the export page and the export's job page), and the restore of an export (its form,
with a refused file, and its job's page queued and done).
"""

import datetime
import io
import re
import shutil
import zipfile

import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import expect

from meerwaarde.activities.models import ActivityRecord
from meerwaarde.activities.tests.factories import ActivityRecordFactory
from meerwaarde.exports.services import export_organisation
from meerwaarde.offers.tests.factories import OfferFactory

pytestmark = pytest.mark.browser

CSV = (
    "Project;maand;bijeenkomsten;deelnemers_bereikt\r\n"
    "Maatjes Alfa;03-2025;4;10\r\n"
    "Maatjes Alfa;04-2025;2;8\r\n"
)


@pytest.fixture
def offer(cast, org_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"
    return OfferFactory(organisation=org_a, name="Maatjesproject")


def work() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def test_a_coordinator_imports_a_csv_and_downloads_the_export(watch, login, cast, org_a, offer):
    page = watch.page
    login(cast["coordinator"])
    page.get_by_role("link", name="Importeren", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Importeren bij")
    watch.check()

    # No file: the error says so and the chosen kind stays.
    page.get_by_label("Activiteiten per maand").check()
    page.get_by_role("button", name="Bestand opladen").click()
    expect(page.locator("#mw-form-errors")).to_contain_text("Kies een bestand.")
    expect(page.get_by_label("Activiteiten per maand")).to_be_checked()
    watch.check()

    page.get_by_label("Bestand", exact=True).set_input_files(
        files=[{"name": "activiteiten.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Bestand opladen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kolommen koppelen")
    expect(page.get_by_label("maand", exact=True)).to_have_value("maand")
    watch.check()

    page.get_by_label("Project", exact=True).select_option("aanbod_naam")
    page.get_by_role("button", name="Volgende stap").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eigen namen koppelen")
    expect(page.locator("body")).to_contain_text("Suggestie: Maatjesproject")
    watch.check()

    page.get_by_label("Maatjes Alfa", exact=True).select_option(label="Maatjesproject")
    page.get_by_role("button", name="Koppelingen bewaren en controleren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controle")
    expect(page.locator("[data-count=created]")).to_have_text("2")
    expect(page.locator("[data-empty=problems]")).to_be_visible()
    expect(page.get_by_label(re.compile("^Alles of niets"))).to_be_checked()
    watch.check()

    page.get_by_role("button", name="Import starten").click()
    job = page.locator(".mw-job")
    expect(job).to_contain_text("In de wachtrij")
    expect(job.get_by_role("button", name="Annuleren")).to_be_visible()
    watch.check()

    page.evaluate("() => { window.mwSamePage = true; }")
    work()
    expect(job).to_contain_text("Klaar", timeout=15_000)
    result = page.locator("[data-result]")
    expect(result).to_be_visible(timeout=15_000)
    expect(result.locator("[data-count=read]")).to_have_text("2")
    expect(page.locator("[data-file-deleted]")).to_be_visible()
    assert page.evaluate("() => window.mwSamePage === true")
    assert ActivityRecord.objects.filter(offer=offer).count() == 2
    watch.check()

    # The export of everything, with the imported activities in it.
    page.get_by_role("link", name="Exporteren", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Export van")
    watch.check()
    page.get_by_role("button", name="Export maken").click()
    expect(page.locator(".mw-job")).to_contain_text("In de wachtrij")
    watch.check()
    work()
    download_link = page.locator("[data-download]")
    expect(download_link).to_be_visible(timeout=15_000)
    watch.check()
    with page.expect_download() as download:
        download_link.click()
    archive = zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes()))
    names = archive.namelist()
    assert "kolommen.csv" in names
    assert "2025-03-01;4;10" in archive.read("activiteiten.csv").decode("utf-8-sig")
    assert "Maatjesproject" in archive.read("aanbod.csv").decode("utf-8-sig")
    assert page.url.startswith(watch.base_url + reverse("jobs:list", args=[org_a.slug]))


def test_a_coordinator_restores_an_export_and_sees_the_counts_per_file(
    watch, login, cast, org_a, offer, tmp_path
):
    ActivityRecordFactory(offer=offer, month=datetime.date(2025, 3, 1))
    made = export_organisation(organisation=org_a, fmt="csv")
    archive = tmp_path / "export.zip"
    shutil.move(made, archive)
    shutil.rmtree(made.parent, ignore_errors=True)
    page = watch.page
    login(cast["coordinator"])
    page.get_by_role("link", name="Importeren", exact=True).click()
    page.get_by_role("link", name="Een export van Meerwaarde terugzetten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Een export van Meerwaarde terugzetten"
    )
    watch.check()

    # A file that is not an export is refused at once, before any job.
    page.get_by_label(re.compile("^Export van Meerwaarde")).set_input_files(
        files=[{"name": "activiteiten.csv", "mimeType": "text/csv", "buffer": CSV.encode()}]
    )
    page.get_by_role("button", name="Export inlezen").click()
    expect(page.locator("#mw-form-errors")).to_be_visible()
    watch.check()

    page.get_by_label(re.compile("^Export van Meerwaarde")).set_input_files(str(archive))
    page.get_by_role("button", name="Export inlezen").click()
    expect(page.locator(".mw-job")).to_contain_text("In de wachtrij")
    watch.check()
    work()
    expect(page.locator(".mw-job")).to_contain_text("Klaar", timeout=15_000)
    result = page.locator("[data-result]")
    expect(result).to_be_visible(timeout=15_000)
    # The organisation's own export: everything in it is there already.
    activities = result.locator("[data-kind=activiteiten]")
    expect(activities.locator("[data-count=already_present]")).to_have_text("1")
    expect(activities.locator("[data-count=created]")).to_have_text("0")
    watch.check()
