from django.db import models
from django.utils.translation import gettext_lazy as _


class AgeBand(models.TextChoices):
    """Bands, not birth dates: enough to compare groups, too coarse to find a person.

    The cut at 27 follows the Participatiewet's young adults, 65 the state pension age.
    """

    CHILD = "0-11", _("0 tot en met 11 jaar")
    TEEN = "12-17", _("12 tot en met 17 jaar")
    YOUNG_ADULT = "18-26", _("18 tot en met 26 jaar")
    ADULT = "27-44", _("27 tot en met 44 jaar")
    MIDDLE_AGED = "45-64", _("45 tot en met 64 jaar")
    SENIOR = "65-74", _("65 tot en met 74 jaar")
    ELDERLY = "75+", _("75 jaar en ouder")


class Gender(models.TextChoices):
    FEMALE = "female", _("Vrouw")
    MALE = "male", _("Man")
    OTHER = "other", _("Anders / non-binair")
    UNDISCLOSED = "undisclosed", _("Zeg ik liever niet")


class TrajectoryStatus(models.TextChoices):
    ACTIVE = "active", _("Lopend")
    COMPLETED = "completed", _("Afgerond")
    STOPPED = "stopped", _("Voortijdig gestopt")


FINISHED_STATUSES = (TrajectoryStatus.COMPLETED, TrajectoryStatus.STOPPED)


class AuditAction(models.TextChoices):
    VIEW = "view", _("Bekeken")
    CREATE = "create", _("Aangemaakt")
    UPDATE = "update", _("Gewijzigd")
    DELETE = "delete", _("Verwijderd")
    EXPORT = "export", _("Geëxporteerd")


# Which concept scheme (by code) each concept field draws from.
CONCEPT_SCHEMES = {
    "target_groups": "target_groups",
    "referral_source": "referral_sources",
    "domain": "outcome_domains",
}

# GAS works with a handful of goals; more than five makes the T-score hard to interpret.
MAX_GOALS = 5
MAX_GOAL_WEIGHT = 10
