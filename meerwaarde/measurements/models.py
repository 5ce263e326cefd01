"""Measurements: the answers to one instrument at one moment of a trajectory, and their scores.

Append-only (CONVENTIONS 9): a correction is a new row with ``version + 1`` that ``supersedes``
the old one, whose ``is_current`` becomes False; nothing else of a stored row ever changes and
no row is deleted on its own (only with its trajectory, when a participant is erased). There is
deliberately no free-text field: a remark about a measurement is a remark about a person.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from meerwaarde.measurements.constants import SINGLE_MOMENTS, Moment


class Measurement(models.Model):
    """One version of one measurement; ``answers`` as posted (strings), ``scores`` as computed.

    ``scores`` is ``{scale code: {"value": float | None, "category": str}}``. The instrument row
    fixes the instrument's version (ZRM 2013 and 2017 are different rows). For Goal Attainment
    Scaling the answers are keyed by goal id (as text).
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    trajectory = models.ForeignKey(
        "participants.Trajectory",
        verbose_name=_("traject"),
        on_delete=models.CASCADE,
        related_name="measurements",
    )
    # PROTECT: an instrument that was used is deactivated, never deleted (instruments.models).
    instrument = models.ForeignKey(
        "instruments.Instrument",
        verbose_name=_("instrument"),
        on_delete=models.PROTECT,
        related_name="measurements",
    )
    moment = models.CharField(_("moment"), max_length=20, choices=Moment.choices)
    measured_on = models.DateField(_("datum van de meting"))
    answers = models.JSONField(_("antwoorden"), default=dict)
    scores = models.JSONField(_("scores"), default=dict)
    version = models.PositiveIntegerField(_("versie"), default=1)
    # RESTRICT: an old version cannot go on its own, but goes with its trajectory (whose
    # cascade also takes the version that supersedes it).
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("vervangt"),
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="superseded_by",
    )
    is_current = models.BooleanField(_("huidige versie"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevoerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ingevoerd op"), auto_now_add=True)

    class Meta:
        verbose_name = _("meting")
        verbose_name_plural = _("metingen")
        ordering = ["measured_on", "pk"]
        indexes = [
            models.Index(
                fields=["organisation", "instrument", "moment"],
                condition=models.Q(is_current=True),
                name="measurement_current_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(moment__in=Moment.values), name="measurement_moment_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(version__gte=1), name="measurement_version_at_least_1"
            ),
            models.CheckConstraint(
                condition=models.Q(version=1, supersedes__isnull=True)
                | models.Q(version__gt=1, supersedes__isnull=False),
                name="measurement_correction_supersedes",
            ),
            models.UniqueConstraint(fields=["supersedes"], name="measurement_superseded_once"),
            models.UniqueConstraint(
                fields=["trajectory", "instrument", "moment"],
                condition=models.Q(is_current=True, moment__in=SINGLE_MOMENTS),
                name="measurement_one_current_intake_or_end",
            ),
            models.UniqueConstraint(
                fields=["trajectory", "instrument", "moment", "measured_on"],
                condition=models.Q(is_current=True),
                name="measurement_one_current_per_moment_and_date",
            ),
        ]

    def __str__(self) -> str:
        return _("%(moment)s %(instrument)s op %(date)s (versie %(version)s)") % {
            "moment": self.get_moment_display(),
            "instrument": self.instrument,
            "date": self.measured_on.strftime("%d-%m-%Y"),
            "version": self.version,
        }

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The one change a stored row may get is losing is_current to its correction.
        if self.pk is not None and list(kwargs.get("update_fields") or []) != ["is_current"]:
            raise ValueError("Measurements are append-only: correct one with a new version.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("Measurements are append-only; they go only with their trajectory.")
