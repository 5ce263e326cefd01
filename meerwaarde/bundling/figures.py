"""An organisation's figures made fit to leave it: every small cell hidden (ADR 0008).

``shareable_figures`` takes the dashboard's ``Figures`` and returns the same structure with
``HIDDEN`` in place of every value resting on fewer than k participants, and of the values that
would give one back. The partner dashboard, the public impact page, reports for funders and
the API all use it; ``analysis.presentation`` renders a hidden value as "te weinig deelnemers".

The tables it protects, each with the totals published beside it:

- activity: per participant count (reached, new, referred to us, referred on, early signals)
  the months and their total (the summary sentence gives totals);
- outcomes: per scale its number of pairs (scales are the same people measured on other
  questions, so they do not add up to anything: each is a lone figure);
- category moves: start × end category, with the start-category totals, the grand total and
  the numbers to a better, the same and a worse category;
- GAS: per instrument its number of participants and the count per end category.
"""

import dataclasses
from collections.abc import Callable
from itertools import product

from meerwaarde.activities.selectors import MonthTotals
from meerwaarde.analysis import stats
from meerwaarde.analysis.selectors import (
    CategoryMovement,
    Figures,
    GasFigures,
    InstrumentFigures,
    ScaleFigures,
)
from meerwaarde.bundling.suppression import HIDDEN, Cell, k_threshold, suppress, visible

# The participant counts of a month: (field, how to read it from MonthTotals).
_MONTH_COUNTS: dict[str, Callable[[MonthTotals], int]] = {
    "participants_reached": lambda m: m.participants_reached,
    "new_participants": lambda m: m.new_participants,
    "referrals_in": lambda m: sum(m.referrals_in.values()),
    "referrals_out": lambda m: sum(m.referrals_out.values()),
    "early_signals": lambda m: sum(m.early_signals.values()),
}


def shareable_figures(*, figures: Figures, k: int | None = None) -> Figures:
    k = k or k_threshold()
    activity, totals = _activity(figures.activity, k)
    return dataclasses.replace(
        figures,
        activity=activity,
        instruments=[_instrument(i, k) for i in figures.instruments],
        gas=[_gas(g, k) for g in figures.gas],
        activity_totals=totals,
    )


def _activity(months: list[MonthTotals], k: int) -> tuple[list[MonthTotals], dict[str, int]]:
    hidden: dict[str, frozenset] = {}
    totals = {}
    for name, read in _MONTH_COUNTS.items():
        cells = [Cell(m.month, read(m), frozenset({m.month})) for m in months]
        totals[name] = sum(c.count for c in cells)
        cells.append(Cell("total", totals[name], frozenset(m.month for m in months), margin=True))
        hidden[name] = suppress(cells, k=k)
        if "total" in hidden[name]:
            totals[name] = HIDDEN
    shared = []
    for month in months:
        changes = {name: HIDDEN for name, keys in hidden.items() if month.month in keys}
        shared.append(dataclasses.replace(month, **changes) if changes else month)
    return shared, totals


def _hidden_scale(scale: ScaleFigures) -> ScaleFigures:
    return dataclasses.replace(
        scale,
        result=stats.PairedResult(n=HIDDEN, confidence=scale.result.confidence),  # type: ignore[arg-type]
        improved=None,
        deteriorated=None,
        movement=None,
    )


def _instrument(instrument: InstrumentFigures, k: int) -> InstrumentFigures:
    scales = []
    for scale in instrument.scales:
        if not visible(scale.n, k=k):
            scales.append(_hidden_scale(scale))
        elif scale.movement is not None:
            scales.append(dataclasses.replace(scale, movement=_movement(scale.movement, k)))
        else:
            scales.append(scale)
    return dataclasses.replace(instrument, scales=tuple(scales))


def _movement(movement: CategoryMovement, k: int) -> CategoryMovement:
    size = len(movement.categories)
    counts = movement.counts
    everything = frozenset(product(range(size), range(size)))
    cells = [Cell((i, j), counts[i][j], frozenset({(i, j)})) for i, j in everything]
    for i in range(size):
        row = frozenset((i, j) for j in range(size))
        cells.append(Cell(("row", i), sum(counts[i]), row, margin=True))

    def part(test: Callable[[int, int], bool]) -> frozenset:
        return frozenset((i, j) for i, j in everything if test(i, j))

    up = movement.higher_is_better
    groups = {
        "total": everything,
        "same": part(lambda i, j: i == j),
        "better": part(lambda i, j: (j > i) == up and i != j),
        "worse": part(lambda i, j: (j < i) == up and i != j),
    }
    for name, members in groups.items():
        cells.append(Cell(name, sum(counts[i][j] for i, j in members), members, margin=True))
    hidden = suppress(cells, k=k)
    if not hidden:
        return movement
    margins = {
        c.key: (HIDDEN if c.key in hidden else c.count)
        for c in cells
        if c.margin  # totals: "total", "same", "better", "worse", ("row", i)
    }
    shared_counts = tuple(
        tuple(HIDDEN if (i, j) in hidden else counts[i][j] for j in range(size))
        for i in range(size)
    )
    return dataclasses.replace(movement, counts=shared_counts, margins=margins)  # type: ignore[arg-type]


def _hidden_gas(gas: GasFigures) -> GasFigures:
    return dataclasses.replace(
        gas,
        result=stats.PairedResult(n=HIDDEN, confidence=gas.result.confidence),  # type: ignore[arg-type]
        distribution=tuple((category, HIDDEN) for category, _count in gas.distribution),  # type: ignore[misc]
    )


def _gas(gas: GasFigures, k: int) -> GasFigures:
    if not visible(gas.n, k=k):
        return _hidden_gas(gas)
    categories = [category for category, _count in gas.distribution]
    cells = [
        Cell(category.code, count, frozenset({category.code}))
        for category, count in gas.distribution
    ]
    cells.append(Cell("total", gas.n, frozenset(c.code for c in categories), margin=True))
    hidden = suppress(cells, k=k)
    if "total" in hidden:  # nothing else could protect a category: share none of it
        return _hidden_gas(gas)
    distribution = tuple(
        (category, HIDDEN if category.code in hidden else count)
        for category, count in gas.distribution
    )
    return dataclasses.replace(gas, distribution=distribution)  # type: ignore[arg-type]
