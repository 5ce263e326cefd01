"""Participants (pseudonyms only), their trajectories and GAS goals."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from meerwaarde.exports.columns import Column, Kind, Table, codes, each
from meerwaarde.exports.tables.offers import OFFER_ID
from meerwaarde.participants.constants import AgeBand, Gender, TrajectoryStatus
from meerwaarde.participants.models import Goal, Participant, Trajectory
from meerwaarde.vocabulary.models import Concept

PSEUDONYM = Column(
    "pseudoniem",
    Kind.TEXT,
    _(
        "Pseudoniem van de deelnemer: afgeleid van het cliëntnummer met de sleutel van de "
        "organisatie. Zonder die sleutel is niet na te gaan wie het is."
    ),
)
TRAJECTORY_ID = Column(
    "traject_id",
    Kind.INTEGER,
    _(
        "Nummer van het traject in deze export; andere bestanden verwijzen ermee naar het "
        "traject. Bij het inlezen krijgt het traject een nieuw nummer."
    ),
)

PARTICIPANTS = Table(
    name="deelnemers",
    description=_("De deelnemers, alleen met pseudoniem en enkele grove kenmerken."),
    columns=(
        PSEUDONYM,
        Column("leeftijdsgroep", Kind.CODE, _("Leeftijdsgroep."), AgeBand),
        Column("gender", Kind.CODE, _("Gender; leeg: niet ingevuld."), Gender),
        Column("postcode_cijfers", Kind.TEXT, _("De vier cijfers van de postcode.")),
        Column(
            "doelgroepen", Kind.CODES, _("Codes van de doelgroepen in de uniforme woordenlijst.")
        ),
        Column("ingevoerd_op", Kind.DATETIME, _("Wanneer de deelnemer is ingevoerd.")),
    ),
    source=lambda organisation: (
        Participant.objects.filter(organisation=organisation)
        .prefetch_related(Prefetch("target_groups", queryset=Concept.objects.only("code")))
        .order_by("pk")
    ),
    rows=each(
        lambda participant: (
            participant.pseudonym,
            participant.age_band,
            participant.gender,
            participant.postcode4,
            codes(participant.target_groups.all()),
            participant.created_at,
        )
    ),
)

TRAJECTORIES = Table(
    name="trajecten",
    description=_("De trajecten: een deelnemer in een aanbod, van start tot eind."),
    columns=(
        TRAJECTORY_ID,
        PSEUDONYM,
        OFFER_ID,
        Column("startdatum", Kind.DATE, _("Startdatum van het traject.")),
        Column("einddatum", Kind.DATE, _("Einddatum; leeg zolang het traject loopt.")),
        Column(
            "verwezen_door",
            Kind.CODE,
            _("Code van de verwijzer in de uniforme woordenlijst; leeg: niet verwezen."),
        ),
        Column("status", Kind.CODE, _("Status van het traject."), TrajectoryStatus),
    ),
    source=lambda organisation: (
        Trajectory.objects.filter(organisation=organisation)
        .order_by("pk")
        .values_list(
            "pk",
            "participant__pseudonym",
            "offer_id",
            "start_date",
            "end_date",
            "referral_source__code",
            "status",
        )
    ),
    rows=each(tuple),
)

GOALS = Table(
    name="doelen",
    description=_(
        "De doelen van Goal Attainment Scaling per traject: alleen domein en gewicht, nooit "
        "de tekst van het doel."
    ),
    columns=(
        TRAJECTORY_ID,
        Column(
            "volgorde",
            Kind.INTEGER,
            _("Nummer van het doel binnen het traject; de GAS-antwoorden verwijzen ermee."),
        ),
        Column("domein", Kind.CODE, _("Code van het uitkomstdomein in de uniforme woordenlijst.")),
        Column("gewicht", Kind.DECIMAL, _("Gewicht van het doel in de T-score.")),
    ),
    source=lambda organisation: (
        Goal.objects.filter(trajectory__organisation=organisation)
        .order_by("trajectory_id", "position")
        .values_list("trajectory_id", "position", "domain__code", "weight")
    ),
    rows=each(tuple),
)
