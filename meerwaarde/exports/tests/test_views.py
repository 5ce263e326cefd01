"""The export page starts an export job; only members who may export see it."""

import pytest
from django.urls import reverse

from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job

pytestmark = pytest.mark.django_db


def _url(organisation) -> str:
    return reverse("exports:start", args=[organisation.slug])


def test_it_shows_the_formats_and_what_the_export_holds(carol_client, org_a):
    response = carol_client.get(_url(org_a))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'value="csv"' in page and 'value="xlsx"' in page
    assert "meting_scores.csv" in page


def test_it_starts_an_export_job_and_goes_to_its_page(
    carol_client, carol, org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        response = carol_client.post(_url(org_a), {"fmt": "xlsx"})
    job = Job.objects.get()
    assert (job.organisation, job.kind, job.created_by) == (org_a, JobKind.EXPORT, carol)
    assert job.payload == {"fmt": "xlsx"}
    assert job.task_path.endswith("exports.tasks.export_task")
    assert response.status_code == 302
    assert response["Location"] == reverse("jobs:detail", args=[org_a.slug, job.pk])


def test_it_refuses_an_unknown_format(carol_client, org_a):
    response = carol_client.post(_url(org_a), {"fmt": "pdf"})
    assert response.status_code == 200
    assert not Job.objects.exists()


def test_a_worker_may_not_export(bob_client, org_a):
    assert bob_client.get(_url(org_a)).status_code == 403
    assert bob_client.post(_url(org_a), {"fmt": "csv"}).status_code == 403
    assert not Job.objects.exists()


def test_another_organisation_gets_404(charlie_client, org_a):
    assert charlie_client.get(_url(org_a)).status_code == 404
    assert charlie_client.post(_url(org_a), {"fmt": "csv"}).status_code == 404
    assert not Job.objects.exists()


def test_the_page_lists_only_this_organisations_exports(carol_client, org_a, org_b, charlie):
    mine = Job.objects.create(
        organisation=org_a, kind=JobKind.EXPORT, title="Export Alfa", status=JobStatus.DONE
    )
    Job.objects.create(organisation=org_b, kind=JobKind.EXPORT, title="Export Beta")
    page = carol_client.get(_url(org_a)).content.decode()
    assert mine.title in page and "Export Beta" not in page
