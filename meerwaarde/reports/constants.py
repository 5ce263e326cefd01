from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
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


# The steps of a rendering, in order: the report page shows "stap 2 van 5".
RENDER_STEPS = (
    _("Cijfers verzamelen"),
    _("Inhoud opmaken"),
    _("PDF maken"),
    _("Excel-bestand maken"),
    _("CSV-bestanden maken"),
)
