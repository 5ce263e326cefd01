"""The demo's programme: Welzijn Zwolle's "Samen tegen eenzaamheid 2025–2028" with Gemeente
Zwolle and two partners by name, a full results chain bound to the demo's activity counts and
loneliness measurements, and an impact step typed in with its source. Public, and shared with
the municipality, so the partner area, the public page and the API all have something to show.

Targets follow the demo data (about what the offers did in the running year, a little more each
year after), so the page shows targets met, missed and on course. Idempotent: an existing
programme of that name is left alone.
"""

import datetime
import math
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from meerwaarde.instruments.models import Instrument
from meerwaarde.organisations.constants import OrganisationKind
from meerwaarde.organisations.models import Organisation
from meerwaarde.places.constants import Province
from meerwaarde.places.models import Place
from meerwaarde.programmes import services
from meerwaarde.programmes.constants import (
    MEAN_MEASURES,
    ActivityMeasure,
    DataSource,
    Direction,
    Level,
    OutcomeStatistic,
)
from meerwaarde.programmes.models import Programme, ResultNode
from meerwaarde.programmes.progress import programme_progress
from meerwaarde.vocabulary.models import Concept

OWNER = "Welzijn Zwolle"
MUNICIPALITY = "Gemeente Zwolle"
NAME = "Samen tegen eenzaamheid 2025–2028"
# The owner's offers against loneliness, by intervention type.
LONELINESS_TYPES = (
    "interventie-maatjesproject",
    "interventie-huiskamer",
    "interventie-telefooncirkel",
    "interventie-preventief-huisbezoek",
    "interventie-welzijn-op-recept",
    "interventie-vervoersdienst",
)
# Growth of the targets per year after the running one.
GROWTH = Decimal("1.05")


def _concepts(codes: tuple[str, ...]) -> list[Concept]:
    return list(Concept.objects.filter(code__in=codes).select_related("scheme"))


@transaction.atomic
def demo_programmes(*, organisations: dict[str, Organisation]) -> int:
    """Returns the number of programmes made (0 the second time)."""
    owner = organisations[OWNER]
    if Programme.objects.filter(organisation=owner, name=NAME).exists():
        return 0
    zwolle = Place.objects.filter(name="Zwolle").order_by("-population").first()
    programme = services.programme_create(
        organisation=owner,
        created_by=None,
        name=NAME,
        description=(
            "Samen met de gemeente, de vrijwilligerscentrale en de huisartsen bereikt Welzijn "
            "Zwolle meer eenzame ouderen, eerder. Maatjes, huiskamers, de belcirkel, "
            "huisbezoeken en Welzijn op Recept: vier jaar lang, met per jaar een doel. Gestart "
            "in november 2025."
        ),
        start_year=2025,
        end_year=2028,
        places=[zwolle] if zwolle is not None else [],
        province=Province.OVERIJSSEL,
        themes=_concepts(("thema-eenzaamheid", "thema-vrijwillige-inzet")),
        target_groups=_concepts(("doelgroep-ouderen", "doelgroep-kwetsbare-ouderen")),
        is_public=True,
    )
    services.partner_add(
        programme=programme,
        organisation=organisations[MUNICIPALITY],
        role="Opdrachtgever en financier",
    )
    services.partner_add(
        programme=programme,
        name="Vrijwilligerscentrale Zwolle",
        kind=OrganisationKind.VOLUNTEER,
        role="Werft en schoolt de vrijwilligers",
    )
    services.partner_add(
        programme=programme,
        name="Huisartsen Zwolle-Zuid",
        kind=OrganisationKind.GP_PRACTICE,
        role="Verwijzen via Welzijn op Recept",
    )
    _chain(programme)
    _targets(programme)
    _share(programme, organisations[MUNICIPALITY])
    return 1


def _chain(programme: Programme) -> None:
    types = _concepts(LONELINESS_TYPES)
    impact = services.node_create(
        programme=programme,
        level=Level.IMPACT,
        title="Minder ouderen die zich sterk eenzaam voelen",
        indicator="Aandeel Zwollenaren van 65 jaar en ouder dat zich sterk eenzaam voelt.",
        unit="procent",
        direction=Direction.LOWER,
        baseline_value=Decimal("10.4"),
        baseline_year=2024,
    )
    services.manual_value_set(
        node=impact,
        year=2025,
        value=Decimal("10.1"),
        source="Zwolse Peiling 2025, gemeente Zwolle (demowaarde)",
        entered_by=None,
    )
    outcomes = []
    djg6 = Instrument.objects.filter(organisation__isnull=True, code="djg6").first()
    if djg6 is not None:
        outcomes = [
            services.node_create(
                programme=programme,
                level=Level.OUTCOME,
                title="Deelnemers voelen zich minder eenzaam",
                indicator="Gemiddelde verandering op de De Jong Gierveld-schaal (6 vragen, 0–6) "
                "tussen begin- en eindmeting.",
                unit="punten",
                direction=Direction.LOWER,
                source=DataSource.OUTCOME,
                instrument=djg6,
                scale="total",
                statistic=OutcomeStatistic.MEAN_CHANGE,
                intervention_types=types,
                leads_to=[impact],
            ),
            services.node_create(
                programme=programme,
                level=Level.OUTCOME,
                title="Deelnemers die betrouwbaar minder eenzaam zijn",
                indicator="Aandeel deelnemers met een betrouwbare verbetering op de De Jong "
                "Gierveld-schaal.",
                unit="procent",
                source=DataSource.OUTCOME,
                instrument=djg6,
                scale="total",
                statistic=OutcomeStatistic.IMPROVED_SHARE,
                intervention_types=types,
                leads_to=[impact],
            ),
        ]
    reached = services.node_create(
        programme=programme,
        level=Level.OUTPUT,
        title="Bereikte ouderen",
        indicator="Deelnemers die het aanbod tegen eenzaamheid per maand bereikt.",
        unit="deelnemers per maand",
        source=DataSource.ACTIVITY,
        activity_measure=ActivityMeasure.PARTICIPANTS_REACHED,
        intervention_types=types,
        leads_to=outcomes,
    )
    new = services.node_create(
        programme=programme,
        level=Level.OUTPUT,
        title="Nieuwe deelnemers",
        indicator="Deelnemers die voor het eerst meedoen, per jaar.",
        unit="deelnemers",
        source=DataSource.ACTIVITY,
        activity_measure=ActivityMeasure.NEW_PARTICIPANTS,
        intervention_types=types,
        leads_to=outcomes,
    )
    meetings = services.node_create(
        programme=programme,
        level=Level.ACTIVITY,
        title="Bijeenkomsten, huisbezoeken en belrondes",
        indicator="Bijeenkomsten en contacten van het aanbod tegen eenzaamheid, per jaar.",
        unit="bijeenkomsten of contacten",
        source=DataSource.ACTIVITY,
        activity_measure=ActivityMeasure.MEETINGS,
        intervention_types=types,
        leads_to=[reached, new],
    )
    services.node_create(
        programme=programme,
        level=Level.INPUT,
        title="Inzet van vrijwilligers",
        indicator="Uren die vrijwilligers in het aanbod tegen eenzaamheid maken, per jaar.",
        unit="uren",
        source=DataSource.ACTIVITY,
        activity_measure=ActivityMeasure.VOLUNTEER_HOURS,
        intervention_types=types,
        leads_to=[meetings],
    )


def _targets(programme: Programme) -> None:
    """Targets from the running year's own (unsuppressed) values, as a coordinator would set
    them: a whole year of the pace so far, then five percent more each year."""
    today = timezone.localdate()
    progress = programme_progress(programme=programme, suppressed=False, today=today)
    for item in progress.nodes:
        node = item.node
        if node.source == DataSource.MANUAL:
            services.targets_set(
                node=node,
                targets={2025: Decimal("10.2"), 2026: Decimal("10.0"), 2027: Decimal("9.6"),
                         2028: Decimal("9.2")},
            )  # fmt: skip
            continue
        current = next((y for y in item.years if y.year == today.year), None)
        if current is None or not isinstance(current.actual, float):
            continue
        pace = Decimal(str(current.actual))
        if _is_total(node) and today.month > 1:
            pace = pace * 12 / (today.month - 1)
        targets: dict[int, Decimal | None] = {}
        for year in programme.years:
            if year < today.year and _is_total(node):
                continue  # the programme started late in its first year: no total to aim at
            factor = GROWTH ** max(year - today.year, 0)
            if node.direction == Direction.LOWER and pace > 0:
                factor = 2 - factor  # lower is better: aim a little lower each year
            targets[year] = _round(pace * factor, node, up=year > today.year)
        services.targets_set(node=node, targets=targets)


def _is_total(node: ResultNode) -> bool:
    return node.source == DataSource.ACTIVITY and node.activity_measure not in MEAN_MEASURES


def _round(value: Decimal, node: ResultNode, *, up: bool) -> Decimal:
    """Round figures: down to the pace so far, up for the years still to come."""
    if node.source == DataSource.OUTCOME:
        return value.quantize(Decimal("0.1") if abs(value) >= 1 else Decimal("0.01"))
    return Decimal((math.ceil if up else math.floor)(value / 10) * 10)


def _share(programme: Programme, municipality: Organisation) -> None:
    from meerwaarde.sharing.models import GrantKind
    from meerwaarde.sharing.services import grant_create

    grant_create(
        organisation=programme.organisation,
        created_by=None,
        partner=municipality,
        kind=GrantKind.PROGRAMME,
        programme=programme,
        ends_on=timezone.localdate() + datetime.timedelta(days=365),
        note="Voortgang van het programma, voor het jaargesprek",
    )
