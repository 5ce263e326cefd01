"""Monthly activity counts per offer: the operational level of the results chain.

Counts, not people: nothing here identifies a participant, and a volunteer active in two
offers is counted in both.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meerwaarde.activities.constants import ReferralDirection
from meerwaarde.core.models import TimeStampedModel


class ActivityRecord(TimeStampedModel):
    """What one offer did in one month; entered and corrected as a whole."""

    # Kept beside the offer so every read can be scoped to the organisation without a join;
    # the service guarantees it is the offer's organisation.
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="activity_records",
    )
    # An offer with counts has run: it is archived, not deleted with its history; only
    # deleting its whole organisation takes it along.
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("aanbod"),
        on_delete=models.RESTRICT,
        related_name="activity_records",
    )
    month = models.DateField(_("maand"))
    meetings_held = models.PositiveIntegerField(_("bijeenkomsten of contacten"), default=0)
    participants_reached = models.PositiveIntegerField(_("deelnemers bereikt"), default=0)
    new_participants = models.PositiveIntegerField(_("nieuwe deelnemers"), default=0)
    active_volunteers = models.PositiveIntegerField(_("actieve vrijwilligers"), default=0)
    volunteer_hours = models.DecimalField(
        _("uren van vrijwilligers"), max_digits=8, decimal_places=1, default=0
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevuld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("activiteiten van een maand")
        verbose_name_plural = _("activiteiten per maand")
        ordering = ["offer__name", "month"]
        indexes = [models.Index(fields=["organisation", "month"], name="activityrecord_org_month")]
        constraints = [
            models.UniqueConstraint(fields=["offer", "month"], name="activityrecord_offer_month"),
            models.CheckConstraint(
                condition=models.Q(month__day=1), name="activityrecord_month_first_day"
            ),
            models.CheckConstraint(
                condition=models.Q(
                    meetings_held__gte=0,
                    participants_reached__gte=0,
                    new_participants__gte=0,
                    active_volunteers__gte=0,
                    volunteer_hours__gte=0,
                ),
                name="activityrecord_counts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(new_participants__lte=models.F("participants_reached")),
                name="activityrecord_new_within_reached",
            ),
            models.CheckConstraint(
                condition=models.Q(volunteer_hours=0) | models.Q(active_volunteers__gt=0),
                name="activityrecord_hours_need_volunteers",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer} {self.month:%Y-%m}"


class ReferralCount(models.Model):
    """How many were referred to the offer by a source, or by the offer to one, that month."""

    record = models.ForeignKey(ActivityRecord, on_delete=models.CASCADE, related_name="referrals")
    direction = models.CharField(_("richting"), max_length=3, choices=ReferralDirection.choices)
    source = models.ForeignKey(
        "vocabulary.Concept",
        verbose_name=_("verwijzer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveIntegerField(_("aantal"))

    class Meta:
        verbose_name = _("aantal verwijzingen")
        verbose_name_plural = _("aantallen verwijzingen")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "direction", "source"], name="referralcount_one_per_source"
            ),
            models.CheckConstraint(
                condition=models.Q(direction__in=ReferralDirection.values),
                name="referralcount_direction_valid",
            ),
            # A zero is no row: "none" and "not entered" read the same in the totals.
            models.CheckConstraint(
                condition=models.Q(count__gt=0), name="referralcount_count_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.source} ({self.count})"


class EarlySignalCount(models.Model):
    """How many early signals (vroegsignalering) on a theme the offer picked up that month."""

    record = models.ForeignKey(
        ActivityRecord, on_delete=models.CASCADE, related_name="early_signals"
    )
    theme = models.ForeignKey(
        "vocabulary.Concept", verbose_name=_("thema"), on_delete=models.PROTECT, related_name="+"
    )
    count = models.PositiveIntegerField(_("aantal"))

    class Meta:
        verbose_name = _("aantal signalen")
        verbose_name_plural = _("aantallen signalen")
        constraints = [
            models.UniqueConstraint(
                fields=["record", "theme"], name="earlysignalcount_one_per_theme"
            ),
            models.CheckConstraint(
                condition=models.Q(count__gt=0), name="earlysignalcount_count_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme} ({self.count})"
