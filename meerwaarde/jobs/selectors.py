"""Tenant-scoped reads of jobs, and a job's progress as the page shows it."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from meerwaarde.jobs.constants import STALE_AFTER, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.progress import cancel_requested, progress_read
from meerwaarde.organisations.models import Organisation

# Below this much work done, a rate says little: no estimate yet.
_MIN_SECONDS_FOR_ESTIMATE = 1.0


def jobs_for(
    *, organisation: Organisation, kind: str | None = None, kinds: Iterable[str] | None = None
) -> QuerySet[Job]:
    """The organisation's jobs, newest first; of one ``kind`` or of any of ``kinds``."""
    jobs = Job.objects.filter(organisation=organisation).select_related("created_by")
    if kind is not None:
        jobs = jobs.filter(kind=kind)
    if kinds is not None:
        jobs = jobs.filter(kind__in=list(kinds))
    return jobs


def job_get(*, organisation: Organisation, pk: int) -> Job:
    job = Job.objects.filter(organisation=organisation, pk=pk).select_related(
        "organisation", "created_by"
    )
    found = job.first()
    if found is None:
        raise Http404
    return found


@dataclass(frozen=True)
class Progress:
    status: str
    done: int
    total: int | None
    percent: int | None  # None while the total is unknown
    seconds_left: int | None  # None until there is a rate to estimate from
    stale: bool  # running, but silent for STALE_AFTER: its worker is gone
    cancelling: bool = False  # asked to stop; stops at its next progress

    @property
    def active(self) -> bool:
        """Queued or visibly running: the page keeps polling."""
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING) and not self.stale


def _percent(status: str, done: int, total: int | None) -> int | None:
    if status == JobStatus.DONE:
        return 100
    if total is None:
        return None
    if total == 0:
        return 0
    return min(100, done * 100 // total)


def _seconds_left(
    *, done: int, total: int | None, started: datetime.datetime | None, at: datetime.datetime
) -> int | None:
    """The rest of the work at the average rate so far (rows per second since the start)."""
    if total is None or started is None or done <= 0:
        return None
    elapsed = (at - started).total_seconds()
    if elapsed < _MIN_SECONDS_FOR_ESTIMATE:
        return None
    return max(0, round((total - done) * elapsed / done))


def job_progress(job: Job, *, now: datetime.datetime | None = None) -> Progress:
    """Where ``job`` is: from its progress file while it runs, from the row otherwise.

    A running job that wrote nothing for ``STALE_AFTER`` is stale: its worker was killed or
    crashed, its transaction went with it, and the job may be started again.
    """
    now = now or timezone.now()
    if job.status != JobStatus.RUNNING:
        queued = job.status == JobStatus.QUEUED
        done = 0 if queued else job.done
        return Progress(
            status=job.status,
            done=done,
            total=job.total,
            percent=_percent(job.status, done, job.total),
            seconds_left=None,
            stale=False,
            cancelling=queued and cancel_requested(job.pk),
        )
    record = progress_read(job.pk)
    if record is not None and record.attempt == job.attempts:
        done, total, at = record.done, record.total, record.at
    else:
        done, total, at = job.done, job.total, job.started_at or job.updated_at
    stale = now - at > STALE_AFTER
    return Progress(
        status=job.status,
        done=done,
        total=total,
        percent=_percent(job.status, done, total),
        seconds_left=None
        if stale
        else _seconds_left(done=done, total=total, started=job.started_at, at=at),
        stale=stale,
        cancelling=not stale and cancel_requested(job.pk),
    )


def job_can_retry(*, job: Job, progress: Progress | None = None) -> bool:
    """Failed, cancelled, or running without a sign of life (stale)."""
    if job.status in (JobStatus.FAILED, JobStatus.CANCELLED):
        return True
    if job.status != JobStatus.RUNNING:
        return False
    return (progress or job_progress(job)).stale
