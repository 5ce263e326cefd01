"""The storage behind the outcome figures: pairs per trajectory, running sums per scope.

Figures are never computed from measurements at read time (docs/dev/outcomes-contracts.md,
"From measurements to figures"). Every write of a measurement refreshes the trajectory's
``OutcomePair`` rows and applies the difference to ``OutcomeSums`` and ``CategoryMoves`` in
three scopes (offer, intervention type, all), so a figure of any selection is one grouped
query over at most offers × months × scales rows, however many trajectories there are.

Sums are doubles. Every shipped instrument but GAS scores whole numbers, whose sums and sums
of squares are exact in a double up to 2⁵³ (9·10¹⁵; a million trajectories on a 0-100 scale
reach 10¹⁰), so those figures are exact whatever order rows were added and removed in. GAS
T-scores and the means of "mean" scales have two decimals: their sums carry the rounding of
double addition, about 10⁻¹⁶ of the sum, far below any digit shown.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meerwaarde.analysis.constants import Scope

_OFFER_KEY = Q(
    scope=Scope.OFFER,
    organisation__isnull=False,
    offer__isnull=False,
    intervention_type__isnull=True,
)
_TYPE_KEY = Q(
    scope=Scope.INTERVENTION_TYPE,
    organisation__isnull=True,
    offer__isnull=True,
    intervention_type__isnull=False,
)
_ALL_KEY = Q(
    scope=Scope.ALL,
    organisation__isnull=True,
    offer__isnull=True,
    intervention_type__isnull=True,
)


class OutcomePair(models.Model):
    """One trajectory's start and end value on one scale of one instrument.

    Made from the trajectory's current intake and end measurement of the instrument; a scale
    without a value on either side has no row. Goal Attainment Scaling has only an end value
    (its T-score, scale ``"t"``). Offer, intervention type and organisation are copied from
    the trajectory, so the sums a pair went into can be found again when it changes.
    """

    # RESTRICT: a trajectory goes only after outcomes_forget() took its pairs out of the sums
    # (or with its organisation, whose cascade takes the pairs along).
    trajectory = models.ForeignKey(
        "participants.Trajectory",
        verbose_name=_("traject"),
        on_delete=models.RESTRICT,
        related_name="outcome_pairs",
        db_index=False,  # the unique constraint starts with it
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("aanbod"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # outcomepair_offer_type starts with it
    )
    intervention_type = models.ForeignKey(
        "vocabulary.Concept",
        verbose_name=_("soort interventie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    month = models.DateField(_("maand van de eindmeting"))
    instrument = models.ForeignKey(
        "instruments.Instrument",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scale = models.CharField(_("schaal"), max_length=50)
    start_value = models.FloatField(_("waarde bij de start"), null=True, blank=True)
    end_value = models.FloatField(_("waarde aan het eind"))
    start_category = models.CharField(_("categorie bij de start"), max_length=50, blank=True)
    end_category = models.CharField(_("categorie aan het eind"), max_length=50, blank=True)
    # +1 reliable improvement, −1 reliable deterioration, 0 neither; null when the scale has
    # no reference SD and reliability (or no start value) to judge it by.
    reliable_change = models.SmallIntegerField(_("betrouwbare verandering"), null=True, blank=True)

    class Meta:
        verbose_name = _("paar van metingen")
        verbose_name_plural = _("paren van metingen")
        indexes = [
            # outcomes_offer_changed(): the pairs of an offer whose type changed.
            models.Index(fields=["offer", "intervention_type"], name="outcomepair_offer_type"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["trajectory", "instrument", "scale"], name="outcomepair_one_per_scale"
            ),
            models.CheckConstraint(condition=Q(month__day=1), name="outcomepair_month_first_day"),
            models.CheckConstraint(
                condition=Q(reliable_change__isnull=True) | Q(reliable_change__in=[-1, 0, 1]),
                name="outcomepair_reliable_change_valid",
            ),
            models.CheckConstraint(
                condition=Q(start_value__isnull=False)
                | Q(start_category="", reliable_change__isnull=True),
                name="outcomepair_no_start_no_start_figures",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.trajectory_id} {self.instrument_id} {self.scale}"


class _ScopedRow(models.Model):
    """The key columns of a row of sums: a scope and exactly the columns that scope names.

    The organisation and intervention type have no index of their own: the composite indexes
    of each model start with them.
    """

    scope = models.CharField(_("niveau"), max_length=5, choices=Scope.choices)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("aanbod"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    intervention_type = models.ForeignKey(
        "vocabulary.Concept",
        verbose_name=_("soort interventie"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
    )
    month = models.DateField(_("maand"))
    instrument = models.ForeignKey(
        "instruments.Instrument",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    scale = models.CharField(_("schaal"), max_length=50)

    class Meta:
        abstract = True


def _scope_constraints(prefix: str, extra: list[str]) -> list[models.BaseConstraint]:
    """A scope's key columns set exactly as it says, and one row per key in each scope."""
    return [
        models.CheckConstraint(condition=Q(scope__in=Scope.values), name=f"{prefix}_scope_valid"),
        models.CheckConstraint(
            condition=_OFFER_KEY | _TYPE_KEY | _ALL_KEY, name=f"{prefix}_scope_keys"
        ),
        models.CheckConstraint(condition=Q(month__day=1), name=f"{prefix}_month_first_day"),
        models.UniqueConstraint(
            fields=["offer", "month", "instrument", "scale", *extra],
            condition=Q(scope=Scope.OFFER),
            name=f"{prefix}_offer_key",
        ),
        models.UniqueConstraint(
            fields=["intervention_type", "month", "instrument", "scale", *extra],
            condition=Q(scope=Scope.INTERVENTION_TYPE),
            name=f"{prefix}_type_key",
        ),
        models.UniqueConstraint(
            fields=["month", "instrument", "scale", *extra],
            condition=Q(scope=Scope.ALL),
            name=f"{prefix}_all_key",
        ),
    ]


class OutcomeSums(_ScopedRow):
    """Sufficient statistics of the pairs of one scope, month, instrument and scale.

    ``x1`` is the start value, ``x2`` the end value, ``d = x2 − x1``; for GAS the start is the
    expected outcome (``GAS_EXPECTED_T``). A row whose ``n`` falls to 0 is deleted.
    """

    n = models.PositiveIntegerField(_("aantal paren"))
    sum_x1 = models.FloatField()
    sum_x1_sq = models.FloatField()
    sum_x2 = models.FloatField()
    sum_x2_sq = models.FloatField()
    sum_d = models.FloatField()
    sum_d_sq = models.FloatField()
    improved = models.PositiveIntegerField(_("betrouwbaar verbeterd"))
    deteriorated = models.PositiveIntegerField(_("betrouwbaar verslechterd"))

    class Meta:
        verbose_name = _("som van uitkomsten")
        verbose_name_plural = _("sommen van uitkomsten")
        indexes = [
            # A selection by organisation: its offer rows, by period.
            models.Index(fields=["organisation", "month"], name="outcomesums_org_month"),
            # An intervention type's rows, and those of all (type and organisation null):
            # SQLite cannot match a bound scope to the partial unique indexes.
            models.Index(
                fields=["intervention_type", "organisation", "month"],
                name="outcomesums_type_org_month",
            ),
            # Rows that fell to n = 0 wait here, for the moment, to be deleted: empty otherwise.
            models.Index(fields=["scope"], condition=Q(n=0), name="outcomesums_empty"),
        ]
        constraints = [
            *_scope_constraints("outcomesums", []),
            models.CheckConstraint(
                condition=Q(improved__gte=0, deteriorated__gte=0)
                & Q(improved__lte=models.F("n") - models.F("deteriorated")),
                name="outcomesums_changes_within_n",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.month:%Y-%m} {self.instrument_id} {self.scale} n={self.n}"


class CategoryMoves(_ScopedRow):
    """How many pairs went from one category to another (GAS: from "" to its end category)."""

    from_category = models.CharField(_("van categorie"), max_length=50, blank=True)
    to_category = models.CharField(_("naar categorie"), max_length=50)
    count = models.PositiveIntegerField(_("aantal"))

    class Meta:
        verbose_name = _("verschuiving tussen categorieën")
        verbose_name_plural = _("verschuivingen tussen categorieën")
        indexes = [
            models.Index(fields=["organisation", "month"], name="categorymoves_org_month"),
            models.Index(
                fields=["intervention_type", "organisation", "month"],
                name="categorymoves_type_org_month",
            ),
            models.Index(fields=["scope"], condition=Q(count=0), name="categorymoves_empty"),
        ]
        constraints = [
            *_scope_constraints("categorymoves", ["from_category", "to_category"]),
            models.CheckConstraint(condition=~Q(to_category=""), name="categorymoves_has_to"),
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.month:%Y-%m} {self.from_category}→{self.to_category}"
