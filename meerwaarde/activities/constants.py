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
