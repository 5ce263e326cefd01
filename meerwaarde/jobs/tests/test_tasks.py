"""Jobs through the database queue: start, run the worker once, read what the row and the
page say. The task counts and writes one Group per step in one transaction (tasks.py)."""

import datetime
import itertools
import time
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import OperationalError
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from meerwaarde.jobs import progress as files
from meerwaarde.jobs import services
from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.selectors import job_progress
from meerwaarde.jobs.services import job_cancel, job_retry, job_start

from . import tasks

pytestmark = pytest.mark.django_db(transaction=True)


def _work() -> None:
    call_command("db_worker", batch=True, startup_delay=False, verbosity=0)


def _start(organisation, **payload) -> Job:
    return job_start(
        organisation=organisation,
        kind=JobKind.IMPORT,
        title="Deelnemers importeren",
        created_by=None,
        task=tasks.count_task,
        payload=payload,
        total=payload.get("n"),
    )


def _groups() -> int:
    return Group.objects.count()


def test_it_queues_the_task_with_the_job_id_once_committed(org_a):
    job = _start(org_a, n=3)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 1
    task = DBTaskResult.objects.get()
    assert task.task_path == "meerwaarde.jobs.tests.tasks.count_task"
    assert task.args_kwargs["args"] == [job.pk]
    assert job.task_id == str(task.id)


def test_the_worker_runs_it_to_the_end_and_keeps_the_result(org_a):
    job = _start(org_a, n=5, result="a;b\n1;2\n")
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE
    assert (job.done, job.total) == (5, 5)
    assert job.started_at <= job.finished_at
    assert job.result_filename == "telling.csv"
    assert job.result_file.name == f"jobs/{org_a.pk}/{job.pk}/telling.csv"
    assert job.result_file.read() == b"a;b\n1;2\n"
    assert _groups() == 5
    # The row holds the final state: the progress file is gone.
    assert not files.progress_path(job.pk).exists()
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_running_job_writes_progress_the_page_reads_back(org_a, monkeypatch):
    monkeypatch.setattr(services, "PROGRESS_INTERVAL", 0)
    _start(org_a, n=4, observe=True)
    _work()
    assert tasks.SEEN == [(1, 4, False), (2, 4, False), (3, 4, False), (4, 4, False)]


def test_it_writes_the_progress_file_at_most_every_half_second(org_a, monkeypatch):
    moments = []
    real = files.progress_write

    def timed(*args, **kwargs):
        moments.append(time.monotonic())
        real(*args, **kwargs)

    monkeypatch.setattr(files, "progress_write", timed)
    _start(org_a, n=2000)
    _work()
    # 2000 progress calls, but the file is replaced only every half second or so.
    gaps = [later - earlier for earlier, later in itertools.pairwise(moments)]
    assert len(moments) < 100
    assert all(gap >= 0.45 for gap in gaps), gaps


def test_cancelling_stops_a_running_job_and_rolls_its_work_back(org_a):
    job = _start(org_a, n=10, cancel_at=4, result="x")
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED
    assert job.done == 4  # where it stopped: step 4's progress found the flag
    assert job.finished_at is not None
    assert _groups() == 0
    assert not job.result_file
    assert not files.cancel_path(job.pk).exists()
    # Cancelling is an answer, not a failure of the queue.
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


def test_a_job_cancelled_while_queued_never_runs(org_a):
    job = _start(org_a, n=3)
    job_cancel(job=job)
    assert job.status == JobStatus.CANCELLED
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.started_at is None
    assert _groups() == 0


def test_a_queued_job_is_cancelled_by_its_flag_when_the_database_is_busy(org_a, monkeypatch):
    job = _start(org_a, n=3)

    def locked(self, **kwargs):
        raise OperationalError("database is locked")

    with monkeypatch.context() as busy:
        busy.setattr(QuerySet, "update", locked)
        job_cancel(job=job)
    assert job.status == JobStatus.QUEUED and job_progress(job).cancelling
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.started_at is None
    assert _groups() == 0
    assert not files.cancel_path(job.pk).exists()


def test_an_exception_fails_the_job_in_dutch_and_rolls_its_work_back(org_a, caplog):
    job = _start(org_a, n=10, fail_at=6)
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("De verwerking is mislukt door een fout in Meerwaarde.")
    assert "disk full" not in job.error and "Traceback" not in job.error
    assert _groups() == 0
    # The traceback went to the log (and the queue's own record), not to the row.
    assert any(r.exc_info and "disk full" in str(r.exc_info[1]) for r in caplog.records)
    assert DBTaskResult.objects.get().status == "FAILED"


def test_a_failure_the_user_can_act_on_keeps_its_own_message(org_a):
    job = _start(org_a, n=5, refuse_at=3)
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED
    assert job.error == "Rij 3: '31-02-2025' is geen bestaande datum."
    assert _groups() == 0


def test_a_refusal_with_a_file_fails_the_job_and_keeps_that_file_only(org_a):
    job = _start(org_a, n=5, refuse_with_file_at=3, result="a;b\n")
    _work()
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "3 problemen.")
    assert job.result_filename == "problemen.csv"
    assert job.result_file.read() == b"rij;melding\n1;a\n2;b\n3;c\n"
    # Only that file is left in the job's folder; the work itself was rolled back.
    folder = Path(job.result_file.path).parent
    assert [p.name for p in folder.iterdir()] == ["problemen.csv"]
    assert _groups() == 0


def test_an_unexpected_failure_keeps_no_result_file(org_a):
    job = _start(org_a, n=3, fail_at=3, result="a;b\n")
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and not job.result_file


def test_a_retry_of_a_job_that_failed_with_a_file_deletes_that_file(org_a):
    job = _start(org_a, n=3, refuse_with_file_at=2)
    _work()
    job.refresh_from_db()
    path = Path(job.result_file.path)
    assert path.exists()
    Job.objects.filter(pk=job.pk).update(payload={"n": 3})
    job_retry(job=job)
    job.refresh_from_db()
    assert not job.result_file and not path.exists()


@pytest.mark.parametrize("how", [{"fail_at": 2}, {"cancel_at": 2}])
def test_retry_queues_it_again_and_it_can_run_to_the_end(org_a, how):
    job = _start(org_a, n=3, **how)
    _work()
    job.refresh_from_db()
    assert job.status in (JobStatus.FAILED, JobStatus.CANCELLED)
    # Run it again without the trouble, as a coordinator would after fixing the file.
    Job.objects.filter(pk=job.pk).update(payload={"n": 3})
    job_retry(job=job)
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED and job.attempts == 2
    assert (job.done, job.error, job.finished_at) == (0, "", None)
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert _groups() == 3
    assert DBTaskResult.objects.count() == 2


def test_a_stale_job_can_be_retried_and_the_old_run_stops_itself(org_a):
    """A worker that only looked dead: after the retry it learns it was superseded at its
    next progress, rolls back, and leaves the row to the new attempt."""
    job = _start(org_a, n=3)
    job.refresh_from_db()
    # The first attempt "started" long ago and went silent.
    long_ago = timezone.now() - datetime.timedelta(minutes=5)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, started_at=long_ago)
    files.progress_write(job.pk, done=1, total=3, attempt=1, at=long_ago)
    job.refresh_from_db()
    assert job_progress(job).stale
    run = services.JobRun(job)
    job_retry(job=job)
    with pytest.raises(services.JobCancelled):
        run.progress(2, 3)
    assert run.superseded
    # The old attempt's queue entry (never claimed here) and the retry's: the first runs the
    # job, the second finds it no longer queued and leaves it alone.
    _work()
    job.refresh_from_db()
    assert job.status == JobStatus.DONE and job.attempts == 2
    assert _groups() == 3
