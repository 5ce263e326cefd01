"""Instruments in use, measurements (every version), their answers and their scores.

Measurements can run into the hundreds of thousands: they are read as plain values, a batch
at a time, never as model instances.
"""

import json
from collections.abc import Iterator, Sequence

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from meerwaarde.exports.columns import Column, Kind, Row, Table, each
from meerwaarde.exports.tables.participants import TRAJECTORY_ID
from meerwaarde.instruments.models import Instrument
from meerwaarde.measurements.constants import Moment
from meerwaarde.measurements.models import Measurement
from meerwaarde.participants.models import Goal
from meerwaarde.programmes.models import ResultNode

MEASUREMENT_ID = Column(
    "meting_id",
    Kind.INTEGER,
    _(
        "Nummer van de meting in deze export; andere bestanden verwijzen ermee naar de "
        "meting. Bij het inlezen krijgt de meting een nieuw nummer."
    ),
)
INSTRUMENT_CODE = Column(
    "instrument_code",
    Kind.TEXT,
    _("Code van het meetinstrument; met de versie wijst die het instrument aan."),
)
INSTRUMENT_VERSION = Column("instrument_versie", Kind.TEXT, _("Versie van het meetinstrument."))


def _instruments(organisation):
    used = Q(pk__in=Measurement.objects.filter(organisation=organisation).values("instrument"))
    in_chain = Q(
        pk__in=ResultNode.objects.filter(programme__organisation=organisation).values("instrument")
    )
    return (
        Instrument.objects.filter(Q(organisation=organisation) | used | in_chain)
        # Never another organisation's own instrument, whatever a measurement points at.
        .filter(Q(organisation=organisation) | Q(organisation__isnull=True))
        .order_by("code", "version")
    )


def _instrument_row(instrument: Instrument) -> Row:
    own = instrument.organisation_id is not None
    definition = json.dumps(instrument.definition, ensure_ascii=False) if own else ""
    return (
        instrument.code,
        instrument.version,
        instrument.name,
        own,
        instrument.is_active,
        definition,
    )


INSTRUMENTS = Table(
    name="instrumenten",
    description=_(
        "De meetinstrumenten die de organisatie gebruikt: de meegeleverde en haar eigen, "
        "die laatste met hun volledige definitie."
    ),
    columns=(
        INSTRUMENT_CODE,
        INSTRUMENT_VERSION,
        Column("instrument_naam", Kind.TEXT, _("Naam van het meetinstrument.")),
        Column(
            "eigen",
            Kind.BOOLEAN,
            _("Ja: een eigen instrument van de organisatie; nee: meegeleverd met Meerwaarde."),
        ),
        Column("actief", Kind.BOOLEAN, _("Of het instrument nog voor nieuwe metingen kan.")),
        Column(
            "definitie",
            Kind.TEXT,
            _("De definitie van een eigen instrument als JSON; leeg bij een meegeleverd."),
        ),
    ),
    source=_instruments,
    rows=each(_instrument_row),
)


def _measurements(organisation):
    return Measurement.objects.filter(organisation=organisation).order_by("pk")


MEASUREMENTS = Table(
    name="metingen",
    description=_(
        "Alle metingen, ook de versies die later zijn gecorrigeerd: alleen de huidige versie "
        "telt mee in de cijfers."
    ),
    columns=(
        MEASUREMENT_ID,
        TRAJECTORY_ID,
        INSTRUMENT_CODE,
        INSTRUMENT_VERSION,
        Column("moment", Kind.CODE, _("Moment van de meting in het traject."), Moment),
        Column("datum", Kind.DATE, _("Datum van de meting.")),
        Column("versie", Kind.INTEGER, _("Versie: 1, of hoger na een correctie.")),
        Column("huidig", Kind.BOOLEAN, _("Ja: de huidige versie; nee: later gecorrigeerd.")),
        Column(
            "vervangt_meting_id",
            Kind.INTEGER,
            _("Bij een correctie: de meting (versie) die hierdoor is vervangen."),
        ),
        Column("ingevoerd_op", Kind.DATETIME, _("Wanneer deze versie is ingevoerd.")),
    ),
    source=lambda organisation: _measurements(organisation).values_list(
        "pk",
        "trajectory_id",
        "instrument__code",
        "instrument__version",
        "moment",
        "measured_on",
        "version",
        "is_current",
        "supersedes_id",
        "created_at",
    ),
    rows=each(tuple),
)


def _answer_rows(batch: Sequence[tuple]) -> Iterator[Row]:
    """GAS answers are keyed by goal id: the file names the goal by its number in the
    trajectory instead, which survives an import."""
    gas_instruments = set(
        Instrument.objects.filter(
            pk__in={instrument for _pk, instrument, _t, _a in batch}, definition__kind="gas"
        ).values_list("pk", flat=True)
    )
    gas_trajectories = {t for _pk, instrument, t, _a in batch if instrument in gas_instruments}
    goal_numbers = {
        str(goal): position
        for goal, position in Goal.objects.filter(trajectory__in=gas_trajectories).values_list(
            "pk", "position"
        )
    }
    for pk, instrument, _trajectory, answers in batch:
        gas = instrument in gas_instruments
        for key, answer in answers.items():
            if answer in ("", None):
                continue
            if gas and key in goal_numbers:
                yield pk, "", goal_numbers[key], answer
            else:
                yield pk, key, None, answer


MEASUREMENT_ANSWERS = Table(
    name="meting_antwoorden",
    description=_("De gegeven antwoorden per meting; een vraag zonder antwoord ontbreekt."),
    columns=(
        MEASUREMENT_ID,
        Column(
            "vraag",
            Kind.TEXT,
            _("Code van de vraag in het meetinstrument; leeg bij Goal Attainment Scaling."),
        ),
        Column(
            "doel",
            Kind.INTEGER,
            _("Bij Goal Attainment Scaling: het nummer (volgorde) van het doel in het traject."),
        ),
        Column("antwoord", Kind.TEXT, _("Het antwoord zoals het is ingevuld.")),
    ),
    source=lambda organisation: _measurements(organisation).values_list(
        "pk", "instrument_id", "trajectory_id", "answers"
    ),
    rows=_answer_rows,
)


def _score_rows(batch: Sequence[tuple]) -> Iterator[Row]:
    for pk, scores in batch:
        for scale, score in scores.items():
            yield pk, scale, score.get("value"), score.get("category", "")


MEASUREMENT_SCORES = Table(
    name="meting_scores",
    description=_(
        "De scores per schaal, berekend bij het invoeren van de meting volgens de definitie "
        "van het instrument."
    ),
    columns=(
        MEASUREMENT_ID,
        Column("schaal", Kind.TEXT, _("Code van de schaal in het meetinstrument.")),
        Column("score", Kind.DECIMAL, _("De score; leeg als er te weinig antwoorden waren.")),
        Column("categorie", Kind.TEXT, _("Code van de categorie waarin de score valt.")),
    ),
    source=lambda organisation: _measurements(organisation).values_list("pk", "scores"),
    rows=_score_rows,
)
