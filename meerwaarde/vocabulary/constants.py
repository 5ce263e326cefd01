from django.db import models
from django.utils.translation import gettext_lazy as _


class ConceptStatus(models.TextChoices):
    """Where a concept stands in curation; only accepted concepts are published and mappable."""

    DRAFT = "draft", _("Concept")
    ACCEPTED = "accepted", _("Vastgesteld")
    DEPRECATED = "deprecated", _("Vervallen")
