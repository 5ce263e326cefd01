"""A worker killed in the middle of a large import (SIGKILL, no chance to clean up) loses
nothing and leaves nothing half: every count is as before, the job goes stale and runs again
to the right counts.

A real ``db_worker`` process on the test database, so PostgreSQL only: SQLite's test
database lives in this process's memory, where no other process can reach it (the jobs
app's test_kill says the same; its stale-and-retry path without a process runs on both).
"""

import datetime

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from meerwaarde.analysis.constants import Scope
from meerwaarde.analysis.models import OutcomePair, OutcomeSums
from meerwaarde.imports.generate import header, write_measurements
from meerwaarde.imports.tasks import import_task
from meerwaarde.jobs import progress as files
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.selectors import job_progress
from meerwaarde.jobs.services import job_retry, job_start
from meerwaarde.jobs.tests.worker import done, killed_worker, wait_for
from meerwaarde.measurements.models import Measurement
from meerwaarde.offers.tests.factories import OfferFactory
from meerwaarde.participants import pseudonyms
from meerwaarde.participants.models import Trajectory

from .engine_helpers import counts

pytestmark = pytest.mark.django_db(transaction=True)

ROWS = 40_000  # several seconds of work: the kill lands well inside it
KILL_AFTER = 2_000  # rows the worker has reported done


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "files"


def _now() -> datetime.datetime:
    with connection.cursor() as cursor:
        cursor.execute("SELECT clock_timestamp()")
        return cursor.fetchone()[0]


def _sessions_since(moment: datetime.datetime) -> set[int]:
    """The other sessions on the test database opened at or after ``moment``: the worker's.
    Older ones (a live server's, kept by an earlier browser test) are not the worker's."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend' "
            "AND backend_start >= %s",
            [moment],
        )
        return {pid for (pid,) in cursor.fetchall()}


def _still_open(pids: set[int]) -> list[tuple]:
    """What is left of ``pids``' sessions (state, wait event and statement, for a failure)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid, state, wait_event, left(query, 120) FROM pg_stat_activity "
            "WHERE pid = ANY(%s)",
            [list(pids)],
        )
        return cursor.fetchall()


def test_a_worker_killed_mid_import_leaves_everything_as_before_and_a_retry_completes_it(
    org_a, alice, shipped_instruments
):
    if connection.vendor != "postgresql":
        pytest.skip("needs a database another process can open")
    offers = [OfferFactory(organisation=org_a, name=f"Aanbod {n}").name for n in range(3)]
    folder = settings.MEDIA_ROOT / "imports"
    folder.mkdir(parents=True)
    trajectories = write_measurements(
        folder / "groot.csv", rows=ROWS, offers=offers, today=datetime.date.today()
    )
    pseudonyms.key_create(org_a.slug)  # the worker reads the same key folder
    before = counts()
    job = job_start(
        organisation=org_a,
        kind=JobKind.IMPORT,
        title="Metingen importeren",
        created_by=alice,
        task=import_task,
        payload={
            "path": "imports/groot.csv",
            "filename": "groot.csv",
            "kind": "metingen",
            "column_map": {column: column for column in header("djg6")},
            "on_error": "all_or_nothing",
        },
    )
    spawned = _now()
    with killed_worker(PSEUDONYM_KEY_DIR=str(settings.PSEUDONYM_KEY_DIR)) as worker:
        wait_for(lambda: done(job.pk) >= KILL_AFTER or worker.poll() is not None)
        workers = _sessions_since(spawned)
    killed_at = done(job.pk)
    assert KILL_AFTER <= killed_at < ROWS, "the worker ended before it could be killed"
    assert workers, "the worker's session was seen"

    # The server drops the dead worker's transaction; nothing of it was ever visible.
    try:
        wait_for(lambda: not _still_open(workers), seconds=10)
    except AssertionError:
        raise AssertionError(f"the dead worker's sessions stay: {_still_open(workers)}") from None
    assert counts() == before
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING
    assert not job_progress(job).stale
    assert job_progress(job, now=timezone.now() + datetime.timedelta(seconds=61)).stale

    # A minute later the page offers "Opnieuw starten"; the retry reads the whole file.
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

    job = Job.objects.get(pk=job.pk)
    assert (job.status, job.attempts, job.error) == (JobStatus.DONE, 2, "")
    assert Measurement.objects.filter(organisation=org_a).count() == ROWS
    assert Trajectory.objects.filter(organisation=org_a).count() == trajectories
    pairs = OutcomePair.objects.filter(organisation=org_a).count()
    assert pairs > 0
    assert OutcomeSums.objects.filter(scope=Scope.ALL).aggregate(n=Sum("n"))["n"] == pairs
