"""What a job's page fragment says: the status, the counts in Dutch, the time left, and the
one sentence the live region speaks (only when it changes, so a screen reader is not told
the same thing every second)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from meerwaarde.jobs.constants import JobKind, JobStatus
from meerwaarde.jobs.models import Job
from meerwaarde.jobs.selectors import Progress, job_can_retry, job_progress


def time_left_text(seconds: int | None) -> str:
    """ "nog ongeveer 2 minuten", "nog minder dan een minuut"; empty without an estimate."""
    if seconds is None:
        return ""
    if seconds < 60:
        return _("nog minder dan een minuut")
    minutes = int(seconds / 60 + 0.5)
    if minutes < 60:
        return ngettext(
            "nog ongeveer %(count)d minuut", "nog ongeveer %(count)d minuten", minutes
        ) % {"count": minutes}
    hours = int(seconds / 3600 + 0.5)
    return ngettext("nog ongeveer %(count)d uur", "nog ongeveer %(count)d uur", hours) % {
        "count": hours
    }


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def counts_text(kind: str, progress: Progress) -> str:
    """ "12.000 van 40.000 rijen" (steps for a report), or the rows so far without a total."""
    done, total = progress.done, progress.total
    values = {"done": _number(done), "total": _number(total or 0)}
    if kind == JobKind.REPORT:
        if total is None:
            return ngettext("%(done)s stap klaar", "%(done)s stappen klaar", done) % values
        return (
            ngettext("%(done)s van %(total)s stap", "%(done)s van %(total)s stappen", total)
            % values
        )
    if total is None:
        return ngettext("%(done)s rij verwerkt", "%(done)s rijen verwerkt", done) % values
    return ngettext("%(done)s van %(total)s rij", "%(done)s van %(total)s rijen", total) % values


def status_label(job: Job, progress: Progress) -> str:
    if progress.stale:
        return _("De verwerking is gestopt")
    if progress.cancelling:
        return _("Wordt gestopt")
    return str(JobStatus(job.status).label)


def safe_next(value: str | None) -> str:
    """A page on this site to go back to, or empty: never another host or a script URL."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return ""
    return value


@dataclass(frozen=True)
class JobState:
    job: Job
    progress: Progress
    label: str
    counts: str
    time_left: str
    announcement: str
    # Changes exactly when the announcement should be spoken again.
    key: str
    can_retry: bool
    next: str

    @property
    def actions_key(self) -> str:
        """Changes exactly when the buttons beside the progress change."""
        return "-".join(
            str(int(flag))
            for flag in (self.progress.active, self.progress.cancelling, self.can_retry)
        )

    def _url(self, name: str) -> str:
        return reverse(f"jobs:{name}", args=[self.job.organisation.slug, self.job.pk])

    @property
    def poll_url(self) -> str:
        query = {"stand": self.key, "knoppen": self.actions_key}
        if self.next:
            query["terug"] = self.next
        return f"{self._url('progress')}?{urlencode(query)}"

    @property
    def cancel_url(self) -> str:
        return self._url("cancel")

    @property
    def retry_url(self) -> str:
        return self._url("retry")

    @property
    def download_url(self) -> str:
        return self._url("download")

    @property
    def refresh_url(self) -> str:
        return self.next or self._url("detail")


def _announcement(job: Job, progress: Progress, label: str, time_left: str) -> tuple[str, str]:
    """The live region's sentence and its key: status changes and every tenth of the work."""
    if job.status == JobStatus.RUNNING and not progress.stale and not progress.cancelling:
        if progress.percent is None:
            return _("Bezig."), "running"
        tenth = progress.percent // 10 * 10
        if time_left:
            sentence = _("Bezig: %(percent)d procent klaar, %(left)s.") % {
                "percent": tenth,
                "left": time_left,
            }
        else:
            sentence = _("Bezig: %(percent)d procent klaar.") % {"percent": tenth}
        return sentence, f"running-{tenth}"
    if job.status == JobStatus.FAILED:
        return f"{label}. {job.error}".strip(), "failed"
    key = "stale" if progress.stale else "cancelling" if progress.cancelling else job.status
    return f"{label}.", key


def job_state(job: Job, *, next_url: str | None = None) -> JobState:
    progress = job_progress(job)
    label = status_label(job, progress)
    time_left = time_left_text(progress.seconds_left)
    announcement, key = _announcement(job, progress, label, time_left)
    return JobState(
        job=job,
        progress=progress,
        label=label,
        counts=counts_text(job.kind, progress),
        time_left=time_left,
        announcement=announcement,
        key=key,
        can_retry=job_can_retry(job=job, progress=progress),
        next=safe_next(next_url),
    )
