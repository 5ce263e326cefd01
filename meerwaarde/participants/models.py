"""Participants (pseudonyms with a few coarse attributes), their trajectories, GAS goals, and
the audit log of who saw or changed participant-level data.

Nothing here can hold a name, a BSN, an address, a client reference or free text about a person
(DESIGN.md section 4): every attribute is a choice, a concept or a date.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import Exact
from django.utils.translation import gettext_lazy as _

from meerwaarde.core.models import TimeStampedModel
from meerwaarde.participants.constants import AgeBand, AuditAction, Gender, TrajectoryStatus

postcode4_validator = RegexValidator(
    r"^[1-9][0-9]{3}$",
    _("Vul alleen de vier cijfers van de postcode in, zoals 8011."),
    code="invalid_postcode4",
)
pseudonym_validator = RegexValidator(r"^[0-9a-f]{64}$", code="invalid_pseudonym")


class Participant(TimeStampedModel):
    """One client of one organisation, known here only by a pseudonym (see ``pseudonyms``)."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="participants",
    )
    pseudonym = models.CharField(_("pseudoniem"), max_length=64, validators=[pseudonym_validator])
    age_band = models.CharField(_("leeftijdsgroep"), max_length=8, choices=AgeBand.choices)
    gender = models.CharField(_("gender"), max_length=20, choices=Gender.choices, blank=True)
    postcode4 = models.CharField(
        _("postcode (cijfers)"), max_length=4, blank=True, validators=[postcode4_validator]
    )
    target_groups = models.ManyToManyField(
        "vocabulary.Concept", verbose_name=_("doelgroepen"), related_name="+", blank=True
    )

    class Meta:
        verbose_name = _("deelnemer")
        verbose_name_plural = _("deelnemers")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "pseudonym"],
                name="participant_pseudonym_unique_per_organisation",
            ),
            models.CheckConstraint(
                condition=Exact(Length("pseudonym"), 64), name="participant_pseudonym_64_chars"
            ),
            models.CheckConstraint(
                condition=models.Q(age_band__in=AgeBand.values), name="participant_age_band_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(gender="") | models.Q(gender__in=Gender.values),
                name="participant_gender_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(postcode4="")
                | (
                    Exact(Length("postcode4"), 4)
                    & models.Q(postcode4__gte="1000", postcode4__lte="9999")
                ),
                name="participant_postcode4_four_digits",
            ),
        ]

    def __str__(self) -> str:
        return _("Deelnemer %(short)s") % {"short": self.short_pseudonym}

    @property
    def short_pseudonym(self) -> str:
        """What people see: enough to tell participants apart on a page, not an identifier."""
        return self.pseudonym[:8]


class Trajectory(TimeStampedModel):
    """A participant taking part in one offer, from start to end."""

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="trajectories",
    )
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("deelnemer"),
        on_delete=models.CASCADE,
        related_name="trajectories",
    )
    # RESTRICT: an offer that has run is archived, not deleted, so its outcomes stay
    # countable; only deleting its whole organisation takes it along.
    offer = models.ForeignKey(
        "offers.Offer",
        verbose_name=_("aanbod"),
        on_delete=models.RESTRICT,
        related_name="trajectories",
    )
    start_date = models.DateField(_("startdatum"))
    end_date = models.DateField(_("einddatum"), null=True, blank=True)
    referral_source = models.ForeignKey(
        "vocabulary.Concept",
        verbose_name=_("verwezen door"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TrajectoryStatus.choices,
        default=TrajectoryStatus.ACTIVE,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ingevoerd door"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("traject")
        verbose_name_plural = _("trajecten")
        ordering = ["-start_date", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "offer", "status"], name="trajectory_offer_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=TrajectoryStatus.values),
                name="trajectory_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="trajectory_end_after_start",
            ),
            models.CheckConstraint(
                condition=models.Q(status=TrajectoryStatus.ACTIVE)
                | models.Q(end_date__isnull=False),
                name="trajectory_finished_has_end_date",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=TrajectoryStatus.ACTIVE)
                | models.Q(end_date__isnull=True),
                name="trajectory_active_has_no_end_date",
            ),
            models.UniqueConstraint(
                fields=["participant", "offer"],
                condition=models.Q(status=TrajectoryStatus.ACTIVE),
                name="trajectory_one_active_per_participant_and_offer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} · {self.offer}"

    @property
    def is_active(self) -> bool:
        return self.status == TrajectoryStatus.ACTIVE


class Goal(models.Model):
    """A GAS goal: an outcome domain and a weight; the scores come with the measurements.

    Deliberately no text: a goal written out ("stopt met drinken en ziet haar dochter weer")
    describes a vulnerable person's life in the very words that make them recognisable, and is
    special-category data under the AVG. The worker and participant agree the goal and its
    scale levels in conversation and in the organisation's own file; here only the domain counts.
    """

    trajectory = models.ForeignKey(
        Trajectory, verbose_name=_("traject"), on_delete=models.CASCADE, related_name="goals"
    )
    domain = models.ForeignKey(
        "vocabulary.Concept",
        verbose_name=_("domein"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    weight = models.DecimalField(_("gewicht"), max_digits=4, decimal_places=2, default=1)
    position = models.PositiveSmallIntegerField(_("volgorde"))

    class Meta:
        verbose_name = _("doel")
        verbose_name_plural = _("doelen")
        ordering = ["position"]
        constraints = [
            models.CheckConstraint(condition=models.Q(weight__gt=0), name="goal_weight_positive"),
            models.UniqueConstraint(
                fields=["trajectory", "position"], name="goal_position_unique_per_trajectory"
            ),
        ]

    def __str__(self) -> str:
        return _("Doel %(n)s") % {"n": self.position}


class AuditEvent(models.Model):
    """Who saw or changed which participant-level record, and when. Append-only.

    Holds the type and id of the record, never its content: the log must not become a second
    copy of the data it guards.
    """

    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisatie"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("handeling"), max_length=10, choices=AuditAction.choices)
    object_type = models.CharField(_("soort gegeven"), max_length=50)
    object_id = models.PositiveBigIntegerField(_("nummer"), null=True, blank=True)
    at = models.DateTimeField(_("tijdstip"), auto_now_add=True)

    class Meta:
        verbose_name = _("auditregel")
        verbose_name_plural = _("auditlog")
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "-at"], name="auditevent_org_at_idx"),
            models.Index(fields=["object_type", "object_id"], name="auditevent_object_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=AuditAction.values), name="auditevent_action_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.object_type} {self.object_id}"

    def save(self, *args, **kwargs) -> None:
        if self.pk is not None:
            raise ValueError("Audit events are append-only.")
        super().save(*args, **kwargs)
