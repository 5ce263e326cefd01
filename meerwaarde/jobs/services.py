"""Writing jobs: start one, ask it to stop, run it again, and the frame every task body uses.

A task body is ``with job_run(job_id) as run:`` and, for all-or-nothing work, a
``transaction.atomic()`` *inside* that block: the row's final state is written after the
transaction ended, so a failure or a cancel rolls the work back and still records why.
A worker killed mid-job takes its open transaction with it; the row stays ``running``, its
progress file goes silent, and after ``STALE_AFTER`` the page offers ``job_retry``.
"""

import functools
import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.db import OperationalError, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks.base import Task

from meerwaarde.accounts.models import User
from meerwaarde.jobs import progress as files
from meerwaarde.jobs.constants import PROGRESS_INTERVAL, JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.selectors import job_can_retry, job_progress
from meerwaarde.organisations.models import Organisation

logger = logging.getLogger(__name__)


class JobCancelled(Exception):
    """Raised by ``JobRun.progress`` when the job was asked to stop."""


class JobFailed(Exception):
    """A failure the user can act on: its (Dutch) message is shown on the job's page.

    With ``file`` (as ``JobRun.finish`` takes it, downloaded as ``name``) the failed job keeps
    that file as its result: the whole of what went wrong when the message can hold only a
    summary. The file is read when the exception reaches ``job_run``, so it must still exist
    there (a temporary file opened outside the ``job_run`` block)."""

    def __init__(
        self, message: str, *, file: Path | str | bytes | File | None = None, name: str = ""
    ) -> None:
        super().__init__(message)
        self.file = file
        self.name = name


def _enqueue(job_pk: int, task: Task) -> None:
    result = task.enqueue(job_pk)
    Job.objects.filter(pk=job_pk).update(task_id=str(result.id)[:64])


@transaction.atomic
def job_start(
    *,
    organisation: Organisation,
    kind: str,
    title: str,
    created_by: User | None,
    task: Task,
    payload: dict[str, Any],
    total: int | None = None,
) -> Job:
    """Create the job and queue ``task(job_id)`` once the caller's transaction commits."""
    if kind not in JobKind.values:
        raise ValueError(f"unknown job kind {kind!r}")
    job = Job.objects.create(
        organisation=organisation,
        kind=kind,
        title=title,
        created_by=created_by,
        task_path=task.module_path,
        payload=payload,
        total=total,
    )
    transaction.on_commit(functools.partial(_enqueue, job.pk, task))
    return job


def job_cancel(*, job: Job) -> None:
    """Ask ``job`` to stop. A queued one is cancelled at once; a running one stops at its
    next progress; one whose worker is gone (stale) is marked cancelled here. Anything else
    has ended already and is left as it is."""
    now = timezone.now()
    job.refresh_from_db()
    if job.status == JobStatus.QUEUED:
        try:
            cancelled = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
                status=JobStatus.CANCELLED, finished_at=now, updated_at=now
            )
        except OperationalError:
            # SQLite while another job's import holds the database: the flag is enough, the
            # worker cancels this one instead of starting it.
            logger.warning("Job %s: database busy, cancelling by flag", job.pk)
            files.cancel_request(job.pk)
            return
        job.refresh_from_db()
        if cancelled:
            return
    if job.status != JobStatus.RUNNING:
        return
    # The flag also stops a stale run that turns out to be alive after all.
    files.cancel_request(job.pk)
    if job_progress(job, now=now).stale:
        Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, attempts=job.attempts).update(
            status=JobStatus.CANCELLED, finished_at=now, updated_at=now
        )
        job.refresh_from_db()


@transaction.atomic
def job_retry(*, job: Job) -> Job:
    """Queue a failed, cancelled or stale job again: the same row, one attempt more.

    Raises ValidationError for a job that is queued, visibly running or done.
    """
    locked = Job.objects.select_for_update().get(pk=job.pk)
    if not job_can_retry(job=locked):
        raise ValidationError(_("Deze taak kan nu niet opnieuw worden gestart."))
    old_file = locked.result_file.name if locked.result_file else ""
    locked.status = JobStatus.QUEUED
    locked.attempts += 1
    locked.done = 0
    locked.started_at = locked.finished_at = None
    locked.error = ""
    locked.task_id = ""
    locked.result_file = ""  # type: ignore[assignment]
    locked.save()
    storage = locked.result_file.storage
    attempt = locked.attempts

    def after_commit() -> None:
        files.progress_clear(locked.pk)
        # Marks the file as the new attempt's, so an old run still going stops itself.
        files.progress_write(locked.pk, done=0, total=locked.total, attempt=attempt)
        if old_file:
            storage.delete(old_file)
        _enqueue(locked.pk, import_string(locked.task_path))

    transaction.on_commit(after_commit)
    return locked


class JobRun:
    """A running job as its task body sees it: report progress, keep a result file."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.attempt = job.attempts
        self.done = 0
        self.total: int | None = job.total
        self.result_name = ""
        self.superseded = False
        self._written_at = 0.0

    def progress(self, done: int, total: int | None = None) -> None:
        """``done`` of ``total`` units (rows, steps) are done; ``total`` None keeps the last.

        Writes the progress file at most every ``PROGRESS_INTERVAL`` seconds; call it at
        least once a minute, or the job looks stale. Raises ``JobCancelled`` when asked to
        stop.
        """
        self.done = done
        if total is not None:
            self.total = total
        if self.total is not None and self.done > self.total:
            self.total = self.done  # totals estimated from a file's size can fall short
        if files.cancel_requested(self.job.pk):
            raise JobCancelled
        if time.monotonic() - self._written_at >= PROGRESS_INTERVAL:
            self._write()

    def _write(self) -> None:
        current = files.progress_read(self.job.pk)
        if current is not None and current.attempt > self.attempt:
            self.superseded = True
            raise JobCancelled
        files.progress_write(self.job.pk, done=self.done, total=self.total, attempt=self.attempt)
        self._written_at = time.monotonic()

    def finish(self, *, file: Path | str | bytes | File | None = None, name: str = "") -> None:
        """Keep ``file`` (a path, bytes or a Django File) as the job's result, downloaded as
        ``name`` (by default the path's own name). The row points at it once the block ends
        without error; otherwise the file is deleted again."""
        if file is None:
            return
        self._drop_result()
        if isinstance(file, bytes):
            content: File = ContentFile(file)
        elif isinstance(file, str | Path):
            path = Path(file)
            name = name or path.name
            with path.open("rb") as handle:
                self.job.result_file.save(name, File(handle), save=False)
            self.result_name = self.job.result_file.name or ""
            return
        else:
            content = file
        if not name:
            raise ValueError("a result file needs a name")
        self.job.result_file.save(name, content, save=False)
        self.result_name = self.job.result_file.name or ""

    def _drop_result(self) -> None:
        if self.result_name:
            self.job.result_file.storage.delete(self.result_name)
            self.result_name = ""

    def end(self, status: str, *, error: str = "", keep_result: bool = False) -> None:
        """Record the end; the result file stays for a job that is done, or that failed with
        ``keep_result``, and is deleted otherwise."""
        now = timezone.now()
        total = self.total
        if status == JobStatus.DONE and total is None:
            total = self.done
        fields: dict[str, Any] = {
            "status": status,
            "done": self.done,
            "total": total,
            "finished_at": now,
            "error": error,
            "updated_at": now,
        }
        if status == JobStatus.DONE or keep_result:
            fields["result_file"] = self.result_name
        else:
            self._drop_result()
        # Only this attempt's own row: a retry (after it looked stale) moved the job on.
        mine = Job.objects.filter(pk=self.job.pk, status=JobStatus.RUNNING, attempts=self.attempt)
        try:
            ended = mine.update(**fields)
        except Exception:
            # The database is gone too: the row stays running and turns stale, which the
            # page offers to retry. Whatever ended the block still propagates.
            logger.exception("Could not record the end of job %s", self.job.pk)
            return
        if ended:
            files.progress_clear(self.job.pk)


def _begin(job_id: int) -> JobRun:
    if transaction.get_connection().in_atomic_block:
        raise RuntimeError(
            "job_run() must run outside a transaction: open the transaction inside its block"
        )
    now = timezone.now()
    if files.cancel_requested(job_id):
        # Cancelled while queued, when the database was too busy to say so in the row.
        if Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
            status=JobStatus.CANCELLED, finished_at=now, updated_at=now
        ):
            files.progress_clear(job_id)
        raise JobCancelled
    started = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=now, finished_at=None, done=0, error="", updated_at=now
    )
    if not started:
        # Cancelled while queued, deleted with its organisation, or already taken.
        logger.info("Job %s is no longer queued; not running it", job_id)
        raise JobCancelled
    run = JobRun(Job.objects.select_related("organisation").get(pk=job_id))
    run._write()
    return run


def _failure_message(exc: BaseException) -> str:
    if isinstance(exc, JobFailed):
        return str(exc)
    with translation.override("nl"):
        if not isinstance(exc, Exception):
            return _(
                "De verwerking is onderbroken doordat de achtergrondverwerking stopte. "
                "Start haar opnieuw."
            )
        return _(
            "De verwerking is mislukt door een fout in Meerwaarde. Probeer het opnieuw; lukt "
            "het dan nog niet, neem dan contact op met de beheerder van Meerwaarde."
        )


def _keep_file(run: JobRun, exc: BaseException) -> bool:
    """Keep the file a ``JobFailed`` carries as the failed job's result; whether it was."""
    if not isinstance(exc, JobFailed) or exc.file is None:
        return False
    try:
        run.finish(file=exc.file, name=exc.name)
    except Exception:
        # The message still reaches the page; only the file is missing.
        logger.exception("Job %s: could not keep the file of its failure", run.job.pk)
        run._drop_result()
        return False
    return True


@contextmanager
def job_run(job_id: int) -> Iterator[JobRun]:
    """The frame of a task body: marks the job running and, when the block ends, done,
    cancelled (``JobCancelled``, swallowed) or failed (any other exception, re-raised so the
    queue records it too; the traceback goes to the log, a Dutch message to the page). A
    failed job keeps no result file, except the one a ``JobFailed`` carries.

    Raises ``JobCancelled`` before the block when the job is no longer queued: the body
    must not run, and the queue then records the task as failed, which harms nothing.
    """
    run = _begin(job_id)
    try:
        yield run
    except JobCancelled:
        if run.superseded:
            run._drop_result()
            logger.warning("Job %s attempt %s was superseded by a retry", job_id, run.attempt)
        else:
            run.end(JobStatus.CANCELLED)
    except BaseException as exc:
        if isinstance(exc, JobFailed):
            logger.warning("Job %s failed: %s", job_id, exc)
        else:
            logger.exception("Job %s failed", job_id)
        run.end(JobStatus.FAILED, error=_failure_message(exc), keep_result=_keep_file(run, exc))
        raise
    else:
        run.end(JobStatus.DONE)
