"""The export as a job through the database queue: the worker writes the file the job keeps."""

import zipfile

import pytest
from django.core.management import call_command

from meerwaarde.exports.tasks import export_task
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.services import job_start
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.participants.constants import AuditAction
from meerwaarde.participants.models import AuditEvent

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def test_the_worker_exports_and_the_job_keeps_the_zip(org_a, alice):
    OfferFactory(organisation=org_a, name="Maatjes Alfa")
    job = job_start(
        organisation=org_a,
        kind=JobKind.EXPORT,
        title="Export",
        created_by=alice,
        task=export_task,
        payload={"fmt": "csv"},
    )
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    job = Job.objects.get(pk=job.pk)
    assert job.status == JobStatus.DONE, job.error
    assert job.done == job.total > 0
    assert job.result_filename.startswith(f"export-{org_a.slug}-")
    with job.result_file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
        assert "Maatjes Alfa" in archive.read("aanbod.csv").decode("utf-8-sig")
    assert AuditEvent.objects.get(action=AuditAction.EXPORT).user == alice
