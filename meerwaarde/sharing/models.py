"""Sharing figures outside the organisation (issue 5, items 5 and 6).

A grant lets a partner organisation see one thing until an end date: the owner's dashboard
(with fixed filters), one report, or one programme. What a partner sees is always bundled and
suppressed (``meerwaarde.bundling.suppression``); participant-level data are never shared. A
public impact page is opt-in. API tokens let a partner's systems read what the partner may see.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.models import TimeStampedModel
from meerwaarde.sharing.constants import GrantStatus


class GrantKind(models.TextChoices):
    DASHBOARD = "dashboard", _("Resultaten (dashboard)")
    REPORT = "report", _("Verantwoording")
    PROGRAMME = "programme", _("Programma")


class AccessGrant(TimeStampedModel):
    """``organisation`` lets ``partner`` see a dashboard, report or programme until ``ends_on``."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("gedeeld door"),
        on_delete=models.CASCADE,
        related_name="grants_given",
    )
    partner = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("partner"),
        on_delete=models.CASCADE,
        related_name="grants_received",
    )
    kind = models.CharField(_("wat"), max_length=10, choices=GrantKind.choices)
    report = models.ForeignKey(
        "reports.Report",
        verbose_name=_("verantwoording"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grants",
    )
    programme = models.ForeignKey(
        "programmes.Programme",
        verbose_name=_("programma"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="grants",
    )
    # The dashboard's filters, as its form takes them (offer, intervention type, theme,
    # target group, period); empty is the whole organisation.
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    ends_on = models.DateField(_("tot en met"))
    note = models.CharField(_("toelichting"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gedeeld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)

    class Meta:
        verbose_name = _("toegang voor een partner")
        verbose_name_plural = _("toegang voor partners")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["partner", "ends_on"], name="accessgrant_partner_end")]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=GrantKind.values), name="accessgrant_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(partner=F("organisation")), name="accessgrant_partner_not_self"
            ),
            models.CheckConstraint(
                condition=(
                    Q(kind=GrantKind.DASHBOARD, report__isnull=True, programme__isnull=True)
                    | Q(kind=GrantKind.REPORT, report__isnull=False, programme__isnull=True)
                    | Q(kind=GrantKind.PROGRAMME, report__isnull=True, programme__isnull=False)
                ),
                name="accessgrant_kind_matches_object",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.partner_id} ({self.kind})"

    def status(self, today: datetime.date) -> GrantStatus:
        if self.revoked_at is not None:
            return GrantStatus.REVOKED
        if self.ends_on < today:
            return GrantStatus.ENDED
        return GrantStatus.ACTIVE

    @property
    def subject(self) -> str:
        """What is shared, in words: the report's title, the programme's name or the dashboard."""
        if self.kind == GrantKind.REPORT and self.report is not None:
            return self.report.title
        if self.kind == GrantKind.PROGRAMME and self.programme is not None:
            return self.programme.name
        return str(_("Resultaten (dashboard)"))


class ImpactPage(TimeStampedModel):
    """An organisation's public impact page: off until it opts in, with its chosen figures."""

    organisation = models.OneToOneField(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="impact_page",
    )
    is_published = models.BooleanField(_("gepubliceerd"), default=False)
    introduction = models.TextField(_("inleiding"), max_length=2000, blank=True)
    # Which parts of the (suppressed) figures appear, e.g. ["activiteit", "uitkomsten"].
    sections = models.JSONField(_("onderdelen"), default=list, blank=True)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    published_at = models.DateTimeField(_("gepubliceerd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("impactpagina")
        verbose_name_plural = _("impactpagina's")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="impactpage_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return str(self.organisation)


class ApiToken(TimeStampedModel):
    """A partner's key to the API. Only a SHA-256 hash of the key is kept; the key is shown once."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("naam"), max_length=100)
    prefix = models.CharField(_("begin van de sleutel"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    expires_on = models.DateField(_("geldig tot en met"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("laatst gebruikt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ingetrokken op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("aangemaakt door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("API-sleutel")
        verbose_name_plural = _("API-sleutels")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    def status(self, today: datetime.date) -> GrantStatus:
        """Active, ended (past its last day) or revoked: the same words as a grant's."""
        if self.revoked_at is not None:
            return GrantStatus.REVOKED
        if self.expires_on is not None and self.expires_on < today:
            return GrantStatus.ENDED
        return GrantStatus.ACTIVE
