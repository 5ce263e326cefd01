"""An organisation's figures made shareable: the dashboard's tables with small cells hidden."""

import datetime
from itertools import product

from django.utils import translation

from meerwaarde.activities.selectors import MonthTotals
from meerwaarde.analysis import presentation, stats
from meerwaarde.analysis.constants import Scope
from meerwaarde.analysis.selectors import (
    Category,
    CategoryMovement,
    Figures,
    GasFigures,
    InstrumentFigures,
    ScaleFigures,
    Selection,
)
from meerwaarde.bundling.figures import shareable_figures
from meerwaarde.bundling.suppression import HIDDEN, Cell, recoverable

HIDDEN_TEXT = "te weinig deelnemers"


def month(number: int, reached: int, new: int = 0) -> MonthTotals:
    return MonthTotals(
        month=datetime.date(2026, number, 1),
        offers_reporting=2,
        meetings_held=30,
        participants_reached=reached,
        new_participants=new,
        referrals_in={"verwijzer-huisarts": 12} if reached else {},
    )


def scale(code: str, n: int, movement: CategoryMovement | None = None) -> ScaleFigures:
    sums = stats.PairedSums(
        n=n,
        sum_x1=10.0 * n,
        sum_x1_sq=100.0 * n + n,
        sum_x2=12.0 * n,
        sum_x2_sq=144.0 * n + 2 * n,
        sum_d=2.0 * n,
        sum_d_sq=4.0 * n + n,
    )
    return ScaleFigures(
        code=code,
        label=f"Schaal {code}",
        domain="domein-financien",
        domain_label="Financiën",
        higher_is_better=True,
        result=stats.paired_result(sums),
        improved=stats.share(n // 2, n),
        deteriorated=stats.share(1, n),
        movement=movement,
    )


def moves(counts: list[list[int]]) -> CategoryMovement:
    labels = ["laag", "midden", "hoog"]
    return CategoryMovement(
        categories=tuple(Category(c, c) for c in labels),
        counts=tuple(tuple(row) for row in counts),
        higher_is_better=True,
    )


def figures(activity, scales=(), gas=()) -> Figures:
    instrument = InstrumentFigures(
        instrument_id=1,
        code="zrm",
        version="2017",
        name="ZRM",
        notice="",
        rankable=True,
        scales=tuple(scales),
    )
    return Figures(
        selection=Selection(),
        scope=Scope.ALL,
        activity=list(activity),
        instruments=[instrument] if scales else [],
        gas=list(gas),
    )


def test_figures_that_are_all_big_enough_stay_exactly_as_the_dashboard_shows_them():
    raw = figures([month(1, 40, 12), month(2, 35, 10)], [scale("a", 30)])
    shared = shareable_figures(figures=raw, k=10)
    for name in ("activiteit", "uitkomsten"):
        assert presentation.csv_table(shared, name) == presentation.csv_table(raw, name)


def test_a_month_with_three_participants_is_hidden_with_a_second_month_to_protect_it():
    raw = figures([month(1, 40, 12), month(2, 3, 12), month(3, 25, 11), month(4, 30, 14)])
    shared = shareable_figures(figures=raw, k=10)
    reached = [m.participants_reached for m in shared.activity]
    assert reached[1] is HIDDEN
    assert reached.count(HIDDEN) == 2  # else total − the others would give it
    assert shared.activity_totals["participants_reached"] == 98
    with translation.override("nl"):
        table = presentation.csv_table(shared, "activiteit")
        chart = presentation.dashboard(shared).activity
    row = table.rows[1]
    assert row[3] == HIDDEN_TEXT
    assert row[3] != "0"
    assert HIDDEN_TEXT not in table.rows[0]
    # The summary tells the total (a published margin) but no hidden month.
    assert "te weinig deelnemers" in chart.summary


def test_a_scale_with_too_few_pairs_is_hidden_in_table_sentence_and_chart():
    raw = figures([month(1, 40)], [scale("a", 30), scale("b", 4)])
    shared = shareable_figures(figures=raw, k=10)
    with translation.override("nl"):
        table = presentation.csv_table(shared, "uitkomsten")
        section = presentation.dashboard(shared).instruments[0]
    hidden_row = next(row for row in table.rows if row[1] == "Schaal b")
    assert hidden_row[4] == HIDDEN_TEXT
    assert "4" not in hidden_row[4:]
    assert HIDDEN_TEXT in section.chart.svg


def test_a_category_move_of_three_is_hidden_and_cannot_be_computed_from_the_totals():
    counts = [[3, 20, 15], [12, 14, 30], [25, 11, 40]]
    raw = figures([month(1, 40)], [scale("a", 170, moves(counts))])
    shared = shareable_figures(figures=raw, k=10)
    movement = shared.instruments[0].scales[0].movement
    assert movement.counts[0][0] is HIDDEN
    # Everything published about the moves: the cells shown, the start totals, the total,
    # and the numbers to better, same and worse.
    cells, hidden = [], set()
    for i, j in product(range(3), range(3)):
        cells.append(Cell((i, j), counts[i][j], frozenset({(i, j)})))
        if movement.counts[i][j] is HIDDEN:
            hidden.add((i, j))
    for i in range(3):
        cells.append(Cell(("row", i), sum(counts[i]), frozenset((i, j) for j in range(3))))
    for name, test in (
        ("same", lambda i, j: i == j),
        ("better", lambda i, j: j > i),
        ("worse", lambda i, j: j < i),
        ("total", lambda i, j: True),
    ):
        members = frozenset((i, j) for i, j in product(range(3), range(3)) if test(i, j))
        cells.append(Cell(name, sum(counts[i][j] for i, j in members), members))
        if movement.margins[name] is HIDDEN:
            hidden.add(name)
    assert recoverable(cells, hidden) == {}
    with translation.override("nl"):
        table = presentation.csv_table(shared, "verschuivingen")
    assert any(row[4] == HIDDEN_TEXT for row in table.rows)


def test_gas_with_too_few_participants_is_hidden():
    result = stats.paired_result(
        stats.PairedSums(
            n=6, sum_x1=300, sum_x1_sq=15000, sum_x2=320, sum_x2_sq=17200, sum_d=20, sum_d_sq=300
        )
    )
    gas = GasFigures(
        instrument_id=9,
        name="GAS",
        version="1",
        label="GAS",
        result=result,
        distribution=((Category("-1", "minder dan verwacht"), 2), (Category("0", "verwacht"), 4)),
    )
    shared = shareable_figures(figures=figures([month(1, 40)], gas=[gas]), k=10)
    with translation.override("nl"):
        table = presentation.csv_table(shared, "gas")
        chart = presentation.dashboard(shared).gas
    assert table.rows[0][1] == HIDDEN_TEXT
    assert set(table.rows[0][5:7]) == {HIDDEN_TEXT}
    assert "te weinig deelnemers" in chart.summary
