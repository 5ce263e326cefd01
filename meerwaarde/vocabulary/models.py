from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from meerwaarde.core.models import TimeStampedModel
from meerwaarde.vocabulary.constants import ConceptStatus
from meerwaarde.vocabulary.normalise import normalise

concept_code_validator = RegexValidator(
    r"^[a-z0-9]+(-[a-z0-9]+)*$",
    _("Een code bestaat uit kleine letters, cijfers en losse streepjes, zoals ‘thema-armoede’."),
    code="code_invalid",
)


class ConceptScheme(TimeStampedModel):
    """One list of the thesaurus (themes, target groups, ...); its code is part of URLs and URIs."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    label_nl = models.CharField(_("naam (Nederlands)"), max_length=120)
    label_en = models.CharField(_("naam (Engels)"), max_length=120)
    definition = models.TextField(_("omschrijving"), blank=True)
    position = models.PositiveSmallIntegerField(_("volgorde"), default=0)

    class Meta:
        verbose_name = _("begrippenlijst")
        verbose_name_plural = _("begrippenlijsten")
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label_nl


class Concept(TimeStampedModel):
    """A concept of the uniform vocabulary: a fixed code, the rest curated with history.

    Invariants live in ``clean()`` (Dutch messages per field) and, where the database can
    check them, in named constraints as well.
    """

    scheme = models.ForeignKey(
        ConceptScheme,
        verbose_name=_("begrippenlijst"),
        on_delete=models.PROTECT,
        related_name="concepts",
    )
    code = models.CharField(
        _("code"),
        max_length=80,
        unique=True,
        validators=[concept_code_validator],
        error_messages={"unique": _("Er bestaat al een begrip met deze code.")},
    )
    pref_label_nl = models.CharField(_("voorkeursterm (Nederlands)"), max_length=200)
    pref_label_en = models.CharField(_("voorkeursterm (Engels)"), max_length=200)
    synonyms = models.JSONField(_("synoniemen"), default=list, blank=True)
    definition = models.TextField(_("definitie (Nederlands)"))
    definition_en = models.TextField(_("definitie (Engels)"), blank=True)
    broader = models.ForeignKey(
        "self",
        verbose_name=_("breder begrip"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="narrower",
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ConceptStatus.choices, default=ConceptStatus.DRAFT
    )
    replaced_by = models.ForeignKey(
        "self",
        verbose_name=_("vervangen door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaces",
    )
    version = models.CharField(
        _("versie"),
        max_length=20,
        blank=True,
        help_text=_("De versie van het vocabulaire waarin dit begrip voor het laatst wijzigde."),
    )
    # Labels, synonyms and code, normalised: a portable search column (JSON text differs per
    # database and escapes accents on SQLite).
    search_text = models.TextField(editable=False, blank=True)

    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("begrip")
        verbose_name_plural = _("begrippen")
        ordering = ["scheme__position", "pref_label_nl"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=ConceptStatus.values),
                name="concept_status_valid",
                violation_error_message=_("Kies een geldige status."),
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(status=ConceptStatus.DEPRECATED, replaced_by__isnull=False)
                    | (
                        ~models.Q(status=ConceptStatus.DEPRECATED)
                        & models.Q(replaced_by__isnull=True)
                    )
                ),
                name="concept_deprecated_has_replacement",
                violation_error_message=_(
                    "Een vervallen begrip heeft een vervanger, en alleen een vervallen begrip."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(broader=models.F("pk")),
                name="concept_not_broader_of_itself",
                violation_error_message=_("Een begrip kan niet breder zijn dan zichzelf."),
            ),
            models.CheckConstraint(
                condition=~models.Q(replaced_by=models.F("pk")),
                name="concept_not_replaced_by_itself",
                violation_error_message=_("Een begrip kan zichzelf niet vervangen."),
            ),
        ]

    def __str__(self) -> str:
        return self.pref_label_nl

    @property
    def is_deprecated(self) -> bool:
        return self.status == ConceptStatus.DEPRECATED

    @property
    def is_draft(self) -> bool:
        return self.status == ConceptStatus.DRAFT

    def ancestors(self) -> list["Concept"]:
        """Broader, broader's broader, ...; one query per level (hierarchies are shallow)."""
        chain, seen, node = [], {self.pk}, self.broader
        while node is not None and node.pk not in seen:
            chain.append(node)
            seen.add(node.pk)
            node = node.broader
        return chain

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.broader is not None:
            if self.scheme_id is not None and self.broader.scheme_id != self.scheme_id:
                errors["broader"] = _("Het bredere begrip moet in dezelfde begrippenlijst staan.")
            elif self._broader_makes_cycle():
                errors["broader"] = _(
                    "Dit bredere begrip valt zelf onder dit begrip; zo ontstaat een kring."
                )
        if self.status == ConceptStatus.DEPRECATED:
            replacement = self.replaced_by
            if replacement is None:
                errors["replaced_by"] = _("Kies het begrip dat dit vervallen begrip vervangt.")
            elif self.pk is not None and replacement.pk == self.pk:
                errors["replaced_by"] = _("Een begrip kan zichzelf niet vervangen.")
            elif replacement.status != ConceptStatus.ACCEPTED:
                errors["replaced_by"] = _("De vervanger moet een vastgesteld begrip zijn.")
            elif self.scheme_id is not None and replacement.scheme_id != self.scheme_id:
                errors["replaced_by"] = _("De vervanger moet in dezelfde begrippenlijst staan.")
        elif self.replaced_by_id is not None:
            errors["replaced_by"] = _("Alleen een vervallen begrip heeft een vervanger.")
        if errors:
            raise ValidationError(errors)

    def _broader_makes_cycle(self) -> bool:
        if self.pk is None:
            return False
        node, seen = self.broader, set()
        while node is not None and node.pk not in seen:
            if node.pk == self.pk:
                return True
            seen.add(node.pk)
            node = node.broader
        return False

    def save(self, *args, **kwargs) -> None:
        self.search_text = normalise(
            " ".join([self.code, self.pref_label_nl, self.pref_label_en, *self.synonyms])
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)


class LocalNameMapping(TimeStampedModel):
    """An organisation's own name linked to a concept ("Maatjes Zwolle" → maatjesproject).

    One mapping per normalised name per organisation, so the platform remembers the choice.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="local_name_mappings",
    )
    local_name = models.CharField(_("lokale naam"), max_length=200)
    normalised_name = models.CharField(max_length=200, editable=False)
    concept = models.ForeignKey(
        Concept, verbose_name=_("begrip"), on_delete=models.PROTECT, related_name="mappings"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gekoppeld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("koppeling van een lokale naam")
        verbose_name_plural = _("koppelingen van lokale namen")
        ordering = ["local_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "normalised_name"],
                name="mapping_unique_local_name_per_organisation",
                violation_error_message=_("Deze lokale naam is al gekoppeld."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_name} → {self.concept}"

    def save(self, *args, **kwargs) -> None:
        self.normalised_name = normalise(self.local_name)
        super().save(*args, **kwargs)
