"""Progress of a programme: per step of the chain and per year, the baseline, the target, the
actual value and how it stands.

Actual values come from the owner's data, never from another organisation's: activity counts
(``activities.selectors.activity_totals``) and outcome figures
(``analysis.selectors.analysis_figures``, one ``Selection`` per year) of the step's offers, or
the value typed in with its source. Every value computed from participant data passes the gate
(``bundling.suppression``): per kind of count, all cells of the programme go through
``suppress`` in one call, so a hidden year of one step cannot be computed from another step
over more offers. Only the owner's own members see the values the gate would hide
(``suppressed=False``), marked so.

Cost: one ``activity_totals`` per activity step (three queries) and one ``analysis_figures``
per distinct selection and year (shared between steps), whatever the number of records.
"""

import datetime
import math
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from meerwaarde.activities.selectors import MonthTotals, activity_totals
from meerwaarde.analysis.selectors import Figures, Selection, analysis_figures
from meerwaarde.bundling import suppression
from meerwaarde.bundling.suppression import HIDDEN, Hidden
from meerwaarde.offers.models import Offer
from meerwaarde.programmes.constants import (
    LEVEL_CONCEPTS,
    MEAN_MEASURES,
    PERSON_MEASURES,
    ActivityMeasure,
    DataSource,
    Direction,
    Level,
    OutcomeStatistic,
    Status,
)
from meerwaarde.programmes.models import Programme, ResultNode
from meerwaarde.programmes.selectors import node_offers

Actual = float | Hidden | None


@dataclass(frozen=True)
class YearValue:
    """One year of one step. ``actual`` is HIDDEN when the gate hides it from this reader;
    ``below_k`` says the gate hides it from anyone outside the organisation."""

    year: int
    target: Decimal | None
    actual: Actual
    status: Status
    running: bool = False
    below_k: bool = False
    basis: int | None = None  # participants the value rests on; None for a typed-in value
    source_text: str = ""  # where a typed-in value comes from

    @property
    def hidden(self) -> bool:
        return self.actual is HIDDEN

    @property
    def on_track(self) -> bool | None:
        """True when the target is met (or on course in the running year), False when not,
        None when there is nothing to compare."""
        if self.status in (Status.MET, Status.ON_TRACK):
            return True
        if self.status in (Status.NOT_MET, Status.BEHIND):
            return False
        return None


@dataclass(frozen=True)
class NodeProgress:
    node: ResultNode
    years: tuple[YearValue, ...]

    @property
    def baseline(self) -> Decimal | None:
        return self.node.baseline_value

    @property
    def baseline_year(self) -> int | None:
        return self.node.baseline_year


@dataclass(frozen=True)
class LevelProgress:
    level: Level
    concept_code: str  # the level's concept in the vocabulary (results_chain_levels)
    nodes: tuple[NodeProgress, ...]

    @property
    def label(self) -> str:
        return str(self.level.label)


@dataclass(frozen=True)
class Progress:
    programme: Programme
    years: tuple[int, ...]
    levels: tuple[LevelProgress, ...]
    suppressed: bool
    k: int
    today: datetime.date

    @property
    def nodes(self) -> list[NodeProgress]:
        return [node for level in self.levels for node in level.nodes]

    @property
    def has_below_k(self) -> bool:
        return any(year.below_k for node in self.nodes for year in node.years)


@dataclass
class _Raw:
    """A value before the gate: the count it rests on and the atoms it sums."""

    value: float | None
    count: int | None = None
    members: frozenset = field(default_factory=frozenset)
    group: Hashable = None
    source_text: str = ""


def programme_progress(
    *,
    programme: Programme,
    k: int | None = None,
    suppressed: bool = True,
    today: datetime.date | None = None,
) -> Progress:
    """Baseline, target, actual and status per step and year.

    ``k`` defaults to ``suppression.k_threshold()``. ``suppressed=False`` is for the owner's
    own members only: values below k are then shown, with ``below_k`` set.
    """
    k = k or suppression.k_threshold()
    today = today or timezone.localdate()
    years = tuple(programme.years)
    data_years = [year for year in years if year <= today.year]
    nodes = list(programme.nodes.all())
    figures_cache: dict[tuple, Figures] = {}
    raw: dict[tuple[int, int], _Raw] = {}
    for node in nodes:
        if node.source == DataSource.ACTIVITY:
            raw.update(_activity_values(node, data_years))
        elif node.source == DataSource.OUTCOME:
            raw.update(_outcome_values(node, data_years, figures_cache))
        else:
            for manual in node.manual_values.all():
                raw[(node.pk, manual.year)] = _Raw(
                    value=float(manual.value), source_text=manual.source
                )

    groups: dict[Hashable, list[suppression.Cell]] = defaultdict(list)
    for key, value in raw.items():
        if value.count is not None and value.value is not None:
            groups[value.group].append(suppression.Cell(key, value.count, value.members))
    below_k: set[Hashable] = set()
    for cells in groups.values():
        below_k |= suppression.suppress(cells, k=k)

    by_level: dict[str, list[NodeProgress]] = defaultdict(list)
    for node in nodes:
        targets = {target.year: target.value for target in node.targets.all()}
        values = []
        for year in years:
            found = raw.get((node.pk, year), _Raw(value=None))
            hidden = (node.pk, year) in below_k
            actual: Actual = HIDDEN if hidden and suppressed else found.value
            values.append(
                YearValue(
                    year=year,
                    target=targets.get(year),
                    actual=actual,
                    status=_status(node, year, actual, targets.get(year), today),
                    running=year == today.year,
                    below_k=hidden,
                    basis=found.count,
                    source_text=found.source_text,
                )
            )
        by_level[node.level].append(NodeProgress(node=node, years=tuple(values)))
    levels = tuple(
        LevelProgress(level=level, concept_code=LEVEL_CONCEPTS[level], nodes=tuple(by_level[level]))
        for level in Level
    )
    return Progress(
        programme=programme, years=years, levels=levels, suppressed=suppressed, k=k, today=today
    )


# Activity --------------------------------------------------------------------------------


def _measure_total(month: MonthTotals, measure: str) -> float:
    if measure == ActivityMeasure.REFERRALS_IN:
        return float(sum(month.referrals_in.values()))
    if measure == ActivityMeasure.REFERRALS_OUT:
        return float(sum(month.referrals_out.values()))
    if measure == ActivityMeasure.EARLY_SIGNALS:
        return float(sum(month.early_signals.values()))
    return float(getattr(month, measure))


def activity_year_value(months: list[MonthTotals], measure: str) -> tuple[float, int] | None:
    """The value of one year of monthly totals and the participants it rests on (the mean
    reach of a month with counts); None when no month of the year has a count.

    Totals per year, except reach and volunteers: the mean of the months with a count, as a
    person reached in two months is not two people.
    """
    counted = [month for month in months if month.offers_reporting]
    if not counted:
        return None
    total = math.fsum(_measure_total(month, measure) for month in counted)
    value = total / len(counted) if measure in MEAN_MEASURES else total
    basis = int(sum(month.participants_reached for month in counted) // len(counted))
    if measure in PERSON_MEASURES:
        # A small count of people (three signals of domestic violence) discloses them even
        # when many were reached.
        basis = min(basis, math.floor(value))
    return value, basis


def _activity_values(node: ResultNode, years: list[int]) -> dict[tuple[int, int], _Raw]:
    if not years:
        return {}
    offers = node_offers(node=node)
    offer_ids = list(offers.values_list("pk", flat=True))
    if not offer_ids:
        return {}
    totals = activity_totals(
        offers=Offer.objects.filter(pk__in=offer_ids),
        start=datetime.date(years[0], 1, 1),
        end=datetime.date(years[-1], 12, 1),
    )
    by_year: dict[int, list[MonthTotals]] = defaultdict(list)
    for month in totals:
        by_year[month.month.year].append(month)
    found = {}
    for year in years:
        result = activity_year_value(by_year[year], node.activity_measure)
        if result is None:
            continue
        value, basis = result
        found[(node.pk, year)] = _Raw(
            value=value,
            count=basis,
            members=frozenset((offer_id, year) for offer_id in offer_ids),
            group=("activity", node.activity_measure),
        )
    return found


# Outcomes --------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Part:
    n: int
    mean_change: float | None
    mean_end: float | None
    improved: int | None  # None: the scale has no reliable change


def _part(figures: Figures, node: ResultNode) -> _Part | None:
    """The node's scale in one selection's figures; None when it has no pairs there."""
    for gas in figures.gas:
        if gas.instrument_id == node.instrument_id and node.scale == "t" and gas.n:
            return _Part(
                n=gas.n, mean_change=gas.result.mean_change, mean_end=gas.mean, improved=None
            )
    for instrument in figures.instruments:
        if instrument.instrument_id != node.instrument_id:
            continue
        for scale in instrument.scales:
            if scale.code == node.scale and scale.n:
                return _Part(
                    n=scale.n,
                    mean_change=scale.result.mean_change,
                    mean_end=scale.result.mean_end,
                    improved=None if scale.improved is None else scale.improved.k,
                )
    return None


def _selections(node: ResultNode, year: int) -> list[tuple[tuple, Selection]]:
    """The selections whose figures add up to the node's offers in ``year``, each with a key
    for the cache: one when the node names at most one offer or one type, else one per offer
    (the offers of the chosen types and the chosen offers may overlap)."""
    organisation = node.programme.organisation
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 1)
    offers = list(node.offers.all())
    types = list(node.intervention_types.all())
    if not offers and not types:
        return [(("org", year), Selection(organisation=organisation, start=start, end=end))]
    if not offers and len(types) == 1:
        selection = Selection(
            organisation=organisation, intervention_type=types[0], start=start, end=end
        )
        return [(("type", types[0].pk, year), selection)]
    return [
        (
            ("offer", offer.pk, year),
            Selection(organisation=organisation, offer=offer, start=start, end=end),
        )
        for offer in node_offers(node=node)
    ]


def outcome_year_value(parts: list[_Part], statistic: str) -> tuple[float, int] | None:
    """The statistic over the parts (disjoint groups of pairs) and its number of pairs."""
    n = sum(part.n for part in parts)
    if not n:
        return None
    if statistic == OutcomeStatistic.PAIRS:
        return float(n), n
    if statistic == OutcomeStatistic.IMPROVED_SHARE:
        if any(part.improved is None for part in parts):
            return None
        return 100 * sum(part.improved or 0 for part in parts) / n, n
    name = "mean_change" if statistic == OutcomeStatistic.MEAN_CHANGE else "mean_end"
    if any(getattr(part, name) is None for part in parts):
        return None
    return math.fsum(part.n * getattr(part, name) for part in parts) / n, n


def _outcome_values(
    node: ResultNode, years: list[int], cache: dict[tuple, Figures]
) -> dict[tuple[int, int], _Raw]:
    offer_ids = list(node_offers(node=node).values_list("pk", flat=True))
    if not offer_ids:
        return {}
    found = {}
    for year in years:
        parts = []
        for key, selection in _selections(node, year):
            if key not in cache:
                cache[key] = analysis_figures(selection=selection)
            part = _part(cache[key], node)
            if part is not None:
                parts.append(part)
        result = outcome_year_value(parts, node.statistic)
        if result is None:
            continue
        value, n = result
        found[(node.pk, year)] = _Raw(
            value=value,
            count=n,
            members=frozenset((offer_id, year) for offer_id in offer_ids),
            group=("outcome", node.instrument_id, node.scale),
        )
    return found


# Status ----------------------------------------------------------------------------------


def _meets(actual: float, target: float, direction: str) -> bool:
    return actual <= target if direction == Direction.LOWER else actual >= target


def _status(
    node: ResultNode,
    year: int,
    actual: Actual,
    target: Decimal | None,
    today: datetime.date,
) -> Status:
    if actual is HIDDEN:
        return Status.HIDDEN
    if actual is None or isinstance(actual, Hidden):
        return Status.FUTURE if year > today.year else Status.NO_VALUE
    if target is None:
        return Status.NO_TARGET
    expected = float(target)
    if year == today.year:
        if node.source == DataSource.ACTIVITY and node.activity_measure not in MEAN_MEASURES:
            # A total grows through the year: compare with the share of the target that the
            # complete months so far should have brought.
            expected *= max(today.month - 1, 1) / 12
        return Status.ON_TRACK if _meets(actual, expected, node.direction) else Status.BEHIND
    return Status.MET if _meets(actual, expected, node.direction) else Status.NOT_MET
