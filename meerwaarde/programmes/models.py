"""Multi-year programmes and their results chains (issue 5, item 3).

A programme belongs to one organisation and runs with partners over several years. Its results
chain has nodes at five levels (input → activity → output → outcome → impact); each node has
an indicator with a baseline and a target per year, and takes its actual value from the
owner's data (activity counts or outcome figures of chosen offers or intervention types) or,
where no data exist, from a value typed in with its source. Rules that span rows (a link goes
to a higher level, the offers are the owner's) live in ``services``; the rest are named
constraints here.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.models import TimeStampedModel
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.places.constants import Province
from meerwaarde.programmes.constants import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_YEARS,
    ActivityMeasure,
    DataSource,
    Direction,
    Level,
    OutcomeStatistic,
)


class Programme(TimeStampedModel):
    """A programme of several years, owned by one organisation, run with partners."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("eigenaar"),
        on_delete=models.CASCADE,
        related_name="programmes",
    )
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("beschrijving"), max_length=2000, blank=True)
    start_year = models.PositiveSmallIntegerField(_("eerste jaar"))
    end_year = models.PositiveSmallIntegerField(_("laatste jaar"))
    places = models.ManyToManyField(
        "places.Place", verbose_name=_("gemeenten"), related_name="+", blank=True
    )
    province = models.CharField(_("provincie"), max_length=2, choices=Province.choices, blank=True)
    themes = models.ManyToManyField(
        "vocabulary.Concept", verbose_name=_("thema's"), related_name="+", blank=True
    )
    target_groups = models.ManyToManyField(
        "vocabulary.Concept", verbose_name=_("doelgroepen"), related_name="+", blank=True
    )
    # Public: anyone may see the programme and its (suppressed) progress, also in the API.
    is_public = models.BooleanField(_("openbaar"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("programma")
        verbose_name_plural = _("programma's")
        ordering = ["-start_year", "name"]
        indexes = [models.Index(fields=["is_public"], name="programme_public")]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gt=F("start_year")), name="programme_several_years"
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=FIRST_YEAR, end_year__lte=LAST_YEAR),
                name="programme_years_plausible",
            ),
            models.CheckConstraint(
                condition=Q(end_year__lte=F("start_year") + (MAX_YEARS - 1)),
                name="programme_at_most_ten_years",
            ),
            models.CheckConstraint(
                condition=Q(province="") | Q(province__in=Province.values),
                name="programme_province_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def years(self) -> list[int]:
        return list(range(self.start_year, self.end_year + 1))


class ProgrammePartner(models.Model):
    """A partner in the programme: an organisation on the platform, or one by name only.

    Being a partner shows the name on the programme page; seeing its progress takes an access
    grant (``sharing``), made separately.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.CASCADE, related_name="partners"
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie op het platform"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_partnerships",
    )
    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort partner"), max_length=20, choices=OrganisationKind.choices)
    role = models.CharField(_("rol in het programma"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("partner in een programma")
        verbose_name_plural = _("partners in een programma")
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "name"], name="programmepartner_name_once"
            ),
            models.UniqueConstraint(
                fields=["programme", "organisation"],
                condition=Q(organisation__isnull=False),
                name="programmepartner_organisation_once",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=OrganisationKind.values), name="programmepartner_kind_valid"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="programmepartner_name_required"),
        ]

    def __str__(self) -> str:
        return self.name


_ACTIVITY_BINDING = Q(
    source=DataSource.ACTIVITY,
    activity_measure__in=ActivityMeasure.values,
    instrument__isnull=True,
    scale="",
    statistic="",
)
_OUTCOME_BINDING = Q(
    source=DataSource.OUTCOME,
    activity_measure="",
    instrument__isnull=False,
    statistic__in=OutcomeStatistic.values,
) & ~Q(scale="")
_MANUAL_BINDING = Q(
    source=DataSource.MANUAL, activity_measure="", instrument__isnull=True, scale="", statistic=""
)


class ResultNode(TimeStampedModel):
    """One step of the results chain with its indicator, baseline and data source."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programma"), on_delete=models.CASCADE, related_name="nodes"
    )
    level = models.CharField(_("niveau"), max_length=10, choices=Level.choices)
    title = models.CharField(_("titel"), max_length=200)
    indicator = models.TextField(_("indicator"), max_length=1000)
    unit = models.CharField(_("eenheid"), max_length=40, blank=True)
    direction = models.CharField(
        _("richting"), max_length=6, choices=Direction.choices, default=Direction.HIGHER
    )
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)
    leads_to = models.ManyToManyField(
        "self",
        verbose_name=_("leidt tot"),
        symmetrical=False,
        through="ResultLink",
        related_name="comes_from",
        blank=True,
    )
    baseline_value = models.DecimalField(
        _("nulmeting"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField(
        _("jaar van de nulmeting"), null=True, blank=True
    )
    source = models.CharField(
        _("gegevensbron"), max_length=10, choices=DataSource.choices, default=DataSource.MANUAL
    )
    # Activity: which count, summed over the offers below.
    activity_measure = models.CharField(
        _("telling"), max_length=30, choices=ActivityMeasure.choices, blank=True
    )
    # Outcome: which figure of which instrument scale, over the offers below.
    instrument = models.ForeignKey(
        "instruments.Instrument",
        verbose_name=_("meetinstrument"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    scale = models.CharField(_("schaal"), max_length=40, blank=True)
    statistic = models.CharField(
        _("cijfer"), max_length=20, choices=OutcomeStatistic.choices, blank=True
    )
    # The owner's offers the data come from: these, and those of these intervention types;
    # neither chosen is all of the owner's offers.
    offers = models.ManyToManyField(
        "offers.Offer", verbose_name=_("aanbod"), related_name="+", blank=True
    )
    intervention_types = models.ManyToManyField(
        "vocabulary.Concept", verbose_name=_("soorten interventie"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("stap in de resultatenketen")
        verbose_name_plural = _("stappen in de resultatenketen")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="resultnode_level_valid"
            ),
            models.CheckConstraint(
                condition=Q(direction__in=Direction.values), name="resultnode_direction_valid"
            ),
            models.CheckConstraint(
                condition=_ACTIVITY_BINDING | _OUTCOME_BINDING | _MANUAL_BINDING,
                name="resultnode_binding_matches_source",
            ),
            models.CheckConstraint(
                condition=Q(baseline_value__isnull=True, baseline_year__isnull=True)
                | Q(
                    # isnull too: a CHECK passes when its comparison with NULL is unknown.
                    baseline_value__isnull=False,
                    baseline_year__isnull=False,
                    baseline_year__gte=FIRST_YEAR,
                    baseline_year__lte=LAST_YEAR,
                ),
                name="resultnode_baseline_complete",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ResultLink(models.Model):
    """``source`` leads to ``target``, a node at a higher level of the same programme."""

    source = models.ForeignKey(ResultNode, on_delete=models.CASCADE, related_name="links_out")
    target = models.ForeignKey(ResultNode, on_delete=models.CASCADE, related_name="links_in")

    class Meta:
        verbose_name = _("verband in de resultatenketen")
        verbose_name_plural = _("verbanden in de resultatenketen")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="resultlink_once"),
            models.CheckConstraint(condition=~Q(source=F("target")), name="resultlink_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id} → {self.target_id}"


class NodeTarget(models.Model):
    """The target of a node's indicator for one year of the programme."""

    node = models.ForeignKey(
        ResultNode, verbose_name=_("stap"), on_delete=models.CASCADE, related_name="targets"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    value = models.DecimalField(_("doel"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("doel per jaar")
        verbose_name_plural = _("doelen per jaar")
        ordering = ["node", "year"]
        constraints = [
            models.UniqueConstraint(fields=["node", "year"], name="nodetarget_one_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="nodetarget_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.year}: {self.value}"


class ManualValue(models.Model):
    """A value typed in for one year where no data source exists, always with its source."""

    node = models.ForeignKey(
        ResultNode, verbose_name=_("stap"), on_delete=models.CASCADE, related_name="manual_values"
    )
    year = models.PositiveSmallIntegerField(_("jaar"))
    value = models.DecimalField(_("waarde"), max_digits=14, decimal_places=2)
    source = models.CharField(_("bron"), max_length=300)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevuld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    entered_at = models.DateTimeField(_("ingevuld op"), default=timezone.now)

    class Meta:
        verbose_name = _("ingevulde waarde")
        verbose_name_plural = _("ingevulde waarden")
        ordering = ["node", "year"]
        constraints = [
            models.UniqueConstraint(fields=["node", "year"], name="manualvalue_one_per_year"),
            models.CheckConstraint(condition=~Q(source=""), name="manualvalue_source_required"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="manualvalue_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.node_id} {self.year}: {self.value}"
