"""From progress to what a programme page shows: per step a chart with its caption, a Dutch
summary and the table of its figures (the dashboard's ``Chart`` and ``Table``), and the words
for a step's data source. The owner's page, the partner's and the public one use the same,
only the progress they get differs (suppressed or not).
"""

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from meerwaarde.analysis.formatting import MISSING, num, signed
from meerwaarde.analysis.presentation import Chart, Table
from meerwaarde.bundling.suppression import Hidden
from meerwaarde.programmes.charts import progress_chart
from meerwaarde.programmes.constants import (
    MEAN_MEASURES,
    ActivityMeasure,
    DataSource,
    OutcomeStatistic,
)
from meerwaarde.programmes.models import ResultNode
from meerwaarde.programmes.progress import LevelProgress, NodeProgress, Progress, YearValue


def value_text(node: ResultNode, value: float | Decimal | Hidden | None) -> str:
    """A value as the step's indicator reads it: whole counts, means with decimals, shares
    with a percent sign, a change with its direction. Hidden says so, never 0."""
    if isinstance(value, Hidden):
        return str(value)
    if value is None:
        return MISSING
    number = float(value)
    if node.source == DataSource.ACTIVITY:
        if node.activity_measure in MEAN_MEASURES or (
            node.activity_measure == ActivityMeasure.VOLUNTEER_HOURS
        ):
            return num(number, 1)
        return num(round(number))
    if node.source == DataSource.OUTCOME:
        if node.statistic == OutcomeStatistic.PAIRS:
            return num(round(number))
        if node.statistic == OutcomeStatistic.IMPROVED_SHARE:
            return f"{num(number, 0)}%"
        if node.statistic == OutcomeStatistic.MEAN_CHANGE:
            return signed(number, 2)
        return num(number, 2)
    return num(round(number)) if number.is_integer() else num(number, 2)


def source_text(node: ResultNode) -> str:
    """Where a step's value comes from, in one sentence."""
    if node.source == DataSource.ACTIVITY:
        text = _("Activiteitentelling: %(measure)s") % {
            "measure": ActivityMeasure(node.activity_measure).label
        }
    elif node.source == DataSource.OUTCOME and node.instrument is not None:
        scale = next(
            (s.label for s in node.instrument.parsed.scales if s.code == node.scale), node.scale
        )
        text = _("Uitkomst: %(statistic)s, %(instrument)s – %(scale)s") % {
            "statistic": OutcomeStatistic(node.statistic).label.lower(),
            "instrument": node.instrument.name,
            "scale": scale,
        }
    else:
        return _("Handmatig ingevuld, met bron per jaar.")
    return f"{text}. {offers_text(node)}"


def offers_text(node: ResultNode) -> str:
    offers = list(node.offers.all())
    types = list(node.intervention_types.all())
    if not offers and not types:
        return _("Over al het aanbod van %(organisation)s.") % {
            "organisation": node.programme.organisation.name
        }
    names = [offer.name for offer in offers] + [
        _("alle aanbod van de soort ‘%(type)s’") % {"type": concept.pref_label_nl}
        for concept in types
    ]
    return _("Over: %(names)s.") % {"names": "; ".join(names)}


def _status_text(year: YearValue) -> str:
    return str(year.status.label)


def _note(progress: Progress, year: YearValue) -> str:
    notes = []
    if year.source_text:
        notes.append(_("Bron: %(source)s") % {"source": year.source_text})
    if year.below_k and not progress.suppressed:
        notes.append(
            _("Verborgen voor partners en publiek: minder dan %(k)d deelnemers.")
            % {"k": progress.k}
        )
    if year.running and year.actual is not None and not year.hidden:
        notes.append(_("Lopend jaar: de waarde tot nu toe."))
    return " ".join(notes)


def _table(progress: Progress, item: NodeProgress) -> Table:
    node = item.node
    unit = f" ({node.unit})" if node.unit else ""
    rows = tuple(
        (
            str(year.year),
            value_text(node, year.target),
            value_text(node, year.actual),
            _status_text(year),
            _note(progress, year),
        )
        for year in item.years
    )
    return Table(
        caption=_("%(title)s: doel en waarde per jaar") % {"title": node.title},
        columns=(
            _("Jaar"),
            _("Doel") + unit,
            _("Waarde") + unit,
            _("Stand"),
            _("Toelichting"),
        ),
        rows=rows,
    )


def _summary(item: NodeProgress) -> str:
    node = item.node
    parts = []
    if item.baseline is not None:
        parts.append(
            _("Nulmeting %(value)s (%(year)s).")
            % {"value": value_text(node, item.baseline), "year": item.baseline_year}
        )
    shown = [y for y in item.years if y.actual is not None or y.target is not None]
    if not shown:
        parts.append(_("Er zijn nog geen doelen of waarden."))
    for year in shown:
        if year.actual is None:
            parts.append(
                _("%(year)s: doel %(target)s, nog geen waarde.")
                % {"year": year.year, "target": value_text(node, year.target)}
            )
        elif year.target is None:
            parts.append(
                _("%(year)s: %(actual)s, zonder doel.")
                % {"year": year.year, "actual": value_text(node, year.actual)}
            )
        else:
            parts.append(
                _("%(year)s: %(actual)s tegen een doel van %(target)s (%(status)s).")
                % {
                    "year": year.year,
                    "actual": value_text(node, year.actual),
                    "target": value_text(node, year.target),
                    "status": _status_text(year),
                }
            )
    return " ".join(parts)


def node_chart(progress: Progress, item: NodeProgress, *, prefix: str = "stap") -> Chart:
    node = item.node
    chart_id = f"{prefix}-{node.pk}-grafiek"
    caption = _("%(title)s per jaar, %(first)s tot en met %(last)s") % {
        "title": node.title,
        "first": progress.years[0],
        "last": progress.years[-1],
    }
    summary = _summary(item)
    svg = progress_chart(
        chart_id=chart_id,
        title=caption,
        description=summary,
        years=progress.years,
        actual=[
            y.actual if isinstance(y.actual, Hidden) or y.actual is None else float(y.actual)
            for y in item.years
        ],
        targets=[None if y.target is None else float(y.target) for y in item.years],
        baseline=None if item.baseline is None else float(item.baseline),
        legend=(_("Waarde"), _("Doel"), _("Nulmeting")),
    )
    return Chart(chart_id, svg, caption, summary, _table(progress, item))


@dataclass(frozen=True)
class NodeSection:
    item: NodeProgress
    chart: Chart
    source: str

    @property
    def node(self) -> ResultNode:
        return self.item.node


@dataclass(frozen=True)
class LevelSection:
    level: LevelProgress
    nodes: list[NodeSection]


def programme_sections(progress: Progress, *, prefix: str = "stap") -> list[LevelSection]:
    """Per level of the chain (all five, empty ones too) its steps with chart and table."""
    return [
        LevelSection(
            level=level,
            nodes=[
                NodeSection(
                    item=item,
                    chart=node_chart(progress, item, prefix=prefix),
                    source=source_text(item.node),
                )
                for item in level.nodes
            ],
        )
        for level in progress.levels
    ]
