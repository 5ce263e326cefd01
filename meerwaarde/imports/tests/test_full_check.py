"""The problems of a whole file before and after importing it: the full check of a file
larger than the preview's dry run (a dry-run job, the upload kept for the import), and the
file of every problem a failed all-or-nothing import leaves."""

import csv
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from meerwaarde.activities.models import ActivityRecord
from meerwaarde.imports import flow
from meerwaarde.imports.models import ImportUpload, UploadStatus
from meerwaarde.imports.uploads import upload_check_job, upload_has_file
from meerwaarde.jobs.constants import JobStatus
from meerwaarde.offers.tests.factories import OfferFactory

from .test_views import ACTIVITY_HEADER, ACTIVITY_MAP, mapped, stored_files, url

BUTTON = "Controleer het hele bestand"


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


@pytest.fixture
def small_preview(monkeypatch):
    """The preview's dry run stops after 3 rows."""
    monkeypatch.setattr(flow, "PREVIEW_ROWS", 3)


def work() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def activity_file(rows: int, *, bad_at: int | None = None) -> str:
    """``rows`` months of one offer; data row ``bad_at`` (1-based) has a count that is no
    number. Spreadsheet row numbers are one more: the header is row 1."""
    lines = [ACTIVITY_HEADER]
    for n in range(1, rows + 1):
        meetings = "x" if n == bad_at else "4"
        lines.append(f"Maatjes;{n:02d}-2025;{meetings};10")
    return "\n".join(lines) + "\n"


def downloaded(client, page: str) -> list[list[str]]:
    address = re.search(r'href="([^"]+)" data-problems-download', page).group(1)
    response = client.get(address)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


# The button --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_preview_offers_the_full_check_only_when_its_dry_run_was_cut(
    alice_client, org_a, small_preview
):
    OfferFactory(organisation=org_a, name="Maatjes")
    small = mapped(alice_client, org_a, activity_file(3), ACTIVITY_MAP)
    page = alice_client.get(url("preview", small)).content.decode()
    assert BUTTON not in page and "data-cut" not in page

    large = mapped(alice_client, org_a, activity_file(4), ACTIVITY_MAP)
    page = alice_client.get(url("preview", large)).content.decode()
    assert BUTTON in page and "data-cut" in page
    assert f'action="{url("check", large)}"' in page


@pytest.mark.django_db
def test_the_full_check_is_404_for_another_organisation_and_403_for_a_worker(
    alice_client, bob_client, charlie_client, org_a, small_preview
):
    item = mapped(alice_client, org_a, activity_file(4), ACTIVITY_MAP)
    assert charlie_client.post(url("check", item)).status_code == 404
    assert bob_client.post(url("check", item)).status_code == 403
    assert alice_client.get(url("check", item)).status_code == 405
    assert upload_check_job(item) is None


# The check as a job -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_full_check_finds_a_problem_after_the_previews_limit_and_writes_nothing(
    settings, alice_client, charlie_client, org_a, small_preview
):
    OfferFactory(organisation=org_a, name="Maatjes")
    item = mapped(alice_client, org_a, activity_file(6, bad_at=5), ACTIVITY_MAP)
    preview = alice_client.get(url("preview", item)).content.decode()
    assert 'data-empty="problems"' in preview  # the first 3 rows are fine

    response = alice_client.post(url("check", item))
    assert response["Location"] == url("detail", item)
    check = upload_check_job(item)
    assert check.payload["dry_run"] is True and check.status == JobStatus.QUEUED
    queued = alice_client.get(url("detail", item)).content.decode()
    assert "mw-job" in queued and 'aria-live="polite"' in queued
    assert 'hx-trigger="mw-job-ended from:body"' in queued

    work()

    check.refresh_from_db()
    assert check.status == JobStatus.DONE, check.error
    assert ActivityRecord.objects.count() == 0
    item.refresh_from_db()
    assert item.status == UploadStatus.MAPPED and upload_has_file(item)
    page = alice_client.get(url("detail", item)).content.decode()
    assert 'data-count="checked">6<' in page and 'data-count="problems">1<' in page
    assert "Download alle problemen (CSV)" in page and "(1 probleem," in page
    assert "data-way-on" in page
    rows = downloaded(alice_client, page)
    assert rows[0] == ["rij", "kolom", "melding"]
    assert [row[:2] for row in rows[1:]] == [["6", "bijeenkomsten"]]
    # The preview says what the check found, and links the same file.
    preview = alice_client.get(url("preview", item)).content.decode()
    assert "Het hele bestand is gecontroleerd: 6 rijen, 1 probleem." in preview
    assert "data-problems-download" in preview
    download = reverse("jobs:download", args=[org_a.slug, check.pk])
    assert charlie_client.get(download).status_code == 404
    assert charlie_client.get(url("detail", item)).status_code == 404


@pytest.mark.django_db(transaction=True)
def test_after_a_full_check_the_upload_stays_and_the_import_runs(
    settings, alice_client, org_a, small_preview
):
    OfferFactory(organisation=org_a, name="Maatjes")
    item = mapped(alice_client, org_a, activity_file(5, bad_at=5), ACTIVITY_MAP)
    alice_client.post(url("check", item))
    work()
    assert stored_files(settings) != []

    response = alice_client.post(url("preview", item), {"on_error": "skip"})
    assert response["Location"] == url("detail", item)
    work()

    item.refresh_from_db()
    assert item.job.status == JobStatus.DONE, item.job.error
    assert not item.job.payload.get("dry_run")
    assert ActivityRecord.objects.count() == 4
    assert item.status == UploadStatus.FINISHED and stored_files(settings) == []
    page = alice_client.get(url("detail", item)).content.decode()
    assert 'data-count="skipped">1<' in page and "data-full-check" not in page


@pytest.mark.django_db(transaction=True)
def test_starting_the_import_stops_a_full_check_that_has_not_run(
    settings, alice_client, org_a, small_preview
):
    OfferFactory(organisation=org_a, name="Maatjes")
    item = mapped(alice_client, org_a, activity_file(4), ACTIVITY_MAP)
    alice_client.post(url("check", item))
    check = upload_check_job(item)
    alice_client.post(url("preview", item), {"on_error": "all_or_nothing"})
    work()

    check.refresh_from_db()
    item.refresh_from_db()
    assert check.status == JobStatus.CANCELLED
    assert item.job.status == JobStatus.DONE and ActivityRecord.objects.count() == 4


@pytest.mark.django_db(transaction=True)
def test_a_check_of_an_earlier_column_mapping_is_not_shown(alice_client, org_a, small_preview):
    OfferFactory(organisation=org_a, name="Maatjes")
    item = mapped(alice_client, org_a, activity_file(4), ACTIVITY_MAP)
    alice_client.post(url("check", item))
    work()
    assert upload_check_job(item) is not None
    remap = {**ACTIVITY_MAP, "deelnemers_bereikt": ""}
    item = mapped_again(alice_client, item, remap)
    assert upload_check_job(item) is None
    assert alice_client.get(url("detail", item))["Location"] == url("columns", item)
    assert (
        "Het hele bestand is gecontroleerd"
        not in alice_client.get(url("preview", item)).content.decode()
    )


def mapped_again(client, item: ImportUpload, mapping: dict[str, str]) -> ImportUpload:
    columns = ACTIVITY_HEADER.split(";")
    data = {f"kolom_{i}": mapping.get(column, "") for i, column in enumerate(columns)}
    assert client.post(url("columns", item), data).status_code == 302
    item.refresh_from_db()
    return item


@pytest.mark.django_db(transaction=True)
def test_a_check_of_a_discarded_upload_says_the_file_is_gone(
    settings, alice_client, org_a, small_preview
):
    item = mapped(alice_client, org_a, activity_file(4), ACTIVITY_MAP)
    alice_client.post(url("check", item))
    check = upload_check_job(item)
    alice_client.post(url("discard", item))
    work()
    check.refresh_from_db()
    assert check.status == JobStatus.FAILED and "niet meer bewaard" in check.error


# A failed import's problems ---------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_failed_all_or_nothing_import_offers_every_problem_on_its_page(
    settings, alice_client, charlie_client, org_a
):
    OfferFactory(organisation=org_a, name="Maatjes")
    item = mapped(alice_client, org_a, activity_file(7), ACTIVITY_MAP)
    alice_client.post(url("preview", item), {"on_error": "all_or_nothing"})
    item.refresh_from_db()
    # Rows that became bad after the preview: the job finds them.
    (settings.MEDIA_ROOT / item.stored_path).write_text(
        activity_file(7).replace(";4;", ";x;"), encoding="utf-8"
    )
    work()

    item.refresh_from_db()
    assert item.job.status == JobStatus.FAILED
    assert "(en nog 2 problemen)" in item.job.error
    page = alice_client.get(url("detail", item)).content.decode()
    assert "Download alle problemen (CSV)" in page and "(7 problemen, elk met" in page
    rows = downloaded(alice_client, page)
    assert [row[:2] for row in rows[1:]] == [[str(n), "bijeenkomsten"] for n in range(2, 9)]
    assert all(row[2] for row in rows[1:])
    download = reverse("jobs:download", args=[org_a.slug, item.job.pk])
    assert charlie_client.get(download).status_code == 404
    assert ActivityRecord.objects.count() == 0 and stored_files(settings) == []
