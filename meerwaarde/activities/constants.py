from django.db import models
from django.utils.translation import gettext_lazy as _

# Upper bounds for one offer in one month: far above any real offer, low enough to catch a
# number typed twice or a year typed into the wrong box.
MAX_COUNT = 100_000
MAX_HOURS = 100_000

REFERRAL_SCHEME = "referral_sources"
THEME_SCHEME = "themes"
# Every early signal is vroegsignalering: as a theme of its own it would say nothing.
SIGNAL_THEMES_HIDDEN = frozenset({"thema-vroegsignalering"})
# Sources that send people but cannot receive them: nobody is referred to "self-referral".
NOT_REFERRED_TO = frozenset({"verwijzer-eigen-initiatief"})


class ReferralDirection(models.TextChoices):
    IN = "in", _("verwezen naar ons")
    OUT = "out", _("door ons doorverwezen")


class TotalsScope(models.TextChoices):
    """What a row of the activity totals adds up: one intervention type, or all offers.

    The same values as the analysis scopes; a selection by organisation, offer, theme or
    target group reads the records themselves.
    """

    INTERVENTION_TYPE = "type", _("soort interventie")
    ALL = "all", _("alles")


class TotalsKind(models.TextChoices):
    """Which count of a month an ``ActivityConceptTotals`` row sums, per concept."""

    REFERRALS_IN = "in", _("verwezen naar ons")
    REFERRALS_OUT = "out", _("door ons doorverwezen")
    EARLY_SIGNALS = "signal", _("vroegsignalering")
