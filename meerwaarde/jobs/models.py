"""A job: one piece of background work (an import, an export, a report) as the user sees it.

The queue itself is django-tasks (``django_tasks_db``); this row is what the pages show and
what survives the queue's own bookkeeping. While a job runs, its progress lives in a file
(``progress.py``), not here: an import holds one long transaction, and on SQLite nothing
else could write this row meanwhile. The row gets its final counts when the job ends.
"""

import posixpath

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.models import TimeStampedModel
from meerwaarde.jobs.constants import JobKind, JobStatus

__all__ = ["Job", "JobKind", "JobStatus"]


def _upload_to(job: "Job", filename: str) -> str:
    return f"jobs/{job.organisation_id}/{job.pk}/{filename}"


class Job(TimeStampedModel):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="jobs",
    )
    kind = models.CharField(_("soort"), max_length=10, choices=JobKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    title = models.CharField(_("omschrijving"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gestart door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # The queue's id of the last enqueued run, and the task to enqueue again on a retry (the
    # queue's own rows may have been pruned by then).
    task_id = models.CharField(_("taak in de wachtrij"), max_length=64, blank=True)
    task_path = models.CharField(_("taakfunctie"), max_length=200)
    payload = models.JSONField(_("invoer"), default=dict, blank=True)
    done = models.PositiveBigIntegerField(_("klaar"), default=0)
    total = models.PositiveBigIntegerField(_("totaal"), null=True, blank=True)
    started_at = models.DateTimeField(_("begonnen op"), null=True, blank=True)
    finished_at = models.DateTimeField(_("geëindigd op"), null=True, blank=True)
    error = models.TextField(_("foutmelding"), blank=True)
    result_file = models.FileField(_("resultaat"), upload_to=_upload_to, blank=True, max_length=300)
    attempts = models.PositiveSmallIntegerField(_("pogingen"), default=1)

    class Meta:
        verbose_name = _("taak")
        verbose_name_plural = _("taken")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["organisation", "-created_at"], name="job_org_created")]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=JobStatus.values), name="job_status_valid"
            ),
            models.CheckConstraint(condition=Q(kind__in=JobKind.values), name="job_kind_valid"),
            models.CheckConstraint(
                condition=Q(total__isnull=True) | Q(done__lte=F("total")),
                name="job_done_le_total",
            ),
            models.CheckConstraint(condition=Q(attempts__gte=1), name="job_attempts_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def in_progress(self) -> bool:
        return self.status in (JobStatus.QUEUED, JobStatus.RUNNING)

    @property
    def result_filename(self) -> str:
        """The result's file name as the user downloads it (the task chose it)."""
        return posixpath.basename(self.result_file.name or "")
