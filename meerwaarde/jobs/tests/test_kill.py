"""A worker killed mid-import (SIGKILL, no chance to clean up): its transaction dies with it,
the row stays running, its progress goes silent and, a minute later, the job is stale and
runs again to the end.

A real worker process on the test database, so PostgreSQL only: SQLite's test database lives
in this process's memory, where no other process can reach it. The same path without a
process (a stale row and progress file) is tested on both databases in test_views and
test_tasks.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from meerwaarde.jobs import progress as files
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.selectors import job_progress
from meerwaarde.jobs.services import job_retry, job_start
from meerwaarde.jobs.tests.worker import done, killed_worker, wait_for

from . import tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_killed_worker_leaves_the_database_as_before_and_the_job_runs_again(org_a):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database another process can open")
    job = job_start(
        organisation=org_a,
        kind=JobKind.IMPORT,
        title="Deelnemers importeren",
        created_by=None,
        task=tasks.count_task,
        payload={"n": 5, "hang_at": 3},
        total=5,
    )
    with killed_worker():
        # Three groups written inside its transaction, and hanging there.
        wait_for(lambda: done(job.pk) == 3)

    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    wait_for(lambda: not Group.objects.exists(), seconds=10)  # the server saw it die
    assert not job_progress(job).stale
    assert job_progress(job, now=timezone.now() + datetime.timedelta(seconds=61)).stale

    # A minute later, on the page: stale, and "Opnieuw starten".
    record = files.progress_read(job.pk)
    assert record is not None
    files.progress_write(
        job.pk,
        done=record.done,
        total=record.total,
        attempt=record.attempt,
        at=timezone.now() - datetime.timedelta(seconds=61),
    )
    job_retry(job=job)
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.done) == (JobStatus.DONE, 2, 5)
    assert Group.objects.count() == 5
    assert Job.objects.get(pk=job.pk).error == ""
