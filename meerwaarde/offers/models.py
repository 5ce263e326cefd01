import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.models import TimeStampedModel
from meerwaarde.offers.constants import (
    EVIDENCE_VALID_YEARS,
    SERVICE_AREA_REACH_KM,
    SHELTER_CONCEPT_CODES,
    Access,
    Accessibility,
    Cost,
    EvidenceLevel,
    OfferStatus,
    ServiceArea,
)


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    # The 31st of a short month falls back to its last day.
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def confirmation_cutoffs(today: datetime.date | None = None) -> tuple[datetime.date, datetime.date]:
    """(warn_before, hide_before): offers last confirmed before these dates are flagged / hidden."""
    today = today or timezone.localdate()
    return (
        _add_months(today, -settings.OFFER_CONFIRM_WARN_MONTHS),
        _add_months(today, -settings.OFFER_CONFIRM_HIDE_MONTHS),
    )


class OfferQuerySet(models.QuerySet["Offer"]):
    def public(self, today: datetime.date | None = None) -> "OfferQuerySet":
        """What the public directory shows: active and confirmed recently enough."""
        _warn, hide_before = confirmation_cutoffs(today)
        return self.filter(status=OfferStatus.ACTIVE, last_confirmed_on__gte=hide_before)


class Offer(TimeStampedModel):
    """An offer (aanbod) of an organisation, as the sociale kaart shows it."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="offers",
    )
    name = models.CharField(_("naam bij de organisatie"), max_length=200)
    intervention_type = models.ForeignKey(
        "vocabulary.Concept",
        verbose_name=_("soort interventie"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    description = models.TextField(_("beschrijving"), max_length=4000)
    themes = models.ManyToManyField(
        "vocabulary.Concept", verbose_name=_("thema's"), related_name="+", blank=True
    )
    target_groups = models.ManyToManyField(
        "vocabulary.Concept", verbose_name=_("doelgroepen"), related_name="+", blank=True
    )
    working_elements = models.ManyToManyField(
        "vocabulary.Concept", verbose_name=_("werkzame elementen"), related_name="+", blank=True
    )
    age_min = models.PositiveSmallIntegerField(_("leeftijd vanaf"), null=True, blank=True)
    age_max = models.PositiveSmallIntegerField(_("leeftijd tot en met"), null=True, blank=True)
    service_area = models.CharField(
        _("waar"), max_length=20, choices=ServiceArea.choices, default=ServiceArea.LOCATIONS
    )
    cost = models.CharField(_("kosten"), max_length=20, choices=Cost.choices, default=Cost.FREE)
    cost_amount = models.DecimalField(
        _("bedrag in euro"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    cost_note = models.CharField(_("toelichting op de kosten"), max_length=200, blank=True)
    access = models.CharField(
        _("toegang"), max_length=20, choices=Access.choices, default=Access.WALK_IN
    )
    referral_note = models.CharField(_("wie kan verwijzen"), max_length=300, blank=True)
    sign_up = models.TextField(_("zo meldt u zich aan"), max_length=1000, blank=True)
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    schedule = models.TextField(_("openingstijden of rooster"), max_length=1000, blank=True)
    languages = models.JSONField(_("talen"), default=list, blank=True)
    accessibility = models.CharField(
        _("fysieke toegankelijkheid"),
        max_length=20,
        choices=Accessibility.choices,
        default=Accessibility.UNKNOWN,
    )
    accessibility_note = models.CharField(
        _("toelichting op de toegankelijkheid"), max_length=300, blank=True
    )
    evidence_level = models.CharField(
        _("erkenning (Movisie/NJi)"),
        max_length=20,
        choices=EvidenceLevel.choices,
        default=EvidenceLevel.NONE,
    )
    evidence_assessed_on = models.DateField(_("datum van beoordeling"), null=True, blank=True)
    last_confirmed_on = models.DateField(_("laatst bevestigd op"), default=timezone.localdate)
    status = models.CharField(
        _("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.ACTIVE
    )
    places_available = models.PositiveSmallIntegerField(_("vrije plaatsen"), null=True, blank=True)
    places_updated_at = models.DateTimeField(
        _("vrije plaatsen bijgewerkt op"), null=True, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevoerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("aanbod")
        verbose_name_plural = _("aanbod")
        ordering = ["name"]
        indexes = [models.Index(fields=["status", "last_confirmed_on"], name="offer_public_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=OfferStatus.values), name="offer_status_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(service_area__in=ServiceArea.values),
                name="offer_service_area_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(cost__in=Cost.values), name="offer_cost_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(access__in=Access.values), name="offer_access_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(accessibility__in=Accessibility.values),
                name="offer_accessibility_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(evidence_level__in=EvidenceLevel.values),
                name="offer_evidence_level_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(age_min__isnull=True)
                | models.Q(age_max__isnull=True)
                | models.Q(age_min__lte=models.F("age_max")),
                name="offer_age_range_ordered",
            ),
            models.CheckConstraint(
                condition=(models.Q(age_min__isnull=True) | models.Q(age_min__lte=120))
                & (models.Q(age_max__isnull=True) | models.Q(age_max__lte=120)),
                name="offer_age_at_most_120",
            ),
            models.CheckConstraint(
                condition=~models.Q(cost=Cost.FREE) | models.Q(cost_amount__isnull=True),
                name="offer_free_has_no_amount",
            ),
            models.CheckConstraint(
                condition=models.Q(cost_amount__isnull=True) | models.Q(cost_amount__gte=0),
                name="offer_cost_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(evidence_level=EvidenceLevel.NONE)
                | models.Q(evidence_assessed_on__isnull=False),
                name="offer_evidence_has_assessment_date",
            ),
            models.CheckConstraint(
                condition=models.Q(places_available__isnull=True)
                | models.Q(places_updated_at__isnull=False),
                name="offer_places_available_has_update_time",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def reach_km(self) -> int:
        return SERVICE_AREA_REACH_KM[ServiceArea(self.service_area)]

    @property
    def evidence_expires_on(self) -> datetime.date | None:
        if self.evidence_level == EvidenceLevel.NONE or self.evidence_assessed_on is None:
            return None
        years = EVIDENCE_VALID_YEARS[EvidenceLevel(self.evidence_level)]
        return _add_months(self.evidence_assessed_on, 12 * years)

    @property
    def evidence_expired(self) -> bool:
        expires = self.evidence_expires_on
        return expires is not None and expires < timezone.localdate()

    @property
    def needs_confirmation(self) -> bool:
        """Flag to the organisation: not confirmed for the warning period (default 12 months)."""
        warn_before, _hide = confirmation_cutoffs()
        return self.last_confirmed_on < warn_before

    @property
    def hidden_for_staleness(self) -> bool:
        """Out of the public directory until confirmed (default after 18 months)."""
        _warn, hide_before = confirmation_cutoffs()
        return self.last_confirmed_on < hide_before

    @property
    def is_public(self) -> bool:
        return self.status == OfferStatus.ACTIVE and not self.hidden_for_staleness

    def confirmation_state(self, today: datetime.date | None = None) -> str:
        """ "current", "warn" (past the warning period) or "hidden" (past the hide period)."""
        warn_before, hide_before = confirmation_cutoffs(today)
        if self.last_confirmed_on < hide_before:
            return "hidden"
        return "warn" if self.last_confirmed_on < warn_before else "current"

    @property
    def is_shelter(self) -> bool:
        """A shelter (opvang) by its intervention type or a theme: only those show free places.

        Reads ``themes.all()``, so a prefetched list costs no query.
        """
        if self.intervention_type.code in SHELTER_CONCEPT_CODES:
            return True
        return self.pk is not None and any(
            theme.code in SHELTER_CONCEPT_CODES for theme in self.themes.all()
        )


class OfferLocation(models.Model):
    """A place where the offer is given (or, for an area offer, a place it serves)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="locations")
    place = models.ForeignKey(
        "places.Place", verbose_name=_("plaats"), on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("naam van de locatie"), max_length=200, blank=True)
    address = models.CharField(_("adres"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    # Copied from the place unless the location has its own, more precise, coordinates.
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("locatie")
        verbose_name_plural = _("locaties")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["latitude", "longitude"], name="offerlocation_coords_idx")]
        constraints = [
            # Roughly the Netherlands with the Caribbean parts left out: a guard against
            # swapped coordinates, not a border.
            models.CheckConstraint(
                condition=models.Q(latitude__gte=50.5, latitude__lte=53.8),
                name="offerlocation_latitude_in_nl",
            ),
            models.CheckConstraint(
                condition=models.Q(longitude__gte=3.2, longitude__lte=7.3),
                name="offerlocation_longitude_in_nl",
            ),
        ]

    def __str__(self) -> str:
        return self.name or str(self.place)
