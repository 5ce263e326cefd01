"""What the pages show of measurements: answers with their labels, scores with their
categories, the change from intake to end, and the overview on a trajectory's page.

Labels come from the instrument's definition and the trajectory's goals at display time;
the stored answers and scores stay the codes and numbers they were.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from meerwaarde.instruments.definition import NOT_ASSESSED, InstrumentDefinition, fmt
from meerwaarde.instruments.models import Instrument
from meerwaarde.measurements.answers import goals_of
from meerwaarde.measurements.constants import Moment
from meerwaarde.measurements.models import Measurement
from meerwaarde.measurements.selectors import measurements_for_trajectory
from meerwaarde.participants.models import Goal, Trajectory


@dataclass(frozen=True)
class ScoreRow:
    code: str
    label: str
    value: float | None
    category_label: str
    higher_is_better: bool


@dataclass(frozen=True)
class AnswerRow:
    key: str
    label: str
    answer: str


def goal_label(goal: Goal) -> str:
    return _("Doel %(n)s: %(domain)s (gewicht %(weight)s)") % {
        "n": goal.position,
        "domain": goal.domain.pref_label_nl,
        "weight": fmt(float(goal.weight)),
    }


def score_rows(instrument: Instrument, scores: dict) -> list[ScoreRow]:
    """The stored scores in the definition's order, with their category labels."""
    rows = []
    for scale in instrument.parsed.scales:
        stored = scores.get(scale.code)
        if stored is None:
            continue
        labels = {c.code: c.label for c in scale.cutoffs}
        rows.append(
            ScoreRow(
                code=scale.code,
                label=scale.label,
                value=stored.get("value"),
                category_label=labels.get(stored.get("category", ""), ""),
                higher_is_better=scale.higher_is_better,
            )
        )
    return rows


def answer_text(definition: InstrumentDefinition, code: str, value: str) -> str:
    """An answer as a person reads it: the option's label, the number, or why it is empty."""
    if value == "":
        return _("niet ingevuld")
    if value.lower() == NOT_ASSESSED:
        return _("niet beoordeeld")
    item = definition.items[0] if definition.kind == "gas" else definition.items_by_code.get(code)
    if item is not None and item.kind == "choice":
        return next((o.label for o in item.options if o.value == value), value)
    try:
        return fmt(float(value.replace(",", ".").replace("−", "-")))
    except ValueError:
        return value


def answer_rows(measurement: Measurement, goals: Sequence[Goal]) -> list[AnswerRow]:
    definition = measurement.instrument.parsed
    answers = measurement.answers
    if definition.kind == "gas":
        # By goal position: PostgreSQL's jsonb does not keep the order the keys were stored in.
        by_key = {str(goal.pk): goal for goal in goals}
        keys = [k for k in by_key if k in answers] + sorted(k for k in answers if k not in by_key)
        return [
            AnswerRow(
                key=key,
                label=goal_label(by_key[key]) if key in by_key else _("Doel (niet meer gesteld)"),
                answer=answer_text(definition, key, answers[key]),
            )
            for key in keys
        ]
    return [
        AnswerRow(
            key=item.code,
            label=item.label,
            answer=answer_text(definition, item.code, answers.get(item.code, "")),
        )
        for item in definition.items
    ]


def changed_answers(
    newer: Measurement, older: Measurement, goals: Sequence[Goal]
) -> list[tuple[str, str, str]]:
    """(label, old answer, new answer) for each answer a correction changed."""
    old = {row.key: row for row in answer_rows(older, goals)}
    return [
        (row.label, old[row.key].answer if row.key in old else "—", row.answer)
        for row in answer_rows(newer, goals)
        if row.key not in old or old[row.key].answer != row.answer
    ]


def signed(value: float) -> str:
    if value > 0:
        return f"+{fmt(value)}"
    if value < 0:
        return f"−{fmt(-value)}"
    return "0"


@dataclass(frozen=True)
class ScaleChange:
    label: str
    start: ScoreRow
    end: ScoreRow
    difference: str  # signed, "" when a value is missing
    direction: str  # "beter", "slechter", "gelijk" in words, never only a colour


def _direction(difference: float, higher_is_better: bool) -> str:
    if difference == 0:
        return _("gelijk gebleven")
    return _("vooruitgegaan") if (difference > 0) == higher_is_better else _("achteruitgegaan")


def scale_changes(intake: Measurement, end: Measurement) -> list[ScaleChange]:
    start_rows = {row.code: row for row in score_rows(intake.instrument, intake.scores)}
    changes = []
    for row in score_rows(end.instrument, end.scores):
        start = start_rows.get(row.code)
        if start is None:
            continue
        if start.value is None or row.value is None:
            difference, direction = "", _("niet te vergelijken")
        else:
            delta = round(row.value - start.value, 2)
            difference, direction = signed(delta), _direction(delta, row.higher_is_better)
        changes.append(ScaleChange(row.label, start, row, difference, direction))
    return changes


@dataclass
class Summary:
    measurement: Measurement
    scores: list[ScoreRow]


@dataclass
class MomentGroup:
    moment: str
    label: str
    summaries: list[Summary] = field(default_factory=list)


@dataclass
class InstrumentChange:
    instrument: Instrument
    intake: Measurement
    end: Measurement
    scales: list[ScaleChange]


@dataclass
class TrajectoryOverview:
    groups: list[MomentGroup]
    changes: list[InstrumentChange]

    @property
    def is_empty(self) -> bool:
        return not self.groups


def trajectory_overview(*, trajectory: Trajectory) -> TrajectoryOverview:
    """The trajectory's current measurements per moment, and for each instrument with an
    intake and an end measurement the change per scale (not for GAS: its T-score is read
    against 50, not as a difference)."""
    groups = {m.value: MomentGroup(m.value, str(m.label)) for m in Moment}
    single: dict[tuple[int, str], Measurement] = {}
    for measurement in measurements_for_trajectory(trajectory=trajectory):
        groups[measurement.moment].summaries.append(
            Summary(measurement, score_rows(measurement.instrument, measurement.scores))
        )
        single[(measurement.instrument_id, measurement.moment)] = measurement
    changes = []
    for (instrument_id, moment), intake in single.items():
        end = single.get((instrument_id, Moment.END))
        if moment != Moment.INTAKE or end is None or intake.instrument.parsed.kind == "gas":
            continue
        changes.append(InstrumentChange(intake.instrument, intake, end, scale_changes(intake, end)))
    return TrajectoryOverview(
        groups=[group for group in groups.values() if group.summaries], changes=changes
    )


def measurement_goals(measurement: Measurement) -> list[Goal]:
    return goals_of(measurement.trajectory)
