"""From a trajectory's current measurements to its pairs; pure, no database.

Shared by the refresh after every write and by the rebuild, so both make the very same rows.
"""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from meerwaarde.analysis import stats
from meerwaarde.analysis.constants import END, GAS_KIND, INTAKE
from meerwaarde.instruments.definition import InstrumentDefinition, Scale


@dataclass(frozen=True)
class MeasurementRow:
    """What pairing needs of one current measurement."""

    instrument_id: int
    moment: str
    measured_on: datetime.date
    scores: Mapping[str, Mapping[str, object]]


@dataclass(frozen=True)
class Pair:
    """One ``OutcomePair`` row without its trajectory; equal pairs contribute equally."""

    organisation_id: int
    offer_id: int
    intervention_type_id: int
    month: datetime.date
    instrument_id: int
    scale: str
    start_value: float | None
    end_value: float
    start_category: str
    end_category: str
    reliable_change: int | None

    @property
    def key(self) -> tuple[int, str]:
        return (self.instrument_id, self.scale)


@dataclass(frozen=True)
class Placement:
    """Where a trajectory's pairs count: its organisation, offer and the offer's type."""

    organisation_id: int
    offer_id: int
    intervention_type_id: int


def _value(scores: Mapping[str, Mapping[str, object]], code: str) -> tuple[float | None, str]:
    score = scores.get(code)
    if not isinstance(score, Mapping):
        return None, ""
    value = score.get("value")
    category = score.get("category") or ""
    if not isinstance(value, int | float) or isinstance(value, bool):
        return None, ""
    return float(value), str(category)


def _reliable_change(scale: Scale, start: float, end: float) -> int | None:
    if scale.sd is None or scale.reliability is None or not scale.sd > 0:
        return None
    if not scale.reliability < 1:
        return None
    return stats.reliable_change(start, end, scale.sd, scale.reliability, scale.higher_is_better)


def pairs_for(
    *,
    placement: Placement,
    measurements: Iterable[MeasurementRow],
    definitions: Mapping[int, InstrumentDefinition],
) -> list[Pair]:
    """The pairs of one trajectory from its current intake and end measurements.

    One pair per instrument and scale with a value at both moments; GAS needs only the end.
    The month is that of the end measurement. Measurements of an instrument missing from
    ``definitions`` are ignored.
    """
    intake: dict[int, MeasurementRow] = {}
    end: dict[int, MeasurementRow] = {}
    for row in measurements:
        # At most one current intake and end per instrument (a constraint of measurements);
        # should there be more, the earliest intake and the latest end are the pair.
        known = (intake if row.moment == INTAKE else end).get(row.instrument_id)
        if row.moment == INTAKE and (known is None or row.measured_on < known.measured_on):
            intake[row.instrument_id] = row
        elif row.moment == END and (known is None or row.measured_on >= known.measured_on):
            end[row.instrument_id] = row
    pairs = []
    for instrument_id in sorted(end):
        definition = definitions.get(instrument_id)
        if definition is None:
            continue
        last = end[instrument_id]
        first = intake.get(instrument_id)
        is_gas = definition.kind == GAS_KIND
        if first is None and not is_gas:
            continue
        month = last.measured_on.replace(day=1)
        for scale in definition.scales:
            end_value, end_category = _value(last.scores, scale.code)
            if end_value is None:
                continue
            start_value, start_category, change = None, "", None
            if not is_gas:
                assert first is not None
                start_value, start_category = _value(first.scores, scale.code)
                if start_value is None:
                    continue
                change = _reliable_change(scale, start_value, end_value)
            pairs.append(
                Pair(
                    organisation_id=placement.organisation_id,
                    offer_id=placement.offer_id,
                    intervention_type_id=placement.intervention_type_id,
                    month=month,
                    instrument_id=instrument_id,
                    scale=scale.code,
                    start_value=start_value,
                    end_value=end_value,
                    start_category=start_category,
                    end_category=end_category,
                    reliable_change=change,
                )
            )
    return pairs
