"""What an organisation taught the import, remembered for its next file.

``ColumnMapping``: a column header of its files → one of the import's fields. ``ConceptMapping``:
a local name in its files → a concept of the uniform vocabulary (themes, target groups,
intervention types), or, under the scheme ``OFFERS_SCHEME``, → one of its own offers.
Names are compared normalised (trimmed, spaces collapsed, case-folded), as the engine reads them.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.models import TimeStampedModel

from .fields import ImportKind

# Not a vocabulary scheme: the local names of the organisation's own offers.
OFFERS_SCHEME = "offers"


def normalise_name(text: str) -> str:
    return " ".join((text or "").split()).casefold()


class ColumnMapping(TimeStampedModel):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="import_column_mappings",
    )
    kind = models.CharField(_("soort import"), max_length=20, choices=ImportKind.choices)
    source_column = models.CharField(_("kolom in het bestand"), max_length=200)
    field = models.CharField(_("veld"), max_length=100)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gekoppeld door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("koppeling van een kolom")
        verbose_name_plural = _("koppelingen van kolommen")
        ordering = ["kind", "source_column"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "kind", "source_column"],
                name="columnmapping_unique_source_per_kind",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=ImportKind.values), name="columnmapping_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(source_column="") & ~models.Q(field=""),
                name="columnmapping_not_empty",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source_column} → {self.field}"


class ConceptMapping(TimeStampedModel):
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="import_concept_mappings",
    )
    # A vocabulary scheme code ("themes", "target_groups", "intervention_types") or OFFERS_SCHEME.
    scheme = models.CharField(_("lijst"), max_length=50)
    local_name = models.CharField(_("eigen naam"), max_length=200)
    normalised_name = models.CharField(max_length=200, editable=False)
    concept = models.ForeignKey(
        "vocabulary.Concept",
        verbose_name=_("begrip"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("aanbod"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
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
        verbose_name = _("koppeling van een eigen naam")
        verbose_name_plural = _("koppelingen van eigen namen")
        ordering = ["scheme", "local_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "scheme", "normalised_name"],
                name="conceptmapping_unique_name_per_scheme",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(scheme=OFFERS_SCHEME, offer__isnull=False, concept__isnull=True)
                    | (
                        ~models.Q(scheme=OFFERS_SCHEME)
                        & models.Q(offer__isnull=True, concept__isnull=False)
                    )
                ),
                name="conceptmapping_offer_or_concept",
            ),
            models.CheckConstraint(
                condition=~models.Q(normalised_name=""), name="conceptmapping_name_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_name} → {self.offer or self.concept}"

    def save(self, *args, **kwargs) -> None:
        self.normalised_name = normalise_name(self.local_name)
        super().save(*args, **kwargs)


class UploadStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Opgeladen")
    MAPPED = "mapped", _("Kolommen gekoppeld")
    IMPORTING = "importing", _("Wordt ingelezen")
    FINISHED = "finished", _("Afgelopen")


class OnErrorChoice(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("Alles of niets")
    SKIP = "skip", _("Sla foute rijen over")


class ImportUpload(TimeStampedModel):
    """A file on its way through the guided import: stored until its import job ends.

    The file holds client references, so it lives only under ``stored_path`` (MEDIA_ROOT
    relative) while it is needed; ``stored_path`` is blanked once the file is deleted.
    """

    uuid = models.UUIDField(unique=True, editable=False)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="import_uploads",
    )
    kind = models.CharField(_("soort import"), max_length=20, choices=ImportKind.choices)
    original_name = models.CharField(_("bestandsnaam"), max_length=255)
    stored_path = models.CharField(_("opgeslagen als"), max_length=300, blank=True)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField(_("grootte in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opgeladen door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    column_map = models.JSONField(_("koppeling van de kolommen"), default=dict, blank=True)
    on_error = models.CharField(
        _("bij fouten"),
        max_length=20,
        choices=OnErrorChoice.choices,
        default=OnErrorChoice.ALL_OR_NOTHING,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=UploadStatus.choices, default=UploadStatus.UPLOADED
    )
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("taak"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("opgeladen importbestand")
        verbose_name_plural = _("opgeladen importbestanden")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=ImportKind.values), name="importupload_kind_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(on_error__in=OnErrorChoice.values),
                name="importupload_on_error_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=UploadStatus.values),
                name="importupload_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name
