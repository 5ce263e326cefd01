"""The jobs pages: tenancy and permissions, the list, a job's page and its progress fragment,
cancel and retry, the download."""

import datetime
import json

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meerwaarde.jobs import progress as files
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job

from .factories import JobFactory

pytestmark = pytest.mark.django_db

GET_NAMES = ("detail", "progress", "download")
POST_NAMES = ("cancel", "retry")


def _url(name: str, job: Job) -> str:
    return reverse(f"jobs:{name}", args=[job.organisation.slug, job.pk])


@pytest.fixture
def running(org_a, carol):
    job = JobFactory(
        organisation=org_a,
        kind=JobKind.IMPORT,
        title="Deelnemers importeren",
        status=JobStatus.RUNNING,
        created_by=carol,
        total=40_000,
        started_at=timezone.now() - datetime.timedelta(seconds=30),
    )
    files.progress_write(job.pk, done=12_000, total=40_000, attempt=1)
    return job


@pytest.fixture
def finished(org_a):
    job = JobFactory(organisation=org_a, status=JobStatus.DONE, done=3, total=3)
    job.result_file.save("export-welzijn-alfa-2025-06-02.zip", ContentFile(b"PK zip"), save=True)
    return job


def test_another_organisations_user_gets_404_on_every_job_address(charlie_client, finished):
    assert (
        charlie_client.get(reverse("jobs:list", args=[finished.organisation.slug])).status_code
        == 404
    )
    for name in GET_NAMES:
        assert charlie_client.get(_url(name, finished)).status_code == 404, name
    for name in POST_NAMES:
        assert charlie_client.post(_url(name, finished)).status_code == 404, name
    # Nor under their own organisation's address.
    for name in GET_NAMES:
        url = reverse(f"jobs:{name}", args=["sociaal-werk-beta", finished.pk])
        assert charlie_client.get(url).status_code == 404, name


def test_a_worker_without_import_export_gets_403_everywhere(bob_client, finished):
    assert (
        bob_client.get(reverse("jobs:list", args=[finished.organisation.slug])).status_code == 403
    )
    for name in GET_NAMES:
        assert bob_client.get(_url(name, finished)).status_code == 403, name
    for name in POST_NAMES:
        assert bob_client.post(_url(name, finished)).status_code == 403, name


def test_the_pages_need_a_log_in(client, finished):
    response = client.get(_url("detail", finished))
    assert response.status_code == 302 and "/account/" in response["Location"]


def test_the_list_shows_an_empty_state(carol_client, org_a):
    response = carol_client.get(reverse("jobs:list", args=[org_a.slug]))
    assert response.status_code == 200
    assert b'data-empty="jobs"' in response.content


def test_the_list_pages_the_organisations_jobs_only(carol_client, org_a, org_b):
    JobFactory.create_batch(21, organisation=org_a)
    JobFactory(organisation=org_b, title="Export van Beta")
    first = carol_client.get(reverse("jobs:list", args=[org_a.slug]))
    assert first.content.count(b"data-job=") == 20
    assert b"Export van Beta" not in first.content
    second = carol_client.get(reverse("jobs:list", args=[org_a.slug]) + "?pagina=2")
    assert second.content.count(b"data-job=") == 1


def test_a_running_job_shows_its_progress_and_polls_every_second(carol_client, running):
    response = carol_client.get(_url("detail", running))
    html = response.content.decode()
    assert "<progress" in html and 'value="30"' in html
    assert "12.000 van 40.000 rijen, nog ongeveer 1 minuut" in html
    assert 'aria-live="polite"' in html
    assert f'hx-get="{_url("progress", running)}?stand=running-30' in html
    assert 'hx-trigger="every 1s"' in html
    assert "data-cancel" in html and "csrfmiddlewaretoken" in html
    assert "data-retry" not in html


def test_the_fragment_stops_polling_when_the_job_is_done(carol_client, finished):
    html = carol_client.get(_url("progress", finished) + "?stand=running-90").content.decode()
    assert "hx-trigger" not in html
    assert "Klaar." in html and "data-download" in html
    # The sentence changed, so the live region hears it.
    assert 'hx-swap-oob="innerHTML">Klaar.</div>' in html


def test_only_the_answer_that_stops_the_polling_announces_the_end(carol_client, running, finished):
    assert "HX-Trigger" not in carol_client.get(_url("progress", running))
    ended = carol_client.get(_url("progress", finished))
    assert json.loads(ended["HX-Trigger"]) == {"mw-job-ended": {"job": finished.pk}}


def test_the_fragment_speaks_only_when_its_sentence_changed(carol_client, running):
    first = carol_client.get(_url("progress", running)).content.decode()
    assert f'id="mw-job-{running.pk}-live" hx-swap-oob' in first
    again = carol_client.get(
        _url("progress", running) + "?stand=running-30&knoppen=1-0-0"
    ).content.decode()
    assert "hx-swap-oob" not in again
    assert 'hx-trigger="every 1s"' in again


def test_a_failed_job_shows_its_dutch_message_and_no_traceback(carol_client, org_a):
    job = JobFactory(
        organisation=org_a,
        status=JobStatus.FAILED,
        error="De verwerking is mislukt door een fout in Meerwaarde.",
    )
    html = carol_client.get(_url("detail", job)).content.decode()
    assert "De verwerking is mislukt door een fout in Meerwaarde." in html
    assert "Traceback" not in html
    assert "data-retry" in html and "hx-trigger" not in html


def test_a_job_whose_worker_died_shows_stopped_and_offers_a_retry(carol_client, running):
    long_ago = timezone.now() - datetime.timedelta(seconds=61)
    files.progress_write(running.pk, done=12_000, total=40_000, attempt=1, at=long_ago)
    html = carol_client.get(_url("detail", running)).content.decode()
    assert "De verwerking is gestopt" in html
    assert "Opnieuw starten" in html and "data-retry" in html
    assert "hx-trigger" not in html and "data-cancel" not in html


def test_retry_queues_a_stale_job_again_with_one_attempt_more(
    carol_client, running, django_capture_on_commit_callbacks
):
    long_ago = timezone.now() - datetime.timedelta(seconds=61)
    files.progress_write(running.pk, done=12_000, total=40_000, attempt=1, at=long_ago)
    with django_capture_on_commit_callbacks(execute=True):
        response = carol_client.post(_url("retry", running))
    assert response.status_code == 302 and response["Location"] == _url("detail", running)
    running.refresh_from_db()
    assert (running.status, running.attempts, running.done) == (JobStatus.QUEUED, 2, 0)
    assert running.task_id  # queued again in django-tasks


def test_retry_refuses_a_job_that_is_still_running(carol_client, running):
    response = carol_client.post(_url("retry", running), follow=True)
    assert "kan nu niet opnieuw worden gestart" in response.content.decode()
    running.refresh_from_db()
    assert (running.status, running.attempts) == (JobStatus.RUNNING, 1)


def test_cancel_asks_a_running_job_to_stop_and_says_so(carol_client, running):
    response = carol_client.post(_url("cancel", running), follow=True)
    assert "De taak wordt gestopt" in response.content.decode()
    assert files.cancel_requested(running.pk)
    running.refresh_from_db()
    assert running.status == JobStatus.RUNNING  # until its next progress
    assert "Wordt gestopt" in carol_client.get(_url("detail", running)).content.decode()


def test_cancel_goes_back_to_the_page_it_came_from_on_this_site_only(carol_client, running):
    back = "/organisaties/welzijn-alfa/import/3/"
    response = carol_client.post(_url("cancel", running), {"next": back})
    assert response["Location"] == back
    response = carol_client.post(_url("cancel", running), {"next": "https://evil.example/"})
    assert response["Location"] == _url("detail", running)


def test_cancel_and_retry_need_a_post_with_csrf(org_a, carol, running):
    client = Client(enforce_csrf_checks=True)
    client.force_login(carol)
    assert client.get(_url("cancel", running)).status_code == 405
    assert client.post(_url("cancel", running)).status_code == 403
    assert not files.cancel_requested(running.pk)


def test_the_download_has_the_result_files_name(carol_client, finished):
    response = carol_client.get(_url("download", finished))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == (
        'attachment; filename="export-welzijn-alfa-2025-06-02.zip"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content) == b"PK zip"


def test_a_dutch_file_name_survives_the_download(carol_client, org_a):
    job = JobFactory(organisation=org_a, status=JobStatus.DONE, done=1, total=1)
    job.result_file.save("coördinatie.csv", ContentFile(b"a;b\n"), save=True)
    response = carol_client.get(_url("download", job))
    assert response["Content-Type"].startswith("text/csv")
    assert "filename*=utf-8''co%C3%B6rdinatie.csv" in response["Content-Disposition"]


def test_there_is_nothing_to_download_before_the_job_is_done(carol_client, running):
    assert carol_client.get(_url("download", running)).status_code == 404


def test_a_failed_job_with_a_file_shows_and_serves_it(carol_client, charlie_client, org_a):
    job = JobFactory(
        organisation=org_a,
        kind=JobKind.IMPORT,
        status=JobStatus.FAILED,
        error="Er is niets ingelezen.",
    )
    job.result_file.save("problemen.csv", ContentFile(b"rij;kolom;melding\r\n"), save=True)
    page = carol_client.get(_url("detail", job)).content.decode()
    assert "Mislukt." in page and "Download problemen.csv" in page
    response = carol_client.get(_url("download", job))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"rij;kolom;melding\r\n"
    assert charlie_client.get(_url("download", job)).status_code == 404


def test_a_failed_or_cancelled_job_without_a_file_has_nothing_to_download(carol_client, org_a):
    for status in (JobStatus.FAILED, JobStatus.CANCELLED):
        job = JobFactory(organisation=org_a, status=status)
        assert "data-download" not in carol_client.get(_url("detail", job)).content.decode()
        assert carol_client.get(_url("download", job)).status_code == 404


def test_each_kind_of_job_follows_its_own_permission(carol_client, org_a, monkeypatch):
    """Reports keep VIEW_RESULTS, imports and exports need IMPORT_EXPORT: a role with only
    the first sees report jobs and nothing else."""
    from meerwaarde.accounts.permissions import Perm
    from meerwaarde.jobs import views

    monkeypatch.setattr(views, "has_org_perm", lambda role, perm: perm == Perm.VIEW_RESULTS)
    report = JobFactory(organisation=org_a, kind=JobKind.REPORT, title="Verantwoording 2025")
    export = JobFactory(organisation=org_a, kind=JobKind.EXPORT, title="Export 2025")
    html = carol_client.get(reverse("jobs:list", args=[org_a.slug])).content.decode()
    assert report.title in html and export.title not in html
    assert carol_client.get(_url("detail", report)).status_code == 200
    assert carol_client.get(_url("detail", export)).status_code == 403
