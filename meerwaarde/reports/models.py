"""Accountability reports (verantwoording) for a period and a funder (issue 5, item 4).

Skeleton: the reports work fills in stories, rendering, progress and files.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.models import TimeStampedModel


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Concept")
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Wordt gemaakt")
    READY = "ready", _("Klaar")
    FAILED = "failed", _("Mislukt")


class Report(TimeStampedModel):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="reports",
    )
    title = models.CharField(_("titel"), max_length=200)
    funder = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("financier"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    start = models.DateField(_("eerste maand"))
    end = models.DateField(_("laatste maand"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
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
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=F("start")), name="report_period_order"),
            models.CheckConstraint(
                condition=Q(start__day=1) & Q(end__day=1), name="report_months_first_day"
            ),
            models.CheckConstraint(
                condition=~Q(funder=F("organisation")), name="report_funder_not_self"
            ),
        ]

    def __str__(self) -> str:
        return self.title
