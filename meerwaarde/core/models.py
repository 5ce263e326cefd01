from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for every domain model: when a row was made and last changed."""

    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        abstract = True


class Generation(models.Model):
    """A stamp that a family of stored figures changes with every change to them, in the
    same transaction: a reader may keep what it computed from them for as long as the stamp
    stays the same (``core.generations``)."""

    name = models.CharField(_("naam"), max_length=40, primary_key=True)
    value = models.PositiveBigIntegerField(_("waarde"), default=0)

    class Meta:
        verbose_name = _("generatie")
        verbose_name_plural = _("generaties")

    def __str__(self) -> str:
        return f"{self.name} {self.value}"
