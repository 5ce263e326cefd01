from functools import cached_property

from django.db import models
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.models import TimeStampedModel
from meerwaarde.instruments.definition import InstrumentDefinition, parse_definition

# Parsing checks the schema and costs a few milliseconds; a list of measurements would pay
# that per row. A stored definition only changes through save(), which moves updated_at.
_PARSED: dict[tuple[int, object], InstrumentDefinition] = {}
_PARSED_MAX = 256


class Instrument(TimeStampedModel):
    """A measuring instrument in one version: shipped (no organisation) or an organisation's own.

    ``definition`` holds the definition as data; measurements point at this row, so a
    definition that was used is never edited, only replaced by a new version.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="instruments",
        help_text=_("Leeg bij de instrumenten die met Meerwaarde worden meegeleverd."),
    )
    code = models.CharField(_("code"), max_length=50)
    version = models.CharField(_("versie"), max_length=20)
    name = models.CharField(_("naam"), max_length=200)
    definition = models.JSONField(_("definitie"))
    is_active = models.BooleanField(_("actief"), default=True)

    class Meta:
        verbose_name = _("meetinstrument")
        verbose_name_plural = _("meetinstrumenten")
        ordering = ["name", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "version"],
                condition=models.Q(organisation__isnull=True),
                name="instrument_shipped_code_version_unique",
            ),
            models.UniqueConstraint(
                fields=["organisation", "code", "version"],
                condition=models.Q(organisation__isnull=False),
                name="instrument_org_code_version_unique",
            ),
            models.CheckConstraint(condition=~models.Q(code=""), name="instrument_code_not_empty"),
            models.CheckConstraint(
                condition=~models.Q(version=""), name="instrument_version_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def is_shipped(self) -> bool:
        return self.organisation_id is None

    @cached_property
    def parsed(self) -> InstrumentDefinition:
        """The definition as dataclasses; checked when it was stored, so parsing succeeds.

        Own instruments were checked against the curated domains of their day; a domain
        retired since must not make an old instrument unreadable, so none is checked here.
        """
        key = (self.pk, self.updated_at)
        if self.pk is not None and key in _PARSED:
            return _PARSED[key]
        domains = {scale["domain"] for scale in self.definition.get("scales", [])}
        parsed = parse_definition(self.definition, domains=domains)
        if self.pk is not None:
            if len(_PARSED) >= _PARSED_MAX:
                _PARSED.clear()
            _PARSED[key] = parsed
        return parsed
