"""Rendering as a job through the database queue: start, run the worker once, read what the
report, its files and its job say. Cancel, failure and retry leave the files whole."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from meerwaarde.jobs import progress as job_files
from meerwaarde.jobs import services as job_services
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.selectors import job_progress
from meerwaarde.reports import exports, rendering
from meerwaarde.reports.constants import RENDER_STEPS, ReportStatus
from meerwaarde.reports.models import Report
from meerwaarde.reports.services import report_render_start, report_update

from .helpers import new_report

pytestmark = pytest.mark.django_db(transaction=True)

STEPS = len(RENDER_STEPS)


def _work() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def _render(report: Report) -> Report:
    report_render_start(report=report, created_by=None)
    _work()
    report.refresh_from_db()
    return report


def _names(report: Report) -> dict[str, str]:
    return {name: getattr(report, name).name for name in rendering.FILE_FIELDS}


def _folder(report: Report) -> set[str]:
    storage = report.pdf_file.storage
    return set(storage.listdir(f"reports/{report.organisation_id}/{report.pk}")[1])


@pytest.fixture
def report(org_a, municipality):
    return new_report(org_a, municipality, datetime.date(2025, 1, 1), datetime.date(2025, 6, 1))


def test_it_queues_the_rendering_as_a_report_job(report, carol):
    report_render_start(report=report, created_by=carol)
    report.refresh_from_db()
    job = report.job
    assert job.kind == JobKind.REPORT and job.status == JobStatus.QUEUED
    assert job.organisation == report.organisation and job.created_by == carol
    assert job.payload == {"report": report.pk} and job.total == STEPS
    assert "Verantwoording welzijn" in job.title
    assert report.state == ReportStatus.QUEUED and report.status == ReportStatus.DRAFT
    task = DBTaskResult.objects.get()
    assert task.task_path == "meerwaarde.reports.tasks.report_render_task"
    assert task.args_kwargs["args"] == [job.pk] and str(task.id) == job.task_id


def test_the_worker_renders_it_step_by_step_and_keeps_the_files(report, monkeypatch):
    monkeypatch.setattr(job_services, "PROGRESS_INTERVAL", 0)
    seen = []
    real = exports.xlsx_bytes

    def watching(*args, **kwargs):
        current = Report.objects.select_related("job").get(pk=report.pk)
        progress = job_progress(current.job)
        seen.append((current.state, progress.done, progress.total))
        return real(*args, **kwargs)

    monkeypatch.setattr(exports, "xlsx_bytes", watching)
    report = _render(report)
    # While the workbook was made, the PDF (step 3 of 5) was done, and the page could see it.
    assert seen == [(ReportStatus.RUNNING, 3, STEPS)]
    assert report.state == report.status == ReportStatus.READY and report.is_ready
    assert (report.job.status, report.job.done, report.job.total) == (JobStatus.DONE, 5, 5)
    assert report.rendered_at is not None
    for field in (report.pdf_file, report.xlsx_file, report.csv_file, report.html_file):
        assert field and field.storage.exists(field.name)
    assert _folder(report) == {name.rsplit("/", 1)[1] for name in _names(report).values()}
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failure_is_reported_in_dutch_and_leaves_no_half_set(report, monkeypatch):
    def broken(content):
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "pdf_bytes", broken)
    report = _render(report)
    assert report.state == ReportStatus.FAILED and report.status == ReportStatus.DRAFT
    assert "mislukt" in report.job.error and "disk full" not in report.job.error
    assert not report.has_files and not report.html_file
    assert _folder(report) == set()  # the page fragment written before the PDF is gone too
    assert DBTaskResult.objects.get().status == "FAILED"


def test_a_failed_rendering_again_keeps_the_previous_files(report, monkeypatch):
    before = _names(_render(report))
    monkeypatch.setattr(exports, "csv_zip_bytes", lambda tables: 1 / 0)
    report = _render(report)
    assert report.state == ReportStatus.FAILED and not report.is_ready
    assert _names(report) == before
    assert _folder(report) == {name.rsplit("/", 1)[1] for name in before.values()}


def test_cancelling_while_it_renders_stops_it_and_keeps_the_previous_files(report, monkeypatch):
    before = _names(_render(report))
    real = exports.xlsx_bytes

    def cancelled_meanwhile(*args, **kwargs):
        # As a coordinator's click would, from another request, between two steps.
        job_services.job_cancel(job=Report.objects.get(pk=report.pk).job)
        return real(*args, **kwargs)

    zipped = []
    monkeypatch.setattr(exports, "xlsx_bytes", cancelled_meanwhile)
    monkeypatch.setattr(exports, "csv_zip_bytes", lambda tables: zipped.append(1) or b"PK")
    report = _render(report)
    # It stopped at the end of the step it was in (the workbook), before the CSV files.
    assert report.job.status == JobStatus.CANCELLED and report.job.done == 4
    assert zipped == []
    # A cancelled rendering leaves the report as it was: ready, with its previous files.
    assert report.state == ReportStatus.READY and _names(report) == before
    assert _folder(report) == {name.rsplit("/", 1)[1] for name in before.values()}
    assert not job_files.cancel_requested(report.job.pk)


def test_a_retry_of_the_failed_job_renders_it_again(report, monkeypatch):
    monkeypatch.setattr(rendering, "pdf_bytes", lambda content: 1 / 0)
    report = _render(report)
    job = report.job
    monkeypatch.undo()
    job_services.job_retry(job=job)
    _work()
    report.refresh_from_db()
    assert report.job_id == job.pk and report.job.attempts == 2
    assert report.job.status == JobStatus.DONE and report.state == ReportStatus.READY
    assert report.pdf_file.read().startswith(b"%PDF")


def test_it_can_run_again_and_replaces_the_old_files(report):
    first = _render(report).pdf_file.name
    report = _render(report)
    assert report.state == ReportStatus.READY
    assert report.pdf_file.name != first
    assert not report.pdf_file.storage.exists(first)
    assert Job.objects.filter(kind=JobKind.REPORT).count() == 2


def test_an_older_job_run_again_does_not_overwrite_newer_files(report, monkeypatch):
    monkeypatch.setattr(rendering, "pdf_bytes", lambda content: 1 / 0)
    old_job = _render(report).job
    monkeypatch.undo()
    newer = _names(_render(report))
    job_services.job_retry(job=old_job)
    _work()
    report.refresh_from_db()
    old_job.refresh_from_db()
    assert old_job.status == JobStatus.FAILED and "sindsdien" in old_job.error
    assert _names(report) == newer and report.state == ReportStatus.READY


def test_files_a_killed_rendering_left_behind_are_dropped_by_the_next(report):
    storage = report.pdf_file.storage
    stray = storage.save(
        f"reports/{report.organisation_id}/{report.pk}/half.pdf", ContentFile(b"%PDF-1.7 ha")
    )
    report = _render(report)
    assert not storage.exists(stray) and report.state == ReportStatus.READY


def test_it_may_not_be_started_or_edited_while_it_renders_unless_it_stalled(report):
    report = report_render_start(report=report, created_by=None)
    with pytest.raises(ValidationError, match="wordt al gemaakt"):
        report_render_start(report=report, created_by=None)
    fields = {
        "title": "Nieuw",
        "funder": report.funder,
        "start": report.start,
        "end": report.end,
    }
    with pytest.raises(ValidationError, match="wordt nu gemaakt"):
        report_update(report=report, **fields)
    # Its worker died: running, and silent for longer than a job may be.
    stalled = report.job
    long_ago = stalled.created_at - datetime.timedelta(minutes=5)
    Job.objects.filter(pk=stalled.pk).update(status=JobStatus.RUNNING, started_at=long_ago)
    job_files.progress_write(stalled.pk, done=2, total=STEPS, attempt=1, at=long_ago)
    report = report_update(report=report, **fields)
    stalled.refresh_from_db()
    assert stalled.status == JobStatus.CANCELLED and report.job is None
    assert report.state == ReportStatus.DRAFT
