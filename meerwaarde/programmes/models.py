"""Multi-year programmes and their results chains (issue 5, item 3).

Skeleton: the programmes work fills in the results chain, indicators, targets and values.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.models import TimeStampedModel


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
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gt=F("start_year")), name="programme_several_years"
            ),
            models.CheckConstraint(
                condition=Q(start_year__gte=2000, end_year__lte=2100),
                name="programme_years_plausible",
            ),
        ]

    def __str__(self) -> str:
        return self.name
