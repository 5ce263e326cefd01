"""The pages and the job of "Export inlezen": the upload refuses what is not an export at
once and keeps nothing, the job restores everything or nothing and deletes the zip, and only
the organisation's coordinators and admins get there."""

import csv
import io
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from meerwaarde.imports.restore_tasks import restore_task
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.services import job_start
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.models import Offer

from .engine_helpers import counts
from .test_restore import _rewritten, _zip, concepts, exported_fixture, kind_fixture  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def _zipfile(data: bytes, name: str = "export.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def _stored(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT) / "imports"
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _work() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def test_the_import_start_page_links_to_restoring_an_export(carol_client, org_a):
    page = carol_client.get(reverse("imports:start", args=[org_a.slug])).content.decode()
    assert reverse("imports:restore", args=[org_a.slug]) in page
    assert "Een export van Meerwaarde terugzetten" in page


def test_the_restore_page_explains_that_pseudonyms_need_the_same_key(carol_client, org_a):
    page = carol_client.get(reverse("imports:restore", args=[org_a.slug])).content.decode()
    assert "dezelfde pseudoniemsleutel" in page
    assert 'type="file"' in page


def test_restoring_is_404_for_another_organisation_and_403_for_a_worker(
    org_a, alice, charlie_client, bob_client
):
    job = job_start(
        organisation=org_a,
        kind=JobKind.IMPORT,
        title="Export inlezen",
        created_by=alice,
        task=restore_task,
        payload={"path": "imports/x.zip", "filename": "x.zip", "restore": True},
    )
    for address in (
        reverse("imports:restore", args=[org_a.slug]),
        reverse("imports:restore_detail", args=[org_a.slug, job.pk]),
    ):
        assert charlie_client.get(address).status_code == 404, address
        assert bob_client.get(address).status_code == 403, address


def test_another_job_is_not_shown_as_a_restore(org_a, alice, carol_client):
    job = Job.objects.create(organisation=org_a, kind=JobKind.IMPORT, title="Import", payload={})
    address = reverse("imports:restore_detail", args=[org_a.slug, job.pk])
    assert carol_client.get(address).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "Het bestand is leeg"),
        (b"aanbod_naam;maand\r\n", "Dit bestand is geen zip-bestand."),
        (None, "kolommen.csv ontbreekt in de zip"),
    ],
)
def test_an_upload_that_is_no_export_is_refused_on_the_page_and_kept_nowhere(
    settings, carol_client, org_a, data, message
):
    if data is None:
        data = _zip({"aanbod.csv": "aanbod_id\r\n"}).getvalue()
    response = carol_client.post(
        reverse("imports:restore", args=[org_a.slug]), {"file": _zipfile(data)}
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Job.objects.exists() and _stored(settings) == []


def test_an_export_restores_through_the_job_and_its_page_shows_the_counts_per_table(
    settings, carol_client, org_a, org_b, charlie_client, exported
):
    response = charlie_client.post(
        reverse("imports:restore", args=[org_b.slug]), {"file": _zipfile(exported.read_bytes())}
    )
    assert response.status_code == 302
    job = Job.objects.get(organisation=org_b)
    assert _stored(settings), "the zip is kept for the job"

    _work()

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.done == job.total and job.total
    assert Measurement.objects.filter(organisation=org_b).count() == 10
    assert Offer.objects.filter(organisation=org_b, name="Maatjes").exists()
    assert _stored(settings) == [], "the zip is deleted when the job ends"
    page = charlie_client.get(response["Location"]).content.decode()
    assert 'data-kind="metingen"' in page
    assert 'data-count="created">10</td>' in page
    assert job.payload["result"]["counts"]["aanbod"]["created"] == 1
    # Own instruments and GAS goals are files of their own, in the order they are written.
    rows = re.findall(r'data-kind="([a-z]+)"', page)
    assert rows[0] == "instrumenten"
    assert rows.index("doelen") == rows.index("metingen") + 1


def test_a_job_with_one_bad_row_writes_nothing_and_keeps_every_problem_with_its_file(
    settings, org_b, charlie, charlie_client, exported
):
    before = counts()
    bad = _rewritten(exported, "activiteiten", lambda t: t.replace("2025-04-01", "2025-13-01"))
    response = charlie_client.post(
        reverse("imports:restore", args=[org_b.slug]), {"file": _zipfile(bad.getvalue())}
    )
    job = Job.objects.get(organisation=org_b)

    _work()

    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert "Er is niets ingelezen" in job.error
    assert "activiteiten.csv: Rij 3, kolom ‘maand’" in job.error
    assert counts() == before and not Offer.objects.filter(organisation=org_b).exists()
    assert _stored(settings) == []
    with job.result_file.open("rb") as handle:
        rows = list(csv.reader(io.StringIO(handle.read().decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["rij", "kolom", "melding"]
    assert rows[1][:2] == ["3", "activiteiten.csv: maand"]
    page = charlie_client.get(response["Location"]).content.decode()
    assert "Download alle problemen (CSV)" in page


def test_the_task_called_directly_restores_and_records_what_it_left_out(
    settings, org_b, charlie, exported
):
    relative = "imports/restore-test.zip"
    target = Path(settings.MEDIA_ROOT) / relative
    target.parent.mkdir(parents=True)
    target.write_bytes(exported.read_bytes())
    job = job_start(
        organisation=org_b,
        kind=JobKind.IMPORT,
        title="Export inlezen",
        created_by=charlie,
        task=restore_task,
        payload={"path": relative, "filename": "export.zip", "restore": True},
    )

    restore_task.func(job.pk)

    job.refresh_from_db()
    assert job.status == JobStatus.DONE, job.error
    assert job.payload["result"]["left_out"] == {
        "earlier_versions": 0, "gas_without_goal": 0, "trajectories": 0, "participants": 0,
    }  # fmt: skip
    assert not target.exists()
