"""The gate: small cells are hidden and no hidden cell can be computed back (ADR 0008).

Every test audits with ``recoverable``: two linear programmes per hidden cell over every
published figure, independent of how ``suppress`` decided.
"""

from itertools import product

import pytest
from django.core.checks import run_checks
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from meerwaarde.bundling.suppression import (
    HIDDEN,
    Cell,
    k_threshold,
    recoverable,
    suppress,
    visible,
)


def grid(values: list[list[int]], prefix: str = "") -> list[Cell]:
    """A table with row totals, column totals and a grand total; atoms are its inner cells."""
    rows, cols = len(values), len(values[0])
    cells = [
        Cell((prefix, "cell", r, c), values[r][c], frozenset({(r, c)}))
        for r, c in product(range(rows), range(cols))
    ]
    for r in range(rows):
        members = frozenset((r, c) for c in range(cols))
        cells.append(Cell((prefix, "row", r), sum(values[r]), members, margin=True))
    for c in range(cols):
        members = frozenset((r, c) for r in range(rows))
        cells.append(Cell((prefix, "col", c), sum(v[c] for v in values), members, margin=True))
    everything = frozenset(product(range(rows), range(cols)))
    cells.append(Cell((prefix, "total"), sum(map(sum, values)), everything, margin=True))
    return cells


def test_it_hides_a_cell_of_three_participants_and_enough_others_to_protect_it():
    # Offers by province (rows) and intervention type (columns): one cell of 3 participants.
    cells = grid([[3, 20, 15], [12, 14, 30], [25, 11, 40]])
    hidden = suppress(cells, k=10)
    assert ("", "cell", 0, 0) in hidden
    # Not from its row total, not from its column total, not from anything else published.
    assert recoverable(cells, hidden) == {}
    assert len([key for key in hidden if key[1] == "cell"]) >= 4
    # The totals stay: they protect nothing that the inner cells cannot.
    assert not any(key[1] in ("row", "col", "total") for key in hidden)


def test_it_protects_a_small_cell_against_the_other_breakdowns_of_the_same_selection():
    # Five offers (atoms). By type: T1 = {c} has 3 participants. By theme: X = {a, b}. By
    # province: P1 = {a, b, c}. P1 − X would give T1 if both stayed published.
    counts = {"a": 20, "b": 27, "c": 3, "d": 30, "e": 25}

    def cell(key, members, margin=False):
        return Cell(key, sum(counts[m] for m in members), frozenset(members), margin)

    cells = [
        cell("total", "abcde", margin=True),
        cell(("province", "P1"), "abc"),
        cell(("province", "P2"), "de"),
        cell(("type", "T1"), "c"),
        cell(("type", "T2"), "abde"),
        cell(("theme", "X"), "ab"),
        cell(("theme", "Y"), "cde"),
    ]
    # Each breakdown alone would leave T1 exposed: total − T2.
    alone = [c for c in cells if c.key == "total" or c.key[0] == "type"]
    assert recoverable(alone, {("type", "T1")}) == {("type", "T1"): (3.0, 3.0)}

    hidden = suppress(cells, k=10)
    assert ("type", "T1") in hidden
    assert recoverable(cells, hidden) == {}


def test_a_published_zero_does_not_give_a_hidden_cell_away():
    # The zero fixes offer c at 0, so without care P1 − a would expose b.
    counts = {"a": 30, "b": 4, "c": 0, "d": 22}

    def cell(key, members, margin=False):
        return Cell(key, sum(counts[m] for m in members), frozenset(members), margin)

    cells = [
        cell("total", "abcd", margin=True),
        cell("P1", "abc"),
        cell("P2", "d"),
        cell("T1", "a"),
        cell("T2", "bc"),
        cell("T3", "d"),
        cell("Z", "c"),
    ]
    hidden = suppress(cells, k=10)
    assert "T2" in hidden
    assert "Z" not in hidden  # a zero discloses no one and stays visible
    assert recoverable(cells, hidden) == {}


def test_nothing_is_hidden_when_every_cell_is_big_enough_or_empty():
    cells = grid([[0, 20], [12, 0]])
    assert suppress(cells, k=10) == frozenset()


def test_every_cell_below_k_is_hidden_and_k_is_used():
    cells = grid([[9, 30, 40], [30, 30, 40], [30, 30, 40]])
    assert ("", "cell", 0, 0) in suppress(cells, k=10)
    assert suppress(cells, k=9) == frozenset()


def test_k_defaults_to_ten_and_never_goes_below_five(settings):
    assert k_threshold() == 10
    settings.SUPPRESSION_K = 3
    assert k_threshold() == 5
    assert [e.id for e in run_checks() if e.id.startswith("bundling.")] == ["bundling.E001"]
    settings.SUPPRESSION_K = 15
    assert k_threshold() == 15
    assert not [e for e in run_checks() if e.id.startswith("bundling.")]


def test_a_lone_figure_is_visible_only_from_k_or_when_zero():
    assert visible(0, k=10)
    assert not visible(1, k=10)
    assert not visible(9, k=10)
    assert visible(10, k=10)


def test_a_hidden_value_says_so_and_never_looks_like_zero():
    assert not HIDDEN
    assert HIDDEN != 0
    with translation.override("nl"):
        assert str(HIDDEN) == "te weinig deelnemers"
    with translation.override("en"):
        assert str(HIDDEN) == "too few participants"


def test_cells_need_their_own_keys():
    with pytest.raises(ValueError):
        suppress([Cell("a", 3, frozenset({1})), Cell("a", 20, frozenset({2}))])


# Random tables ----------------------------------------------------------------------------

counts = st.sampled_from([0, 1, 2, 3, 4, 6, 9, 10, 11, 15, 25, 60])


@st.composite
def tables(draw):
    rows = draw(st.integers(1, 5))
    cols = draw(st.integers(1, 5))
    return [[draw(counts) for _ in range(cols)] for _ in range(rows)]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_hidden_cell_of_a_random_table_with_totals_can_be_recovered(values):
    cells = grid(values)
    hidden = suppress(cells, k=10)
    assert all(c.key in hidden for c in cells if 0 < c.count < 10)
    assert not any(c.count == 0 for c in cells if c.key in hidden)
    assert recoverable(cells, hidden) == {}


@st.composite
def linked(draw):
    """Offers (atoms) with a count each, and three breakdowns of them: two partitions (like
    province and intervention type) and a cover where an offer may sit under several values
    (like themes), plus the total: every table of one selection."""
    n = draw(st.integers(2, 9))
    offer_counts = [draw(counts) for _ in range(n)]
    province = [draw(st.integers(0, 2)) for _ in range(n)]
    kind = [draw(st.integers(0, 3)) for _ in range(n)]
    themes = [draw(st.sets(st.integers(0, 2), min_size=1, max_size=2)) for _ in range(n)]
    return offer_counts, province, kind, themes


@pytest.mark.parametrize("atoms_known", [False, True], ids=["by-programmes", "by-walk"])
@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(linked())
def test_no_hidden_cell_of_random_linked_breakdowns_can_be_recovered(atoms_known, data):
    offer_counts, province, kind, themes = data
    offers = range(len(offer_counts))

    def cell(key, members, margin=False):
        members = frozenset(members)
        return Cell(key, sum(offer_counts[o] for o in members), members, margin)

    cells = [cell("total", offers, margin=True)]
    for name, values in (("province", province), ("type", kind)):
        for value in sorted(set(values)):
            cells.append(cell((name, value), [o for o in offers if values[o] == value]))
    for theme in sorted(set().union(*themes)):
        cells.append(cell(("theme", theme), [o for o in offers if theme in themes[o]]))
    # Values of different breakdowns may hold exactly the same offers: twins are covered.
    # With the offers' own counts, suppress() clears cells by walking from them and leaves
    # only the rest to linear programmes; the audit here still runs them all.
    atom_counts = dict(enumerate(offer_counts)) if atoms_known else None
    hidden = suppress(cells, k=10, atom_counts=atom_counts)
    assert all(c.key in hidden for c in cells if 0 < c.count < 10)
    assert recoverable(cells, hidden) == {}


def test_atom_counts_that_do_not_add_up_are_refused():
    cells = [Cell("a", 3, frozenset({1, 2})), Cell("b", 20, frozenset({2, 3}))]
    with pytest.raises(ValueError):
        suppress(cells, k=10, atom_counts={1: 1, 2: 1, 3: 19})


def test_a_hidden_cell_the_walk_cannot_clear_still_gets_the_linear_programmes(monkeypatch):
    # Five offers, one with 0 participants under published cells: the walk from the true
    # counts meets that 0 at once, so the programmes decide for those cells.
    offer_counts = [1, 25, 10, 0, 2]
    province, kind = [1, 2, 0, 2, 2], [0, 3, 3, 3, 2]
    themes = [{2}, {0, 2}, {0}, {0, 2}, {0, 1}]

    def cell(key, members, margin=False):
        members = frozenset(members)
        return Cell(key, sum(offer_counts[o] for o in members), members, margin)

    offers = range(5)
    cells = [cell("total", offers, margin=True)]
    for name, values in (("province", province), ("type", kind)):
        for value in sorted(set(values)):
            cells.append(cell((name, value), [o for o in offers if values[o] == value]))
    for theme in range(3):
        cells.append(cell(("theme", theme), [o for o in offers if theme in themes[o]]))
    asked = []

    def programmes(*args, **kwargs):
        asked.append(set(kwargs["only"]))
        return recoverable(*args, **kwargs)

    monkeypatch.setattr("meerwaarde.bundling.suppression.recoverable", programmes)
    hidden = suppress(cells, k=10, atom_counts=dict(enumerate(offer_counts)))
    assert asked and all(asked)
    assert recoverable(cells, hidden) == {}
