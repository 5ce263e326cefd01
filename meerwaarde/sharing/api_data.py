"""Shareable figures as JSON: a hidden value is ``null`` with ``"hidden": true`` beside it.

Written field by field rather than by walking the dataclasses, so nothing reaches the API that
was not chosen for it (a selection carries the organisation, offers and concepts as models).
A figure may be hidden at any level (a whole scale, its result, one count); ``_get`` follows
an attribute path and stops at the first hidden step.
"""

from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from meerwaarde.analysis.constants import GAS_EXPECTED_T
from meerwaarde.analysis.selectors import (
    CategoryMovement,
    Figures,
    GasFigures,
    InstrumentFigures,
    ScaleFigures,
)
from meerwaarde.bundling.suppression import HIDDEN, is_hidden
from meerwaarde.sharing.constants import ImpactSection

Json = dict[str, Any]


def _get(obj: object, *path: str) -> object:
    for name in path:
        if is_hidden(obj) or obj is None:
            return obj
        obj = getattr(obj, name)
    return obj


def _plain(value: object) -> object:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, float):
        return round(value, 4)
    return value


def _record(values: Mapping[str, object]) -> Json:
    """A JSON object of the values; hidden ones become null and mark it ``hidden``."""
    out: Json = {}
    hidden = False
    for key, value in values.items():
        if is_hidden(value):
            out[key] = None
            hidden = True
        else:
            out[key] = _plain(value)
    out["hidden"] = hidden
    return out


def _total(counts: object) -> object:
    if is_hidden(counts):
        return HIDDEN
    values = list(counts.values()) if isinstance(counts, Mapping) else []  # type: ignore[union-attr]
    if any(is_hidden(v) for v in values):
        return HIDDEN
    return sum(values)


def _activity(figures: Figures) -> list[Json]:
    return [
        _record(
            {
                "month": month.month.strftime("%Y-%m"),
                "offers_reporting": _get(month, "offers_reporting"),
                "meetings_held": _get(month, "meetings_held"),
                "participants_reached": _get(month, "participants_reached"),
                "new_participants": _get(month, "new_participants"),
                "active_volunteers": _get(month, "active_volunteers"),
                "volunteer_hours": _get(month, "volunteer_hours"),
                "referrals_in": _total(_get(month, "referrals_in")),
                "referrals_out": _total(_get(month, "referrals_out")),
                "early_signals": _total(_get(month, "early_signals")),
            }
        )
        for month in figures.activity
    ]


_RESULT_FIELDS = (
    "n",
    "mean_start",
    "mean_end",
    "mean_change",
    "ci_low",
    "ci_high",
    "d_z",
    "d_z_low",
    "d_z_high",
)


def _movement(scale: ScaleFigures) -> list[Json] | None:
    movement = _get(scale, "movement")
    if movement is None:
        return None
    if is_hidden(movement):
        return [_record({"from": None, "to": None, "count": HIDDEN})]
    assert isinstance(movement, CategoryMovement)
    codes = [c.code for c in movement.categories]
    counts = movement.counts
    return [
        _record({"from": a, "to": b, "count": counts[i][j]})
        for i, a in enumerate(codes)
        for j, b in enumerate(codes)
    ]


def _scale(scale: ScaleFigures, *, outcomes: bool, moves: bool) -> Json:
    values: dict[str, object] = {
        "code": scale.code,
        "label": scale.label,
        "domain": scale.domain,
        "higher_is_better": scale.higher_is_better,
    }
    if outcomes:
        values |= {name: _get(scale, "result", name) for name in _RESULT_FIELDS}
        for name in ("improved", "deteriorated"):
            share = _get(scale, name)
            values[f"{name}_share"] = share if share is None else _get(share, "proportion")
    data = _record(values)
    if moves:
        data["category_moves"] = _movement(scale)
    return data


def _instrument(instrument: InstrumentFigures, *, outcomes: bool, moves: bool) -> Json:
    return {
        "code": instrument.code,
        "version": instrument.version,
        "name": instrument.name,
        "rankable": instrument.rankable,
        "scales": [_scale(s, outcomes=outcomes, moves=moves) for s in instrument.scales],
    }


def _gas(gas: GasFigures) -> Json:
    data = _record(
        {
            "name": gas.name,
            "version": gas.version,
            "n": _get(gas, "result", "n"),
            "mean_t": _get(gas, "result", "mean_end"),
            "ci_low": _t(_get(gas, "result", "ci_low")),
            "ci_high": _t(_get(gas, "result", "ci_high")),
        }
    )
    data["distribution"] = [
        _record({"category": category.code, "count": count}) for category, count in gas.distribution
    ]
    return data


def _t(change: object) -> object:
    """A GAS interval bound is kept as a change from the expected T (50)."""
    return change + GAS_EXPECTED_T if isinstance(change, int | float) else change


def figures_data(figures: Figures, *, sections: Iterable[str] = ImpactSection.values) -> Json:
    """The chosen sections of shareable (already suppressed) figures."""
    chosen = set(sections)
    data: Json = {}
    if ImpactSection.ACTIVITY in chosen:
        data["activity"] = _activity(figures)
        # The totals over the months, as suppressed with them (a total may be hidden too).
        totals = getattr(figures, "activity_totals", None) or {}
        data["activity_totals"] = _record(dict(totals))
    outcomes, moves = ImpactSection.OUTCOMES in chosen, ImpactSection.MOVES in chosen
    if outcomes or moves:
        data["instruments"] = [
            _instrument(i, outcomes=outcomes, moves=moves) for i in figures.instruments
        ]
    if ImpactSection.GAS in chosen:
        data["gas"] = [_gas(g) for g in figures.gas]
    return data
