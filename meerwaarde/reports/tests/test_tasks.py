"""Rendering through the database queue: enqueue, run the worker once, read the outcome."""

import datetime

import pytest
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from meerwaarde.reports import exports, rendering
from meerwaarde.reports.constants import RENDER_STEPS, ReportStatus
from meerwaarde.reports.models import Report
from meerwaarde.reports.services import report_render_start

from .helpers import new_report

pytestmark = pytest.mark.django_db(transaction=True)


def _work() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


@pytest.fixture
def report(org_a, municipality):
    return new_report(org_a, municipality, datetime.date(2025, 1, 1), datetime.date(2025, 6, 1))


def test_it_queues_the_rendering_as_a_task_in_the_database(report):
    report_render_start(report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.QUEUED
    assert (report.steps_done, report.steps_total) == (0, len(RENDER_STEPS))
    task = DBTaskResult.objects.get()
    assert task.task_path == "meerwaarde.reports.tasks.report_render_task"
    assert str(task.id) == report.task_id


def test_the_worker_renders_it_step_by_step_and_keeps_the_files(report, monkeypatch):
    seen = []
    real = exports.xlsx_bytes

    def watching(*args, **kwargs):
        seen.append(Report.objects.values_list("status", "steps_done").get(pk=report.pk))
        return real(*args, **kwargs)

    monkeypatch.setattr(exports, "xlsx_bytes", watching)
    report_render_start(report=report)
    _work()
    report.refresh_from_db()
    # While the workbook was made, the PDF (step 3 of 5) was done, and the page could see it.
    assert seen == [(ReportStatus.RUNNING, 3)]
    assert report.status == ReportStatus.READY
    assert report.steps_done == report.steps_total == len(RENDER_STEPS)
    assert report.rendered_at is not None
    for field in (report.pdf_file, report.xlsx_file, report.csv_file, report.html_file):
        assert field and field.storage.exists(field.name)
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_failure_is_reported_in_dutch_and_leaves_no_half_set(report, monkeypatch):
    def broken(content):
        raise OSError("disk full")

    monkeypatch.setattr(rendering, "pdf_bytes", broken)
    report_render_start(report=report)
    _work()
    report.refresh_from_db()
    assert report.status == ReportStatus.FAILED
    assert "mislukt" in report.error and "disk full" not in report.error
    assert not report.has_files and not report.html_file
    assert DBTaskResult.objects.get().status == "FAILED"


def test_it_can_run_again_and_replaces_the_old_files(report):
    report_render_start(report=report)
    _work()
    report.refresh_from_db()
    first = report.pdf_file.name
    report_render_start(report=report)
    _work()
    report.refresh_from_db()
    assert report.status == ReportStatus.READY
    assert report.pdf_file.name != first
    assert not report.pdf_file.storage.exists(first)
