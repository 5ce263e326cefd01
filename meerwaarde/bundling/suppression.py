"""The one gate every figure passes before it leaves an organisation (ADR 0008).

A published figure is a ``Cell``: a count of participants and the atoms it sums (offers, or
offer × month: whatever the figures are additive over). ``suppress`` returns the cells to hide:

- primary: a cell resting on 1 to k − 1 participants. A count of 0 stays visible: it discloses
  no one, and hiding it would only make the attacker's zeros look like secrets;
- secondary: more cells, until no hidden cell can be computed from the published ones.

"Computed" is judged two ways. Linearly: a hidden cell is exposed when its row of atoms lies in
the span of the published rows (its value is then a sum and difference of published figures,
whichever tables they come from). And by bounds: counts are not negative, so a published 0
fixes every atom under it at 0; those atoms are taken out before the linear test. The linear
test works on the Gram matrix of the cells (cells × cells) rather than on the atoms, so its
cost follows the number of published cells, not the number of offers beneath them.
``recoverable`` is the audit by linear programming: the interval an attacker can narrow each
hidden cell to, given every published figure. The tests run it on every answer; ``suppress``
runs it only for the hidden cells it cannot clear more cheaply (a walk from the true atom
counts along a direction that keeps every published figure, see ``_movable``).

Which cells are hidden depends only on which cells are small and how the cells overlap, never
on the other values: the same pattern protects every additive figure of those cells (sums of
scores as much as counts), so callers suppress once per count and hide every figure of a hidden
cell.
"""

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.utils.translation import gettext_lazy as _

K_DEFAULT = 10
K_MINIMUM = 5


def k_threshold() -> int:
    """The configured k (``SUPPRESSION_K``); a value below the minimum is raised to it.

    The system check ``bundling.E001`` refuses such a setting at start-up; raising it here too
    means a misconfiguration can never publish smaller cells.
    """
    return max(int(getattr(settings, "SUPPRESSION_K", K_DEFAULT)), K_MINIMUM)


class Hidden:
    """A hidden value. Falsy, never equal to a number, shown as "te weinig deelnemers"."""

    _instance: "Hidden | None" = None

    def __new__(cls) -> "Hidden":
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __str__(self) -> str:
        return str(HIDDEN_TEXT)

    def __repr__(self) -> str:
        return "HIDDEN"

    def __reduce__(self) -> str:
        return "HIDDEN"


HIDDEN = Hidden()
HIDDEN_TEXT = _("te weinig deelnemers")


def is_hidden(value: object) -> bool:
    return value is HIDDEN


@dataclass(frozen=True)
class Cell:
    """One published figure: ``count`` participants over ``members`` (the atoms it sums).

    ``margin`` marks a total: secondary suppression hides totals only when no ordinary cell
    can protect a hidden one.
    """

    key: Hashable
    count: int
    members: frozenset
    margin: bool = False


def visible(count: int, *, k: int | None = None) -> bool:
    """Whether a lone figure, with no related figure published beside it, may be shown."""
    return count == 0 or count >= (k or k_threshold())


def suppress(
    cells: Iterable[Cell],
    *,
    k: int | None = None,
    atom_counts: Mapping[Hashable, int] | None = None,
) -> frozenset:
    """The keys of the cells to hide so that no hidden cell can be computed from the rest.

    ``atom_counts`` (each atom's own count, when the caller knows it) makes the bounds check
    cheap: a hidden cell that can move by a whole participant along a direction that keeps
    every published figure, without any atom going negative, cannot be pinned, and needs no
    linear programme. When every atom is a cell of its own, the counts are read from those.
    """
    cells = list(cells)
    k = k or k_threshold()
    keys = [c.key for c in cells]
    if len(set(keys)) != len(keys):
        raise ValueError("Every cell needs its own key.")
    hidden = {i for i, c in enumerate(cells) if 0 < c.count < k}
    if not hidden:
        return frozenset()
    # Published zeros fix their atoms at 0: leave those atoms and the zero cells out.
    zero_atoms = set().union(*(c.members for c in cells if c.count == 0))
    live = [i for i, c in enumerate(cells) if c.count > 0]
    rows = [cells[i].members - zero_atoms for i in live]
    incidence, atoms = _incidence(rows)
    gram = incidence @ incidence.T
    truth = _atom_values(cells, atoms, incidence, [cells[i].count for i in live], atom_counts)
    order = {
        live_pos: (cells[i].margin, cells[i].count, live_pos) for live_pos, i in enumerate(live)
    }
    hidden_pos = {pos for pos, i in enumerate(live) if i in hidden}
    while True:
        hidden_pos = _protect(gram, rows, hidden_pos, order)
        # Bounds can pin what the span does not (an interval holding one whole number):
        # hide one more cell next to each such cell and check again.
        unsure = hidden_pos
        if truth is not None:
            unsure = hidden_pos - _movable(gram, incidence, truth, hidden_pos)
        live_cells = [Cell(pos, cells[i].count, rows[pos]) for pos, i in enumerate(live)]
        pinned = recoverable(live_cells, hidden_pos, only=unsure) if unsure else {}
        if not pinned:
            return frozenset(cells[live[pos]].key for pos in hidden_pos)
        for pos in pinned:
            neighbours = [
                other
                for other in range(len(live))
                if other not in hidden_pos and rows[other] & rows[pos]
            ]
            if not neighbours:
                neighbours = [other for other in range(len(live)) if other not in hidden_pos]
            hidden_pos.add(min(neighbours, key=order.__getitem__))


def _incidence(rows: Sequence[frozenset]) -> tuple[np.ndarray, list[Hashable]]:
    """The cells × atoms incidence matrix, with the atoms in column order."""
    atom_index: dict[Hashable, int] = {}
    for row in rows:
        for atom in row:
            atom_index.setdefault(atom, len(atom_index))
    incidence = np.zeros((len(rows), max(len(atom_index), 1)), dtype=np.float64)
    for r, row in enumerate(rows):
        incidence[r, [atom_index[a] for a in row]] = 1.0
    return incidence, list(atom_index)


def _atom_values(
    cells: Sequence[Cell],
    atoms: Sequence[Hashable],
    incidence: np.ndarray,
    counts: Sequence[int],
    atom_counts: Mapping[Hashable, int] | None,
) -> np.ndarray | None:
    """Each atom's true count, from the caller or from cells of one atom; None when unknown.

    A count that does not add up to the cells is refused: the cheap bounds check would
    otherwise reason from a point that is not the truth.
    """
    if atom_counts is None:
        single = {next(iter(c.members)): c.count for c in cells if len(c.members) == 1}
        if not all(atom in single for atom in atoms):
            return None
        atom_counts = single
    if not atoms:
        return None
    values = np.array([atom_counts[atom] for atom in atoms], dtype=np.float64)
    if (values < 0).any() or not np.allclose(incidence @ values, counts):
        raise ValueError("The atoms' counts do not add up to the cells' counts.")
    return values


def _movable(
    gram: np.ndarray, incidence: np.ndarray, truth: np.ndarray, hidden: set[int]
) -> set[int]:
    """Hidden cells that can provably move by at least one whole participant.

    For a hidden cell h, the direction d = a_h − Σ c_j a_j (its atom row less its projection
    on the published rows) changes no published figure and changes h by a_h·d > 0. Walking
    from the true counts along ±d until an atom reaches 0 gives values of h that an attacker
    cannot rule out: when they reach a whole participant beyond the truth, h holds at least
    two whole numbers and is not pinned. Cells this misses go to the linear programmes.
    """
    hidden_list = sorted(hidden)
    published = [i for i in range(gram.shape[0]) if i not in hidden]
    if published:
        coefficients = _coefficients(gram, published, hidden_list)
        directions = incidence[hidden_list] - coefficients.T @ incidence[published]
    else:
        directions = incidence[hidden_list].copy()
    movable = set()
    for h, d in zip(hidden_list, directions, strict=True):
        d[np.abs(d) < 1e-9] = 0.0
        change = float(incidence[h] @ d)
        if change <= 1e-9:
            continue
        up = np.min(truth[d < 0] / -d[d < 0], initial=np.inf)
        down = np.min(truth[d > 0] / d[d > 0], initial=np.inf)
        if max(up, down) * change >= 1 + 1e-6:
            movable.add(h)
    return movable


def _coefficients(gram: np.ndarray, published: list[int], hidden: list[int]) -> np.ndarray:
    """The shortest combination of the published rows nearest each hidden row (published ×
    hidden): a pseudo-inverse through the eigenvalues of the published Gram block."""
    g_pp = gram[np.ix_(published, published)]
    g_ph = gram[np.ix_(published, hidden)]
    values, vectors = np.linalg.eigh(g_pp)
    scale = max(float(values.max()), 1.0)
    keep = values > scale * 1e-10
    inverse = (vectors[:, keep] / values[keep]) @ vectors[:, keep].T
    return inverse @ g_ph


def _exposed(gram: np.ndarray, hidden: set[int]) -> dict[int, np.ndarray]:
    """Hidden cells whose atom row lies in the span of the published rows, each with the
    coefficients (over the published cells, in order) of the shortest such combination."""
    n = gram.shape[0]
    published = [i for i in range(n) if i not in hidden]
    hidden_list = sorted(hidden)
    if not published:
        return {}
    coefficients = _coefficients(gram, published, hidden_list)
    g_ph = gram[np.ix_(published, hidden_list)]
    projected = np.einsum("ph,ph->h", g_ph, coefficients)
    residual = gram[hidden_list, hidden_list] - projected
    exposed = {}
    for column, h in enumerate(hidden_list):
        if residual[column] <= 1e-7 * max(gram[h, h], 1.0):
            exposed[h] = coefficients[:, column]
    return exposed


def _protect(
    gram: np.ndarray, rows: Sequence[frozenset], hidden: set[int], order: dict[int, tuple]
) -> set[int]:
    hidden = set(hidden)
    n = gram.shape[0]
    # A cell's parents: the cells that hold all its atoms and more (its row, its column, the
    # total, a province above a place). Their other children are the natural partners.
    parents: dict[int, list[int]] = {i: [] for i in range(n)}
    children: dict[int, list[int]] = {i: [] for i in range(n)}
    for i in range(n):
        for p in range(n):
            if p != i and rows[i] < rows[p]:
                parents[i].append(p)
                children[p].append(i)
    while True:
        exposed = _exposed(gram, hidden)
        if not exposed:
            return hidden
        published = [i for i in range(n) if i not in hidden]
        for h, coefficients in exposed.items():
            partner = _partner(h, rows, parents, children, hidden, order)
            if partner is None:
                # No parent with h as its only hidden child: hide the smallest published
                # cell that the exposing combination leans on.
                used = [published[j] for j in np.flatnonzero(np.abs(coefficients) > 1e-9)]
                partner = min(used or published, key=order.__getitem__)
            hidden.add(partner)


def _partner(
    h: int,
    rows: Sequence[frozenset],
    parents: dict[int, list[int]],
    children: dict[int, list[int]],
    hidden: set[int],
    order: dict[int, tuple],
) -> int | None:
    """The smallest sibling of ``h`` under the tightest published parent in which ``h`` is the
    only hidden child: the second cell a row (or column, or province) needs to hide."""
    for parent in sorted(parents[h], key=lambda p: (len(rows[p]), order[p])):
        if parent in hidden:
            continue
        if any(c in hidden for c in children[parent] if c != h):
            continue
        siblings = [c for c in children[parent] if c != h and c not in hidden and rows[c]]
        if siblings:
            return min(siblings, key=order.__getitem__)
    return None


def recoverable(
    cells: Sequence[Cell], hidden: Iterable[Hashable], *, only: Iterable[Hashable] | None = None
) -> dict[Hashable, tuple]:
    """The audit: hidden cells an attacker can pin to a single whole number.

    For every hidden cell (or those of ``only``), the smallest and largest value it can take
    given every published cell's value and non-negative atoms (two linear programmes).
    Returns {key: (low, high)} for the cells whose interval holds only one whole number.
    """
    from scipy.optimize import linprog

    hidden = set(hidden)
    if not hidden:
        return {}
    # Atoms under exactly the same cells act as one (their sum is all any cell sees).
    signature: dict[Hashable, list[int]] = {}
    for position, cell in enumerate(cells):
        for atom in cell.members:
            signature.setdefault(atom, []).append(position)
    group_index: dict[tuple[int, ...], int] = {}
    index = {
        atom: group_index.setdefault(tuple(positions), len(group_index))
        for atom, positions in signature.items()
    }
    atoms = range(len(group_index))

    def row(cell: Cell) -> np.ndarray:
        vector = np.zeros(len(atoms))
        vector[list({index[a] for a in cell.members})] = 1.0
        return vector

    published = [c for c in cells if c.key not in hidden]
    a_eq = np.array([row(c) for c in published]) if published else None
    b_eq = np.array([c.count for c in published], dtype=float) if published else None
    check = hidden if only is None else hidden & set(only)
    found = {}
    for cell in cells:
        if cell.key not in check:
            continue
        objective = row(cell)
        bounds = []
        for sign in (1.0, -1.0):
            result = linprog(
                sign * objective, A_eq=a_eq, b_eq=b_eq, bounds=(0, None), method="highs"
            )
            if result.status == 3:  # unbounded
                bounds.append(None)
            elif result.status != 0:
                raise ValueError(f"The published cells are inconsistent: {result.message}")
            else:
                bounds.append(sign * result.fun)
        low, high = bounds
        if low is not None and high is not None and np.ceil(low - 1e-6) >= np.floor(high + 1e-6):
            found[cell.key] = (low, high)
    return found
