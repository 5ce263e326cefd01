"""Monthly activity counts per offer, with their referrals and early signals."""

from django.utils.translation import gettext_lazy as _

from meerwaarde.activities.constants import ReferralDirection
from meerwaarde.activities.models import ActivityRecord, EarlySignalCount, ReferralCount
from meerwaarde.exports.columns import Column, Kind, Table, each
from meerwaarde.exports.tables.offers import OFFER_ID

MONTH = Column("maand", Kind.DATE, _("De maand, als de eerste dag ervan."))

ACTIVITIES = Table(
    name="activiteiten",
    description=_("Wat elk aanbod per maand deed: één regel per aanbod per maand."),
    columns=(
        OFFER_ID,
        MONTH,
        Column("bijeenkomsten", Kind.INTEGER, _("Bijeenkomsten of contacten.")),
        Column("deelnemers_bereikt", Kind.INTEGER, _("Deelnemers bereikt in de maand.")),
        Column("nieuwe_deelnemers", Kind.INTEGER, _("Deelnemers die nieuw waren.")),
        Column("actieve_vrijwilligers", Kind.INTEGER, _("Actieve vrijwilligers.")),
        Column("uren_vrijwilligers", Kind.DECIMAL, _("Uren van vrijwilligers.")),
    ),
    source=lambda organisation: (
        ActivityRecord.objects.filter(organisation=organisation)
        .order_by("offer_id", "month")
        .values_list(
            "offer_id",
            "month",
            "meetings_held",
            "participants_reached",
            "new_participants",
            "active_volunteers",
            "volunteer_hours",
        )
    ),
    rows=each(tuple),
)

REFERRALS = Table(
    name="verwijzingen",
    description=_("Verwijzingen per aanbod per maand: naar het aanbod toe, of ervandaan."),
    columns=(
        OFFER_ID,
        MONTH,
        Column("richting", Kind.CODE, _("Richting van de verwijzing."), ReferralDirection),
        Column("verwijzer", Kind.CODE, _("Code van de verwijzer in de uniforme woordenlijst.")),
        Column("aantal", Kind.INTEGER, _("Aantal verwijzingen.")),
    ),
    source=lambda organisation: (
        ReferralCount.objects.filter(record__organisation=organisation)
        .order_by("record__offer_id", "record__month", "direction", "source__code")
        .values_list("record__offer_id", "record__month", "direction", "source__code", "count")
    ),
    rows=each(tuple),
)

EARLY_SIGNALS = Table(
    name="signalen",
    description=_("Vroegsignalen per aanbod per maand, per thema."),
    columns=(
        OFFER_ID,
        MONTH,
        Column("thema", Kind.CODE, _("Code van het thema in de uniforme woordenlijst.")),
        Column("aantal", Kind.INTEGER, _("Aantal signalen.")),
    ),
    source=lambda organisation: (
        EarlySignalCount.objects.filter(record__organisation=organisation)
        .order_by("record__offer_id", "record__month", "theme__code")
        .values_list("record__offer_id", "record__month", "theme__code", "count")
    ),
    rows=each(tuple),
)
