"""Accountability reports (verantwoording) for a period and a funder (issue 5, item 4).

A report is a definition (period, funder, offers, stories) plus the files its last rendering
made. The files are kept under MEDIA_ROOT and only ever leave through views that check
access; their figures are suppressed, since a report leaves the organisation.

Rendering runs as a ``jobs`` Job (kind ``report``): the row stores only whether the files
are made (``status``: draft or ready), the job says whether a rendering is queued, running or
failed, and ``state`` combines the two into what the pages show.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.models import TimeStampedModel
from meerwaarde.jobs.constants import JobStatus
from meerwaarde.reports.constants import ReportFormat, ReportStatus

__all__ = ["Report", "ReportStatus", "ReportStory"]

STORED_STATUSES = [
    (ReportStatus.DRAFT.value, ReportStatus.DRAFT.label),
    (ReportStatus.READY.value, ReportStatus.READY.label),
]
_JOB_STATES: dict[str, str] = {
    JobStatus.QUEUED: ReportStatus.QUEUED,
    JobStatus.RUNNING: ReportStatus.RUNNING,
    JobStatus.FAILED: ReportStatus.FAILED,
}


def _upload_to(report: "Report", filename: str) -> str:
    return f"reports/{report.organisation_id}/{report.pk}/{filename}"


class Report(TimeStampedModel):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    title = models.CharField(_("titel"), max_length=200)
    # A funder on the platform (a municipality or partner), or the name of one that is not.
    funder = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("financier"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    funder_name = models.CharField(_("naam van de financier"), max_length=200, blank=True)
    start = models.DateField(_("eerste maand"))
    end = models.DateField(_("laatste maand"))
    # None chosen is all of the organisation's offers, together.
    offers = models.ManyToManyField(
        "offers.Offer", verbose_name=_("aanbod"), blank=True, related_name="+"
    )
    include_programmes = models.BooleanField(_("voortgang van programma's opnemen"), default=True)
    # Whether the files match the definition; a rendering in progress or failed is the job's.
    status = models.CharField(
        _("status"), max_length=10, choices=STORED_STATUSES, default=ReportStatus.DRAFT
    )
    # The last rendering asked for since the definition last changed: its progress, error,
    # cancel and retry are the job's. The job list keeps it when the link is dropped.
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("taak"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    rendered_at = models.DateTimeField(_("gemaakt op"), null=True, blank=True)
    pdf_file = models.FileField(_("PDF"), upload_to=_upload_to, blank=True, max_length=300)
    xlsx_file = models.FileField(_("Excel"), upload_to=_upload_to, blank=True, max_length=300)
    csv_file = models.FileField(_("CSV (zip)"), upload_to=_upload_to, blank=True, max_length=300)
    # The report as HTML (without page chrome), shown on the report page.
    html_file = models.FileField(_("HTML"), upload_to=_upload_to, blank=True, max_length=300)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("verantwoording")
        verbose_name_plural = _("verantwoordingen")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="report_period_order"),
            models.CheckConstraint(
                condition=Q(start__day=1) & Q(end__day=1), name="report_months_first_day"
            ),
            models.CheckConstraint(
                condition=~Q(funder=F("organisation")), name="report_funder_not_self"
            ),
            models.CheckConstraint(
                condition=(Q(funder__isnull=False) & Q(funder_name=""))
                | (Q(funder__isnull=True) & ~Q(funder_name="")),
                name="report_one_funder",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[value for value, _label in STORED_STATUSES]),
                name="report_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def funder_label(self) -> str:
        return self.funder.name if self.funder is not None else self.funder_name

    @property
    def state(self) -> str:
        """What the pages show (``ReportStatus``): the job's while it is queued, running or
        failed; otherwise (none, done, cancelled) whether the files are made. A cancelled
        rendering left the previous files as they were, so the report is what it was."""
        job = self.job
        if job is not None and job.status in _JOB_STATES:
            return _JOB_STATES[job.status]
        return self.status

    def get_state_display(self) -> str:
        return str(ReportStatus(self.state).label)

    @property
    def in_progress(self) -> bool:
        return self.state in (ReportStatus.QUEUED, ReportStatus.RUNNING)

    @property
    def is_ready(self) -> bool:
        """Its files may be downloaded: made, and no new rendering queued, running or failed."""
        return self.state == ReportStatus.READY

    def file_for(self, fmt: str) -> FieldFile | None:
        """The stored file of a format (``ReportFormat``), or None when there is none."""
        fields: dict[str, FieldFile] = {
            ReportFormat.PDF: self.pdf_file,
            ReportFormat.XLSX: self.xlsx_file,
            ReportFormat.CSV: self.csv_file,
        }
        field = fields.get(fmt)
        return field if field else None

    @property
    def has_files(self) -> bool:
        return bool(self.pdf_file or self.xlsx_file or self.csv_file)


class ReportStory(TimeStampedModel):
    """A practice story the coordinator typed: a title and a text, in the report's order."""

    report = models.ForeignKey(
        Report, verbose_name=_("verantwoording"), on_delete=models.CASCADE, related_name="stories"
    )
    position = models.PositiveSmallIntegerField(_("volgorde"))
    title = models.CharField(_("titel"), max_length=200)
    text = models.TextField(_("tekst"), max_length=5000)

    class Meta:
        verbose_name = _("verhaal uit de praktijk")
        verbose_name_plural = _("verhalen uit de praktijk")
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "position"], name="reportstory_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.title
