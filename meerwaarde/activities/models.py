"""Monthly activity counts per offer: the operational level of the results chain.

Counts, not people: nothing here identifies a participant, and a volunteer active in two
offers is counted in both.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meerwaarde.activities.constants import ReferralDirection, TotalsKind, TotalsScope
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
    # The intervention type whose totals the record is counted in (null: not counted yet,
    # written in bulk before activity_totals_rebuild()). Kept so the totals can be found
    # again when the offer changes type, as analysis keeps it on its pairs.
    intervention_type = models.ForeignKey(
        "vocabulary.Concept",
        verbose_name=_("soort interventie in de totalen"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        verbose_name = _("activiteiten van een maand")
        verbose_name_plural = _("activiteiten per maand")
        ordering = ["offer__name", "month"]
        indexes = [
            models.Index(fields=["organisation", "month"], name="activityrecord_org_month"),
            # activity_totals_offer_changed(): the records of an offer counted in another type.
            models.Index(fields=["offer", "intervention_type"], name="activityrecord_offer_type"),
        ]
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


# Running totals per intervention type and of all ------------------------------------------
#
# activity_totals() over every offer reads every record, referral and signal row; a selection
# by intervention type alone, or of everything, reads these instead (the services keep them
# in step with every write; bulk writers call activity_totals_rebuild()). Rows exist only for
# months with a record (month totals) or a non-zero sum (concept totals).

_TYPE_KEY = models.Q(scope=TotalsScope.INTERVENTION_TYPE, intervention_type__isnull=False)
_ALL_KEY = models.Q(scope=TotalsScope.ALL, intervention_type__isnull=True)


def _totals_constraints(prefix: str, extra: list[str]) -> list[models.BaseConstraint]:
    """The scope sets the intervention type exactly as it says; one row per key in each scope
    (NULLs are distinct in a unique constraint, so each scope has its own)."""
    return [
        models.CheckConstraint(condition=_TYPE_KEY | _ALL_KEY, name=f"{prefix}_scope_keys"),
        models.CheckConstraint(condition=models.Q(month__day=1), name=f"{prefix}_month_first_day"),
        models.UniqueConstraint(
            fields=["intervention_type", "month", *extra],
            condition=models.Q(scope=TotalsScope.INTERVENTION_TYPE),
            name=f"{prefix}_type_key",
        ),
        models.UniqueConstraint(
            fields=["month", *extra],
            condition=models.Q(scope=TotalsScope.ALL),
            name=f"{prefix}_all_key",
        ),
    ]


class _TotalsRow(models.Model):
    scope = models.CharField(_("niveau"), max_length=5, choices=TotalsScope.choices)
    intervention_type = models.ForeignKey(
        "vocabulary.Concept",
        verbose_name=_("soort interventie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,  # the index on (intervention_type, month) starts with it
    )
    month = models.DateField(_("maand"))

    class Meta:
        abstract = True


class ActivityMonthTotals(_TotalsRow):
    """The counts of the records of one month, summed over a scope; a row whose
    ``offers_reporting`` falls to 0 is deleted."""

    offers_reporting = models.PositiveIntegerField(_("aanbod met een telling"))
    meetings_held = models.PositiveBigIntegerField(_("bijeenkomsten of contacten"))
    participants_reached = models.PositiveBigIntegerField(_("deelnemers bereikt"))
    new_participants = models.PositiveBigIntegerField(_("nieuwe deelnemers"))
    active_volunteers = models.PositiveBigIntegerField(_("actieve vrijwilligers"))
    volunteer_hours = models.DecimalField(
        _("uren van vrijwilligers"), max_digits=15, decimal_places=1
    )

    class Meta:
        verbose_name = _("activiteiten van een maand, opgeteld")
        verbose_name_plural = _("activiteiten per maand, opgeteld")
        indexes = [
            # A type's rows by month, and those of all (type null): SQLite cannot match a
            # bound scope to the partial unique indexes.
            models.Index(fields=["intervention_type", "month"], name="activitymonthtotals_type_m"),
        ]
        constraints = _totals_constraints("activitymonthtotals", [])

    def __str__(self) -> str:
        return f"{self.scope} {self.intervention_type_id} {self.month:%Y-%m}"


class ActivityConceptTotals(_TotalsRow):
    """Referrals in or out per source, or early signals per theme, of one month summed over a
    scope; a row whose count falls to 0 is deleted."""

    kind = models.CharField(_("soort telling"), max_length=6, choices=TotalsKind.choices)
    concept = models.ForeignKey(
        "vocabulary.Concept",
        verbose_name=_("begrip"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    count = models.PositiveBigIntegerField(_("aantal"))

    class Meta:
        verbose_name = _("aantal per begrip, opgeteld")
        verbose_name_plural = _("aantallen per begrip, opgeteld")
        indexes = [
            models.Index(
                fields=["intervention_type", "month"], name="activityconcepttotals_type_m"
            ),
        ]
        constraints = [
            *_totals_constraints("activityconcepttotals", ["kind", "concept"]),
            models.CheckConstraint(
                condition=models.Q(kind__in=TotalsKind.values),
                name="activityconcepttotals_kind_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.intervention_type_id} {self.month:%Y-%m} {self.kind}"
