from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    """What the pages say of a report. Only draft and ready are stored on it; queued, running
    and failed are its rendering job's (``Report.state``)."""

    DRAFT = "draft", _("Concept")
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Wordt gemaakt")
    READY = "ready", _("Klaar")
    FAILED = "failed", _("Mislukt")


class ReportFormat(models.TextChoices):
    """The files a report renders to; the value is the address part of its download."""

    PDF = "pdf", _("PDF")
    XLSX = "excel", _("Excel")
    CSV = "csv", _("CSV (zip)")


# The steps of a rendering, in order; the report's job counts them ("2 van 5 stappen").
RENDER_STEPS = ("content", "html", "pdf", "xlsx", "csv")
