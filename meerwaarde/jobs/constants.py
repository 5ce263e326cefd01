import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

from meerwaarde.accounts.permissions import Perm


class JobKind(models.TextChoices):
    IMPORT = "import", _("Import")
    EXPORT = "export", _("Export")
    REPORT = "report", _("Verantwoording")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("In de wachtrij")
    RUNNING = "running", _("Bezig")
    DONE = "done", _("Klaar")
    FAILED = "failed", _("Mislukt")
    CANCELLED = "cancelled", _("Geannuleerd")


# Who may see, cancel and rerun a job: the member who may do its kind.
KIND_PERMS: dict[str, Perm] = {
    JobKind.IMPORT: Perm.IMPORT_EXPORT,
    JobKind.EXPORT: Perm.IMPORT_EXPORT,
    JobKind.REPORT: Perm.VIEW_RESULTS,
}

# A running job writes its progress at least this often (at most every PROGRESS_INTERVAL);
# one that has written nothing for STALE_AFTER is taken to have lost its worker.
PROGRESS_INTERVAL = 0.5
STALE_AFTER = datetime.timedelta(seconds=60)
