from django.db import models
from django.utils.translation import gettext_lazy as _

# A grant lasts at most this long: a partner's access is renewed on purpose, not forgotten.
MAX_GRANT_DAYS = 731
# An API key too: a key that never expires is a key nobody remembers to revoke.
MAX_TOKEN_DAYS = 731
# How often the "last used" moment of an API key is written: not on every request.
TOKEN_TOUCH_SECONDS = 60
# What an API key starts with, so a leaked key is recognisable in logs and secret scanners.
TOKEN_MARK = "mw_"  # noqa: S105 - a prefix, not a secret


class GrantStatus(models.TextChoices):
    ACTIVE = "active", _("actief")
    ENDED = "ended", _("afgelopen")
    REVOKED = "revoked", _("ingetrokken")


class ImpactSection(models.TextChoices):
    """The parts of the dashboard an impact page may show; the values are those of the
    dashboard's CSV tables (``analysis.presentation.CSV_TABLES``)."""

    ACTIVITY = "activiteit", _("Bereik en activiteiten")
    OUTCOMES = "uitkomsten", _("Uitkomsten per meetinstrument")
    MOVES = "verschuivingen", _("Verschuivingen tussen categorieën")
    GAS = "gas", _("Doelen: Goal Attainment Scaling")
