from django.db import models
from django.utils.translation import gettext_lazy as _

from meerwaarde.places.constants import Province


class Place(models.Model):
    """A Dutch place from GeoNames (CC BY 4.0), loaded by ``load_places``; not tenant data."""

    geonameid = models.PositiveIntegerField(_("GeoNames-id"), unique=True)
    name = models.CharField(_("naam"), max_length=120)
    search_name = models.CharField(max_length=120, db_index=True, editable=False)
    aliases = models.TextField(
        _("andere namen"),
        blank=True,
        editable=False,
        help_text=_("Genormaliseerd, gescheiden door |."),
    )
    province = models.CharField(_("provincie"), max_length=2, choices=Province.choices)
    latitude = models.FloatField(_("breedtegraad"))
    longitude = models.FloatField(_("lengtegraad"))
    population = models.PositiveIntegerField(_("inwoners"), default=0)

    class Meta:
        verbose_name = _("plaats")
        verbose_name_plural = _("plaatsen")
        ordering = ["name", "province"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(latitude__gte=50.5, latitude__lte=53.8)
                & models.Q(longitude__gte=3.2, longitude__lte=7.3),
                name="place_within_netherlands",
            ),
            models.CheckConstraint(
                condition=models.Q(province__in=Province.values), name="place_province_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def label(self) -> str:
        """Name with province, which tells apart the places that share a name."""
        return f"{self.name} ({self.get_province_display()})"
