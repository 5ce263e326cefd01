"""Step 5 of the guided import: the job through the database queue, its page, and the
uploaded file deleted once the job ends (client references must not stay on disk)."""

import re

import pytest
from django.core.management import call_command

from meerwaarde.activities.models import ActivityRecord
from meerwaarde.imports.models import ColumnMapping, ImportUpload, UploadStatus
from meerwaarde.imports.uploads import upload_has_file
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.services import job_cancel
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.tests.factories import OfferFactory

from .engine_helpers import END_ON, INTAKE_ON, MEASUREMENT_HEADER, measurement_row
from .test_views import ACTIVITY_HEADER, ACTIVITY_MAP, mapped, stored_files, url

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def work() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def test_the_import_runs_as_a_job_remembers_the_columns_and_deletes_the_file(
    settings, alice_client, alice, org_a
):
    OfferFactory(organisation=org_a, name="Maatjes")
    text = f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\nMaatjes;04-2025;2;8\n"
    item = mapped(alice_client, org_a, text, ACTIVITY_MAP)
    response = alice_client.post(url("preview", item), {"on_error": "all_or_nothing"})
    assert response["Location"] == url("detail", item)
    item.refresh_from_db()
    assert item.status == UploadStatus.IMPORTING
    assert (item.job.kind, item.job.created_by, item.job.payload["upload"]) == (
        JobKind.IMPORT,
        alice,
        item.pk,
    )
    assert ColumnMapping.objects.get(organisation=org_a).source_column == "Project"
    queued = alice_client.get(url("detail", item)).content.decode()
    assert "mw-job" in queued and 'hx-trigger="mw-job-ended from:body"' in queued
    assert "Annuleren" in queued

    work()

    item.refresh_from_db()
    assert item.job.status == JobStatus.DONE, item.job.error
    assert ActivityRecord.objects.filter(offer__organisation=org_a).count() == 2
    assert item.status == UploadStatus.FINISHED and not upload_has_file(item)
    assert stored_files(settings) == []
    page = alice_client.get(url("detail", item)).content.decode()
    assert 'data-count="read">2<' in page and 'data-count="skipped">0<' in page
    assert "Het opgeladen bestand is verwijderd." in page
    # Back to a step of a finished upload: its page.
    assert alice_client.get(url("preview", item))["Location"] == url("detail", item)


def test_skipped_rows_come_back_without_the_client_reference(
    settings, alice_client, org_a, shipped_instruments
):
    OfferFactory(organisation=org_a, name="Maatjes")
    lines = [
        measurement_row("C-1", "Maatjes", "intake", INTAKE_ON, 4),
        measurement_row("C-1", "Maatjes", "end", END_ON, 1),
        measurement_row("GEHEIM-2", "Onbekend", "intake", INTAKE_ON, 4),
    ]
    text = "\n".join(";".join(line) for line in [MEASUREMENT_HEADER, *lines]) + "\n"
    item = mapped(alice_client, org_a, text, {c: c for c in MEASUREMENT_HEADER}, "metingen")
    alice_client.post(url("names", item), {})  # "Onbekend" left unlinked
    response = alice_client.post(url("preview", item), {"on_error": "skip"})
    assert response.status_code == 302

    work()

    item.refresh_from_db()
    assert item.job.status == JobStatus.DONE, item.job.error
    assert Measurement.objects.filter(organisation=org_a).count() == 2
    with item.job.result_file.open("rb") as handle:
        skipped = handle.read().decode("utf-8-sig")
    assert "GEHEIM-2" not in skipped and "Onbekend aanbod" in skipped
    header, row = skipped.splitlines()[:2]
    assert header.split(";")[0] == "clientnummer" and row.split(";")[0] == ""
    assert stored_files(settings) == []
    page = alice_client.get(url("detail", item)).content.decode()
    assert 'data-count="skipped">1<' in page
    assert "De kolom met het cliëntnummer is in dit bestand leeggemaakt" in page
    download = re.search(r'href="([^"]+)" data-skipped-download', page).group(1)
    assert "GEHEIM-2" not in b"".join(alice_client.get(download).streaming_content).decode()


def test_a_failed_import_deletes_the_file_and_a_retry_says_to_upload_again(
    settings, alice_client, org_a
):
    OfferFactory(organisation=org_a, name="Maatjes")
    item = mapped(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n", ACTIVITY_MAP)
    alice_client.post(url("preview", item), {"on_error": "all_or_nothing"})
    item.refresh_from_db()
    # A row that became bad after the preview: the all-or-nothing job fails.
    (settings.MEDIA_ROOT / item.stored_path).write_text(
        f"{ACTIVITY_HEADER}\nMaatjes;03-2025;x;10\n", encoding="utf-8"
    )
    work()
    item.refresh_from_db()
    assert item.job.status == JobStatus.FAILED and "Er is niets ingelezen" in item.job.error
    assert stored_files(settings) == [] and item.status == UploadStatus.FINISHED

    alice_client.post(f"/organisaties/{org_a.slug}/taken/{item.job.pk}/opnieuw/")
    work()
    item.job.refresh_from_db()
    assert item.job.status == JobStatus.FAILED
    assert "Laad het opnieuw op" in item.job.error


def test_an_import_cancelled_while_queued_deletes_the_file(settings, alice_client, org_a):
    OfferFactory(organisation=org_a, name="Maatjes")
    item = mapped(alice_client, org_a, f"{ACTIVITY_HEADER}\nMaatjes;03-2025;4;10\n", ACTIVITY_MAP)
    alice_client.post(url("preview", item), {"on_error": "all_or_nothing"})
    item.refresh_from_db()
    job_cancel(job=item.job)
    page = alice_client.get(url("detail", item)).content.decode()
    assert "Geannuleerd." in page and "Het opgeladen bestand is verwijderd." in page
    assert stored_files(settings) == []
    work()
    assert not ActivityRecord.objects.exists()
    assert ImportUpload.objects.get().status == UploadStatus.FINISHED
