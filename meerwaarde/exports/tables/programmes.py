"""Programmes the organisation owns: partners, the results chain, targets and typed-in values."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from meerwaarde.exports.columns import Column, Kind, Table, codes, each
from meerwaarde.exports.tables.measurements import INSTRUMENT_CODE, INSTRUMENT_VERSION
from meerwaarde.offers.models import Offer
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.places.constants import Province
from meerwaarde.places.models import Place
from meerwaarde.programmes.constants import (
    ActivityMeasure,
    DataSource,
    Direction,
    Level,
    OutcomeStatistic,
)
from meerwaarde.programmes.models import (
    ManualValue,
    NodeTarget,
    Programme,
    ProgrammePartner,
    ResultLink,
    ResultNode,
)
from meerwaarde.vocabulary.models import Concept

PROGRAMME_ID = Column(
    "programma_id",
    Kind.INTEGER,
    _(
        "Nummer van het programma in deze export; andere bestanden verwijzen ermee naar het "
        "programma. Bij het inlezen krijgt het een nieuw nummer."
    ),
)
NODE_ID = Column(
    "stap_id",
    Kind.INTEGER,
    _(
        "Nummer van de stap in de resultatenketen in deze export; andere bestanden verwijzen "
        "ermee naar de stap. Bij het inlezen krijgt de stap een nieuw nummer."
    ),
)
YEAR = Column("jaar", Kind.INTEGER, _("Het jaar van het programma."))

_CODES = Concept.objects.only("code")


def _programme_row(programme: Programme) -> tuple:
    return (
        programme.pk,
        programme.name,
        programme.description,
        programme.start_year,
        programme.end_year,
        codes(programme.places.all(), "geonameid"),
        programme.province,
        codes(programme.themes.all()),
        codes(programme.target_groups.all()),
        programme.is_public,
    )


PROGRAMMES = Table(
    name="programmas",
    description=_("De programma's van meerdere jaren waarvan de organisatie eigenaar is."),
    columns=(
        PROGRAMME_ID,
        Column("programma_naam", Kind.TEXT, _("Naam van het programma.")),
        Column("beschrijving", Kind.TEXT, _("Beschrijving van het programma.")),
        Column("eerste_jaar", Kind.INTEGER, _("Eerste jaar van het programma.")),
        Column("laatste_jaar", Kind.INTEGER, _("Laatste jaar van het programma.")),
        Column(
            "gemeenten",
            Kind.CODES,
            _("Nummers bij GeoNames van de plaatsen waar het programma loopt."),
        ),
        Column("provincie", Kind.CODE, _("Provincie; leeg: geen."), Province),
        Column("themas", Kind.CODES, _("Codes van de thema's in de uniforme woordenlijst.")),
        Column(
            "doelgroepen", Kind.CODES, _("Codes van de doelgroepen in de uniforme woordenlijst.")
        ),
        Column("openbaar", Kind.BOOLEAN, _("Of iedereen het programma en zijn voortgang ziet.")),
    ),
    source=lambda organisation: (
        Programme.objects.filter(organisation=organisation)
        .prefetch_related(
            Prefetch("places", queryset=Place.objects.only("geonameid")),
            Prefetch("themes", queryset=_CODES),
            Prefetch("target_groups", queryset=_CODES),
        )
        .order_by("pk")
    ),
    rows=each(_programme_row),
)

PARTNERS = Table(
    name="programma_partners",
    description=_("De partners in elk programma."),
    columns=(
        PROGRAMME_ID,
        Column("partner_naam", Kind.TEXT, _("Naam van de partner.")),
        Column("soort", Kind.CODE, _("Soort partner."), OrganisationKind),
        Column("rol", Kind.TEXT, _("Rol in het programma.")),
        Column(
            "organisatie_op_platform",
            Kind.TEXT,
            _("Korte naam (slug) van de partner als die op het platform staat; anders leeg."),
        ),
    ),
    source=lambda organisation: (
        ProgrammePartner.objects.filter(programme__organisation=organisation)
        .order_by("programme_id", "name")
        .values_list("programme_id", "name", "kind", "role", "organisation__slug")
    ),
    rows=each(tuple),
)


def _node_row(node: ResultNode) -> tuple:
    instrument = node.instrument
    return (
        node.pk,
        node.programme_id,
        node.level,
        node.title,
        node.indicator,
        node.unit,
        node.direction,
        node.position,
        node.baseline_value,
        node.baseline_year,
        node.source,
        node.activity_measure,
        instrument.code if instrument else "",
        instrument.version if instrument else "",
        node.scale,
        node.statistic,
        codes(node.offers.all(), "pk"),
        codes(node.intervention_types.all()),
    )


NODES = Table(
    name="resultaatketen_stappen",
    description=_("De stappen van de resultatenketen van elk programma, met hun indicator."),
    columns=(
        NODE_ID,
        PROGRAMME_ID,
        Column("niveau", Kind.CODE, _("Niveau in de resultatenketen."), Level),
        Column("titel", Kind.TEXT, _("Titel van de stap.")),
        Column("indicator", Kind.TEXT, _("Wat de indicator meet.")),
        Column("eenheid", Kind.TEXT, _("Eenheid van de indicator.")),
        Column("richting", Kind.CODE, _("Of hoger of lager beter is."), Direction),
        Column("volgorde", Kind.INTEGER, _("Volgorde van de stappen.")),
        Column("nulmeting", Kind.DECIMAL, _("Waarde bij de nulmeting; leeg: geen.")),
        Column("nulmeting_jaar", Kind.INTEGER, _("Jaar van de nulmeting.")),
        Column("gegevensbron", Kind.CODE, _("Waar de waarde vandaan komt."), DataSource),
        Column(
            "telling",
            Kind.CODE,
            _("Bij activiteitentelling: welke telling."),
            ActivityMeasure,
        ),
        Column(INSTRUMENT_CODE.name, Kind.TEXT, _("Bij een uitkomstcijfer: het meetinstrument.")),
        Column(INSTRUMENT_VERSION.name, Kind.TEXT, INSTRUMENT_VERSION.description),
        Column("schaal", Kind.TEXT, _("Bij een uitkomstcijfer: de code van de schaal.")),
        Column("cijfer", Kind.CODE, _("Bij een uitkomstcijfer: welk cijfer."), OutcomeStatistic),
        Column(
            "aanbod_ids",
            Kind.CODES,
            _("Het aanbod (aanbod_id) waarvan de gegevens komen; leeg met lege soorten: alles."),
        ),
        Column(
            "soorten_interventie",
            Kind.CODES,
            _("Codes van de soorten interventie waarvan het aanbod meetelt."),
        ),
    ),
    source=lambda organisation: (
        ResultNode.objects.filter(programme__organisation=organisation)
        .select_related("instrument")
        .prefetch_related(
            Prefetch("offers", queryset=Offer.objects.only("pk")),
            Prefetch("intervention_types", queryset=_CODES),
        )
        .order_by("programme_id", "position", "pk")
    ),
    rows=each(_node_row),
)


LINKS = Table(
    name="resultaatketen_verbanden",
    description=_("Welke stap tot welke hogere stap leidt."),
    columns=(
        Column("van_stap_id", Kind.INTEGER, _("De stap die ergens toe leidt (stap_id).")),
        Column("naar_stap_id", Kind.INTEGER, _("De stap waartoe die leidt (stap_id).")),
    ),
    source=lambda organisation: (
        ResultLink.objects.filter(
            source__programme__organisation=organisation,
            target__programme__organisation=organisation,
        )
        .order_by("source_id", "target_id")
        .values_list("source_id", "target_id")
    ),
    rows=each(tuple),
)

TARGETS = Table(
    name="stap_doelen",
    description=_("Het doel van de indicator van een stap, per jaar."),
    columns=(NODE_ID, YEAR, Column("doel", Kind.DECIMAL, _("Het doel voor dat jaar."))),
    source=lambda organisation: (
        NodeTarget.objects.filter(node__programme__organisation=organisation)
        .order_by("node_id", "year")
        .values_list("node_id", "year", "value")
    ),
    rows=each(tuple),
)

MANUAL_VALUES = Table(
    name="stap_waarden",
    description=_("Waarden die met de hand zijn ingevuld, waar geen gegevensbron is."),
    columns=(
        NODE_ID,
        YEAR,
        Column("waarde", Kind.DECIMAL, _("De ingevulde waarde.")),
        Column("bron", Kind.TEXT, _("De bron van de waarde.")),
        Column("ingevuld_op", Kind.DATETIME, _("Wanneer de waarde is ingevuld.")),
    ),
    source=lambda organisation: (
        ManualValue.objects.filter(node__programme__organisation=organisation)
        .order_by("node_id", "year")
        .values_list("node_id", "year", "value", "source", "entered_at")
    ),
    rows=each(tuple),
)
