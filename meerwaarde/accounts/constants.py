from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgRole(models.TextChoices):
    """A user's role inside one organisation (through a membership)."""

    WORKER = "worker", _("Sociaal werker")
    COORDINATOR = "coordinator", _("Coördinator")
    ORG_ADMIN = "org_admin", _("Organisatiebeheerder")


class PlatformRole(models.TextChoices):
    """A role on the whole platform, held by staff of the association."""

    EDITOR = "editor", _("Redacteur")
    SECTOR_ANALYST = "sector_analyst", _("Sectoranalist")
    PLATFORM_ADMIN = "platform_admin", _("Platformbeheerder")
